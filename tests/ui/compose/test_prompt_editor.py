"""PromptEditor: the live counter, the 10,000-character limit (typing, paste, drop, programmatic), undo, craft."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QMimeData, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from pytestqt.qtbot import QtBot

from sora2_desktop.ui.compose.prompt_editor import PromptEditor
from tests.helpers.models import SORA_2

MAX_PROMPT_CHARS = SORA_2.prompt_max_chars

FULL = "The prompt can hold at most 10,000 characters; it is full."


@pytest.fixture(autouse=True)
def english_numbers() -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def prompt(qtbot: QtBot) -> PromptEditor:
    editor = PromptEditor()
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def counter(prompt: PromptEditor) -> str:
    return prompt._counter.text()


def move_to_end(prompt: PromptEditor) -> None:
    prompt.editor().moveCursor(QTextCursor.MoveOperation.End)


def test_typing_updates_text_and_counter(qtbot: QtBot, prompt: PromptEditor) -> None:
    assert counter(prompt) == "0 / 10,000"
    seen: list[str] = []
    prompt.text_changed.connect(seen.append)
    qtbot.keyClicks(prompt.editor(), "A fox")
    assert prompt.text() == "A fox"
    assert seen[-1] == "A fox"
    assert counter(prompt) == "5 / 10,000"
    prompt.set_text("x" * 1234)
    assert counter(prompt) == "1,234 / 10,000"


def test_paste_over_the_limit_is_refused_with_a_message(qtbot: QtBot, prompt: PromptEditor) -> None:
    prompt.set_text("a" * 9_990)
    move_to_end(prompt)
    QGuiApplication.clipboard().setText("b" * 20)
    prompt.editor().paste()
    assert prompt.text() == "a" * 9_990
    assert prompt.notice() == (
        "The prompt can hold at most 10,000 characters; the paste of 20 characters was not inserted."
    )
    QGuiApplication.clipboard().setText("b" * 10)  # exactly fills it
    prompt.editor().paste()
    assert len(prompt.text()) == MAX_PROMPT_CHARS
    assert prompt.notice() == ""  # an accepted edit takes the refusal away


def test_paste_replacing_a_selection_counts_what_is_replaced(prompt: PromptEditor) -> None:
    prompt.set_text("a" * MAX_PROMPT_CHARS)
    prompt.editor().selectAll()
    QGuiApplication.clipboard().setText("short")
    prompt.editor().paste()
    assert prompt.text() == "short"


def test_drop_over_the_limit_is_refused(prompt: PromptEditor) -> None:
    prompt.set_text("a" * 9_999)
    mime = QMimeData()
    mime.setText("line one\r\nline two")
    prompt.editor().insertFromMimeData(mime)
    assert prompt.text() == "a" * 9_999
    assert "the paste of 17 characters was not inserted" in prompt.notice()


@pytest.mark.parametrize("key", [Qt.Key.Key_X, Qt.Key.Key_Return, Qt.Key.Key_Space])
def test_typing_at_the_limit_is_refused(qtbot: QtBot, prompt: PromptEditor, key: Qt.Key) -> None:
    prompt.set_text("a" * MAX_PROMPT_CHARS)
    move_to_end(prompt)
    qtbot.keyClick(prompt.editor(), key)
    assert prompt.text() == "a" * MAX_PROMPT_CHARS
    assert prompt.notice() == FULL
    assert counter(prompt) == "10,000 / 10,000"
    qtbot.keyClick(prompt.editor(), Qt.Key.Key_Backspace)  # deleting still works and lifts the message
    assert len(prompt.text()) == MAX_PROMPT_CHARS - 1
    assert prompt.notice() == ""


def test_typing_over_a_selection_at_the_limit_is_allowed(qtbot: QtBot, prompt: PromptEditor) -> None:
    prompt.set_text("a" * MAX_PROMPT_CHARS)
    prompt.editor().selectAll()
    qtbot.keyClick(prompt.editor(), Qt.Key.Key_Z)
    assert prompt.text() == "z"


def test_undo_and_redo(qtbot: QtBot, prompt: PromptEditor) -> None:
    qtbot.keyClicks(prompt.editor(), "abc")
    qtbot.keyClick(prompt.editor(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert prompt.text() == ""
    qtbot.keyClick(
        prompt.editor(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert prompt.text() == "abc"
    prompt.set_text("first draft")  # each programmatic replacement is one undo step
    prompt.set_text("second draft")
    prompt.editor().undo()
    assert prompt.text() == "first draft"
    prompt.editor().undo()
    assert prompt.text() == "abc"
    prompt.editor().redo()
    prompt.editor().redo()
    assert prompt.text() == "second draft"
    assert counter(prompt) == "12 / 10,000"


def test_guard_undoes_an_over_limit_programmatic_change_and_keeps_undo_sane(prompt: PromptEditor) -> None:
    prompt.set_text("emoji 🎬 ok")
    document = prompt.editor().document()
    cursor = QTextCursor(document)
    cursor.setPosition(len("emoji 🎬".encode("utf-16-le")) // 2)  # after the emoji: UTF-16 positions
    cursor.insertText("y" * MAX_PROMPT_CHARS)
    assert prompt.text() == "emoji 🎬 ok"
    assert "the change of 10,000 characters was not applied" in prompt.notice()
    while document.isUndoAvailable():
        document.undo()
        assert len(prompt.text()) <= MAX_PROMPT_CHARS
    while document.isRedoAvailable():
        document.redo()
        assert len(prompt.text()) <= MAX_PROMPT_CHARS
    assert prompt.text() == "emoji 🎬 ok"


def test_set_text_over_the_limit_is_refused(prompt: PromptEditor) -> None:
    prompt.set_text("keep me")
    assert prompt.set_text("x" * (MAX_PROMPT_CHARS + 1)) is False
    assert prompt.text() == "keep me"
    assert "was not loaded" in prompt.notice()


@pytest.mark.parametrize(
    ("text", "cursor_at", "expected"),
    [
        ("", 0, "golden hour"),
        ("A lighthouse", 12, "A lighthouse, golden hour"),
        ("A lighthouse ", 13, "A lighthouse, golden hour"),
        ("A lighthouse,", 13, "A lighthouse, golden hour"),
        ("A lighthouse.", 13, "A lighthouse. golden hour"),
        ("A lighthouse at dusk", 12, "A lighthouse, golden hour, at dusk"),
        ("Scene one\n", 10, "Scene one\ngolden hour"),
        ("storm", 0, "golden hour, storm"),
    ],
)
def test_craft_inserts_at_the_cursor_with_sensible_commas(
    prompt: PromptEditor, text: str, cursor_at: int, expected: str
) -> None:
    prompt.set_text(text)
    cursor = prompt.editor().textCursor()
    cursor.setPosition(cursor_at)
    prompt.editor().setTextCursor(cursor)
    assert prompt.insert_term("golden hour")
    assert prompt.text() == expected


def test_craft_menu_has_the_documented_terms_and_inserts_as_one_undo_step(prompt: PromptEditor) -> None:
    menu = prompt.craft_menu()
    # The craft groups, then the library's part (tests/ui/prompts/test_craft_menu.py) after a separator.
    submenus = {action.text().replace("&", ""): action.menu() for action in menu.actions() if action.menu()}
    assert list(submenus) == ["Camera", "Lighting", "Mood", "Action", "Transitions", "Saved prompts"]
    terms = {title: [a.text() for a in sub.actions()] for title, sub in submenus.items()}
    assert {"slow dolly in", "orbiting shot", "aerial view", "handheld"} <= set(terms["Camera"])
    assert {"golden hour", "backlit silhouette"} <= set(terms["Lighting"])
    assert {"descend through clouds", "zoom from wide to close"} <= set(terms["Transitions"])
    prompt.set_text("A knight")
    move_to_end(prompt)
    next(a for a in submenus["Camera"].actions() if a.text() == "orbiting shot").trigger()
    assert prompt.text() == "A knight, orbiting shot"
    prompt.editor().undo()
    assert prompt.text() == "A knight"


def test_craft_insert_respects_the_limit(prompt: PromptEditor) -> None:
    prompt.set_text("a" * (MAX_PROMPT_CHARS - 3))
    move_to_end(prompt)
    assert not prompt.insert_term("epic")
    assert len(prompt.text()) == MAX_PROMPT_CHARS - 3
    assert "“epic” was not inserted" in prompt.notice()


def test_set_error_shows_the_message_and_a_red_frame(prompt: PromptEditor) -> None:
    prompt.set_text("typed text")
    prompt.set_error("Write a prompt: describe the video you want.")
    assert prompt.error() == "Write a prompt: describe the video you want."
    assert prompt.editor().property("invalid") is True
    assert prompt.text() == "typed text"
    prompt.set_error(None)
    assert prompt.error() == ""
    assert prompt.editor().property("invalid") is False
