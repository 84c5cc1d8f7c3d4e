"""CraftMenu: the prompt editor's one place for ready-made words — the craft terms, the saved prompts, and the
library's actions (open the panel, save the prompt or a passage of it)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from sora2_desktop.core.prompts.craft_terms import builtin_entries, group_menu_title
from sora2_desktop.core.prompts.entry import PromptEntry
from sora2_desktop.core.prompts.library import PromptLibrary
from sora2_desktop.ui.common.shortcuts import GROUP_COMPOSE, Shortcut, register
from sora2_desktop.ui.prompts.entry_dialog import EntryDialog
from sora2_desktop.ui.prompts.library_panel import LibraryPanel, PromptTarget

# The craft menu's terms are the prompt library's built-in entries (core/prompts/craft_terms.py): one place.
LIBRARY_KEYS = "Ctrl+Shift+L"
register(Shortcut(LIBRARY_KEYS, "Prompt library: search and insert saved prompts", GROUP_COMPOSE))
SAVED_IN_MENU = 12  # the craft menu lists this many saved prompts (the most recently used); the panel lists all


class CraftTarget(PromptTarget, Protocol):
    """What the menu needs of the prompt editor beyond the panel's needs: a place for a one-line notice."""

    def show_notice(self, message: str) -> None: ...


class CraftMenu(QObject):
    """Owned by the prompt editor (`editor`, the widget the actions live on, `target`, what they act on)."""

    def __init__(self, editor: QWidget, target: CraftTarget) -> None:
        super().__init__(editor)
        self._editor = editor
        self._target = target
        self._library: PromptLibrary | None = None  # set_library(); until then the menu has the craft terms only
        self._panel: LibraryPanel | None = None
        self._save_dialog: EntryDialog | None = None
        self.library_action = QAction(self.tr("Prompt &library…"), editor)
        self.library_action.setShortcut(QKeySequence(LIBRARY_KEYS))
        self.library_action.triggered.connect(self.open_library)
        self.save_action = QAction(self.tr("&Save prompt to library…"), editor)
        self.save_action.setToolTip(self.tr("Save the prompt, or the passage selected in it, to the library"))
        self.save_action.triggered.connect(self.save_to_library)
        for action in (self.library_action, self.save_action):
            action.setEnabled(False)
            editor.addAction(action)  # the shortcut works in the editor even where no menu bar shows the menu
        self.menu = self._build()

    def set_library(self, library: PromptLibrary) -> None:
        self._library = library
        library.changed.connect(self._fill_saved_menu)
        self.library_action.setEnabled(True)
        self.save_action.setEnabled(True)
        self._fill_saved_menu()

    def library_panel(self) -> LibraryPanel | None:
        return self._panel

    def save_dialog(self) -> EntryDialog | None:
        return self._save_dialog

    def open_library(self) -> None:
        """Show the library panel (one at a time), to insert at the cursor as it is now."""
        if self._library is None:
            return
        if self._panel is None:
            self._panel = LibraryPanel(self._library, self._target, self._editor.window())
            self._panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._panel.destroyed.connect(self._panel_closed)
        self._panel.open()
        self._panel.raise_()
        self._panel.activateWindow()

    def save_to_library(self) -> None:
        """Ask a title and tags for the selected passage (or the whole prompt) and save it to the library."""
        text = self._target.selected_text() or self._target.text()
        if self._library is None:
            return
        if not text.strip():
            self._target.show_notice(self.tr("Nothing to save yet: write a prompt, or select a passage of it."))
            return
        library = self._library
        known = [library.tag_title(tag) for tag in library.tags()]
        window = self._editor.window()
        dialog = EntryDialog(self.tr("Save to the prompt library"), text, known_tags=known, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: library.add(dialog.text(), dialog.title(), dialog.tags()))
        dialog.finished.connect(self._save_dialog_closed)
        self._save_dialog = dialog
        dialog.open()

    # -- internals ----------------------------------------------------------------------------------------

    def _build(self) -> QMenu:
        menu = QMenu(self.tr("Prompt &craft"), self._editor)
        groups: dict[str, QMenu] = {}
        for entry in builtin_entries():
            group = entry.tags[0]
            if group not in groups:
                groups[group] = menu.addMenu(group_menu_title(group) or group)
            self._add_entry_action(groups[group], entry)
        menu.addSeparator()
        self._saved_menu = menu.addMenu(self.tr("&Saved prompts"))
        self._saved_menu.setEnabled(False)  # until set_library()
        menu.addActions([self.save_action, self.library_action])
        return menu

    def _add_entry_action(self, menu: QMenu, entry: PromptEntry) -> None:
        action = menu.addAction(entry.title.replace("&", "&&"))  # a title's "&" is a character, not a mnemonic
        if not entry.builtin:
            action.setToolTip(entry.text)
        action.triggered.connect(lambda _checked=False, e=entry: self._on_entry(e))

    def _fill_saved_menu(self) -> None:
        for old in self._saved_menu.actions():
            # Later, not at once: the action may be the one whose trigger is being handled (mark_used → changed).
            self._saved_menu.removeAction(old)
            old.deleteLater()
        saved = self._library.saved()[:SAVED_IN_MENU] if self._library is not None else []
        for entry in saved:
            self._add_entry_action(self._saved_menu, entry)
        if not saved:
            self._saved_menu.addAction(self.tr("None yet: save a prompt with “Save prompt to library…”")).setEnabled(
                False
            )
        self._saved_menu.setToolTipsVisible(True)
        self._saved_menu.setEnabled(self._library is not None)

    def _on_entry(self, entry: PromptEntry) -> None:
        if self._target.insert_term(entry.text, entry.title) and self._library is not None:
            self._library.mark_used(entry.id)
        self._target.focus_editor()

    def _panel_closed(self) -> None:
        self._panel = None

    def _save_dialog_closed(self) -> None:
        self._save_dialog = None
        self._target.focus_editor()
