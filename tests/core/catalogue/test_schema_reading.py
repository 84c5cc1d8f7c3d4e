"""apply_schema reads what is readable of a published schema over the shipped spec, and nothing else."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from sora2_desktop.api.model_spec import spec_from_json
from sora2_desktop.core.catalogue.schema_reading import apply_schema
from sora2_desktop.sim.contract import SORA_2, SORA_2_LATER, SORA_2_PRO, schema_document
from tests.helpers.models import SORA_2 as SHIPPED_SORA_2
from tests.helpers.models import SORA_2_PRO as SHIPPED_PRO


def later_schema() -> dict[str, Any]:
    return schema_document(SORA_2_LATER)


def test_the_later_page_changes_durations_providers_and_image_count() -> None:
    spec = apply_schema(SHIPPED_SORA_2, later_schema())
    assert spec.durations == (4, 8, 12) and spec.default_duration == 4
    assert spec.providers == ("official",) and spec.default_provider == "official"
    assert (spec.images_min, spec.images_max) == (1, 1)
    assert spec.refreshed == {"durations", "default_duration", "providers", "default_provider", "images_max"}
    # Everything the schema does not say differently is the shipped value.
    assert spec.frame == SHIPPED_SORA_2.frame and spec.price == SHIPPED_SORA_2.price
    assert spec_from_json(spec.to_json()) == replace(spec, refreshed=frozenset())  # still a valid entry


@pytest.mark.parametrize(("rules", "shipped"), [(SORA_2, SHIPPED_SORA_2), (SORA_2_PRO, SHIPPED_PRO)])
def test_a_schema_saying_what_ships_changes_nothing(rules: Any, shipped: Any) -> None:
    # The stand-in lists Sora 2 Pro's sizes in another order than the catalogue: order alone is no change.
    assert apply_schema(shipped, schema_document(rules)) is shipped


def test_a_frame_parameter_applies_to_the_modes_that_take_it() -> None:
    schema = schema_document(SORA_2_PRO)
    schema["properties"]["input"]["properties"]["resolution"] = {"enum": ["480p", "720p", "1080p"], "default": "1080p"}
    spec = apply_schema(SHIPPED_PRO, schema)
    assert spec.frame["image-to-video"].options == ("480p", "720p", "1080p")
    assert spec.frame["image-to-video"].default == "1080p"
    assert spec.frame["text-to-video"] == SHIPPED_PRO.frame["text-to-video"]
    assert spec.refreshed == {"frame"}


def test_parameters_directly_under_the_top_level_properties_are_read() -> None:
    schema = {"properties": {"duration": {"enum": [5, 10]}, "provider": {"enum": ["value", "official"]}}}
    spec = apply_schema(SHIPPED_SORA_2, schema)
    assert spec.durations == (5, 10) and spec.default_duration == 10  # the shipped default is still offered
    assert spec.providers == ("value", "official") and spec.default_provider == "value"


def test_a_default_outside_its_options_is_not_taken() -> None:
    schema = {"properties": {"input": {"properties": {"duration": {"enum": [4, 8, 12], "default": 10}}}}}
    spec = apply_schema(SHIPPED_SORA_2, schema)
    assert spec.durations == (4, 8, 12) and spec.default_duration == 8  # nearest to the shipped 10, shorter on a tie


def test_prompt_limits_and_watermark_are_read() -> None:
    inputs = {"prompt": {"minLength": 1, "maxLength": 2000}, "remove_watermark": {"type": "boolean", "default": False}}
    spec = apply_schema(SHIPPED_PRO, {"properties": {"input": {"properties": inputs}}})
    assert spec.prompt_max_chars == 2000
    assert spec.watermark_offered and not spec.default_remove_watermark


MALFORMED: list[Any] = [
    None,
    "a page",
    [],
    {},
    {"properties": []},
    {"properties": {"input": {"properties": "duration"}}, "x": 1},
    {"properties": {"input": {"properties": {"duration": {"enum": []}}}}},
    {"properties": {"input": {"properties": {"duration": {"enum": "4,8,12"}}}}},
    {"properties": {"input": {"properties": {"duration": {"enum": ["4", "8"]}}}}},
    {"properties": {"input": {"properties": {"duration": {"enum": [True, False]}}}}},
    {"properties": {"input": {"properties": {"duration": {"enum": [0, 4]}}}}},
    {"properties": {"input": {"properties": {"duration": {"enum": [4, 4]}}}}},
    {"properties": {"input": {"properties": {"duration": {"minimum": 4, "maximum": 12}}}}},
    {"properties": {"input": {"properties": {"aspect_ratio": {"enum": [16, 9]}}}}},
    {"properties": {"input": {"properties": {"aspect_ratio": {"enum": [" "]}}}}},
    {"properties": {"input": {"properties": {"prompt": {"maxLength": "5000"}}}}},
    {"properties": {"input": {"properties": {"prompt": {"maxLength": 0}}}}},
    {"properties": {"input": {"properties": {"prompt": {"minLength": 20000}}}}},
    {"properties": {"input": {"properties": {"image_urls": {"maxItems": 0}}}}},
    {"properties": {"input": {"properties": {"image_urls": {"minItems": 3, "maxItems": 2}}}}},
    {"properties": {"input": {"properties": {"mode": {"enum": ["video-to-video"]}}}}},
    {"properties": {"input": {"properties": {"remove_watermark": True}}}},
    {"properties": {"provider": {"enum": None}}},
    {"properties": {"input": {"properties": {"unknown": {"enum": [1, 2]}, "duration": {"oneOf": [{"const": 4}]}}}}},
]


@pytest.mark.parametrize("schema", MALFORMED)
def test_unknown_or_malformed_shapes_change_nothing(schema: Any) -> None:
    before = copy.deepcopy(schema)
    assert apply_schema(SHIPPED_SORA_2, schema) is SHIPPED_SORA_2
    assert schema == before


def test_a_readable_value_still_applies_beside_a_malformed_one() -> None:
    inputs = {"duration": {"enum": "4,8"}, "prompt": {"maxLength": 3000}}
    spec = apply_schema(SHIPPED_SORA_2, {"properties": {"input": {"properties": inputs}}})
    assert spec.durations == SHIPPED_SORA_2.durations and spec.prompt_max_chars == 3000
