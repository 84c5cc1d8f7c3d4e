"""DeliveryRows: how the request is sent and answered — provider, watermark, delivery (polling or callback), the
callback URL and how many takes. Provider and watermark are the chosen model's; the rest is the person's."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.api.request import RequestType
from sora2_desktop.ui.compose import model_choices as choices
from sora2_desktop.ui.compose.choice_row import ChoiceRow
from sora2_desktop.ui.compose.field_note import NoteLabel

MAX_TAKES = 4


class DeliveryRows(QObject):
    """The controls, made in the order they are shown (creation order is the Tab order) on the form `parent`."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.provider = QComboBox(parent)
        self.watermark = QCheckBox(self.tr("Remove &watermark"), parent)
        self.watermark.setChecked(True)
        self.delivery = ChoiceRow(
            [
                (
                    RequestType.ASYNC,
                    self.tr("Polling"),
                    self.tr("The app asks the service for the result (works anywhere)"),
                    None,
                ),
                (
                    RequestType.CALLBACK,
                    self.tr("Callback"),
                    self.tr("The service posts the result to a public URL you run"),
                    None,
                ),
            ],
            parent,
        )
        self.callback_note = NoteLabel(parent)
        self.callback = QLineEdit(parent)
        self.callback.setPlaceholderText(self.tr("https://example.com/sora-callback"))
        self.callback.setToolTip(
            self.tr("A public https:// address the service can reach; used only for callback delivery")
        )
        self.callback.setClearButtonEnabled(True)
        self.takes = QSpinBox(parent)
        self.takes.setRange(1, MAX_TAKES)
        self.takes.setToolTip(self.tr("How many videos to make from this request; each one is a task of its own"))
        self.set_callback_poll_interval(None)

    def offer(self, spec: ModelSpec, provider: str) -> None:
        """Offer `spec`'s providers (`provider` chosen) and its watermark rule."""
        blocked = self.provider.blockSignals(True)
        self.provider.clear()
        for name in spec.providers:
            self.provider.addItem(choices.provider_text(name), name)
            self.provider.setItemData(
                self.provider.count() - 1, choices.provider_tip(name), Qt.ItemDataRole.ToolTipRole
            )
        self.provider.setCurrentIndex(max(self.provider.findData(provider), 0))
        self.provider.blockSignals(blocked)
        self.provider.setEnabled(len(spec.providers) > 1)  # one route: shown, with the reason in its tip
        self.provider.setToolTip(choices.providers_tip(spec))
        self.watermark.setToolTip(choices.watermark_tip(spec))

    def is_callback(self) -> bool:
        return self.delivery.value() == RequestType.CALLBACK

    def sync(self) -> None:
        """The callback URL is asked for, and its note shown, only with callback delivery."""
        callback = self.is_callback()
        self.callback.setEnabled(callback)
        self.callback_note.setVisible(callback)

    def set_callback_poll_interval(self, seconds: float | None) -> None:
        """What callback delivery is for, in one line under the choice (the app cannot receive the callback)."""
        if seconds is None:
            text = self.tr("For a studio server that receives the results; this app still polls to show them here.")
        else:
            text = self.tr(
                "For a studio server that receives the results; this app still polls every {0} s to show them here."
            ).format(f"{seconds:g}")
        self.callback_note.setText(text)
