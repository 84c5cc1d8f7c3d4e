"""apply_schema: read what is readable from a model's published schema over its shipped spec.

The schema's shape is not documented (shared/API.md: "expect JSON-Schema style"), so nothing here trusts it:
each value is taken only when it is well-formed (the right type, a non-empty list without repeats, a default
among its options) and the result must still be a valid spec. Anything unknown or malformed keeps the shipped
value, so a page redesign at the service can never take a control away from the form.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sora2_desktop.api.model_spec import KNOWN_MODES, FrameChoice, ModelSpec, SpecError, spec_from_json

log = logging.getLogger(__name__)


def apply_schema(spec: ModelSpec, schema: object) -> ModelSpec:
    """`spec` with the readable values of `schema` over it and `refreshed` naming the fields that changed;
    `spec` itself when nothing readable differs or the result would not be a valid spec."""
    top = _props(schema)
    if top is None:
        return spec
    # Usually the parameters are under properties → input → properties; some pages put them at the top.
    inputs = _props(top.get("input")) or top
    changes: dict[str, Any] = {}
    changes.update(_modes(spec, inputs.get("mode")))
    changes.update(_prompt(spec, inputs.get("prompt")))
    changes.update(_durations(spec, inputs.get("duration")))
    changes.update(_frame(spec, inputs))
    changes.update(_providers(spec, top.get("provider", inputs.get("provider"))))
    changes.update(_images(spec, inputs.get("image_urls")))
    changes.update(_watermark(spec, inputs.get("remove_watermark")))
    changed = {name for name, value in changes.items() if value != getattr(spec, name)}
    if not changed:
        return spec
    candidate = replace(spec, **{name: changes[name] for name in changed})
    try:
        # The strict reader is the judge of "valid": a combination no single check above saw (a default mode
        # without a frame, a prompt minimum above the maximum) keeps the shipped spec whole.
        spec_from_json(candidate.to_json())
    except SpecError as exc:
        log.warning("the published schema of %s is not used (%s); keeping the shipped values", spec.id, exc)
        return spec
    return replace(candidate, refreshed=frozenset(changed) | spec.refreshed)


# -- one reader per parameter: each returns the fields it can set, or {} ----------------------------------------


def _modes(spec: ModelSpec, node: object) -> dict[str, Any]:
    options = _enum(node, str)
    if options is None:
        return {}
    # A mode the app cannot build a form for (or has no frame for) is not offered; the rest are.
    modes = tuple(mode for mode in options if mode in KNOWN_MODES and mode in spec.frame)
    if not modes:
        return {}
    modes = _keep_order(spec.modes, modes)
    default = _default(node, modes, spec.default_mode)
    return {"modes": modes, "default_mode": default}


def _prompt(spec: ModelSpec, node: object) -> dict[str, Any]:
    if not isinstance(node, Mapping):
        return {}
    low, high = _count(node.get("minLength"), 0), _count(node.get("maxLength"), 1)
    found: dict[str, Any] = {}
    if high is not None:
        found["prompt_max_chars"] = high
    if low is not None:
        found["prompt_min_chars"] = max(low, 1)  # an empty prompt is never a request
    if found.get("prompt_min_chars", spec.prompt_min_chars) > found.get("prompt_max_chars", spec.prompt_max_chars):
        return {}
    return found


def _durations(spec: ModelSpec, node: object) -> dict[str, Any]:
    options = _enum(node, int)
    if options is None or any(d < 1 for d in options):
        return {}
    durations = _keep_order(spec.durations, tuple(sorted(options)))
    fallback = spec.default_duration if spec.default_duration in durations else _nearest(durations, spec)
    return {"durations": durations, "default_duration": _default(node, durations, fallback)}


def _nearest(durations: tuple[int, ...], spec: ModelSpec) -> int:
    """The new duration closest to the shipped default (the shorter one on a tie, as ModelSpec does)."""
    return min(durations, key=lambda d: (abs(d - spec.default_duration), d))


def _frame(spec: ModelSpec, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """A frame parameter applies to every mode whose shipped choice uses that parameter."""
    frame = dict(spec.frame)
    for mode, choice in spec.frame.items():
        node = inputs.get(choice.param)
        options = _enum(node, str)
        if options is None:
            continue
        options = _keep_order(choice.options, options)
        fallback = choice.default if choice.default in options else options[0]
        frame[mode] = FrameChoice(choice.param, options, _default(node, options, fallback))
    return {"frame": frame} if frame != dict(spec.frame) else {}


def _providers(spec: ModelSpec, node: object) -> dict[str, Any]:
    options = _enum(node, str)
    if options is None:
        return {}
    providers = _keep_order(spec.providers, options)
    fallback = spec.default_provider if spec.default_provider in providers else providers[0]
    return {"providers": providers, "default_provider": _default(node, providers, fallback)}


def _images(spec: ModelSpec, node: object) -> dict[str, Any]:
    if not isinstance(node, Mapping):
        return {}
    # minItems 0 says text-to-video needs none: image-to-video still needs one, so only 1 or more is read.
    low, high = _count(node.get("minItems"), 1), _count(node.get("maxItems"), 1)
    found: dict[str, Any] = {}
    if low is not None:
        found["images_min"] = low
    if high is not None:
        found["images_max"] = high
    top = found.get("images_max", spec.images_max)
    if top is not None and found.get("images_min", spec.images_min) > top:
        return {}
    return found


def _watermark(spec: ModelSpec, node: object) -> dict[str, Any]:
    if not isinstance(node, Mapping):
        return {}  # absent says nothing: an undocumented page may just leave it out
    found: dict[str, Any] = {"watermark_offered": True}
    if isinstance(node.get("default"), bool):
        found["default_remove_watermark"] = node["default"]
    return found


# -- checked reading ------------------------------------------------------------------------------------------


def _props(node: object) -> Mapping[str, Any] | None:
    if not isinstance(node, Mapping):
        return None
    props = node.get("properties")
    return props if isinstance(props, Mapping) else None


def _enum(node: object, kind: type) -> tuple[Any, ...] | None:
    """The node's `enum` when it is a non-empty list of distinct values of `kind` (never bools), else None."""
    if not isinstance(node, Mapping):
        return None
    values = node.get("enum")
    if not isinstance(values, list) or not values:
        return None
    if not all(isinstance(v, kind) and not isinstance(v, bool) for v in values):
        return None
    if kind is str and not all(v.strip() for v in values):
        return None
    return tuple(values) if len(set(values)) == len(values) else None


def _default(node: object, options: tuple[Any, ...], fallback: Any) -> Any:
    value = node.get("default") if isinstance(node, Mapping) else None
    return value if not isinstance(value, bool) and value in options else fallback


def _count(value: object, low: int) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= low else None


def _keep_order(shipped: tuple[Any, ...], found: tuple[Any, ...]) -> tuple[Any, ...]:
    """The same values in another order are no change: the shipped order (the form's) stays."""
    return shipped if set(shipped) == set(found) and len(shipped) == len(found) else found
