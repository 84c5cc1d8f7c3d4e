"""ChoiceRow: one of a few values as radio buttons in a row (mode, aspect ratio, duration, delivery)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QHBoxLayout, QRadioButton, QWidget

Choice = tuple[Any, str, str, QIcon | None]  # value, text, tool tip, icon


class ChoiceRow(QWidget):
    """Arrow keys move between the buttons; a label's mnemonic lands on the chosen one. The first is the default."""

    changed = Signal()  # once per change of the chosen value

    def __init__(self, options: Sequence[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        for value, text, tip, icon in options:
            button = QRadioButton(text, self)
            button.setProperty("value", value)
            button.setToolTip(tip)
            if icon is not None:
                button.setIcon(icon)
                button.setIconSize(QSize(20, 20))
            self._group.addButton(button)
            box.addWidget(button)
        box.addStretch(1)
        self._group.buttons()[0].setChecked(True)
        self.setFocusProxy(self._group.buttons()[0])
        # A label's mnemonic ignores a NoFocus buddy; Tab skips proxied widgets, so this only enables Alt+key.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._group.buttonToggled.connect(self._on_toggled)

    def value(self) -> Any:
        return self._chosen().property("value")

    def set_value(self, value: object) -> None:
        """Choose the button for `value` (compared as text), or the first (the default) if none matches."""
        buttons = self._group.buttons()
        match = next((b for b in buttons if str(b.property("value")) == str(value)), buttons[0])
        match.setChecked(True)

    def focus_choice(self) -> None:
        self._chosen().setFocus()

    def _chosen(self) -> QAbstractButton:
        return self._group.checkedButton() or self._group.buttons()[0]

    def _on_toggled(self, button: QAbstractButton, on: bool) -> None:
        # Two toggles per change (off, then on): the "on" one alone is the change.
        if on:
            self.setFocusProxy(button)
            self.changed.emit()
