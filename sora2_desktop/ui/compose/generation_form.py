"""GenerationForm: the compose side of the window — collects prompt, images and settings, and shows field errors.

Its controls, limits and words come from the chosen model's ModelSpec in the catalogue it is given; the form
never asks the service or the session for anything (ComposeController wires those). Its parts: the prompt
(prompt_editor.py), the look rows (look_rows.py), the delivery rows (delivery_rows.py), the label grid with each
field's messages (field_rows.py) and the Generate row (generate_footer.py), which the window may keep outside
the scroll area the fields are in (`place_footer`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from sora2_desktop.api.model_spec import FRAME_PARAMS, ModelSpec
from sora2_desktop.api.request import FieldError, GenerationRequest, Mode, RequestType, image_count_errors
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue, shipped_catalogue
from sora2_desktop.core.images.source import ImageSource
from sora2_desktop.ui.common.field_errors import mark_invalid
from sora2_desktop.ui.common.frame_words import param_label
from sora2_desktop.ui.compose.delivery_rows import DeliveryRows
from sora2_desktop.ui.compose.field_note import RefreshOffer
from sora2_desktop.ui.compose.field_rows import FieldRows
from sora2_desktop.ui.compose.form_draft import FormValues, fit_values
from sora2_desktop.ui.compose.generate_footer import GenerateFooter
from sora2_desktop.ui.compose.look_rows import LookRows
from sora2_desktop.ui.compose.prompt_editor import PromptEditor

# Form order: the first of these with an error takes the focus. The frame parameters share one row.
FIELDS = (
    "prompt", "model", "mode", "image_urls", *FRAME_PARAMS, "duration", "provider", "remove_watermark",
    "request_type", "callback_url",
)  # fmt: skip
# The rows whose choices the model list holds: a refusal there may mean the list is out of date.
_MODEL_BOUND = ("model", "mode", *FRAME_PARAMS, "duration", "provider", "remove_watermark")
_CELL = {param: "frame" for param in FRAME_PARAMS}  # the row a field's messages go to, where it is not its own


class GenerationForm(QWidget):
    """Everything the person chooses for one generation; emits intents, never talks to the service itself."""

    generate_requested = Signal()
    draft_changed = Signal()
    refresh_requested = Signal()  # "Refresh the model list", offered under a refusal that names a field

    def __init__(self, parent: QWidget | None = None, catalogue: ModelCatalogue | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue or shipped_catalogue()
        self._quiet = False  # set while the form is filled in bulk: one draft_changed at the end, not dozens
        self._busy = False
        # The last value of each frame parameter, also of those the model and mode hide (kept, not sent).
        self._frames = {param: getattr(FormValues(), param) for param in FRAME_PARAMS}
        self.prompt_editor = PromptEditor(self)
        self._rows = FieldRows(self, {_CELL.get(field, field) for field in FIELDS} - {"prompt", "image_urls"})
        self._errors, self._notes = self._rows.errors, self._rows.notes
        # Controls are created top to bottom as shown: the focus chain (the Tab order) is creation order.
        self._look = LookRows(self)
        self._delivery_rows = DeliveryRows(self)
        # Short names for the controls the form reads and marks (tests reach some of them too).
        self._model, self._mode, self.image_picker = self._look.model, self._look.mode, self._look.image_picker
        self._frame, self._duration = self._look.frame, self._look.duration
        self._provider, self._watermark = self._delivery_rows.provider, self._delivery_rows.watermark
        self._delivery, self._callback = self._delivery_rows.delivery, self._delivery_rows.callback
        self._takes = self._delivery_rows.takes
        self._focus: dict[str, Callable[[], None]] = {
            "prompt": self.prompt_editor.focus_editor,
            "model": self._model.setFocus,
            "mode": self._mode.focus_choice,
            "image_urls": self.image_picker.setFocus,
            "frame": self._frame.focus_choice,
            "duration": self._duration.focus_choice,
            "provider": self._provider.setFocus,
            "remove_watermark": self._watermark.setFocus,
            "request_type": self._delivery.focus_choice,
            # A disabled field cannot take the focus: then the way to fix it is the delivery choice.
            "callback_url": lambda: (
                self._callback.setFocus() if self._callback.isEnabled() else self._delivery.focus_choice()
            ),
        }
        self._refresh = RefreshOffer(self)  # moved into the cell of the field a refusal names
        self.footer = GenerateFooter(self)  # last: Generate comes after the fields in the Tab order
        self._generate, self._general = self.footer.button, self.footer.general
        self._build_layout()
        self._look.fill_models(self._catalogue)
        self._apply(FormValues())
        self._sync_enabled()
        self.set_busy(False)
        self.footer.listen_for_keys(self)
        self.footer.generate_clicked.connect(self._request_generate)
        self._wire()

    # -- building -----------------------------------------------------------------------------------------

    def _build_layout(self) -> None:
        rows = self._rows
        rows.add(self.tr("Mode&l:"), self._model, "model", stretch=True)
        rows.add(self.tr("&Mode:"), self._mode, "mode")
        self._picker_row, _label = rows.add(self.tr("&Images:"), self.image_picker, None)
        _row, self._frame_label = rows.add(param_label("aspect_ratio"), self._frame, "frame")
        rows.add(self.tr("&Duration:"), self._duration, "duration")
        rows.add(self.tr("Pr&ovider:"), self._provider, "provider", stretch=True)
        self._watermark_row, _label = rows.add("", self._watermark, "remove_watermark")
        rows.add(self.tr("Deli&very:"), self._delivery, "request_type", extra=self._delivery_rows.callback_note)
        rows.add(self.tr("Call&back URL:"), self._callback, "callback_url")
        rows.add(self.tr("&Takes:"), self._takes, None, stretch=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt_editor, 1)
        layout.addSpacing(6)
        layout.addLayout(rows.layout)
        layout.addWidget(self.footer)
        self._form = rows.layout

    def _wire(self) -> None:
        self.prompt_editor.text_changed.connect(lambda _text: self._edited("prompt"))
        self._model.currentIndexChanged.connect(lambda _i: self._refit("model"))
        self._mode.changed.connect(lambda: self._refit("mode", "image_urls"))
        self._frame.changed.connect(self._on_frame_chosen)
        self._duration.changed.connect(lambda: self._edited("duration"))
        self._delivery.changed.connect(lambda: self._edited("request_type", "callback_url"))
        self._provider.currentIndexChanged.connect(lambda _i: self._edited("provider"))
        self._callback.textChanged.connect(lambda _t: self._edited("callback_url"))
        self._watermark.toggled.connect(lambda _on: self._edited("remove_watermark"))
        self._takes.valueChanged.connect(lambda _v: self._edited())
        # The picker lifts its own messages when its list changes (and keeps the reasons for refused files).
        self.image_picker.entries_changed.connect(lambda: self._edited())
        self._refresh.refresh_requested.connect(self.refresh_requested)

    # -- public API ---------------------------------------------------------------------------------------

    def spec(self) -> ModelSpec:
        """The chosen model's spec: what the form offers and the request is judged by."""
        return self._catalogue.get(self._look.model_id()) or self._catalogue.default

    def mode(self) -> Mode:
        return Mode(self._mode.value())

    def takes(self) -> int:
        return self._takes.value()

    def is_busy(self) -> bool:
        return self._busy

    def values(self) -> FormValues:
        """Everything typed and chosen, hidden choices included (form_draft keeps them as the draft)."""
        frames = {**self._frames, self._look.frame_param: str(self._frame.value())}
        return FormValues(
            prompt=self.prompt_editor.text(),
            model=self.spec().id,
            mode=self.mode(),
            aspect_ratio=frames["aspect_ratio"],
            size=frames["size"],
            resolution=frames["resolution"],
            duration=int(self._duration.value()),
            provider=str(self._provider.currentData()),
            remove_watermark=self._watermark.isChecked(),
            request_type=RequestType(self._delivery.value()),
            callback_url=self._callback.text(),
            takes=self.takes(),
            images=tuple(self.image_picker.entries()),
        )

    def request(self) -> GenerationRequest:
        """What the widgets describe, without images (`images()`: a file has no URL before its upload)."""
        return self.values().request(self.spec())

    def images(self) -> list[ImageSource]:
        """The images the request takes: the listed ones in image-to-video (else the picker is hidden)."""
        return self.values().chosen_images()

    def load_request(self, req: GenerationRequest) -> None:
        """Put a stored request's settings into the form (its image addresses become entries again)."""
        self.set_values(FormValues.from_request(req, takes=self.takes()))

    def set_values(self, values: FormValues) -> None:
        """Fill every control (errors cleared); a value the catalogue no longer offers is moved to the nearest
        one, with a note at its field. One draft_changed at the end."""
        fitted, notes = fit_values(values, self._catalogue)
        self._quiet = True
        try:
            self.clear_errors()
            self._frames = {param: getattr(fitted, param) for param in FRAME_PARAMS}
            self._apply(fitted)
            self.prompt_editor.set_text(fitted.prompt, keep_long=True)
            self._delivery.set_value(fitted.request_type)
            self._watermark.setChecked(fitted.remove_watermark)
            self._callback.setText(fitted.callback_url)
            self._takes.setValue(fitted.takes)
            self.image_picker.clear()
            # Listed again from their sources: files are checked anew (one may have gone since).
            self.image_picker.add_sources([image.source for image in fitted.images])
        finally:
            self._quiet = False
        self._show_notes(notes)
        self._sync_enabled()
        self.draft_changed.emit()

    def set_catalogue(self, catalogue: ModelCatalogue) -> None:
        """The catalogue moved (a refresh, a price): offer its choices; a chosen value it no longer offers moves
        to the nearest one, with a note at its field. Nothing typed is touched."""
        before = self.values()
        self._catalogue = catalogue
        fitted, notes = fit_values(before, catalogue)
        self._quiet = True
        try:
            self._look.fill_models(self._catalogue)
            self._apply(fitted)
        finally:
            self._quiet = False
        self._show_notes(notes)
        self._sync_enabled()
        if self.values() != before:
            self.draft_changed.emit()

    def show_errors(self, errors: list[FieldError]) -> None:
        """Show each message at its field (unknown fields by Generate) and focus the first bad field."""
        self.clear_errors()
        by_field: dict[str, list[str]] = {}
        for error in errors:
            field = self._shown_field(error.field)
            by_field.setdefault(field, []).append(error.message)
        for field, messages in by_field.items():
            self._set_error(field, "\n".join(messages))
        bad = [field for field in FIELDS if field in by_field]
        if bad:
            self._focus[_CELL.get(bad[0], bad[0])]()

    def show_refusal(self, field: str | None, message: str) -> None:
        """The service refused the request: its words at the field it named (focused), with the offer to
        refresh the model list there; at the general label when it named none. The draft stays as it is."""
        shown = self._shown_field(field or "")
        self.show_errors([FieldError(shown, message)])
        if shown not in _MODEL_BOUND:
            return  # the general label, or a field whose rules are not the model list's (or shown elsewhere)
        cell = self._errors[_CELL.get(shown, shown)].parentWidget()
        layout = cell.layout() if cell is not None else None
        if layout is not None:
            layout.addWidget(self._refresh)
            self._refresh.offer()

    def show_refresh_outcome(self, text: str, *, running: bool = False) -> None:
        if running:
            self._refresh.set_running()
        else:
            self._refresh.show_outcome(text)

    def clear_errors(self) -> None:
        for field in ("", *FIELDS):
            self._set_error(field, None)
        self._refresh.hide()

    def show_general_error(self, message: str) -> None:
        self._general.show_message(message)

    def field_error(self, field: str) -> str:
        """The message shown at `field` ("" for the general label), or "" when there is none."""
        if field == "prompt":
            return self.prompt_editor.error()
        if field == "image_urls":
            return self.image_picker.error()
        label = self._errors.get(_CELL.get(field, field), self._general)
        return label.text() if not label.isHidden() else ""

    def field_note(self, field: str) -> str:
        """The note at `field` (a value moved to one the model offers), or ""."""
        note = self._notes.get(_CELL.get(field, field))
        return note.message() if note is not None else ""

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.footer.set_busy(busy)

    def set_cost(self, text: str, tip: str = "") -> None:
        """This click's cost beside "Generate" ("≈$0.45 · leaves ≈$24.55"), or nothing when `text` is empty."""
        self.footer.set_cost(text, tip)

    def set_callback_poll_interval(self, seconds: float | None) -> None:
        """What callback delivery is for, in one line under the choice (the app cannot receive the callback)."""
        self._delivery_rows.set_callback_poll_interval(seconds)

    def place_footer(self, layout: QBoxLayout) -> None:
        """Move the Generate row into `layout` (the window's, under the scroll area the form is in), so it stays
        in view however far the fields scroll. Call it once the form and `layout` are in the same window; the
        row stays next in the Tab order after the last field, and Ctrl+Return works in it as in the form."""
        layout.addWidget(self.footer)
        QWidget.setTabOrder(self._takes, self._generate)
        self.footer.listen_for_keys(self.footer)

    # -- internals ----------------------------------------------------------------------------------------

    def _apply(self, values: FormValues) -> None:
        """Offer the choices of `values.model` and show `values` in them (already fitted: `fit_values`)."""
        self._look.choose_model(values.model)
        spec = self.spec()
        self._look.offer(spec, values, self.palette().color(QPalette.ColorRole.WindowText))
        self._frame_label.setText(param_label(self._look.frame_param))
        self._delivery_rows.offer(spec, values.provider)
        self._form.setRowVisible(self._watermark_row, spec.watermark_offered)
        self.prompt_editor.set_limit(spec.prompt_max_chars, spec.title)

    def _refit(self, *fields: str) -> None:
        """The person chose another model or mode: offer its choices, keeping each value it still offers."""
        if self._quiet:
            return
        self._frames[self._look.frame_param] = str(self._frame.value())
        # The hidden frame parameters' last values come along: switching back finds them as they were.
        fitted, _notes = fit_values(self.values(), self._catalogue)  # the person sees what changed: no notes
        self._quiet = True
        try:
            self._apply(fitted)
        finally:
            self._quiet = False
        if "model" in fields:
            self._show_notes({})  # notes about the other model's values no longer apply
        self._edited(*fields)

    def _on_frame_chosen(self) -> None:
        self._frames[self._look.frame_param] = str(self._frame.value())
        self._edited(self._look.frame_param)

    def _shown_field(self, field: str) -> str:
        """Where a message about `field` can be seen: "" (the general label) for a field the form has not."""
        if field not in FIELDS:
            return ""
        if field == "image_urls" and self.mode() != Mode.IMAGE_TO_VIDEO:
            return "mode"  # the picker is hidden; switching the mode is the way out
        if field == "remove_watermark" and not self.spec().watermark_offered:
            return ""
        return field

    def _set_error(self, field: str, message: str | None) -> None:
        if field == "prompt":
            self.prompt_editor.set_error(message)
        elif field == "image_urls":
            self.image_picker.set_error(message)
        else:
            self._errors.get(_CELL.get(field, field), self._general).show_message(message)
            marked = {"provider": self._provider, "callback_url": self._callback, "model": self._model}.get(field)
            if marked is not None:
                mark_invalid(marked, bool(message))

    def _show_notes(self, notes: dict[str, str]) -> None:
        for cell, label in self._notes.items():
            label.show_message(next((text for field, text in notes.items() if _CELL.get(field, field) == cell), None))

    def _edited(self, *fields: str) -> None:
        if self._quiet:
            return
        for field in fields:
            self._set_error(field, None)
            note = self._notes.get(_CELL.get(field, field))
            if note is not None:
                note.show_message(None)
        if self._refresh.isVisible() and not any(not label.isHidden() for label in self._errors.values()):
            self._refresh.hide()
        self._sync_enabled()
        self.draft_changed.emit()

    def _sync_enabled(self) -> None:
        self._form.setRowVisible(self._picker_row, self.mode() == Mode.IMAGE_TO_VIDEO)
        self._delivery_rows.sync()
        self._flag_image_count()

    def _flag_image_count(self) -> None:
        """A model that takes exactly one image (or at most a few) says so as soon as there is one too many."""
        spec = self.spec()
        count = len(self.image_picker.entries())
        if self.mode() != Mode.IMAGE_TO_VIDEO or spec.images_max is None or count <= spec.images_max:
            return
        errors = image_count_errors(spec, Mode.IMAGE_TO_VIDEO, count)
        if errors:
            self.image_picker.set_error(errors[0].message)

    def _request_generate(self) -> None:
        if not self._busy:
            self.generate_requested.emit()
