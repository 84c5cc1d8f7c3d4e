"""Form drafts: what the compose form holds (FormValues), as the JSON-safe dict the settings keep, and back; and
how a draft is fitted to what the catalogue offers now (`fit_values`), with a note for each value it moved."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any, TypeGuard, TypeVar

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api.model_spec import FRAME_PARAMS, LEGACY_MODEL, ModelSpec
from sora2_desktop.api.request import GenerationRequest, Mode, RequestType
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue
from sora2_desktop.core.images.source import ImageSource
from sora2_desktop.ui.common.frame_words import frame_label

_Choice = TypeVar("_Choice", bound=enum.Enum)
_translate = QCoreApplication.translate
_REQUEST_DEFAULTS = GenerationRequest(prompt="")


@dataclass(frozen=True)
class FormValues:
    """Everything typed and chosen, including what the chosen mode and delivery hide (kept, not sent). The
    values are the service's own words; which ones a model takes is its spec's business (`fit_values`)."""

    prompt: str = ""
    model: str = LEGACY_MODEL
    mode: Mode = Mode.TEXT_TO_VIDEO
    aspect_ratio: str = "landscape"
    size: str = ""  # "" until a model that takes a size was chosen
    resolution: str = ""
    duration: int = 10
    provider: str = "auto"
    remove_watermark: bool = True
    request_type: RequestType = RequestType.ASYNC
    callback_url: str = ""  # as typed; sent only with callback delivery
    takes: int = 1
    images: tuple[ImageSource, ...] = ()  # as listed; sent only with image-to-video

    def request(self, spec: ModelSpec | None = None) -> GenerationRequest:
        """The request these values describe, without its images (`chosen_images`: files have no URL yet).
        With the model's `spec`, only the frame parameter it takes in the mode is carried; the others keep
        the request's defaults, so a stored Sora 2 task does not name a size it never had."""
        callback = self.callback_url.strip() or None if self.request_type == RequestType.CALLBACK else None
        frame = {param: getattr(self, param) for param in FRAME_PARAMS}
        if spec is not None:
            used = spec.frame_for(str(self.mode)).param
            frame = {p: v if p == used else getattr(_REQUEST_DEFAULTS, p) for p, v in frame.items()}
        return GenerationRequest(
            prompt=self.prompt,
            model=self.model,
            mode=self.mode,
            duration=self.duration,
            aspect_ratio=frame["aspect_ratio"],
            size=frame["size"],
            resolution=frame["resolution"],
            remove_watermark=self.remove_watermark,
            provider=self.provider,
            request_type=self.request_type,
            callback_url=callback,
        )

    def chosen_images(self) -> list[ImageSource]:
        """The images the request takes: those listed in image-to-video, none in text-to-video."""
        return list(self.images) if self.mode == Mode.IMAGE_TO_VIDEO else []

    @classmethod
    def from_request(cls, request: GenerationRequest, *, takes: int = 1) -> FormValues:
        """A stored request's settings; its image addresses become listed images again."""
        return cls(
            prompt=request.prompt,
            model=request.model,
            mode=request.mode,
            aspect_ratio=request.aspect_ratio,
            size=request.size,
            resolution=request.resolution,
            duration=request.duration,
            provider=request.provider,
            remove_watermark=request.remove_watermark,
            request_type=request.request_type,
            callback_url=request.callback_url or "",
            takes=takes,
            images=tuple(ImageSource(url, False) for url in request.image_urls),
        )


def fit_values(values: FormValues, catalogue: ModelCatalogue) -> tuple[FormValues, dict[str, str]]:
    """`values` with every model-bound choice the catalogue no longer offers moved to the nearest one it does
    (a duration to the nearest duration, anything else to the model's default), and a note for the person at
    each field that moved ("10 s is no longer offered for Sora 2; set to 8 s"). Choices never made (an empty
    size) take the default without a note; the frame parameters the mode hides are left as they are."""
    notes: dict[str, str] = {}
    spec = catalogue.get(values.model)
    if spec is None:
        spec = catalogue.default
        notes["model"] = _translate("FormDraft", "The model “{0}” is no longer offered; set to {1}.").format(
            values.model, spec.title
        )
    changes: dict[str, Any] = {"model": spec.id}
    mode = values.mode
    if str(mode) not in spec.modes:
        mode = Mode(spec.default_mode)
        notes["mode"] = _gone(spec, _mode_word(values.mode), _mode_word(mode))
    changes["mode"] = mode
    if values.duration not in spec.durations:
        duration = spec.nearest_duration(values.duration)
        notes["duration"] = _gone(spec, _seconds(values.duration), _seconds(duration))
        changes["duration"] = duration
    frame = spec.frame_for(str(mode))
    value = getattr(values, frame.param)
    if value not in frame.options:
        changes[frame.param] = frame.default
        if value:
            old, new = frame_label(frame.param, value), frame_label(frame.param, frame.default)
            notes[frame.param] = _gone(spec, old, new)
    if values.provider not in spec.providers:
        changes["provider"] = spec.default_provider
        notes["provider"] = _gone(spec, values.provider, spec.default_provider)
    return replace(values, **changes), notes


