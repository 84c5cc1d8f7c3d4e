"""Field notes: information at a field that blocks nothing ("10 s is no longer offered for Sora 2; set to 8 s"),
and the offer to refresh the model list beside a refusal the service tied to a field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from sora2_desktop.ui.common.palette import muted_palette


class NoteLabel(QLabel):
    """A note at a field in the muted text colour (an error has its own colour); hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setPalette(muted_palette(self))
        self.hide()

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))

    def message(self) -> str:
        return self.text() if not self.isHidden() else ""


class RefreshOffer(QWidget):
    """ "Refresh the model list" and, once asked, the outcome in one line. Shown under a refusal that names a
    field: the service may have changed what it takes since the app's catalogue was read."""

    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QPushButton(self.tr("Refresh the model list"), self)
        self.button.setToolTip(self.tr("Read what each model takes from the service again"))
        self.button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)  # not the row's width
        self.outcome = NoteLabel(self)
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.button)
        line.addWidget(self.outcome, 1)
        line.addStretch(0)  # keeps the button at the left while there is no outcome yet
        self.button.clicked.connect(self.refresh_requested)
        self.hide()

    def offer(self) -> None:
        self.button.setEnabled(True)
        self.outcome.show_message(None)
        self.show()

    def set_running(self) -> None:
        self.button.setEnabled(False)
        self.outcome.show_message(self.tr("Refreshing the model list…"))

    def show_outcome(self, text: str) -> None:
        self.button.setEnabled(True)
        self.outcome.show_message(text)
