"""EntryDialog: the small dialog that asks a title, tags and the text when a prompt is saved or edited."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from sora2_desktop.core.prompts.entry import parse_tags, title_from_text


class EntryDialog(QDialog):
    """Opened with `open()`; on `accepted`, read `title()`, `text()` and `tags()`. OK needs some text."""

    def __init__(
        self,
        heading: str,
        text: str,
        *,
        title: str = "",
        tags: tuple[str, ...] = (),
        known_tags: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(heading)
        self._title = QLineEdit(title, self)
        self._title.setPlaceholderText(title_from_text(text) or self.tr("A name to find it by"))
        self._title.setAccessibleName(self.tr("Title"))
        self._tags = QLineEdit(", ".join(tags), self)
        self._tags.setPlaceholderText(self.tr("Words to group it by, separated by commas: night, car chase"))
        self._tags.setAccessibleName(self.tr("Tags"))
        if known_tags:
            completer = QCompleter(known_tags, self._tags)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self._tags.setCompleter(completer)
        self._text = QPlainTextEdit(self)
        self._text.setPlainText(text)
        self._text.setTabChangesFocus(True)
        self._text.setAccessibleName(self.tr("Text"))
        self._text.setMinimumHeight(self._text.fontMetrics().lineSpacing() * 5)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Title:"), self._title)
        form.addRow(self.tr("Ta&gs:"), self._tags)
        form.addRow(self.tr("Te&xt:"), self._text)
        form.addRow(self._buttons)
        self._text.textChanged.connect(self._update_ok)
        self._update_ok()
        self._title.setFocus(Qt.FocusReason.OtherFocusReason)

    def title(self) -> str:
        return self._title.text().strip()

    def text(self) -> str:
        return self._text.toPlainText()

    def tags(self) -> tuple[str, ...]:
        return parse_tags(self._tags.text())

    def set_values(self, *, title: str | None = None, tags: str | None = None, text: str | None = None) -> None:
        """Fill the fields as the person would (tests, and a caller that knows better defaults)."""
        if title is not None:
            self._title.setText(title)
        if tags is not None:
            self._tags.setText(tags)
        if text is not None:
            self._text.setPlainText(text)

    def _update_ok(self) -> None:
        save = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self._text.toPlainText().strip()))
        self._title.setPlaceholderText(title_from_text(self._text.toPlainText()) or self.tr("A name to find it by"))
