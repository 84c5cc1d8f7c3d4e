"""ModelSpec: what one video model on the service takes (modes, limits, choices, defaults, price), read from data.

The service's pages disagree about these values and change them (shared/API.md, "The contract moves"), so none
of them is a constant in code: the app ships a catalogue file (resources/models/catalogue.json), refreshes it
from the service, and every rule a request is judged by comes from its model's spec. No Qt, no I/O here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

TEXT_TO_VIDEO = "text-to-video"
IMAGE_TO_VIDEO = "image-to-video"
KNOWN_MODES = (TEXT_TO_VIDEO, IMAGE_TO_VIDEO)
# The request parameters that say how a frame looks; a model takes one of them per mode.
FRAME_PARAMS = ("aspect_ratio", "size", "resolution")
PRICE_UNITS = ("generation", "second")
# Every task stored before models were data was a Sora 2 task.
LEGACY_MODEL = "sora-2"


class SpecError(ValueError):
    """A catalogue entry that cannot be used, with the reason (logged; the shipped entry is used instead)."""


@dataclass(frozen=True)
class FrameChoice:
    """The one parameter that sets the frame in a mode (`aspect_ratio`, `size` or `resolution`) and its values."""

    param: str
    options: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class Price:
    """What one generation costs: `usd` per generation, or per second of video. The person can edit it."""

    per: str  # "generation" or "second"
    usd: float

    def estimate(self, duration_s: int) -> float:
        return self.usd * duration_s if self.per == "second" else self.usd


@dataclass(frozen=True)
class ModelSpec:
    id: str
    title: str
    submit_path: str
    status_path: str
    modes: tuple[str, ...]
    default_mode: str
    prompt_min_chars: int
    prompt_max_chars: int
    durations: tuple[int, ...]
    default_duration: int
    frame: Mapping[str, FrameChoice]  # mode → the frame parameter it takes
    providers: tuple[str, ...]
    default_provider: str
    images_min: int  # for image-to-video
    images_max: int | None  # None: the service states no limit
    image_max_bytes: int
    image_types: tuple[str, ...]
    watermark_offered: bool
    default_remove_watermark: bool
    price: Price
    # Which values came from the service's live schema rather than the shipped file (field names).
    refreshed: frozenset[str] = field(default_factory=frozenset)

    def frame_for(self, mode: str) -> FrameChoice:
        return self.frame.get(mode) or next(iter(self.frame.values()))

    def nearest_duration(self, wanted: int) -> int:
        """The allowed duration closest to `wanted` (the shorter one on a tie: it costs less)."""
        return min(self.durations, key=lambda d: (abs(d - wanted), d))

    def with_price(self, price: Price) -> ModelSpec:
        return replace(self, price=price)

    def to_json(self) -> dict[str, Any]:
        """The catalogue file's form of this entry; `spec_from_json` reads it back."""
        return {
            "id": self.id,
            "title": self.title,
            "submit_path": self.submit_path,
            "status_path": self.status_path,
            "modes": list(self.modes),
            "default_mode": self.default_mode,
            "prompt": {"min_chars": self.prompt_min_chars, "max_chars": self.prompt_max_chars},
            "durations": list(self.durations),
            "default_duration": self.default_duration,
            "frame": {
                mode: {"param": f.param, "options": list(f.options), "default": f.default}
                for mode, f in self.frame.items()
            },
            "providers": list(self.providers),
            "default_provider": self.default_provider,
            "images": {
                "min": self.images_min,
                "max": self.images_max,
                "max_bytes": self.image_max_bytes,
                "types": list(self.image_types),
            },
            "watermark": {"offered": self.watermark_offered, "default_remove": self.default_remove_watermark},
            "price": {"per": self.price.per, "usd": self.price.usd},
        }


