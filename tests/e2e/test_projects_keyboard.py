"""Issue 11 end to end, from the keyboard only: a project, two shots, three takes of one, a take circled and the
strip filtered to keepers, frames stepped, shuttled and marked in and out in the player, a second prompt version
compared word by word with the first, a take's settings restored — and after a restart, all of it where it was.

After the window is up, every action is a key pressed on the widget that has the focus (`Desk.press`, `Desk.type`);
the test reads state to check what the keys did. The one exception stands in for a window manager: offscreen Qt
gives the focus back to nothing when a dialog closes, so the test activates the main window again, as a desktop
would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QSpinBox, QTextBrowser, QWidget

from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.projects.model import Shot, TakeMark
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.results.in_out import InOut
from sora2_desktop.ui.results.timecode import frame_position, timecode
from sora2_desktop.ui.takes.version_compare import VersionCompare
from sora2_desktop.ui.window.main_window import MainWindow
from tests.e2e.conftest import TIMING, AppUnderTest
from tests.helpers.wait import wait_until

pytestmark = pytest.mark.e2e

Key = Qt.Key
NONE = Qt.KeyboardModifier.NoModifier
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier

PROJECT = "Trailer"
PROMPT = "A red fox runs through deep snow at dawn"
PROMPT_V2 = "A grey fox runs through deep snow at dusk"
IN_FRAME, OUT_FRAME = 5, 15


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


async def focus_reaches(widget: QWidget, what: str) -> None:
    await wait_until(lambda: QApplication.focusWidget() is widget, what=what)


async def activate(window: QWidget) -> None:
    """What a desktop's window manager does when a dialog closes or a window opens (offscreen Qt does not)."""
    window.activateWindow()
    await wait_until(lambda: QApplication.activeWindow() is window, what=f"{window} to be the active window")


def marked_words(browser: QTextBrowser) -> list[str]:
    """The words the version compare shows on a tinted background (the changed words), in order."""
    found: list[str] = []
    block = browser.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                found.extend(fragment.text().split())
            fragments += 1
        block = block.next()
    return found


def takes_field(window: MainWindow) -> QSpinBox:
    """The form's "Takes" field (found by the name a screen reader says)."""
    found = next((box for box in window.form.findChildren(QSpinBox) if box.accessibleName() == "Takes"), None)
    assert found is not None
    return found


@dataclass
class Desk:
    """The window under test and what the steps found out, for the steps after them (and the restart)."""

    qtbot: Any
    app: AppUnderTest
    shot: Shot | None = None
    first_takes: list[Task] = field(default_factory=list)
    circled: int = 0
    marks: InOut = field(default_factory=InOut)

    @property
    def window(self) -> MainWindow:
        return self.app.window

    @property
    def session(self) -> Session:
        return self.app.session

    def takes(self) -> list[Task]:
        """The shot's takes as stored now, take 1 first."""
        assert self.shot is not None
        return self.session.projects.takes(self.shot.id)

    def take(self, local_id: int) -> Task:
        return next(take for take in self.takes() if take.local_id == local_id)

    def press(self, key: Key, modifiers: Qt.KeyboardModifier = NONE, times: int = 1) -> None:
        """A key pressed and released on whatever has the focus now, as a person's keyboard sends it."""
        for _ in range(times):
            self.qtbot.keyClick(focused(), key, modifiers)

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(focused(), text)

    async def tab_to(self, target: QWidget) -> None:
        """Tab through the form until `target` has the focus (the way there changes with the model's fields)."""
        for _ in range(40):
            if focused() is target:
                return
            self.press(Key.Key_Tab)
        raise AssertionError(f"Tab never reached {target}")

    async def generate(self, prompt: str, takes: int) -> None:
        """The prompt replaced (Ctrl+A, typing), Tab to Takes, the number, Ctrl+Enter."""
        editor = self.window.form.prompt_editor.editor()
        assert focused() is editor
        self.press(Key.Key_A, CTRL)
        self.type(prompt)
        await self.tab_to(takes_field(self.window))
        self.press(Key.Key_A, CTRL)
        self.type(str(takes))
        self.press(Key.Key_Return, CTRL)


async def make_project_and_shots(desk: Desk) -> None:
    """Ctrl+Shift+N, the project's name, Enter: a project with its first shot; Ctrl+N: the second, with the
    cursor in its empty prompt."""
    window = desk.window
    desk.press(Key.Key_N, CTRL | SHIFT)
    await wait_until(lambda: isinstance(QApplication.activeWindow(), QDialog), what="the project dialog")
    desk.type(PROJECT)
    desk.press(Key.Key_Return)
    await activate(window)
    assert window.shots.project_combo.currentText() == PROJECT
    assert desk.session.projects.current_project().name == PROJECT
    desk.press(Key.Key_N, CTRL)
    shots = window.shots.model.shots()
    assert [s.code for s in shots] == ["SH010", "SH020"]
    desk.shot = window.shots.current_shot()
    assert desk.shot is not None and desk.shot.id == shots[1].id
    await focus_reaches(window.form.prompt_editor.editor(), "the cursor in the new shot's prompt")


