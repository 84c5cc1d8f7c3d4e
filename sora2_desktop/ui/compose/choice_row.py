"""ChoiceRow: one of a few values as radio buttons in a row (mode, frame, duration, delivery)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QGridLayout, QRadioButton, QSizePolicy, QWidget

Choice = tuple[Any, str, str, QIcon | None]  # value, text, tool tip, icon
# More options than this go in two columns, so a row of four sizes does not widen the whole form.
MAX_IN_ONE_LINE = 3


class ChoiceRow(QWidget):
    """Arrow keys move between the buttons; a label's mnemonic lands on the chosen one. The first is the default."""

    changed = Signal()  # once per change of the chosen value by the person (not by set_options)

    def __init__(self, options: Sequence[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        # As tall as its buttons: spare height in the form belongs to the prompt and the image list, not here.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._group = QButtonGroup(self)
        self._options: list[tuple[Any, str, str]] = []
        self._quiet = False
        # A label's mnemonic ignores a NoFocus buddy; Tab skips proxied widgets, so this only enables Alt+key.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._group.buttonToggled.connect(self._on_toggled)
        self.set_options(options)

    def value(self) -> Any:
        return self._chosen().property("value")

    def values(self) -> list[Any]:
        return [button.property("value") for button in self._group.buttons()]

    def set_value(self, value: object) -> None:
        """Choose the button for `value` (compared as text), or the first (the default) if none matches."""
        buttons = self._group.buttons()
        match = next((b for b in buttons if str(b.property("value")) == str(value)), buttons[0])
        match.setChecked(True)

    def set_options(self, options: Sequence[Choice], value: object = None) -> None:
        """Offer `options` instead (a model with other choices); `value` is chosen if offered, else the current
        value if still offered, else the first. Emits no `changed`: the caller knows what it changed."""
        if not options:
            raise ValueError("a choice row needs at least one option")
        wanted = [str(v) for v in (value, self.value() if self._options else None) if v is not None]
        described = [(v, text, tip) for v, text, tip, _icon in options]
        if described != self._options:
            self._rebuild(options)
        chosen = next((s for s in wanted if s in {str(v) for v, *_rest in options}), str(options[0][0]))
        self._quiet = True
        try:
            self.set_value(chosen)
        finally:
            self._quiet = False
        self.setFocusProxy(self._chosen())

    def focus_choice(self) -> None:
        self._chosen().setFocus()

    def _rebuild(self, options: Sequence[Choice]) -> None:
        """Reuse the buttons there are (they keep their place in the Tab order), delete the extra ones and put
        new ones right after the last, in the Tab order too (a widget created later would otherwise come last)."""
        buttons = self._group.buttons()
        for button in buttons[len(options) :]:
            self._group.removeButton(button)
            button.hide()
            button.deleteLater()
        self._quiet = True
        try:
            for index, (value, text, tip, icon) in enumerate(options):
                if index < len(buttons):
                    button = buttons[index]
                else:
                    button = QRadioButton(self)
                    self._group.addButton(button)
                    if index:
                        QWidget.setTabOrder(self._group.buttons()[index - 1], button)
                    button.setVisible(True)  # a child added to a shown widget stays hidden until told
                button.setText(text)
                button.setProperty("value", value)
                button.setToolTip(tip)
                button.setIcon(icon if icon is not None else QIcon())
                button.setIconSize(QSize(20, 20))
            self._group.buttons()[0].setChecked(True)
        finally:
            self._quiet = False
        self._options = [(v, text, tip) for v, text, tip, _icon in options]
        self._place()

    def _place(self) -> None:
        """Buttons left to right, in two columns when there are many; the space right of them stays empty."""
        buttons = self._group.buttons()
        columns = len(buttons) if len(buttons) <= MAX_IN_ONE_LINE else 2
        while self._grid.count():
            self._grid.takeAt(0)
        for column in range(self._grid.columnCount()):
            self._grid.setColumnStretch(column, 0)
        for index, button in enumerate(buttons):
            self._grid.addWidget(button, index // columns, index % columns)
        self._grid.setColumnStretch(columns, 1)
        self._grid.invalidate()
        self.updateGeometry()  # a row of four sizes was two lines tall: the form must ask for the new height

    def _chosen(self) -> QAbstractButton:
        return self._group.checkedButton() or self._group.buttons()[0]

    def _on_toggled(self, button: QAbstractButton, on: bool) -> None:
        # Two toggles per change (off, then on): the "on" one alone is the change.
        if on:
            self.setFocusProxy(button)
            if not self._quiet:
                self.changed.emit()
