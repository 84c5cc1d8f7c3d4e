"""LibraryPanel: insert at the prompt's cursor (within the limit), save the selection, search and tags, edit,
delete with undo — by keyboard as far as a test can drive it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from sora2_desktop.core.prompts.library import PromptLibrary
from sora2_desktop.ui.compose.prompt_editor import PromptEditor
from sora2_desktop.ui.prompts.library_panel import LibraryPanel


def open_panel(qtbot: QtBot, editor: PromptEditor) -> LibraryPanel:
    editor.open_library()
    panel = editor.library_panel()
    assert panel is not None
    qtbot.waitExposed(panel)
    panel.activateWindow()  # as the window manager does: shortcuts and focus follow the active window
    qtbot.waitUntil(panel.isActiveWindow)
    return panel


def put_cursor(editor: PromptEditor, position: int, anchor: int | None = None) -> None:
    cursor = editor.editor().textCursor()
    cursor.setPosition(position if anchor is None else anchor)
    if anchor is not None:
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    editor.editor().setTextCursor(cursor)


def listed(panel: LibraryPanel) -> list[str]:
    return [panel.model.entry_at(row).title for row in range(panel.model.rowCount())]  # type: ignore[union-attr]


def test_enter_in_the_search_inserts_the_match_at_the_cursor_and_closes(
    qtbot: QtBot, editor: PromptEditor, library: PromptLibrary
) -> None:
    saved = library.add("waves crash below", "Waves", "coast")
    editor.set_text("A lighthouse on a cliff")
    put_cursor(editor, len("A lighthouse"))
    panel = open_panel(qtbot, editor)
    qtbot.keyClicks(panel.search_field, "crash")
    assert listed(panel) == ["Waves"]
    assert panel.preview.toPlainText() == "waves crash below"
    qtbot.keyClick(panel.search_field, Qt.Key.Key_Return)
    assert editor.text() == "A lighthouse, waves crash below, on a cliff"
    assert not panel.isVisible()
    used = library.entry(saved.id)
    assert used is not None and used.used is not None  # moves to the top of the saved prompts
    editor.editor().undo()
    assert editor.text() == "A lighthouse on a cliff"  # one undo step


def test_arrows_in_the_search_choose_in_the_list(qtbot: QtBot, editor: PromptEditor) -> None:
    editor.set_text("A knight")
    editor.editor().moveCursor(QTextCursor.MoveOperation.End)
    panel = open_panel(qtbot, editor)
    qtbot.keyClicks(panel.search_field, "hour")
    assert listed(panel) == ["golden hour", "blue hour"]
    assert panel.chosen().title == "golden hour"  # type: ignore[union-attr]
    qtbot.keyClick(panel.search_field, Qt.Key.Key_Down)
    assert panel.chosen().title == "blue hour"  # type: ignore[union-attr]
    assert panel.search_field.hasFocus()
    qtbot.keyClick(panel.search_field, Qt.Key.Key_Return)
    assert editor.text() == "A knight, blue hour"


def test_an_insert_past_the_limit_is_refused_with_the_editors_message(
    qtbot: QtBot, editor: PromptEditor, library: PromptLibrary
) -> None:
    entry = library.add("a long passage of forty characters, more", "Long one")
    editor.set_limit(30, "Test model")
    editor.set_text("x" * 20)
    panel = open_panel(qtbot, editor)
    assert panel.choose(entry.id)
    panel.insert_button.click()
    assert editor.text() == "x" * 20
    assert panel.isVisible()
    assert "“Long one” was not inserted" in panel.message.text()
    assert panel.message.text() == editor.notice()
    assert library.entry(entry.id).used is None  # type: ignore[union-attr]


def test_save_asks_title_and_tags_for_the_selected_passage(
    qtbot: QtBot, editor: PromptEditor, library: PromptLibrary
) -> None:
    editor.set_text("A fox in the snow, slow dolly in, golden hour")
    put_cursor(editor, len("A fox in the snow"), anchor=0)
    panel = open_panel(qtbot, editor)
    panel.save_button.click()
    dialog = panel.entry_dialog()
    assert dialog is not None
    assert dialog.text() == "A fox in the snow"
    dialog.set_values(title="Fox", tags="winter, animals")
    dialog.accept()
    saved = library.saved()
    assert [(e.title, e.text, e.tags) for e in saved] == [("Fox", "A fox in the snow", ("winter", "animals"))]
    assert panel.chosen() == saved[0]  # shown and chosen in the list
    assert panel.tag_combo.findData("winter") > 0  # the new tags are offered


def test_save_without_a_selection_saves_the_whole_prompt_and_a_blank_title_is_made(
    qtbot: QtBot, editor: PromptEditor, library: PromptLibrary
) -> None:
    editor.set_text("Rain on a tin roof")
    editor.save_action.trigger()  # from the craft menu, without the panel
    dialog = editor.save_dialog()
    assert dialog is not None
    dialog.accept()
    assert [(e.title, e.text) for e in library.saved()] == [("Rain on a tin roof", "Rain on a tin roof")]
    assert editor.save_dialog() is None


def test_nothing_to_save_says_so(editor: PromptEditor, library: PromptLibrary) -> None:
    editor.save_action.trigger()
    assert editor.save_dialog() is None
    assert "Nothing to save" in editor.notice()
    assert library.saved() == []


def test_the_tag_combo_filters_and_lists_craft_groups_by_name(
    qtbot: QtBot, editor: PromptEditor, library: PromptLibrary
) -> None:
    library.add("neon rain", "Neon rain", "night")
    panel = open_panel(qtbot, editor)
    names = [panel.tag_combo.itemText(i) for i in range(panel.tag_combo.count())]
    assert names == ["All tags", "Camera", "Lighting", "Mood", "Action", "Transitions", "night"]
    panel.tag_combo.setCurrentIndex(panel.tag_combo.findData("night"))
    assert listed(panel) == ["Neon rain"]
    panel.tag_combo.setCurrentIndex(panel.tag_combo.findData("mood"))
    assert "epic" in listed(panel) and "Neon rain" not in listed(panel)
    qtbot.keyClicks(panel.search_field, "nothing like this")
    assert listed(panel) == []
    assert panel.empty_note.isVisible()
    assert not panel.insert_button.isEnabled()


def test_delete_then_undo_brings_the_entry_back(qtbot: QtBot, editor: PromptEditor, library: PromptLibrary) -> None:
    first = library.add("first text", "First")
    second = library.add("second text", "Second")
    panel = open_panel(qtbot, editor)
    assert panel.choose(second.id)
    panel.list_view.setFocus()
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Delete)
    assert library.entry(second.id) is None
    assert "Second" not in listed(panel)
    assert panel.chosen() == first  # the next row is chosen
    assert panel.undo_bar.isVisible()
    assert "“Second” was deleted" in panel.undo_bar.label.text()
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert library.entry(second.id) == second
    assert panel.chosen() == second
    assert not panel.undo_bar.isVisible()
    assert [e.title for e in PromptLibrary(library.path).saved()] == ["Second", "First"]  # on disk too


def test_built_ins_cannot_be_edited_or_deleted(qtbot: QtBot, editor: PromptEditor, library: PromptLibrary) -> None:
    panel = open_panel(qtbot, editor)
    qtbot.keyClicks(panel.search_field, "rack focus")
    assert panel.chosen().builtin  # type: ignore[union-attr]
    assert not panel.edit_button.isEnabled() and not panel.delete_button.isEnabled()
    assert panel.details.text() == "Built-in prompt craft · Transitions"
    panel.list_view.setFocus()
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Delete)
    assert listed(panel) == ["rack focus"]
    assert not panel.undo_bar.isVisible()


def test_f2_edits_the_chosen_entry(qtbot: QtBot, editor: PromptEditor, library: PromptLibrary) -> None:
    entry = library.add("old text", "Old", "a")
    panel = open_panel(qtbot, editor)
    assert panel.choose(entry.id)
    panel.list_view.setFocus()
    qtbot.keyClick(panel.list_view, Qt.Key.Key_F2)
    dialog = panel.entry_dialog()
    assert dialog is not None
    assert (dialog.title(), dialog.text(), dialog.tags()) == ("Old", "old text", ("a",))
    dialog.set_values(title="New", text="new text", tags="b")
    dialog.accept()
    assert [(e.title, e.text, e.tags) for e in library.saved()] == [("New", "new text", ("b",))]
    assert panel.preview.toPlainText() == "new text"


def test_a_library_file_set_aside_is_told(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "prompt_library.json").write_text("{broken", encoding="utf-8")
    prompt = PromptEditor()
    qtbot.addWidget(prompt)
    prompt.set_library(PromptLibrary.in_folder(tmp_path))
    prompt.show()
    panel = open_panel(qtbot, prompt)
    assert "could not be read; it was kept as prompt_library.json.unreadable-" in panel.message.text()
