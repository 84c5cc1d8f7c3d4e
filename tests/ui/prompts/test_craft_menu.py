"""The prompt craft menu is built from the library: its groups are the built-in entries, its saved prompts the
person's, and it opens the library (Ctrl+Shift+L) and saves to it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from sora2_desktop.core.prompts.library import PromptLibrary
from sora2_desktop.ui.common.shortcuts import all_shortcuts
from sora2_desktop.ui.compose.prompt_editor import PromptEditor


def submenu(editor: PromptEditor, title: str) -> QMenu:
    for action in editor.craft_menu().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()  # type: ignore[return-value]
    raise AssertionError(f"no submenu {title}")


def test_the_groups_are_the_librarys_built_ins(editor: PromptEditor, library: PromptLibrary) -> None:
    in_menu = []
    for group in ("Camera", "Lighting", "Mood", "Action", "Transitions"):
        in_menu += [action.text() for action in submenu(editor, group).actions()]
    assert in_menu == [entry.title for entry in library.builtins()]


def test_saved_prompts_follow_the_library_and_insert_from_the_menu(
    editor: PromptEditor, library: PromptLibrary
) -> None:
    saved = submenu(editor, "Saved prompts")
    assert [a.isEnabled() for a in saved.actions()] == [False]  # "None yet" says how to add one
    library.add("rain & thunder", "Storm & rain")
    library.add("neon city", "Neon")
    assert [a.text() for a in saved.actions()] == ["Neon", "Storm && rain"]  # newest first; "&" is no mnemonic
    editor.set_text("A street")
    editor.editor().moveCursor(QTextCursor.MoveOperation.End)
    saved.actions()[1].trigger()
    assert editor.text() == "A street, rain & thunder"
    assert [a.text() for a in saved.actions()] == ["Storm && rain", "Neon"]  # used: first now


def test_without_a_library_the_craft_terms_still_work(qtbot: QtBot) -> None:
    prompt = PromptEditor()
    qtbot.addWidget(prompt)
    assert not prompt.library_action.isEnabled() and not prompt.save_action.isEnabled()
    assert not submenu(prompt, "Saved prompts").isEnabled()
    prompt.set_text("A knight")
    prompt.editor().moveCursor(QTextCursor.MoveOperation.End)
    next(a for a in submenu(prompt, "Camera").actions() if a.text() == "orbiting shot").trigger()
    assert prompt.text() == "A knight, orbiting shot"


def test_ctrl_shift_l_opens_the_library_from_the_prompt(qtbot: QtBot, editor: PromptEditor) -> None:
    assert editor.library_action in editor.craft_menu().actions()
    editor.activateWindow()
    editor.focus_editor()
    qtbot.waitUntil(lambda: editor.editor().hasFocus())
    qtbot.keyClick(
        editor.editor(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    panel = editor.library_panel()
    assert panel is not None and panel.isVisible()
    qtbot.waitUntil(lambda: panel.search_field.hasFocus())
    qtbot.keyClick(panel.search_field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.library_panel() is None)  # closed and deleted; the next opens a new one
    assert any(s.keys == "Ctrl+Shift+L" for s in all_shortcuts())
