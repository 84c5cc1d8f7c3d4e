"""Field errors: the red frame on an invalid field and the message label beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from sora2_desktop.ui.common.palette import error_color


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Give `widget` a red frame (or take it away) through a dynamic property the style sheet matches."""
    if not widget.styleSheet():
        color = error_color(widget.palette()).name()
        widget.setStyleSheet(f'*[invalid="true"] {{ border: 2px solid {color}; border-radius: 3px; }}')
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)  # dynamic properties are only re-read by the style sheet on a re-polish
    widget.style().polish(widget)
    widget.update()


class ErrorLabel(QLabel):
    """A message at a field, in an error colour; hidden while empty so it takes no room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # service messages are shown verbatim, never as markup
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_color(palette))
        self.setPalette(palette)
        self.hide()

    def show_message(self, message: str | None) -> None:
        if (message or "") == self.text() and self.isHidden() != bool(message):
            return  # called on every keystroke: skip the relayout when nothing changes
        self.setText(message or "")
        self.setVisible(bool(message))