def to_draft(values: FormValues) -> dict[str, Any]:
    """JSON-safe, for the settings store; the keys are the ones drafts have always been saved with, plus the
    model and the frame parameters other models take."""
    return {
        "prompt": values.prompt,
        "model": values.model,
        "mode": str(values.mode),
        "aspect_ratio": values.aspect_ratio,
        "size": values.size,
        "resolution": values.resolution,
        "duration": values.duration,
        "provider": values.provider,
        "remove_watermark": values.remove_watermark,
        "request_type": str(values.request_type),
        "callback_url": values.callback_url,
        "takes": values.takes,
        "images": [{"source": image.source, "is_local": image.is_local} for image in values.images],
    }


def from_draft(data: object) -> FormValues:
    """Read `to_draft` output back; a missing or malformed value (an older version, a hand edit) falls back to
    its default, so a bad draft never stops the window from opening. A draft from before models were data has
    no model: it was a Sora 2 draft. Whether the catalogue still offers a value is `fit_values`' question."""
    values: dict[Any, Any] = data if isinstance(data, dict) else {}
    defaults = FormValues()
    prompt, callback, watermark = values.get("prompt"), values.get("callback_url"), values.get("remove_watermark")
    takes, images, duration = values.get("takes"), values.get("images"), values.get("duration")
    return FormValues(
        prompt=prompt if isinstance(prompt, str) else defaults.prompt,
        model=_text(values.get("model"), defaults.model),
        mode=_choice(Mode, values.get("mode"), defaults.mode),
        aspect_ratio=_text(values.get("aspect_ratio"), defaults.aspect_ratio),
        size=_text(values.get("size"), defaults.size),
        resolution=_text(values.get("resolution"), defaults.resolution),
        duration=_seconds_of(duration, defaults.duration),
        provider=_text(values.get("provider"), defaults.provider),
        remove_watermark=watermark if isinstance(watermark, bool) else defaults.remove_watermark,
        request_type=_choice(RequestType, values.get("request_type"), defaults.request_type),
        callback_url=callback if isinstance(callback, str) else defaults.callback_url,
        takes=takes if _whole(takes) else defaults.takes,
        images=tuple(image for image in map(_image, images if isinstance(images, list) else []) if image),
    )


def _whole(value: object) -> TypeGuard[int]:
    # bool is an int: `True` must not become one take (or a 1 s video) by accident of arithmetic.
    return isinstance(value, int) and not isinstance(value, bool)


def _seconds_of(value: object, default: int) -> int:
    """A stored duration: a whole number, or one written as text ("15"), above zero."""
    text = str(value).strip() if _whole(value) or isinstance(value, str) else ""
    return int(text) if text.isdecimal() and int(text) > 0 else default


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) and value.strip() else default


def _choice(kind: type[_Choice], value: object, default: _Choice) -> _Choice:
    return next((member for member in kind if str(member.value) == str(value)), default)


def _image(entry: object) -> ImageSource | None:
    if isinstance(entry, ImageSource):
        return entry
    source = entry.get("source") if isinstance(entry, dict) else entry
    if not isinstance(source, str) or not source:
        return None
    return ImageSource(source, not source.lower().startswith(("http://", "https://")))


def _gone(spec: ModelSpec, old: str, new: str) -> str:
    return _translate("FormDraft", "{0} is no longer offered for {1}; set to {2}.").format(old, spec.title, new)


def _seconds(duration: int) -> str:
    return _translate("FormDraft", "{0} s").format(duration)


def _mode_word(mode: Mode) -> str:
    if mode == Mode.IMAGE_TO_VIDEO:
        return _translate("FormDraft", "Image to video")
    return _translate("FormDraft", "Text to video")
