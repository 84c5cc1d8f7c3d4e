"""PromptEditor: the prompt field, held to the chosen model's character limit, with a prompt-craft menu."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QLocale, QMimeData, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.prompts.craft_terms import builtin_entries, group_menu_title
from sora2_desktop.core.prompts.entry import PromptEntry
from sora2_desktop.core.prompts.library import PromptLibrary
from sora2_desktop.ui.common.field_errors import ErrorLabel, mark_invalid
from sora2_desktop.ui.common.shortcuts import GROUP_COMPOSE, Shortcut, register
from sora2_desktop.ui.prompts.entry_dialog import EntryDialog
from sora2_desktop.ui.prompts.library_panel import LibraryPanel

# The craft menu's terms are the prompt library's built-in entries (core/prompts/craft_terms.py): one place.
LIBRARY_KEYS = "Ctrl+Shift+L"
register(Shortcut(LIBRARY_KEYS, "Prompt library: search and insert saved prompts", GROUP_COMPOSE))
SAVED_IN_MENU = 12  # the craft menu lists this many saved prompts (the most recently used); the panel lists all


def grouped(number: int) -> str:
    """`number` with the locale's digit grouping, also in the C locale (which leaves it out by default)."""
    locale = QLocale()
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(number)


def _inserts_text(text: str) -> bool:
    # Control characters come with shortcuts (Ctrl+V is "\x16"); Return and Enter insert one line break.
    return bool(text) and all(ch in "\r\n" or unicodedata.category(ch)[0] != "C" for ch in text)


def _utf16_len(text: str) -> int:
    # Document positions count UTF-16 units; Python counts code points (they differ for emoji).
    return len(text.encode("utf-16-le")) // 2


def _insert_as_one_step(cursor: QTextCursor, text: str) -> None:
    # An explicit edit block is its own undo step; a bare insert would merge with adjacent typing.
    cursor.beginEditBlock()
    cursor.insertText(text)
    cursor.endEditBlock()


def _py_index(text: str, utf16_position: int) -> int:
    return len(text.encode("utf-16-le")[: utf16_position * 2].decode("utf-16-le", errors="ignore"))


