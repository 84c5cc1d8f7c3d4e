"""The shortcut registry and its sheet: registered keys listed by group and searchable; F1 and ? open it from the
main window, and ? typed into the prompt stays in the prompt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.session import Session
from sora2_desktop.ui.common import shortcuts
from sora2_desktop.ui.common.shortcut_sheet import ShortcutSheet, key_text
from sora2_desktop.ui.common.shortcuts import GROUP_PLAYER, Shortcut, all_shortcuts, register
from sora2_desktop.ui.window.main_window import MainWindow
from tests.helpers.keychain import MemoryKeyring

STEP = Shortcut("Ctrl+Alt+Right", "Forward one zeppelin", GROUP_PLAYER)
ODD = Shortcut("Ctrl+Alt+9", "Do something rare", "Odd jobs")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The registry as it is, with whatever the test registers taken away afterwards."""
    monkeypatch.setattr(shortcuts, "_registry", list(shortcuts._registry))
    yield


def test_register_keeps_one_entry_per_shortcut_and_groups_in_the_sheets_order(registry: None) -> None:
    register(ODD, STEP)
    register(STEP)  # a module imported twice registers again
    listed = all_shortcuts()
    assert listed.count(STEP) == 1
    groups = [s.group for s in listed]
    assert groups.index(shortcuts.GROUP_GENERAL) < groups.index(GROUP_PLAYER) < groups.index("Odd jobs")
    assert groups == sorted(groups, key=groups.index)  # each group in one run


def test_the_sheet_lists_every_registered_key_by_group(qtbot: QtBot, registry: None) -> None:
    register(STEP, ODD)
    sheet = ShortcutSheet()
    qtbot.addWidget(sheet)
    rows = sheet.visible_rows()
    assert (key_text("Ctrl+Alt+Right"), "Forward one zeppelin") in rows
    assert (key_text("Ctrl+Return"), "Generate") in rows  # the window's own, registered by the module
    assert len(rows) == len(all_shortcuts())
    groups = [sheet.tree.topLevelItem(i).text(0) for i in range(sheet.tree.topLevelItemCount())]
    assert groups[0] == shortcuts.GROUP_GENERAL and "Odd jobs" in groups and GROUP_PLAYER in groups


def test_the_search_filters_by_action_key_or_group_and_says_when_nothing_matches(qtbot: QtBot, registry: None) -> None:
    register(STEP, ODD)
    sheet = ShortcutSheet()
    qtbot.addWidget(sheet)
    sheet.show()
    qtbot.keyClicks(sheet.search_edit, "zeppelin")
    assert sheet.visible_rows() == [(key_text("Ctrl+Alt+Right"), "Forward one zeppelin")]
    assert sheet.empty_state.isHidden()
    sheet.search_edit.setText("ctrl+alt+9")
    assert sheet.visible_rows() == [(key_text("Ctrl+Alt+9"), "Do something rare")]
    sheet.search_edit.setText("odd jobs")
    assert [action for _, action in sheet.visible_rows()] == ["Do something rare"]
    sheet.search_edit.setText("zebra crossing")
    assert sheet.visible_rows() == []
    assert sheet.empty_state.isVisible() and "zebra crossing" in sheet.empty_state.text()
    sheet.search_edit.clear()
    assert len(sheet.visible_rows()) == len(all_shortcuts()) and sheet.empty_state.isHidden()


def test_keys_are_shown_in_the_platforms_words_and_unreadable_ones_as_written(qapp: QApplication) -> None:
    assert key_text("F1, ?") == "F1, ?"
    assert key_text("Delete") == QKeySequence("Delete").toString(QKeySequence.SequenceFormat.NativeText)
    assert key_text("K+J") == "K+J"  # hold K, press J: no QKeySequence, still worth telling


# -- in the main window ----------------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, run_async: Any) -> Iterator[MainWindow]:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    session = Session(profile, AppSettings(profile), SecretStore())
    made = MainWindow(session)
    qtbot.addWidget(made)
    made.show()
    made.activateWindow()
    qtbot.waitExposed(made)
    yield made
    if made.shortcut_sheet.sheet is not None:
        made.shortcut_sheet.sheet.close()
    made.close()
    run_async(session.aclose())


def sheet_shown(window: MainWindow) -> bool:
    return window.shortcut_sheet.sheet is not None and window.shortcut_sheet.sheet.isVisible()


def test_f1_opens_the_sheet_from_anywhere_in_the_window(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.form.prompt_editor.editor()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: sheet_shown(window))
    assert window.shortcut_sheet.action.text().replace("&", "") == "Keyboard shortcuts"
    assert window.shortcut_sheet.action.shortcut() == QKeySequence("F1")  # shown beside it in the Help menu


def test_a_question_mark_typed_in_the_prompt_stays_in_the_prompt(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.form.prompt_editor.editor()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "Why?")
    qtbot.keyClick(editor, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)  # as a US keyboard sends it
    assert editor.toPlainText() == "Why??"
    assert not sheet_shown(window)


def test_a_question_mark_where_it_types_nothing_opens_the_sheet(qtbot: QtBot, window: MainWindow) -> None:
    table = window.task_list.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)  # a US keyboard
    qtbot.waitUntil(lambda: sheet_shown(window))
    first = window.shortcut_sheet.sheet
    assert first is not None
    first.close()
    qtbot.waitUntil(lambda: window.shortcut_sheet.sheet is None)
    table.activateWindow()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Question)  # a layout with ? on its own key
    qtbot.waitUntil(lambda: sheet_shown(window))
    again = window.shortcut_sheet.sheet
    window.shortcut_sheet.open()  # asked again while open: the same sheet comes forward
    assert window.shortcut_sheet.sheet is again


def test_every_key_of_the_windows_actions_is_on_the_sheet(window: MainWindow) -> None:
    """A key added to a menu without registering it would be a key nobody finds."""
    listed = {
        QKeySequence(alternative).toString(QKeySequence.SequenceFormat.PortableText)
        for shortcut in all_shortcuts()
        for alternative in shortcut.keys.split(", ")
    }
    missing = []
    for action in window.findChildren(type(window.shortcut_sheet.action)):
        for key in action.shortcuts():
            portable = key.toString(QKeySequence.SequenceFormat.PortableText)
            if portable not in listed:
                missing.append(f"{action.text()!r}: {portable}")
    assert missing == []
