"""PromptEditor: the prompt field, held to the chosen model's character limit, with a prompt-craft menu."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QMimeData, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
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

from sora2_desktop.ui.common.field_errors import ErrorLabel, mark_invalid

# The vocabulary the service documents (API.md, "Prompt craft") plus a few terms in the same spirit.
# (QT_TRANSLATE_NOOP marks them for lupdate; it is typed as returning object, hence the annotation.)
CRAFT_TERMS: tuple[tuple[object, tuple[object, ...]], ...] = (
    (QT_TRANSLATE_NOOP("PromptCraft", "&Camera"), (
        QT_TRANSLATE_NOOP("PromptCraft", "slow dolly in"), QT_TRANSLATE_NOOP("PromptCraft", "orbiting shot"),
        QT_TRANSLATE_NOOP("PromptCraft", "aerial view"), QT_TRANSLATE_NOOP("PromptCraft", "handheld"),
        QT_TRANSLATE_NOOP("PromptCraft", "tracking shot"), QT_TRANSLATE_NOOP("PromptCraft", "low angle"),
        QT_TRANSLATE_NOOP("PromptCraft", "extreme close-up"),
    )),
    (QT_TRANSLATE_NOOP("PromptCraft", "&Lighting"), (
        QT_TRANSLATE_NOOP("PromptCraft", "golden hour"),
        QT_TRANSLATE_NOOP("PromptCraft", "dramatic lighting"),
        QT_TRANSLATE_NOOP("PromptCraft", "soft diffused light"),
        QT_TRANSLATE_NOOP("PromptCraft", "backlit silhouette"),
        QT_TRANSLATE_NOOP("PromptCraft", "blue hour"), QT_TRANSLATE_NOOP("PromptCraft", "neon glow"),
    )),
    (QT_TRANSLATE_NOOP("PromptCraft", "&Mood"), (
        QT_TRANSLATE_NOOP("PromptCraft", "warm"), QT_TRANSLATE_NOOP("PromptCraft", "tense"),
        QT_TRANSLATE_NOOP("PromptCraft", "epic"), QT_TRANSLATE_NOOP("PromptCraft", "dreamlike"),
        QT_TRANSLATE_NOOP("PromptCraft", "melancholic"), QT_TRANSLATE_NOOP("PromptCraft", "playful"),
    )),
    (QT_TRANSLATE_NOOP("PromptCraft", "&Action"), (
        QT_TRANSLATE_NOOP("PromptCraft", "slowly turns"), QT_TRANSLATE_NOOP("PromptCraft", "flowing hair"),
        QT_TRANSLATE_NOOP("PromptCraft", "walks toward the camera"),
        QT_TRANSLATE_NOOP("PromptCraft", "leaves drift in the wind"),
    )),
    (QT_TRANSLATE_NOOP("PromptCraft", "&Transitions"), (
        QT_TRANSLATE_NOOP("PromptCraft", "zoom from wide to close"),
        QT_TRANSLATE_NOOP("PromptCraft", "descend through clouds"),
        QT_TRANSLATE_NOOP("PromptCraft", "pull back to reveal"),
        QT_TRANSLATE_NOOP("PromptCraft", "rack focus"),
    )),
)  # fmt: skip


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
        self._craft_menu = self._build_craft_menu()
        craft_button = QToolButton(self)
        craft_button.setText(self.tr("Prompt &craft"))
        craft_button.setMenu(self._craft_menu)
        craft_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        craft_button.setToolTip(self.tr("Insert camera, lighting, mood, action or transition terms at the cursor"))

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

    def insert_term(self, term: str) -> bool:
        """Insert `term` at the cursor with the commas and spaces what is around it needs (one undo step)."""
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
                    grouped(self.limit()), term
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
        for title, terms in CRAFT_TERMS:
            submenu = menu.addMenu(QCoreApplication.translate("PromptCraft", str(title)))
            for term in terms:
                text = QCoreApplication.translate("PromptCraft", str(term))
                action = submenu.addAction(text)
                action.triggered.connect(lambda _checked=False, t=text: self._on_craft(t))
        return menu

    def _on_craft(self, term: str) -> None:
        self.insert_term(term)
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
