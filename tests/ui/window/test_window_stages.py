"""The window built in stages (issue 13): the shot list and the composer at attach, then the activity, the player, the
takes and the menus, one stage per turn of the event loop; a key, a click or a menu that needs a later part builds
the rest first; the session connects once the window is whole; a window closed early builds nothing more."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMenu
from pytestqt.qtbot import QtBot

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.session import Session
from sora2_desktop.ui.window import window_parts
from sora2_desktop.ui.window.main_window import MainWindow
from sora2_desktop.ui.window.window_frame import FirstPage
from sora2_desktop.ui.window.window_stages import WindowStages
from tests.helpers.sim import ManualSim

SIZE = QSize(1440, 900)  # a first start's size on a large screen (layout_memory.PREFERRED)
LATER = ["activity", "player", "takes", "menus"]  # the parts; each stage of imports before its part is "part: module"


def staged(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session], *, active: bool = False
) -> MainWindow:
    """As app.py starts it: the frame painted (`active`: the active window, as a desktop makes it), then the session
    attached with the later parts in stages."""
    window = MainWindow(settings=AppSettings(profile), first_page=FirstPage.WORK)
    qtbot.addWidget(window)
    window.resize(SIZE)
    window.show()
    qtbot.waitExposed(window)
    if active:  # offscreen Qt does not activate a window by itself
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    session = Session(profile, AppSettings(profile), SecretStore(), api_base_override=sim.api_base)
    sessions.append(session)
    window.attach(session, staged=True)
    return window


def later_parts(window: MainWindow) -> list[str]:
    return [name for name in ("task_list", "results", "take_strip", "take_desk") if hasattr(window, name)]


def test_the_shot_list_and_composer_first_then_one_stage_per_turn_in_order(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = staged(qtbot, profile, sim, sessions)
    built: list[str] = []
    window.stages.stage_built.connect(built.append)
    # The composer with its Generate and the shot list are there and shown; nothing later is built yet.
    assert window.stack.currentWidget() is window.splitter
    assert window.shots.current_shot() is not None and window.form.footer.button is not None
    assert later_parts(window) == [] and window.stages.built("activity") is False
    assert all(not action.menu().actions() for action in window.menuBar().actions())  # titles only
    per_turn: list[int] = []
    while not window.stages.complete:
        before = len(built)
        QCoreApplication.processEvents()  # one turn of the loop
        per_turn.append(len(built) - before)
    assert [name for name in built if ":" not in name] == LATER
    assert all(name.split(":")[0] in LATER for name in built)
    assert max(per_turn) == 1  # never two stages in one turn
    # The media backend's first load has its own turn just before the player is built (not inside its stage).
    assert built[built.index("player") - 1] == "player: backend"
    assert later_parts(window) == ["task_list", "results", "take_strip", "take_desk"]
    assert window.player_place.isAncestorOf(window.results)
    assert window.takes_place.isAncestorOf(window.take_strip)
    window.close()


def test_a_shortcut_pressed_before_its_part_is_built_builds_the_window_first(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = staged(qtbot, profile, sim, sessions, active=True)
    editor = window.form.prompt_editor.editor()
    editor.setFocus()
    assert not window.stages.built("takes") and not window.stages.built("player")
    qtbot.keyClick(editor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # View → Takes
    assert window.stages.complete
    assert window.lower_tabs.currentWidget() is window.takes_place  # the shortcut reached its action
    window.close()


def test_a_click_on_the_menu_bar_before_the_player_is_built_fills_the_menus_first(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = staged(qtbot, profile, sim, sessions)
    bar = window.menuBar()
    video = next(action for action in bar.actions() if action.text() == "&Video")
    assert not window.stages.built("player")
    # The right button: the press reaches the bar as a left one would, without opening a popup (the offscreen
    # platform warns about a popup's keyboard grab).
    qtbot.mouseClick(bar, Qt.MouseButton.RightButton, pos=bar.actionGeometry(video).center())
    menu = video.menu()
    assert isinstance(menu, QMenu)
    assert window.results.reveal_action in menu.actions()  # the player's own actions, in the Video menu
    assert window.stages.complete
    window.close()


def test_code_that_needs_the_player_builds_it_and_what_comes_before_it(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = staged(qtbot, profile, sim, sessions)
    window.stages.ensure("player")
    assert later_parts(window) == ["task_list", "results"]
    window.focus_activity()  # the activity's own: built already, nothing more is
    assert not window.stages.built("takes")
    window.focus_takes()
    assert window.stages.built("takes") and not window.stages.built("menus")
    qtbot.waitUntil(lambda: window.stages.complete)  # the last stage still comes on its turn
    window.close()


def test_the_session_connects_once_the_window_is_whole(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = staged(qtbot, profile, sim, sessions)
    window.activate(demo=True)
    assert not window.session.active  # what shows the connection (the activity, the player) is not there yet
    qtbot.waitUntil(lambda: window.session.active)
    assert window.stages.complete
    window.close()


def test_a_window_closed_before_its_last_stage_builds_nothing_more_and_keeps_the_take(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    settings = AppSettings(profile)
    settings.current_take_id = 7  # the take on screen when the window last closed
    settings.sync()
    window = staged(qtbot, profile, sim, sessions)
    window.close()
    assert window.stages.complete  # nothing left to build
    for _ in range(40):  # more turns than there are stages
        QCoreApplication.processEvents()
    assert later_parts(window) == []
    assert AppSettings(profile).current_take_id == 7


def test_input_anywhere_builds_the_rest_and_then_the_filter_is_gone(qtbot: QtBot) -> None:
    stages = WindowStages()
    built: list[str] = []
    for name in LATER:
        stages.add(name, lambda name=name: built.append(name))
    stages.start()
    app = QCoreApplication.instance()
    assert app is not None
    assert not stages.eventFilter(app, _key_event()) and built == LATER  # finished, and the key goes on
    QCoreApplication.processEvents()
    assert built == LATER  # the turns scheduled before do nothing now


def test_the_input_guard_steps_aside_for_each_stage_and_is_back_between_them(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Within a stage's turn no input can arrive, and every event its new widgets send would cost PySide6 a Python
    # call (and types for Qt's private objects): 110M instructions of a key start's stages (callgrind).
    seen: list[tuple[str, bool]] = []  # (where, was a stage being built)
    real_filter = WindowStages.eventFilter

    def counting(self: WindowStages, watched: Any, event: Any) -> bool:
        seen.append(("filter", self._building))
        return real_filter(self, watched, event)

    monkeypatch.setattr(WindowStages, "eventFilter", counting)
    stages = WindowStages()

    def with_widgets() -> None:
        combo = QComboBox()  # a widget sends events as it is made and filled (ChildAdded, Polish, …)
        combo.addItems(["one", "two"])
        combo.deleteLater()

    stages.add("activity", with_widgets)
    stages.add("player", with_widgets)
    stages.start()
    app = QCoreApplication.instance()
    assert app is not None
    QCoreApplication.sendEvent(app, QEvent(QEvent.Type.User))  # between turns: the guard sees it
    assert ("filter", False) in seen
    qtbot.waitUntil(lambda: stages.complete)
    assert ("filter", True) not in seen  # none of the stages' own events went through it
    seen.clear()
    QCoreApplication.sendEvent(app, QEvent(QEvent.Type.User))
    assert seen == []  # the window whole: the guard is gone


def _key_event() -> Any:
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")


def test_a_stage_that_fails_is_reported_and_the_rest_still_come(qtbot: QtBot) -> None:
    stages = WindowStages()
    built: list[str] = []
    ended: list[bool] = []

    def fail() -> None:
        raise RuntimeError("a part that cannot be made")

    stages.add("activity", lambda: built.append("activity"))
    stages.add("player", fail)
    stages.add("takes", lambda: built.append("takes"))
    stages.when_complete(lambda: ended.append(True))
    with qtbot.capture_exceptions() as raised:
        stages.start()
        qtbot.waitUntil(lambda: stages.complete)
    assert [str(error) for _kind, error, _tb in raised] == ["a part that cannot be made"]
    assert built == ["activity", "takes"] and not stages.built("player")
    assert ended == [True]  # what waits for the whole window (the connection) is not left waiting


def test_the_panes_end_shared_out_with_every_part_in_its_place(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = staged(qtbot, profile, sim, sessions)
    splitters = (window.splitter, window.top, window.work)
    at_first = [splitter.sizes() for splitter in splitters]
    qtbot.waitUntil(lambda: window.stages.complete)
    QCoreApplication.processEvents()
    settled = [splitter.sizes() for splitter in splitters]
    assert settled != at_first  # the player and the takes got their room, not what their empty places had
    window_parts._share_out(window)  # the weights again, now that every part is in place and laid out
    QCoreApplication.processEvents()
    assert [splitter.sizes() for splitter in splitters] == settled
    window.close()
