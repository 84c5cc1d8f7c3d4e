"""The stand-in's contract: what each model takes under the page version it plays (`seed` or `later`), the
schemas it publishes for it, and its price table. shared/API.md, "The contract moves", is the source.

The stand-in judges submits by these rules and publishes the same rules as schemas, so a test can switch the
contract under a running app and see the app follow its published catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

CONTRACTS = ("seed", "later")
INDEX_PATH = "/docs/models/schemas/index.json"
SCHEMA_PATH = "/docs/models/schemas/{model}.json"  # published relative to /docs/ as models/schemas/<model>.json
STARTING_BALANCE_USD = 25.00


@dataclass(frozen=True)
class Frame:
    """The one parameter that sets the frame in a mode, its values and its default."""

    param: str
    options: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class ModelRules:
    model: str
    title: str
    prompt_max: int
    durations: tuple[int, ...]
    default_duration: int
    frame: dict[str, Frame]  # mode → frame parameter
    providers: tuple[str, ...]
    default_provider: str
    exactly_one_image: bool  # image-to-video takes exactly one URL (else: one or more)
    watermark: bool  # `remove_watermark` is a parameter of this model
    usd: float
    per_second: bool  # the price table: per second of video, or per generation
    # Frames per second of the demo videos delivered for this model. The real rates are not published; the two
    # models get different stated rates so timelines and exports meet mixed-rate material, as with real takes.
    frame_rate: int = 30

    def price(self, duration: int) -> float:
        return self.usd * duration if self.per_second else self.usd


_RATIOS = Frame("aspect_ratio", ("landscape", "portrait"), "landscape")
SORA_2 = ModelRules(
    model="sora-2",
    title="Sora 2",
    prompt_max=10_000,
    durations=(10, 15),
    default_duration=10,
    frame={"text-to-video": _RATIOS, "image-to-video": _RATIOS},
    providers=("auto", "value", "official"),
    default_provider="auto",
    exactly_one_image=False,
    watermark=True,
    usd=0.15,
    per_second=False,
)
# The later page: 4/8/12 s, the official provider only, exactly one image.
SORA_2_LATER = replace(
    SORA_2, durations=(4, 8, 12), default_duration=4, providers=("official",), default_provider="official",
    exactly_one_image=True,
)  # fmt: skip
SORA_2_PRO = ModelRules(
    model="sora-2-pro",
    title="Sora 2 Pro",
    prompt_max=5_000,
    durations=(4, 8, 12),
    default_duration=4,
    frame={
        "text-to-video": Frame("size", ("720*1280", "1280*720", "1024*1792", "1792*1024"), "1280*720"),
        "image-to-video": Frame("resolution", ("720p", "1080p"), "720p"),
    },
    providers=("official",),
    default_provider="official",
    exactly_one_image=True,
    watermark=False,
    usd=0.30,
    per_second=True,
    frame_rate=24,
)
# Width × height of the delivered video for each value of a frame parameter (aspect_ratio, size, resolution);
# any other value gets DEFAULT_PICTURE.
PICTURE_SIZES = {
    "landscape": (1280, 720),
    "portrait": (720, 1280),
    "1280*720": (1280, 720),
    "720*1280": (720, 1280),
    "1792*1024": (1792, 1024),
    "1024*1792": (1024, 1792),
    "720p": (1280, 720),
    "1080p": (1920, 1080),
}
DEFAULT_PICTURE = (1280, 720)
_BY_CONTRACT = {"seed": (SORA_2, SORA_2_PRO), "later": (SORA_2_LATER, SORA_2_PRO)}


def models_for(contract: str) -> dict[str, ModelRules]:
    if contract not in CONTRACTS:
        raise ValueError(f"unknown contract {contract!r}; known: {', '.join(CONTRACTS)}")
    return {rules.model: rules for rules in _BY_CONTRACT[contract]}


def index_document(contract: str) -> dict[str, Any]:
    """The model index as the service publishes it (shared/API.md), with schema paths relative to /docs/."""
    models = models_for(contract).values()
    return {
        "schema_version": "1.0",
        "generated_at": "2026-12-03T00:00:00Z",
        "total_models": len(models),
        "models": [
            {
                "model_id": rules.model,
                "slug": rules.model,
                "category": "video",
                "title": rules.title,
                "integration_type": "async",
                "schema_path": f"models/schemas/{rules.model}.json",
                "doc_path": f"models/{rules.model}",
            }
            for rules in models
        ],
    }


def schema_document(rules: ModelRules) -> dict[str, Any]:
    """One model's schema in JSON-Schema style: properties → input → properties → each parameter."""
    modes = list(rules.frame)
    inputs: dict[str, Any] = {
        "mode": {"type": "string", "enum": modes, "default": modes[0]},
        "prompt": {"type": "string", "minLength": 1, "maxLength": rules.prompt_max},
        "duration": {"type": "integer", "enum": list(rules.durations), "default": rules.default_duration},
        "image_urls": {"type": "array", "items": {"type": "string", "format": "uri"}, "minItems": 1},
    }
    if rules.exactly_one_image:
        inputs["image_urls"]["maxItems"] = 1
    for frame in rules.frame.values():
        inputs.setdefault(frame.param, {"type": "string", "enum": list(frame.options), "default": frame.default})
    if rules.watermark:
        inputs["remove_watermark"] = {"type": "boolean", "default": True}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": rules.title,
        "type": "object",
        "properties": {
            "request_type": {"type": "string", "enum": ["async", "callback"], "default": "async"},
            "callback_url": {"type": "string", "format": "uri"},
            "provider": {"type": "string", "enum": list(rules.providers), "default": rules.default_provider},
            "input": {"type": "object", "required": ["mode", "prompt"], "properties": inputs},
        },
        "required": ["input"],
    }
