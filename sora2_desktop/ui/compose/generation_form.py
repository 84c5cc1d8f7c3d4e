"""GenerationForm: the compose side of the window — collects prompt, images and settings, and shows field errors."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.api.request import (
    ALLOWED_DURATIONS,
    AspectRatio,
    FieldError,
    GenerationRequest,
    Mode,
    Provider,
    RequestType,
)
from sora2_desktop.core.images.resolver import ImageSource
from sora2_desktop.ui.common.field_errors import ErrorLabel, mark_invalid
from sora2_desktop.ui.common.frame_icon import frame_icon
from sora2_desktop.ui.compose.choice_row import ChoiceRow
from sora2_desktop.ui.compose.form_draft import FormValues
from sora2_desktop.ui.compose.image_picker import ImagePicker
from sora2_desktop.ui.compose.prompt_editor import PromptEditor

MAX_TAKES = 4
# Form order: the first of these with an error takes the focus.
FIELDS = ("prompt", "mode", "image_urls", "aspect_ratio", "duration", "provider", "request_type", "callback_url")
_GENERATE_KEYS = (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"))  # Enter is the keypad's key


class GenerationForm(QWidget):
    """Everything the person chooses for one generation; emits intents, never talks to the service itself."""

    generate_requested = Signal()
    draft_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False  # set while the form is filled in bulk: one draft_changed at the end, not dozens
        self._busy = False
        self.prompt_editor = PromptEditor(self)
        self._errors: dict[str, ErrorLabel] = {field: ErrorLabel(self) for field in FIELDS}
        # Controls are created top to bottom as shown: the focus chain (the Tab order) is creation order.
        self._build_look()
        self._build_delivery()
        self._focus: dict[str, Callable[[], None]] = {
            "prompt": self.prompt_editor.focus_editor,
            "mode": self._mode.focus_choice,
            "image_urls": self.image_picker.setFocus,
            "aspect_ratio": self._aspect.focus_choice,
            "duration": self._duration.focus_choice,
            "provider": self._provider.setFocus,
            "request_type": self._delivery.focus_choice,
            # A disabled field cannot take the focus: then the way to fix it is the delivery choice.
            "callback_url": lambda: (
                self._callback.setFocus() if self._callback.isEnabled() else self._delivery.focus_choice()
            ),
        }
        self._build_layout()
        self.set_busy(False)
        for keys in _GENERATE_KEYS:
            shortcut = QShortcut(keys, self)
            # Within the form only, so the shortcut never fights another widget's Ctrl+Return elsewhere.
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._request_generate)
        self._generate.clicked.connect(self._request_generate)
        self._wire()
        self._sync_enabled()

    # -- building -----------------------------------------------------------------------------------------

    def _build_look(self) -> None:
        """What the video is made from and how it looks: mode, images, aspect ratio, duration."""
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        self._mode = ChoiceRow(
            [
                (Mode.TEXT_TO_VIDEO, self.tr("Text to video"), self.tr("Generate from the prompt alone"), None),
                (
                    Mode.IMAGE_TO_VIDEO,
                    self.tr("Image to video"),
                    self.tr("Start from reference images (JPG, PNG or WebP, 10 MB each at most)"),
                    None,
                ),
            ],
            self,
        )
        self.image_picker = ImagePicker(self)
        self._aspect = ChoiceRow(
            [
                (
                    AspectRatio.LANDSCAPE,
                    self.tr("Landscape 16:9"),
                    self.tr("For film, TV and desktop screens"),
                    frame_icon(16, 9, text_color),
                ),
                (
                    AspectRatio.PORTRAIT,
                    self.tr("Portrait 9:16"),
                    self.tr("For phones and social media"),
                    frame_icon(9, 16, text_color),
                ),
            ],
            self,
        )
        tip = self.tr("Try 10 s first; go to 15 s once the result is what you want")
        self._duration = ChoiceRow([(s, self.tr("{0} s").format(s), tip, None) for s in ALLOWED_DURATIONS], self)

    def _build_delivery(self) -> None:
        """How the request is sent and answered: provider, watermark, delivery, callback URL, takes."""
        self._provider = QComboBox(self)
        for provider, text, tip in (
            (Provider.AUTO, self.tr("Auto"), self.tr("Auto: the service routes the task")),
            (Provider.VALUE, self.tr("Value"), self.tr("Value: a cheaper route")),
            (Provider.OFFICIAL, self.tr("Official"), self.tr("Official: OpenAI's official route")),
        ):
            self._provider.addItem(text, str(provider))
            self._provider.setItemData(self._provider.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self._provider.setToolTip(
            self.tr("Auto: the service routes the task\nValue: a cheaper route\nOfficial: OpenAI's official route")
        )
        self._watermark = QCheckBox(self.tr("Remove &watermark"), self)
        self._watermark.setChecked(True)
        self._watermark.setToolTip(self.tr("Ask the service for the video without the Sora watermark"))
        self._delivery = ChoiceRow(
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
            self,
        )
        self._callback = QLineEdit(self)
        self._callback.setPlaceholderText(self.tr("https://example.com/sora-callback"))
        self._callback.setToolTip(
            self.tr("A public https:// address the service can reach; used only for callback delivery")
        )
        self._callback.setClearButtonEnabled(True)
        self._takes = QSpinBox(self)
        self._takes.setRange(1, MAX_TAKES)
        self._takes.setToolTip(self.tr("How many videos to make from this request; each one is a task of its own"))

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._row(form, self.tr("&Mode:"), self._mode, "mode")
        self._row(form, self.tr("&Images:"), self.image_picker, "image_urls")
        self._picker_row = form.rowCount() - 1
        self._row(form, self.tr("&Aspect ratio:"), self._aspect, "aspect_ratio")
        self._row(form, self.tr("&Duration:"), self._duration, "duration")
        self._row(form, self.tr("Pr&ovider:"), self._provider, "provider", stretch=True)
        form.addRow("", self._watermark)
        self._row(form, self.tr("Deli&very:"), self._delivery, "request_type")
        self._row(form, self.tr("Call&back URL:"), self._callback, "callback_url")
        self._row(form, self.tr("&Takes:"), self._takes, None, stretch=True)

        self._general = ErrorLabel(self)
        self._busy_bar = QProgressBar(self)
        self._busy_bar.setRange(0, 0)  # indeterminate: a submit has no measurable progress
        self._busy_bar.setTextVisible(False)
        self._busy_bar.setFixedSize(64, 8)
        self._busy_label = QLabel(self.tr("Submitting…"), self)
        self._generate = QPushButton(self.tr("&Generate"), self)
        self._generate.setMinimumWidth(self._generate.sizeHint().width() + 32)
        self._generate.setToolTip(
            self.tr("Generate the video ({0})").format(
                _GENERATE_KEYS[0].toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._busy_bar, 0, Qt.AlignmentFlag.AlignVCenter)
        buttons.addWidget(self._busy_label)
        buttons.addWidget(self._generate)

        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt_editor, 1)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self._general)
        layout.addLayout(buttons)
        self._form = form

    def _row(self, form: QFormLayout, text: str, field: QWidget, error: str | None, stretch: bool = False) -> None:
        cell = QWidget(self)
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        if stretch:  # a combo or spin box looks odd stretched across the form; keep its natural width
            line = QHBoxLayout()
            line.addWidget(field)
            line.addStretch(1)
            box.addLayout(line)
        else:
            box.addWidget(field)
        if error is not None:
            box.addWidget(self._errors[error])
        label = QLabel(text, self)
        label.setBuddy(field)
        # Qt finds a buddy's name only among siblings; the cell makes them cousins, so name it outright.
        if not field.accessibleName():
            field.setAccessibleName(text.replace("&", "").rstrip(":"))
        form.addRow(label, cell)

    def _wire(self) -> None:
        self.prompt_editor.text_changed.connect(lambda _text: self._edited("prompt"))
        self._mode.changed.connect(lambda: self._edited("mode"))
        self._aspect.changed.connect(lambda: self._edited("aspect_ratio"))
        self._duration.changed.connect(lambda: self._edited("duration"))
        self._delivery.changed.connect(lambda: self._edited("request_type", "callback_url"))
        self._provider.currentIndexChanged.connect(lambda _i: self._edited("provider"))
        self._callback.textChanged.connect(lambda _t: self._edited("callback_url"))
        self._watermark.toggled.connect(lambda _on: self._edited())
        self._takes.valueChanged.connect(lambda _v: self._edited())
        # The picker lifts its own messages when its list changes (and keeps the reasons for refused files).
        self.image_picker.entries_changed.connect(lambda: self._edited())

    # -- public API ---------------------------------------------------------------------------------------

    def mode(self) -> Mode:
        return Mode(self._mode.value())

    def takes(self) -> int:
        return self._takes.value()

    def is_busy(self) -> bool:
        return self._busy

    def values(self) -> FormValues:
        """Everything typed and chosen, hidden choices included (form_draft keeps them as the draft)."""
        return FormValues(
            prompt=self.prompt_editor.text(),
            mode=self.mode(),
            aspect_ratio=AspectRatio(self._aspect.value()),
            duration=int(self._duration.value()),
            provider=Provider(self._provider.currentData()),
            remove_watermark=self._watermark.isChecked(),
            request_type=RequestType(self._delivery.value()),
            callback_url=self._callback.text(),
            takes=self.takes(),
            images=tuple(self.image_picker.entries()),
        )

    def request(self) -> GenerationRequest:
        """What the widgets describe, without images (`images()`: a file has no URL before its upload)."""
        return self.values().request()

    def images(self) -> list[ImageSource]:
        """The images the request takes: the listed ones in image-to-video (else the picker is hidden)."""
        return self.values().chosen_images()

    def load_request(self, req: GenerationRequest) -> None:
        """Put a stored request's settings into the form (its image addresses become entries again)."""
        self.set_values(FormValues.from_request(req, takes=self.takes()))

    def set_values(self, values: FormValues) -> None:
        """Fill every control (errors cleared); one draft_changed at the end."""
        self._quiet = True
        try:
            self.clear_errors()
            self.prompt_editor.set_text(values.prompt)
            self._mode.set_value(values.mode)
            self._aspect.set_value(values.aspect_ratio)
            self._duration.set_value(values.duration)
            self._delivery.set_value(values.request_type)
            self._provider.setCurrentIndex(max(self._provider.findData(str(values.provider)), 0))
            self._watermark.setChecked(values.remove_watermark)
            self._callback.setText(values.callback_url)
            self._takes.setValue(values.takes)
            self.image_picker.clear()
            # Listed again from their sources: files are checked anew (one may have gone since).
            self.image_picker.add_sources([image.source for image in values.images])
        finally:
            self._quiet = False
        self._sync_enabled()
        self.draft_changed.emit()

    def show_errors(self, errors: list[FieldError]) -> None:
        """Show each message at its field (unknown fields by Generate) and focus the first bad field."""
        self.clear_errors()
        by_field: dict[str, list[str]] = {}
        for error in errors:
            field = error.field if error.field in FIELDS else ""
            if field == "image_urls" and self.mode() != Mode.IMAGE_TO_VIDEO:
                field = "mode"  # the picker is hidden; switching the mode is the way out
            by_field.setdefault(field, []).append(error.message)
        for field, messages in by_field.items():
            self._set_error(field, "\n".join(messages))
        bad = [field for field in FIELDS if field in by_field]
        if bad:
            self._focus[bad[0]]()

    def clear_errors(self) -> None:
        for field in ("", *FIELDS):
            self._set_error(field, None)

    def show_general_error(self, message: str) -> None:
        self._general.show_message(message)

    def field_error(self, field: str) -> str:
        """The message shown at `field` ("" for the general label), or "" when there is none."""
        if field == "prompt":
            return self.prompt_editor.error()
        if field == "image_urls":
            return self.image_picker.error()
        label = self._errors.get(field, self._general)
        return label.text() if not label.isHidden() else ""

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._generate.setEnabled(not busy)
        self._busy_bar.setVisible(busy)
        self._busy_label.setVisible(busy)

    # -- internals ----------------------------------------------------------------------------------------

    def _set_error(self, field: str, message: str | None) -> None:
        if field == "prompt":
            self.prompt_editor.set_error(message)
        elif field == "image_urls":
            self.image_picker.set_error(message)
        else:
            self._errors.get(field, self._general).show_message(message)
            marked = {"provider": self._provider, "callback_url": self._callback}.get(field)
            if marked is not None:
                mark_invalid(marked, bool(message))

    def _edited(self, *fields: str) -> None:
        if self._quiet:
            return
        for field in fields:
            self._set_error(field, None)
        self._sync_enabled()
        self.draft_changed.emit()

    def _sync_enabled(self) -> None:
        self._form.setRowVisible(self._picker_row, self.mode() == Mode.IMAGE_TO_VIDEO)
        self._callback.setEnabled(self._delivery.value() == RequestType.CALLBACK)

    def _request_generate(self) -> None:
        if not self._busy:
            self.generate_requested.emit()
