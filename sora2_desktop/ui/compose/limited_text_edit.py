"""LimitedTextEdit: a plain-text field that refuses, rather than cuts, an edit past its character limit; and the
helpers that count as the document does (UTF-16 units) and as Python does (code points)."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QLocale, QMimeData, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def grouped(number: int) -> str:
    """`number` with the locale's digit grouping, also in the C locale (which leaves it out by default)."""
    locale = QLocale()
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(number)


def inserts_text(text: str) -> bool:
    # Control characters come with shortcuts (Ctrl+V is "\x16"); Return and Enter insert one line break.
    return bool(text) and all(ch in "\r\n" or unicodedata.category(ch)[0] != "C" for ch in text)


def utf16_len(text: str) -> int:
    # Document positions count UTF-16 units; Python counts code points (they differ for emoji).
    return len(text.encode("utf-16-le")) // 2


def insert_as_one_step(cursor: QTextCursor, text: str) -> None:
    # An explicit edit block is its own undo step; a bare insert would merge with adjacent typing.
    cursor.beginEditBlock()
    cursor.insertText(text)
    cursor.endEditBlock()


def py_index(text: str, utf16_position: int) -> int:
    return len(text.encode("utf-16-le")[: utf16_position * 2].decode("utf-16-le", errors="ignore"))


class LimitedTextEdit(QPlainTextEdit):
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
        if not self.isReadOnly() and inserts_text(event.text()) and not self.fits(event.text()):
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
            insert_as_one_step(cursor, text)
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
        cursor.setPosition(utf16_len(current[:start]))
        cursor.setPosition(utf16_len(current[: len(current) - tail]), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(wanted[start : len(wanted) - tail])
