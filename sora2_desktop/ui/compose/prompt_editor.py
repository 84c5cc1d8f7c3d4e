"""PromptEditor: the prompt field, held to the chosen model's character limit, with a prompt-craft menu.

The limit itself is LimitedTextEdit's (limited_text_edit.py); the craft terms and the library are CraftMenu's
(craft_menu.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QTextCursor
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

from sora2_desktop.core.prompts.library import PromptLibrary
from sora2_desktop.ui.common.field_errors import ErrorLabel, mark_invalid
from sora2_desktop.ui.compose.craft_menu import CraftMenu
from sora2_desktop.ui.compose.limited_text_edit import (
    LimitedTextEdit,
    grouped,
    insert_as_one_step,
    py_index,
    utf16_len,
)
from sora2_desktop.ui.prompts.entry_dialog import EntryDialog
from sora2_desktop.ui.prompts.library_panel import LibraryPanel


class PromptEditor(QWidget):
    """The prompt: a multi-line editor with a live character count, the limit enforced, and prompt craft."""

    text_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, limit: int = 10_000, model_title: str = "") -> None:
        super().__init__(parent)
        self._editor = LimitedTextEdit(limit, self)
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
        self._craft = CraftMenu(self, self)
        self.library_action: QAction = self._craft.library_action
        self.save_action: QAction = self._craft.save_action
        self._craft_menu = self._craft.menu
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
        self._craft.set_library(library)

    def library_panel(self) -> LibraryPanel | None:
        """The open library panel, if any."""
        return self._craft.library_panel()

    def open_library(self) -> None:
        """Show the library panel (one at a time), to insert at the cursor as it is now."""
        self._craft.open_library()

    def save_to_library(self) -> None:
        """Ask a title and tags for the selected passage (or the whole prompt) and save it to the library."""
        self._craft.save_to_library()

    def save_dialog(self) -> EntryDialog | None:
        """The save dialog while it is open."""
        return self._craft.save_dialog()

    def show_notice(self, message: str) -> None:
        """A one-line notice under the prompt; it goes away with the next accepted edit."""
        self._notice.show_message(message)

    def insert_term(self, term: str, label: str | None = None) -> bool:
        """Insert `term` at the cursor with the commas and spaces what is around it needs (one undo step).
        `label` names it in the refusal message (a saved prompt's title rather than its whole text)."""
        cursor = self._editor.textCursor()
        text = self.text()
        start, end = py_index(text, cursor.selectionStart()), py_index(text, cursor.selectionEnd())
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
        cursor.setPosition(utf16_len(head))
        cursor.setPosition(utf16_len(text[:end]), QTextCursor.MoveMode.KeepAnchor)
        insert_as_one_step(cursor, inserted)
        self._editor.setTextCursor(cursor)
        return True

    # -- internals ----------------------------------------------------------------------------------------

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