class _LimitedTextEdit(QPlainTextEdit):
    """A QPlainTextEdit that refuses, rather than truncates, any edit going past `limit` characters."""

    refused = Signal(str)  # what was refused, in words for the person
    accepted_change = Signal()

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._limit = limit
        self._loading_long = False  # set while a longer text is loaded on purpose (a draft, another model's)
        self._accepted = ""  # the text after the last accepted change: what an over-limit change is undone to
        self._reverting = False
        self.document().contentsChange.connect(self._guard)

    def fits(self, inserted: str) -> bool:
        """Whether replacing the current selection with `inserted` keeps the text within the limit."""
        selected = len(self.textCursor().selectedText())
        return len(self._accepted) - selected + len(inserted) <= self._limit

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.isReadOnly() and _inserts_text(event.text()) and not self.fits(event.text()):
            event.accept()
            self.refused.emit(
                self.tr("The prompt can hold at most {0} characters; it is full.").format(grouped(self._limit))
            )
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        # Paste and drop both come here; a plain-text edit only ever inserts the text part.
        if source.hasText():
            text = source.text().replace("\r\n", "\n")  # Qt turns CRLF into one line break
            if not self.fits(text):
                self.refused.emit(
                    self.tr(
                        "The prompt can hold at most {0} characters; the paste of {1} characters was not inserted."
                    ).format(grouped(self._limit), grouped(len(text)))
                )
                return
        super().insertFromMimeData(source)

    def _guard(self, _position: int, _removed: int, _added: int) -> None:
        """Last line of defence (input methods, programmatic cursors): undo any change that overshoots.

        contentsChange comes after Qt closed the edit, so changing the document here is safe; Qt reports
        no nested contentsChange for it, and `_reverting` guards anyway."""
        if self._reverting:
            return
        text = self.toPlainText()
        # A prompt already over the limit (the model changed under it) may still be shortened, step by step.
        if len(text) <= self._limit or self._loading_long or len(text) <= len(self._accepted):
            self._accepted = text
            self.accepted_change.emit()
            return
        self._revert(text)
        self.refused.emit(
            self.tr("The prompt can hold at most {0} characters; the change of {1} characters was not applied.").format(
                grouped(self._limit), grouped(len(text) - len(self._accepted))
            )
        )

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        """Another model's limit; a text already longer stays (the person shortens it, nothing is cut)."""
        self._limit = limit

    def load_long(self, cursor: QTextCursor, text: str) -> None:
        """Insert `text` at `cursor` even past the limit: the person's own text is never dropped on loading."""
        self._loading_long = True
        try:
            _insert_as_one_step(cursor, text)
        finally:
            self._loading_long = False

    def _revert(self, current: str) -> None:
        document = self.document()
        self._reverting = True
        try:
            # Undo takes the offending step off the history; Qt may have merged it with earlier typing, so
            # whatever the undo took too much is then typed back as a step of its own.
            if document.isUndoAvailable():
                document.undo()
            current = self.toPlainText()
            if current != self._accepted:
                self._replace_difference(current, self._accepted)
            # Never offer the refused change again through Redo.
            document.clearUndoRedoStacks(QTextDocument.Stacks.RedoStack)
        finally:
            self._reverting = False

    def _replace_difference(self, current: str, wanted: str) -> None:
        start = 0
        while start < min(len(wanted), len(current)) and wanted[start] == current[start]:
            start += 1
        tail = 0
        while tail < min(len(wanted), len(current)) - start and wanted[-1 - tail] == current[-1 - tail]:
            tail += 1
        cursor = QTextCursor(self.document())
        cursor.setPosition(_utf16_len(current[:start]))
        cursor.setPosition(_utf16_len(current[: len(current) - tail]), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(wanted[start : len(wanted) - tail])


class PromptEditor(QWidget):
    """The prompt: a multi-line editor with a live character count, the limit enforced, and prompt craft."""

    text_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, limit: int = 10_000, model_title: str = "") -> None:
        super().__init__(parent)
        self._editor = _LimitedTextEdit(limit, self)
        self._model_title = model_title
        self._editor.setTabChangesFocus(True)  # keyboard users leave with Tab; a prompt needs no tabs
        self._editor.setAccessibleName(self.tr("Prompt"))
        self._editor.setPlaceholderText(
            self.tr(
                "Describe the video: subject, setting, action, camera, light and mood.\n"
                "For example: A lighthouse on a rocky cliff at golden hour, waves crash below, "
                "slow dolly in, epic and warm."
            )
        )
        self._editor.setMinimumHeight(self._editor.fontMetrics().lineSpacing() * 5)
        self._editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        label = QLabel(self.tr("&Prompt"), self)
        label.setBuddy(self._editor)
        self._library: PromptLibrary | None = None  # set_library(); until then the menu has the craft terms only
        self._panel: LibraryPanel | None = None
        self._save_dialog: EntryDialog | None = None
        self.library_action = QAction(self.tr("Prompt &library…"), self)
        self.library_action.setShortcut(QKeySequence(LIBRARY_KEYS))
        self.library_action.triggered.connect(self.open_library)
        self.save_action = QAction(self.tr("&Save prompt to library…"), self)
        self.save_action.setToolTip(self.tr("Save the prompt, or the passage selected in it, to the library"))
        self.save_action.triggered.connect(self.save_to_library)
        for action in (self.library_action, self.save_action):
            action.setEnabled(False)
            self.addAction(action)  # the shortcut works in the editor even where no menu bar shows the menu
        self._craft_menu = self._build_craft_menu()
        craft_button = QToolButton(self)
        craft_button.setText(self.tr("Prompt &craft"))
        craft_button.setMenu(self._craft_menu)
        craft_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        craft_button.setToolTip(
            self.tr("Insert camera, lighting, mood, action or transition terms, or a saved prompt, at the cursor")
        )

        self._counter = QLabel(self)
        self._counter.setAccessibleName(self.tr("Prompt length"))
        self._counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._notice = ErrorLabel(self)  # a refused paste or keystroke; goes away with the next accepted edit
        self._error = ErrorLabel(self)  # a validation error set by the form

        header = QHBoxLayout()
        header.addWidget(label)
        header.addStretch(1)
        header.addWidget(craft_button)
        messages = QVBoxLayout()
        messages.setSpacing(2)
        messages.addWidget(self._error)
        messages.addWidget(self._notice)
        footer = QHBoxLayout()
        footer.addLayout(messages, 1)
        footer.addWidget(self._counter, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self._editor, 1)
        layout.addLayout(footer)
        self.setFocusProxy(self._editor)

        self._editor.accepted_change.connect(self._on_accepted_change)
        self._editor.refused.connect(self._notice.show_message)
        self._update_counter()

    # -- public API ---------------------------------------------------------------------------------------

    def text(self) -> str:
        return self._editor.toPlainText()

    def set_text(self, text: str, *, keep_long: bool = False) -> bool:
        """Replace the whole prompt as one undoable step; refused (False, message shown) if over the limit,
        unless `keep_long` (a saved draft: loaded whole, and the person is told to shorten it)."""
        cursor = self._editor.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        if len(text) > self.limit() and not keep_long:
            self._notice.show_message(
                self.tr(
                    "The prompt can hold at most {0} characters; the text of {1} characters was not loaded."
                ).format(grouped(self.limit()), grouped(len(text)))
            )
            return False
        self._editor.load_long(cursor, text)
        self._editor.setTextCursor(cursor)
        self._warn_if_long()
        return True

    def limit(self) -> int:
        return self._editor.limit

    def set_limit(self, limit: int, model_title: str) -> None:
        """The chosen model's limit; a prompt already longer is kept whole, with a note to shorten it."""
        self._editor.set_limit(limit)
        self._model_title = model_title
        self._update_counter()
        self._warn_if_long()

    def set_error(self, message: str | None) -> None:
        self._error.show_message(message)
        mark_invalid(self._editor, bool(message))
        # Screen readers read the description when the field takes focus: the error travels with it.
        self._editor.setAccessibleDescription(message or "")

    def error(self) -> str:
        return self._error.text()

    def notice(self) -> str:
        """The last refusal message, or "" once an edit was accepted since."""
        return self._notice.text() if not self._notice.isHidden() else ""

    def focus_editor(self) -> None:
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def craft_menu(self) -> QMenu:
        return self._craft_menu

    def editor(self) -> QPlainTextEdit:
        return self._editor

    def selected_text(self) -> str:
        """The passage selected in the prompt, with its line breaks ("" when nothing is selected)."""
        return self._editor.textCursor().selection().toPlainText()

    def set_library(self, library: PromptLibrary) -> None:
        """The prompt library (Session.prompts): its craft terms, its saved prompts and the library panel."""
        self._library = library
        library.changed.connect(self._fill_saved_menu)
        self.library_action.setEnabled(True)
        self.save_action.setEnabled(True)
        self._fill_saved_menu()

    def library_panel(self) -> LibraryPanel | None:
        """The open library panel, if any."""
        return self._panel

    def open_library(self) -> None:
        """Show the library panel (one at a time), to insert at the cursor as it is now."""
        if self._library is None:
            return
        if self._panel is None:
            self._panel = LibraryPanel(self._library, self, self.window())
            self._panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._panel.destroyed.connect(self._panel_closed)
        self._panel.open()
        self._panel.raise_()
        self._panel.activateWindow()

    def save_to_library(self) -> None:
        """Ask a title and tags for the selected passage (or the whole prompt) and save it to the library."""
        text = self.selected_text() or self.text()
        if self._library is None:
            return
        if not text.strip():
            self._notice.show_message(self.tr("Nothing to save yet: write a prompt, or select a passage of it."))
            return
        library = self._library
        known = [library.tag_title(tag) for tag in library.tags()]
        dialog = EntryDialog(self.tr("Save to the prompt library"), text, known_tags=known, parent=self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: library.add(dialog.text(), dialog.title(), dialog.tags()))
        dialog.finished.connect(self._save_dialog_closed)
        self._save_dialog = dialog
        dialog.open()

    def save_dialog(self) -> EntryDialog | None:
        """The save dialog while it is open."""
        return self._save_dialog

    def insert_term(self, term: str, label: str | None = None) -> bool:
        """Insert `term` at the cursor with the commas and spaces what is around it needs (one undo step).
        `label` names it in the refusal message (a saved prompt's title rather than its whole text)."""
        cursor = self._editor.textCursor()
        text = self.text()
        start, end = _py_index(text, cursor.selectionStart()), _py_index(text, cursor.selectionEnd())
        before, after = text[:start], text[end:]
        head = before.rstrip(" \t")  # blanks before the cursor go: "a dog |" gives "a dog, golden hour"
        if not head or head[-1] in "\n(":
            prefix = ""
        elif head[-1] in ",;:.!?":
            prefix = " "
        else:
            prefix = ", "
        suffix = ", " if after[:1].isalnum() else "," if after[:1] == " " and after[1:2].isalnum() else ""
        inserted = prefix + term + suffix
        if len(head) + len(inserted) + len(after) > self.limit():
            self._notice.show_message(
                self.tr("The prompt can hold at most {0} characters; “{1}” was not inserted.").format(
                    grouped(self.limit()), label or term
                )
            )
            return False
        cursor.setPosition(_utf16_len(head))
        cursor.setPosition(_utf16_len(text[:end]), QTextCursor.MoveMode.KeepAnchor)
        _insert_as_one_step(cursor, inserted)
        self._editor.setTextCursor(cursor)
        return True

    # -- internals ----------------------------------------------------------------------------------------

    def _build_craft_menu(self) -> QMenu:
        menu = QMenu(self.tr("Prompt &craft"), self)
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
        if self.insert_term(entry.text, entry.title) and self._library is not None:
            self._library.mark_used(entry.id)
        self.focus_editor()

    def _panel_closed(self) -> None:
        self._panel = None

    def _save_dialog_closed(self) -> None:
        self._save_dialog = None
        self.focus_editor()

    def _on_accepted_change(self) -> None:
        self._notice.show_message(None)
        self._update_counter()
        self.text_changed.emit(self._editor.toPlainText())

    def _warn_if_long(self) -> None:
        count = len(self.text())
        if count > self.limit():
            self._notice.show_message(
                self.tr("The prompt is {0} characters; {1} takes at most {2}: shorten it before you generate.").format(
                    grouped(count), self._model_title or self.tr("the model"), grouped(self.limit())
                )
            )

    def _update_counter(self) -> None:
        count = len(self._editor.toPlainText())
        limit = self.limit()
        self._counter.setText(self.tr("{0} / {1}").format(grouped(count), grouped(limit)))
        if count <= limit:
            self._counter.setToolTip(self.tr("{0} characters left").format(grouped(limit - count)))
        else:
            self._counter.setToolTip(self.tr("{0} characters too many").format(grouped(count - limit)))