def spec_from_json(data: object) -> ModelSpec:
    """One catalogue entry, checked whole: every list non-empty, every default among its options. Raises
    SpecError naming the first thing wrong, so a bad file is reported, never half-used."""
    entry = _mapping(data, "entry")
    model_id = _text(entry.get("id"), "id")
    where = f"model {model_id!r}"
    modes = _texts(entry.get("modes"), f"{where}: modes")
    unknown = [m for m in modes if m not in KNOWN_MODES]
    if unknown:
        raise SpecError(f"{where}: unknown mode {unknown[0]!r}")
    prompt = _mapping(entry.get("prompt"), f"{where}: prompt")
    durations = tuple(_whole(d, f"{where}: durations") for d in _list(entry.get("durations"), f"{where}: durations"))
    frames = _mapping(entry.get("frame"), f"{where}: frame")
    frame: dict[str, FrameChoice] = {}
    for mode in modes:
        choice = _mapping(frames.get(mode), f"{where}: frame for {mode}")
        param = _text(choice.get("param"), f"{where}: frame parameter for {mode}")
        if param not in FRAME_PARAMS:
            raise SpecError(f"{where}: unknown frame parameter {param!r}")
        options = _texts(choice.get("options"), f"{where}: {param} options")
        frame[mode] = FrameChoice(param, options, _member(choice.get("default"), options, f"{where}: {param} default"))
    providers = _texts(entry.get("providers"), f"{where}: providers")
    images = _mapping(entry.get("images"), f"{where}: images")
    images_max = images.get("max")
    watermark = _mapping(entry.get("watermark"), f"{where}: watermark")
    spec = ModelSpec(
        id=model_id,
        title=_text(entry.get("title"), f"{where}: title"),
        submit_path=_path(entry.get("submit_path"), f"{where}: submit_path"),
        status_path=_path(entry.get("status_path"), f"{where}: status_path"),
        modes=modes,
        default_mode=_member(entry.get("default_mode"), modes, f"{where}: default_mode"),
        prompt_min_chars=_whole(prompt.get("min_chars", 1), f"{where}: prompt min_chars"),
        prompt_max_chars=_whole(prompt.get("max_chars"), f"{where}: prompt max_chars", low=1),
        durations=_non_empty(durations, f"{where}: durations"),
        default_duration=_member(entry.get("default_duration"), durations, f"{where}: default_duration"),
        frame=frame,
        providers=providers,
        default_provider=_member(entry.get("default_provider"), providers, f"{where}: default_provider"),
        images_min=_whole(images.get("min", 1), f"{where}: images min"),
        images_max=None if images_max is None else _whole(images_max, f"{where}: images max", low=1),
        image_max_bytes=_whole(images.get("max_bytes"), f"{where}: images max_bytes", low=1),
        image_types=_texts(images.get("types"), f"{where}: image types"),
        watermark_offered=_flag(watermark.get("offered"), f"{where}: watermark offered"),
        default_remove_watermark=_flag(watermark.get("default_remove", True), f"{where}: watermark default"),
        price=price_from_json(entry.get("price"), where),
    )
    if spec.prompt_min_chars > spec.prompt_max_chars:
        raise SpecError(f"{where}: prompt min_chars is above max_chars")
    return spec


def price_from_json(data: object, where: str = "price") -> Price:
    price = _mapping(data, f"{where}: price")
    per = _member(price.get("per"), PRICE_UNITS, f"{where}: price per")
    usd = price.get("usd")
    if isinstance(usd, bool) or not isinstance(usd, int | float) or not math.isfinite(usd) or usd < 0:
        raise SpecError(f"{where}: price usd must be a number of dollars, not {usd!r}")
    return Price(per, float(usd))


# -- checked reading ------------------------------------------------------------------------------------------


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SpecError(f"{what} must be an object")
    return value


def _list(value: object, what: str) -> Sequence[Any]:
    if not isinstance(value, list) or not value:
        raise SpecError(f"{what} must be a non-empty list")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{what} must be text")
    return value


def _texts(value: object, what: str) -> tuple[str, ...]:
    return _non_empty(tuple(_text(v, what) for v in _list(value, what)), what)


def _non_empty(values: tuple[Any, ...], what: str) -> tuple[Any, ...]:
    if len(set(values)) != len(values):
        raise SpecError(f"{what} repeat a value")
    return values


def _whole(value: object, what: str, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise SpecError(f"{what} must be a whole number of at least {low}, not {value!r}")
    return value


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"{what} must be true or false")
    return value


def _member(value: Any, options: Sequence[Any], what: str) -> Any:
    if isinstance(value, bool) or value not in options:
        raise SpecError(f"{what} {value!r} is not one of {list(options)}")
    return value


def _path(value: object, what: str) -> str:
    text = _text(value, what)
    if not text.startswith("/") or "://" in text:
        raise SpecError(f"{what} must be a path on the API's host, like /api/v1/…")
    return text
