"""Form drafts: what the compose form holds (FormValues), as the JSON-safe dict the settings keep, and back."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypeVar

from sora2_desktop.api.request import (
    ALLOWED_DURATIONS,
    AspectRatio,
    GenerationRequest,
    Mode,
    Provider,
    RequestType,
)
from sora2_desktop.core.images.resolver import ImageSource

_Choice = TypeVar("_Choice", bound=enum.Enum)


@dataclass(frozen=True)
class FormValues:
    """Everything typed and chosen, including what the chosen mode and delivery hide (kept, not sent)."""

    prompt: str = ""
    mode: Mode = Mode.TEXT_TO_VIDEO
    aspect_ratio: AspectRatio = AspectRatio.LANDSCAPE
    duration: int = ALLOWED_DURATIONS[0]
    provider: Provider = Provider.AUTO
    remove_watermark: bool = True
    request_type: RequestType = RequestType.ASYNC
    callback_url: str = ""  # as typed; sent only with callback delivery
    takes: int = 1
    images: tuple[ImageSource, ...] = ()  # as listed; sent only with image-to-video

    def request(self) -> GenerationRequest:
        """The request these values describe, without its images (`chosen_images`: files have no URL yet)."""
        callback = self.callback_url.strip() or None if self.request_type == RequestType.CALLBACK else None
        return GenerationRequest(
            prompt=self.prompt,
            mode=self.mode,
            duration=self.duration,
            aspect_ratio=self.aspect_ratio,
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
            mode=request.mode,
            aspect_ratio=request.aspect_ratio,
            duration=request.duration,
            provider=request.provider,
            remove_watermark=request.remove_watermark,
            request_type=request.request_type,
            callback_url=request.callback_url or "",
            takes=takes,
            images=tuple(ImageSource(url, False) for url in request.image_urls),
        )


def to_draft(values: FormValues) -> dict[str, Any]:
    """JSON-safe, for the settings store; the keys are the ones drafts have always been saved with."""
    return {
        "prompt": values.prompt,
        "mode": str(values.mode),
        "aspect_ratio": str(values.aspect_ratio),
        "duration": values.duration,
        "provider": str(values.provider),
        "remove_watermark": values.remove_watermark,
        "request_type": str(values.request_type),
        "callback_url": values.callback_url,
        "takes": values.takes,
        "images": [{"source": image.source, "is_local": image.is_local} for image in values.images],
    }


def from_draft(data: object) -> FormValues:
    """Read `to_draft` output back; a missing or malformed value (an older version, a hand edit) falls back to
    its default, so a bad draft never stops the window from opening."""
    values: dict[Any, Any] = data if isinstance(data, dict) else {}
    defaults = FormValues()
    prompt, callback, watermark = values.get("prompt"), values.get("callback_url"), values.get("remove_watermark")
    takes, images = values.get("takes"), values.get("images")
    return FormValues(
        prompt=prompt if isinstance(prompt, str) else defaults.prompt,
        mode=_choice(Mode, values.get("mode"), defaults.mode),
        aspect_ratio=_choice(AspectRatio, values.get("aspect_ratio"), defaults.aspect_ratio),
        duration=next((d for d in ALLOWED_DURATIONS if str(d) == str(values.get("duration"))), defaults.duration),
        provider=_choice(Provider, values.get("provider"), defaults.provider),
        remove_watermark=watermark if isinstance(watermark, bool) else defaults.remove_watermark,
        request_type=_choice(RequestType, values.get("request_type"), defaults.request_type),
        callback_url=callback if isinstance(callback, str) else defaults.callback_url,
        # bool is an int: `True` must not become one take by accident of arithmetic.
        takes=takes if isinstance(takes, int) and not isinstance(takes, bool) else defaults.takes,
        images=tuple(image for image in map(_image, images if isinstance(images, list) else []) if image),
    )


def _choice(kind: type[_Choice], value: object, default: _Choice) -> _Choice:
    return next((member for member in kind if str(member.value) == str(value)), default)


def _image(entry: object) -> ImageSource | None:
    if isinstance(entry, ImageSource):
        return entry
    source = entry.get("source") if isinstance(entry, dict) else entry
    if not isinstance(source, str) or not source:
        return None
    return ImageSource(source, not source.lower().startswith(("http://", "https://")))
