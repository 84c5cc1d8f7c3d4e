"""ModelSpec: the shipped catalogue reads as API.md gives each model, and a bad entry is refused whole, by name."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from sora2_desktop.api.model_spec import Price, SpecError, spec_from_json
from sora2_desktop.core.catalogue.catalogue import catalogue_from_json, shipped_catalogue
from sora2_desktop.resources import resource_path
from tests.helpers.models import SORA_2, SORA_2_PRO


def test_sora_2_is_the_page_the_app_started_from() -> None:
    assert SORA_2.submit_path == "/api/v1/generateTask/sora-2"
    assert SORA_2.status_path == "/api/v1/statusTask/sora-2"
    assert SORA_2.durations == (10, 15) and SORA_2.default_duration == 10
    assert SORA_2.providers == ("auto", "value", "official") and SORA_2.default_provider == "auto"
    assert SORA_2.prompt_max_chars == 10_000
    for mode in ("text-to-video", "image-to-video"):
        frame = SORA_2.frame_for(mode)
        assert (frame.param, frame.options, frame.default) == ("aspect_ratio", ("landscape", "portrait"), "landscape")
    assert SORA_2.images_max is None and SORA_2.watermark_offered


def test_sora_2_pro_is_its_own_page() -> None:
    assert SORA_2_PRO.submit_path == "/api/v1/generateTask/sora-2-pro"
    assert SORA_2_PRO.durations == (4, 8, 12)
    assert SORA_2_PRO.prompt_max_chars == 5_000
    assert SORA_2_PRO.frame_for("text-to-video").param == "size"
    assert set(SORA_2_PRO.frame_for("text-to-video").options) == {"720*1280", "1280*720", "1024*1792", "1792*1024"}
    assert SORA_2_PRO.frame_for("image-to-video").options == ("720p", "1080p")
    assert SORA_2_PRO.providers == ("official",)
    assert (SORA_2_PRO.images_min, SORA_2_PRO.images_max) == (1, 1)


def test_every_shipped_entry_survives_a_round_trip() -> None:
    catalogue = shipped_catalogue()
    again = catalogue_from_json(json.loads(json.dumps(catalogue.to_json())))
    assert again == catalogue
    assert catalogue.version == json.loads(resource_path("models/catalogue.json").read_text())["catalogue_version"]


@pytest.mark.parametrize(
    ("price", "duration", "usd"),
    [(Price("generation", 0.15), 15, 0.15), (Price("second", 0.30), 12, 3.6), (Price("second", 0.1), 4, 0.4)],
)
def test_a_price_is_per_generation_or_per_second(price: Price, duration: int, usd: float) -> None:
    assert price.estimate(duration) == pytest.approx(usd)


def test_the_nearest_duration_prefers_the_shorter_on_a_tie() -> None:
    assert SORA_2_PRO.nearest_duration(10) == 8  # 8 and 12 are both 2 away: the cheaper one
    assert SORA_2_PRO.nearest_duration(15) == 12
    assert SORA_2.nearest_duration(4) == 10


def _entry(**changes: Any) -> dict[str, Any]:
    entry = copy.deepcopy(SORA_2.to_json())
    entry.update(changes)
    return entry


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (_entry(durations=[]), "durations must be a non-empty list"),
        (_entry(durations=[10, "15"]), "durations must be a whole number"),
        (_entry(default_duration=12), "default_duration 12 is not one of [10, 15]"),
        (_entry(modes=["video-to-video"]), "unknown mode"),
        (_entry(providers=["auto", "auto"]), "repeat a value"),
        (_entry(default_provider="cheap"), "default_provider"),
        (_entry(submit_path="https://evil.example.com/x"), "must be a path on the API's host"),
        (_entry(price={"per": "minute", "usd": 1}), "price per"),
        (_entry(price={"per": "second", "usd": float("nan")}), "price usd"),
        (_entry(price={"per": "second", "usd": -1}), "price usd"),
        (_entry(prompt={"min_chars": 20, "max_chars": 10}), "min_chars is above max_chars"),
        (_entry(frame={"text-to-video": {"param": "fps", "options": ["24"], "default": "24"}}), "frame"),
        (_entry(watermark={"offered": "yes"}), "watermark offered"),
        ("sora-2", "entry must be an object"),
    ],
)
def test_a_bad_entry_is_refused_with_its_reason(entry: object, words: str) -> None:
    with pytest.raises(SpecError, match=None) as raised:
        spec_from_json(entry)
    assert words in str(raised.value)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"format": 2, "catalogue_version": "x", "models": []}, "format 2"),
        ({"format": 1, "models": []}, "no catalogue_version"),
        ({"format": 1, "catalogue_version": "x", "models": []}, "lists no models"),
        ({"format": 1, "catalogue_version": "x", "models": [SORA_2.to_json(), SORA_2.to_json()]}, "twice"),
    ],
)
def test_a_bad_catalogue_is_refused_whole(data: dict[str, Any], words: str) -> None:
    with pytest.raises(SpecError) as raised:
        catalogue_from_json(data)
    assert words in str(raised.value)


def test_an_old_tasks_model_that_is_no_longer_listed_still_has_a_spec() -> None:
    only_pro = catalogue_from_json({"format": 1, "catalogue_version": "x", "models": [SORA_2_PRO.to_json()]})
    assert only_pro.get("sora-2") is None
    assert only_pro.spec_for("sora-2") == SORA_2  # shown and followed by the shipped entry
    assert only_pro.spec_for("veo-9") == SORA_2  # unknown anywhere: read as the legacy model
