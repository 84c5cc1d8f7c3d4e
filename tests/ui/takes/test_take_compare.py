"""TakeCompare: compare the selected takes or the current one with take N; Pick this take circles it through
ProjectService; restore emits the take; takes not on disk show their prompt versions alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.core.projects.model import PromptVersion, TakeMark
from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.resources import resource_path
from sora2_desktop.ui.results.compare_takes import CompareTakesDialog
from sora2_desktop.ui.takes.take_compare import TakeCompare
from sora2_desktop.ui.takes.take_strip import TakeStrip
from tests.ui.takes.fake_session import SHOT, FakeSession, make_take

DEMO_CLIP = resource_path("demo_clip.mp4")


@pytest.fixture
def session(qapp: object) -> FakeSession:
    fake = FakeSession()
    fake.projects.add(
        make_take(11, 1, prompt="A red fox runs through snow", version_id=1),
        make_take(12, 2, TaskPhase.FAILED, prompt="A grey fox runs through snow", version_id=2),
        make_take(13, 3, prompt="A grey fox runs through snow", version_id=2),
    )
    fake.projects.version_rows = {
        1: PromptVersion(1, SHOT, 1, "A red fox runs through snow"),
        2: PromptVersion(2, SHOT, 2, "A grey fox runs through snow"),
    }
    fake.videos = {11: DEMO_CLIP, 13: DEMO_CLIP}
    return fake


class Window(QWidget):
    def __init__(self, session: FakeSession) -> None:
        super().__init__()
        self.strip = TakeStrip(session, self)
        self.compare = TakeCompare(session, self.strip, self)
        QVBoxLayout(self).addWidget(self.strip)
        self.resize(800, 500)


@pytest.fixture
def window(qtbot: QtBot, session: FakeSession) -> Iterator[Window]:
    widget = Window(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.strip.show_shot(SHOT)
    widget.strip.focus_takes()
    qtbot.waitUntil(widget.strip.view.hasFocus)
    yield widget
    if widget.compare.dialog is not None:
        widget.compare.dialog.reject()


def test_two_selected_takes_on_disk_play_side_by_side_and_pick_circles(
    qtbot: QtBot, window: Window, session: FakeSession
) -> None:
    strip = window.strip
    strip.select_take(11)
    qtbot.keyClick(strip.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(strip.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    strip.view.selectionModel().select(strip.proxy.index(1, 0), strip.view.selectionModel().SelectionFlag.Deselect)
    assert [t.local_id for t in strip.selected_takes()] == [11, 13]
    qtbot.keyClick(strip.view, Qt.Key.Key_V)
    dialog = window.compare.dialog
    assert isinstance(dialog, CompareTakesDialog)
    assert [t.code for t in dialog.takes] == ["T01", "T03"]
    assert dialog.takes[1].version == 2
    said: list[str] = []
    window.compare.status_message.connect(said.append)
    dialog.pick_buttons[1].click()
    assert session.projects.calls == [("set_mark", 13, TakeMark.CIRCLED)]
    assert dialog.pick_buttons[1].text() == "✓ Circled"
    assert strip.model.task_at(2).mark == TakeMark.CIRCLED
    assert said == ["T03 circled"]


def test_review_keys_work_in_compare(qtbot: QtBot, window: Window, session: FakeSession) -> None:
    dialog = window.compare.open([session.projects.tasks[11], session.projects.tasks[13]])
    assert isinstance(dialog, CompareTakesDialog)
    qtbot.waitExposed(dialog)
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.pick_buttons[1].setFocus()
    qtbot.waitUntil(dialog.pick_buttons[1].hasFocus)
    qtbot.keyClick(dialog.pick_buttons[1], Qt.Key.Key_4)
    assert session.projects.calls == [("set_rating", 13, 4)]


def test_one_take_is_compared_with_a_take_chosen_from_a_menu(
    qtbot: QtBot, window: Window, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.strip.select_take(13)
    monkeypatch.setattr(QMenu, "popup", lambda *_args: None)  # offscreen cannot grab the keyboard for a popup
    window.compare.compare()
    menu = window.compare.with_menu
    assert menu is not None
    assert menu.title() == "Compare T03 with"
    assert [a.text() for a in menu.actions()] == ["T01", "T02"]
    menu.actions()[1].trigger()  # T02 failed: no video, its prompt version only
    dialog = window.compare.dialog
    assert dialog is not None and not isinstance(dialog, CompareTakesDialog)
    versions = dialog.versions  # type: ignore[attr-defined]
    assert versions.left_title.text() == "T02 · prompt v2"
    assert versions.right_title.text() == "T03 · prompt v2"
    assert versions.settings_label.text() == "Same settings."


def test_restore_emits_the_current_take(qtbot: QtBot, window: Window, session: FakeSession) -> None:
    window.strip.select_take(11)
    with qtbot.waitSignal(window.compare.restore_requested) as blocker:
        qtbot.keyClick(window.strip.view, Qt.Key.Key_R)
    assert blocker.args == [session.projects.tasks[11]]


def test_nothing_to_compare_is_said(qtbot: QtBot, session: FakeSession) -> None:
    session.projects.tasks = {11: session.projects.tasks[11]}
    widget = Window(session)
    qtbot.addWidget(widget)
    widget.strip.show_shot(SHOT)
    widget.strip.select_take(11)
    said: list[str] = []
    widget.compare.status_message.connect(said.append)
    widget.compare.compare()
    assert widget.compare.dialog is None
    assert said and "Select two takes" in said[0]
