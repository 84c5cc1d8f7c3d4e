"""LookRows: what the video is made from and how it looks — model, mode, images, frame, duration. Their choices
are the chosen model's (its ModelSpec); the form decides the values, these rows offer and show them."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QWidget

from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue
from sora2_desktop.ui.compose import model_choices as choices
from sora2_desktop.ui.compose.choice_row import ChoiceRow
from sora2_desktop.ui.compose.form_draft import FormValues
from sora2_desktop.ui.compose.image_picker import ImagePicker


class LookRows(QObject):
    """The controls, made in the order they are shown (creation order is the Tab order) on the form `parent`."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.model = QComboBox(parent)
        self.model.setToolTip(self.tr("The video model the service runs; each has its own choices and price"))
        placeholder = [(None, "", "", None)]  # replaced by the model's options before the form is shown
        self.mode = ChoiceRow(placeholder, parent)
        self.image_picker = ImagePicker(parent)
        self.frame = ChoiceRow(placeholder, parent)
        self.duration = ChoiceRow(placeholder, parent)
        self.frame_param = "aspect_ratio"  # the frame parameter the chosen model and mode ask for

    def model_id(self) -> str:
        return str(self.model.currentData())

    def fill_models(self, catalogue: ModelCatalogue) -> None:
        """List the catalogue's models, keeping the chosen one where it is still listed."""
        chosen = self.model.currentData()
        blocked = self.model.blockSignals(True)  # a refill is no choice of the person's
        try:
            self.model.clear()
            for spec in catalogue:
                self.model.addItem(spec.title, spec.id)
            self.model.setCurrentIndex(max(self.model.findData(chosen), 0))
        finally:
            self.model.blockSignals(blocked)
        self.model.setEnabled(self.model.count() > 1)

    def choose_model(self, model_id: str) -> None:
        blocked = self.model.blockSignals(True)
        self.model.setCurrentIndex(max(self.model.findData(model_id), 0))
        self.model.blockSignals(blocked)

    def offer(self, spec: ModelSpec, values: FormValues, color: QColor) -> None:
        """Offer `spec`'s modes, frames and durations and show `values` in them (already fitted). `color` draws
        the frame shapes."""
        self.mode.set_options(choices.mode_options(spec), values.mode)
        frame = spec.frame_for(str(values.mode))
        self.frame_param = frame.param
        self.frame.set_options(choices.frame_options(spec, str(values.mode), color), getattr(values, frame.param))
        self.duration.set_options(choices.duration_options(spec), values.duration)
