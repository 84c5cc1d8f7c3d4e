"""GenerateFooter: the compose form's last row — a message that belongs to no field, the busy bar while a submit
is under way, and Generate with this click's cost on it.

It is a widget of its own so the window can keep it under the form's scroll area: the fields scroll, Generate
never does (at 1024×700 the form is taller than its pane)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from sora2_desktop.ui.common.field_errors import ErrorLabel

GENERATE_KEYS = (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"))  # Enter is the keypad's key


class GenerateFooter(QWidget):
    generate_clicked = Signal()  # the button, or Ctrl+Return within the widget `listen_for_keys` was given

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.general = ErrorLabel(self)  # a message that names no field the form has
        self._busy_bar = QProgressBar(self)
        self._busy_bar.setRange(0, 0)  # indeterminate: a submit has no measurable progress
        self._busy_bar.setTextVisible(False)
        self._busy_bar.setFixedSize(64, 8)
        self._busy_label = QLabel(self.tr("Submitting…"), self)
        self.button = QPushButton(self.tr("&Generate"), self)
        self.button.setMinimumWidth(self.button.sizeHint().width() + 32)
        self.set_cost("")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._busy_bar, 0, Qt.AlignmentFlag.AlignVCenter)
        buttons.addWidget(self._busy_label)
        buttons.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.general)
        layout.addLayout(buttons)
        self.button.clicked.connect(self.generate_clicked)

    def listen_for_keys(self, widget: QWidget) -> None:
        """Ctrl+Return (and the keypad's Enter) generate while the focus is in `widget` or one of its children —
        within it only, so the keys never fight another widget's Ctrl+Return elsewhere. One widget per key
        press: two overlapping ones would make the keys ambiguous, and Qt would run neither."""
        for keys in GENERATE_KEYS:
            shortcut = QShortcut(keys, widget)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.generate_clicked)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self._busy_bar.setVisible(busy)
        self._busy_label.setVisible(busy)

    def set_cost(self, text: str, tip: str = "") -> None:
        """This click's cost beside "Generate" ("≈$0.45 · leaves ≈$24.55"), or nothing when `text` is empty."""
        self.button.setText(self.tr("&Generate") + (f"  {text}" if text else ""))
        shortcut = GENERATE_KEYS[0].toString(QKeySequence.SequenceFormat.NativeText)
        base = self.tr("Generate the video ({0})").format(shortcut)
        self.button.setToolTip(f"{base}\n{tip}" if tip else base)
