"""FieldRows: the compose form's label-and-field grid, each field with its error and note lines under it."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from sora2_desktop.ui.common.field_errors import ErrorLabel
from sora2_desktop.ui.compose.field_note import NoteLabel


class FieldRows:
    """One QFormLayout, so every label lines up; `errors` and `notes` hold each cell's message lines by name."""

    def __init__(self, owner: QWidget, cells: set[str]) -> None:
        self._owner = owner
        self.layout = QFormLayout()
        self.layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.errors: dict[str, ErrorLabel] = {cell: ErrorLabel(owner) for cell in cells}
        self.notes: dict[str, NoteLabel] = {cell: NoteLabel(owner) for cell in cells}

    def add(
        self, text: str, field: QWidget, cell: str | None, *, stretch: bool = False, extra: QWidget | None = None
    ) -> tuple[int, QLabel]:
        """Add a row: `field` under its label, then `extra`, then `cell`'s error and note lines. Returns the row's
        index (to show or hide it) and its label."""
        box_widget = QWidget(self._owner)
        box = QVBoxLayout(box_widget)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        if stretch:  # a combo or spin box looks odd stretched across the form; keep its natural width
            line = QHBoxLayout()
            line.addWidget(field)
            line.addStretch(1)
            box.addLayout(line)
        else:
            box.addWidget(field)
        if extra is not None:
            box.addWidget(extra)
        if cell is not None:
            box.addWidget(self.errors[cell])
            box.addWidget(self.notes[cell])
        # Only a field that grows (the image list) takes spare height; a row of choices stays as tall as it is.
        grows = field.sizePolicy().verticalPolicy().value & QSizePolicy.PolicyFlag.GrowFlag.value
        fixed = QSizePolicy.Policy.Preferred if grows else QSizePolicy.Policy.Maximum
        box_widget.setSizePolicy(QSizePolicy.Policy.Preferred, fixed)
        label = QLabel(text, self._owner)
        label.setBuddy(field)
        # Qt finds a buddy's name only among siblings; the cell makes them cousins, so name it outright.
        if text and not field.accessibleName():
            field.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.layout.addRow(label, box_widget)
        return self.layout.rowCount() - 1, label
