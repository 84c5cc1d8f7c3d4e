"""Review keys: C/H/X/U marks, 0-5 stars and N the note act on the current take while the strip has the focus,
through ProjectService; never while the prompt field has it; the Take menu reaches them too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMenu, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.ui.common.shortcuts import GROUP_TAKES, all_shortcuts
from sora2_desktop.ui.takes.take_strip import TakeStrip
from tests.ui.takes.fake_session import SHOT, FakeSession, make_take


class Window(QWidget):
    def __init__(self, session: FakeSession) -> None:
        super().__init__()
        self.prompt = QLineEdit(self)
        self.strip = TakeStrip(session, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.strip)


@pytest.fixture
def session(qapp: object) -> FakeSession:
    fake = FakeSession()
    fake.projects.add(make_take(11, 1), make_take(12, 2))
    return fake


@pytest.fixture
def window(qtbot: QtBot, session: FakeSession) -> Iterator[Window]:
    widget = Window(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.strip.show_shot(SHOT)
    widget.strip.select_take(12)
    widget.strip.view.setFocus()
    qtbot.waitUntil(widget.strip.view.hasFocus)
    yield widget


KEYS = [
    (Qt.Key.Key_C, ("set_mark", 12, TakeMark.CIRCLED)),
    (Qt.Key.Key_H, ("set_mark", 12, TakeMark.HOLD)),
    (Qt.Key.Key_X, ("set_mark", 12, TakeMark.NO_GOOD)),
    (Qt.Key.Key_U, ("set_mark", 12, None)),
    (Qt.Key.Key_3, ("set_rating", 12, 3)),
    (Qt.Key.Key_5, ("set_rating", 12, 5)),
    (Qt.Key.Key_0, ("set_rating", 12, 0)),
]


@pytest.mark.parametrize(("key", "call"), KEYS, ids=[str(k) for k, _ in KEYS])
def test_a_key_on_the_strip_reviews_the_current_take(
    qtbot: QtBot, window: Window, session: FakeSession, key: Qt.Key, call: tuple[str, int, object]
) -> None:
    qtbot.keyClick(window.strip.view, key)
    assert session.projects.calls == [call]


def test_a_mark_shows_on_the_card_and_is_said(qtbot: QtBot, window: Window, session: FakeSession) -> None:
    said: list[str] = []
    window.strip.review.status_message.connect(said.append)
    qtbot.keyClick(window.strip.view, Qt.Key.Key_C)
    assert window.strip.model.task_at(1).mark == TakeMark.CIRCLED
    assert said == ["T02 circled"]
    qtbot.keyClick(window.strip.view, Qt.Key.Key_4)
    assert window.strip.model.task_at(1).rating == 4
    assert said[-1] == "T02: 4 star(s)"


def test_typing_in_the_prompt_marks_nothing(qtbot: QtBot, window: Window, session: FakeSession) -> None:
    window.prompt.setFocus()
    qtbot.waitUntil(window.prompt.hasFocus)
    qtbot.keyClicks(window.prompt, "Chx305un")
    assert window.prompt.text() == "Chx305un"
    assert session.projects.calls == []


def test_the_take_menu_acts_on_the_strips_take_wherever_the_focus_is(
    qtbot: QtBot, window: Window, session: FakeSession
) -> None:
    window.prompt.setFocus()
    qtbot.waitUntil(window.prompt.hasFocus)
    menu = window.strip.review.fill_menu(QMenu())
    entries = {action.text(): action for action in menu.actions() if not action.isSeparator()}
    assert entries["&Hold"].shortcut().toString() == "H"
    entries["&Hold"].trigger()
    assert session.projects.calls == [("set_mark", 12, TakeMark.HOLD)]


def test_without_a_take_the_keys_say_so(qtbot: QtBot, window: Window, session: FakeSession) -> None:
    window.strip.show_shot(99)
    window.strip.view.setFocus()
    said: list[str] = []
    window.strip.review.status_message.connect(said.append)
    window.strip.review.mark_actions[TakeMark.CIRCLED].trigger()
    assert session.projects.calls == []
    assert said == ["Select a take first."]


def test_n_writes_a_short_note(qtbot: QtBot, window: Window, session: FakeSession) -> None:
    review = window.strip.review
    qtbot.keyClick(window.strip.view, Qt.Key.Key_N)
    dialog = review.note_dialog
    assert dialog is not None and dialog.isVisible()
    assert "T02" in dialog.windowTitle()
    dialog.setTextValue("  gull crosses\nat 0:04  ")
    dialog.accept()
    assert session.projects.calls == [("set_review_note", 12, "gull crosses at 0:04")]
    assert window.strip.model.task_at(1).review_note == "gull crosses at 0:04"


def test_a_take_gone_meanwhile_is_said(qtbot: QtBot, window: Window, session: FakeSession) -> None:
    del session.projects.tasks[12]
    said: list[str] = []
    window.strip.review.status_message.connect(said.append)
    qtbot.keyClick(window.strip.view, Qt.Key.Key_C)
    assert said == ["That take is gone; nothing was marked."]


def test_the_keys_are_on_the_shortcut_sheet(qapp: object) -> None:
    keys = {s.keys for s in all_shortcuts() if s.group == GROUP_TAKES}
    assert {"C", "H", "X", "U", "0", "1, 2, 3, 4, 5", "N", "Shift+C"} <= keys