async def generate_three_takes(desk: Desk) -> None:
    """A prompt typed into the second shot, three takes, Ctrl+Enter: T01-T03 of prompt v1, saved; SH010 keeps
    its empty prompt."""
    await desk.generate(PROMPT, takes=3)
    session = desk.session
    await wait_until(lambda: len(desk.takes()) == 3, what="three takes stored")
    await wait_until(lambda: all(t.phase == TaskPhase.SUCCESS for t in desk.takes()), timeout=60, what="3 done")
    await wait_until(lambda: all(session.local_video(t) for t in desk.takes()), timeout=60, what="3 saved")
    desk.first_takes = desk.takes()
    assert [t.take_number for t in desk.first_takes] == [1, 2, 3]
    assert len({t.version_id for t in desk.first_takes}) == 1 and desk.first_takes[0].request.prompt == PROMPT
    other = desk.window.shots.model.shots()[0]
    assert other.code == "SH010" and other.settings.get("prompt", "") == ""


async def circle_and_show_keepers(desk: Desk) -> None:
    """Ctrl+2 to the takes; C circles the current take; Shift+C shows the keepers only: that one."""
    strip = desk.window.take_strip
    desk.press(Key.Key_2, CTRL)
    assert focused() is strip.view
    current = strip.current_take()
    assert current is not None and current.local_id is not None
    desk.circled = current.local_id
    desk.press(Key.Key_C)
    await wait_until(lambda: desk.take(desk.circled).mark == TakeMark.CIRCLED, what="the take circled")
    assert [t.local_id for t in desk.takes() if t.mark is not None] == [desk.circled]
    desk.press(Key.Key_C, SHIFT)
    assert strip.keepers_action.isChecked()
    assert strip.proxy.rowCount() == 1 and strip.proxy.task_at(0).local_id == desk.circled


async def step_shuttle_and_mark(desk: Desk) -> None:
    """Enter opens the circled take in the player (the keys go with it): ←/→ move one frame and the timecode
    with them, L plays at 1× then 2×, K stops, I and O mark frames 5 and 15 — stored on the take."""
    window, player = desk.window, desk.window.results.player
    desk.press(Key.Key_Return)
    assert focused() is player or player.isAncestorOf(focused()), focused()
    shown = window.results.task()
    assert shown is not None and shown.local_id == desk.circled
    await wait_until(lambda: player.media_player.duration() > 0, what="the take's length")
    rate = player.transport.rate
    desk.press(Key.Key_Home)
    for key, frame in ((Key.Key_Right, 1), (Key.Key_Right, 2), (Key.Key_Left, 1)):
        desk.press(key)
        await wait_until(lambda f=frame: player.frame() == f, what=f"frame {frame}")  # type: ignore[misc]
        assert player.media_player.position() == frame_position(frame, rate)
        assert player.time_label.text().startswith(timecode(frame, rate))  # 00:00:00:01 …
    desk.press(Key.Key_L)
    assert player.shuttle_speed() == 1 and player.media_player.playbackRate() == 1.0
    assert player.transport.is_playing()
    desk.press(Key.Key_L)
    assert player.shuttle_speed() == 2 and player.media_player.playbackRate() == 2.0
    desk.press(Key.Key_K)
    assert player.shuttle_speed() == 0 and not player.transport.is_playing()
    desk.press(Key.Key_Home)
    desk.press(Key.Key_Right, times=IN_FRAME)
    desk.press(Key.Key_I)
    desk.press(Key.Key_Right, times=OUT_FRAME - IN_FRAME)
    desk.press(Key.Key_O)
    desk.marks = InOut(frame_position(IN_FRAME, rate), frame_position(OUT_FRAME, rate))
    assert player.in_out() == desk.marks
    stored = lambda: desk.take(desk.circled)  # noqa: E731
    await wait_until(lambda: InOut(stored().in_ms, stored().out_ms) == desk.marks, what="the marks on the take")


async def generate_a_second_version(desk: Desk) -> None:
    """Shift+C shows every take again; Ctrl+L, the prompt edited, one take: T04 of prompt v2, which comes into
    the strip selected (nothing was playing)."""
    strip = desk.window.take_strip
    desk.press(Key.Key_2, CTRL)
    desk.press(Key.Key_C, SHIFT)
    assert not strip.keepers_action.isChecked() and strip.proxy.rowCount() == 3
    desk.press(Key.Key_L, CTRL)
    await desk.generate(PROMPT_V2, takes=1)
    await wait_until(lambda: len(desk.takes()) == 4, what="the fourth take stored")
    fourth = lambda: desk.takes()[3]  # noqa: E731
    await wait_until(lambda: fourth().phase == TaskPhase.SUCCESS, timeout=60, what="T04 done")
    await wait_until(lambda: desk.session.local_video(fourth()) is not None, timeout=60, what="T04 saved")
    assert fourth().take_number == 4 and fourth().version_id != desk.first_takes[0].version_id
    await wait_until(lambda: [t.local_id for t in strip.selected_takes()] == [fourth().local_id], what="T04 in")


async def compare_versions(desk: Desk) -> None:
    """Ctrl+← to T03, Ctrl+Space adds it to the selection (T04), V: Compare shows prompt v1 against v2 with the
    removed and added words marked; Escape closes it. (The arrows alone step the player in the strip.)"""
    window, strip = desk.window, desk.window.take_strip
    desk.press(Key.Key_2, CTRL)
    desk.press(Key.Key_Left, CTRL)
    desk.press(Key.Key_Space, CTRL)
    assert [t.take_number for t in strip.selected_takes()] == [3, 4]
    desk.press(Key.Key_V)
    compare = window.take_desk.compare
    await wait_until(lambda: compare.dialog is not None and compare.dialog.isVisible(), what="Compare")
    dialog = compare.dialog
    assert dialog is not None
    versions = dialog.findChild(VersionCompare)
    assert versions is not None
    assert versions.left_title.text() == "T03 · prompt v1"
    assert versions.right_title.text() == "T04 · prompt v2"
    assert marked_words(versions.left_prompt) == ["red", "dawn"]  # removed
    assert marked_words(versions.right_prompt) == ["grey", "dusk"]  # added
    await wait_until(lambda: QApplication.activeWindow() is dialog, what="Compare to have the keyboard")
    desk.press(Key.Key_Escape)
    await wait_until(lambda: compare.dialog is None or not compare.dialog.isVisible(), what="Compare closed")
    await activate(window)


async def restore_the_first_take(desk: Desk) -> None:
    """Ctrl+Home to T01, R: its prompt (v1) is back in the shot's composer, with the cursor in it."""
    window, strip = desk.window, desk.window.take_strip
    desk.press(Key.Key_2, CTRL)
    desk.press(Key.Key_Home, CTRL)
    current = strip.current_take()
    assert current is not None and current.take_number == 1
    desk.press(Key.Key_R)
    assert window.form.prompt_editor.text() == PROMPT
    await focus_reaches(window.form.prompt_editor.editor(), "the cursor in the restored prompt")


def start_again(desk: Desk, run_async: Any) -> tuple[MainWindow, Session]:
    """The window closed and the app started again on the same profile and service, as make_app starts it."""
    app = desk.app
    app.window.close()
    run_async(app.session.aclose())
    session = Session(
        app.profile, AppSettings(app.profile), SecretStore(), api_base_override=app.sim.api_base, timing=TIMING
    )
    window = MainWindow(session)
    desk.qtbot.addWidget(window)
    window.show()

    async def start() -> None:
        window.activate()
        await activate(window)

    run_async(start())
    return window, session


def test_a_shot_from_prompt_to_picked_take_by_keyboard_and_after_a_restart(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    desk = Desk(qtbot, make_app())

    async def scenario() -> None:
        await activate(desk.window)
        await focus_reaches(desk.window.form.prompt_editor.editor(), "the cursor in the prompt at start")
        await make_project_and_shots(desk)
        await generate_three_takes(desk)
        await circle_and_show_keepers(desk)
        await step_shuttle_and_mark(desk)
        await generate_a_second_version(desk)
        await compare_versions(desk)
        await restore_the_first_take(desk)

    run_async(scenario())
    first, fourth = desk.first_takes[0], desk.takes()[3]
    assert desk.shot is not None

    window, session = start_again(desk, run_async)
    try:
        assert window.shots.project_combo.currentText() == PROJECT
        assert [s.code for s in window.shots.model.shots()] == ["SH010", "SH020"]
        shot = window.shots.current_shot()
        assert shot is not None and shot.id == desk.shot.id
        assert window.form.prompt_editor.text() == PROMPT  # the restored settings were kept for the shot
        strip = window.take_strip
        current, shown = strip.current_take(), window.results.task()
        assert current is not None and current.local_id == first.local_id  # the take last selected
        assert shown is not None and shown.local_id == first.local_id
        takes = strip.model.tasks()
        assert [t.take_number for t in takes] == [1, 2, 3, 4]
        assert [t.local_id for t in takes if t.mark == TakeMark.CIRCLED] == [desk.circled]
        versions = session.projects.versions(shot.id)
        assert [(v.number, v.prompt) for v in versions] == [(1, PROMPT), (2, PROMPT_V2)]
        assert [v.id for v in versions] == [first.version_id, fourth.version_id]
        assert [t.version_id for t in takes] == [versions[0].id] * 3 + [versions[1].id]
        # The circled take's in and out marks, on the take and on the player's scrubber once it is chosen.
        marked = next(t for t in takes if t.local_id == desk.circled)
        assert InOut(marked.in_ms, marked.out_ms) == desk.marks

        async def choose_the_circled_take() -> None:
            desk.press(Key.Key_2, CTRL)
            desk.press(Key.Key_Right, CTRL, times=(marked.take_number or 1) - 1)
            await wait_until(lambda: getattr(window.results.task(), "local_id", None) == desk.circled)
            await wait_until(lambda: window.results.player.in_out() == desk.marks, what="the marks on the scrubber")

        run_async(choose_the_circled_take())
    finally:
        window.close()
        run_async(session.aclose())
