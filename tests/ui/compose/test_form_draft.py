"""Form drafts: FormValues to the stored dict and back, garbage tolerated, and the request the values describe."""

from __future__ import annotations

import json

import pytest

from sora2_desktop.api.request import GenerationRequest, Mode, RequestType
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue, shipped_catalogue
from sora2_desktop.core.images.resolver import ImageSource
from sora2_desktop.ui.compose.form_draft import FormValues, fit_values, from_draft, to_draft
from tests.helpers.models import SORA_2, SORA_2_PRO

EVERYTHING = FormValues(
    prompt="A red kite over dunes",
    mode=Mode.IMAGE_TO_VIDEO,
    aspect_ratio="portrait",
    duration=15,
    provider="official",
    remove_watermark=False,
    request_type=RequestType.CALLBACK,
    callback_url=" https://hooks.example.com/sora ",
    takes=3,
    images=(ImageSource("/pictures/ref.png", True), ImageSource("https://example.com/b.webp", False)),
)


def test_round_trip_through_json() -> None:
    draft = json.loads(json.dumps(to_draft(EVERYTHING)))
    assert from_draft(draft) == EVERYTHING


def test_the_stored_keys_stay_the_ones_older_versions_wrote_plus_the_model_and_its_frame() -> None:
    assert to_draft(EVERYTHING) == {
        "prompt": "A red kite over dunes",
        "model": "sora-2",
        "mode": "image-to-video",
        "aspect_ratio": "portrait",
        "size": "",
        "resolution": "",
        "duration": 15,
        "provider": "official",
        "remove_watermark": False,
        "request_type": "callback",
        "callback_url": " https://hooks.example.com/sora ",
        "takes": 3,
        "images": [
            {"source": "/pictures/ref.png", "is_local": True},
            {"source": "https://example.com/b.webp", "is_local": False},
        ],
    }


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "not a dict",
        [1, 2],
        {},
        {
            "mode": 7,
            "duration": "soon",
            "aspect_ratio": None,
            "provider": ["x"],
            "request_type": {},
            "remove_watermark": "yes",
            "takes": "many",
            "callback_url": 5,
            "prompt": 42,
            "images": "x.png",
        },
        {"images": [None, 3, {"nosource": 1}, {"source": 9}, ""], "takes": True, "unknown": object()},
    ],
)
def test_garbage_falls_back_to_the_defaults(garbage: object) -> None:
    assert from_draft(garbage) == FormValues()


def test_an_image_given_as_a_bare_string_is_read_by_its_scheme() -> None:
    values = from_draft({"images": ["/tmp/a.png", "HTTPS://example.com/b.png"]})
    assert values.images == (ImageSource("/tmp/a.png", True), ImageSource("HTTPS://example.com/b.png", False))


def test_a_duration_stored_as_text_is_still_read() -> None:
    assert from_draft({"duration": "15"}).duration == 15


def test_the_request_leaves_out_what_the_choices_hide() -> None:
    assert EVERYTHING.request() == GenerationRequest(
        prompt="A red kite over dunes",
        mode=Mode.IMAGE_TO_VIDEO,
        duration=15,
        aspect_ratio="portrait",
        remove_watermark=False,
        provider="official",
        request_type=RequestType.CALLBACK,
        callback_url="https://hooks.example.com/sora",
    )
    assert EVERYTHING.chosen_images() == list(EVERYTHING.images)
    hidden = FormValues(callback_url="https://kept.example.com", images=EVERYTHING.images)
    assert hidden.request().callback_url is None  # polling
    assert hidden.chosen_images() == []  # text-to-video


def test_from_request_lists_its_addresses_as_images() -> None:
    request = GenerationRequest(prompt="p", mode=Mode.IMAGE_TO_VIDEO, image_urls=("https://example.com/a.png",))
    values = FormValues.from_request(request, takes=2)
    assert values.images == (ImageSource("https://example.com/a.png", False),)
    assert values.takes == 2
    assert values.request() == GenerationRequest(prompt="p", mode=Mode.IMAGE_TO_VIDEO)


def test_a_draft_from_before_models_were_data_reads_as_sora_2() -> None:
    old = {key: value for key, value in to_draft(EVERYTHING).items() if key not in ("model", "size", "resolution")}
    values = from_draft(old)
    assert values == EVERYTHING and values.model == "sora-2"
    assert fit_values(values, shipped_catalogue()) == (values, {})  # all of it still offered: no notes


def test_a_pro_draft_round_trips_and_its_request_carries_only_the_frame_the_mode_takes() -> None:
    pro = FormValues(
        prompt="p", model="sora-2-pro", size="1792*1024", resolution="1080p", duration=12, provider="official"
    )
    assert from_draft(json.loads(json.dumps(to_draft(pro)))) == pro
    text = pro.request(SORA_2_PRO)
    assert (text.size, text.resolution, text.aspect_ratio) == ("1792*1024", "", "landscape")
    image = FormValues(**{**pro.__dict__, "mode": Mode.IMAGE_TO_VIDEO}).request(SORA_2_PRO)
    assert (image.size, image.resolution) == ("", "1080p")
    # A Sora 2 request never names a size it does not take, though the draft keeps the one chosen for Pro.
    back = FormValues(**{**pro.__dict__, "model": "sora-2", "duration": 10, "aspect_ratio": "portrait"})
    assert (back.request(SORA_2).size, back.request(SORA_2).aspect_ratio) == ("", "portrait")


def later_contract() -> ModelCatalogue:
    """The catalogue after a refresh that found Sora 2 at 4/8/12 s, official only (API.md, "The contract moves")."""
    from dataclasses import replace

    sora = replace(
        SORA_2, durations=(4, 8, 12), default_duration=4, providers=("official",), default_provider="official"
    )
    return ModelCatalogue("2026-12-03.1+live", (sora, SORA_2_PRO), "refreshed")


def test_values_the_catalogue_no_longer_offers_move_to_the_nearest_with_a_note() -> None:
    fitted, notes = fit_values(FormValues(duration=10, provider="auto"), later_contract())
    assert (fitted.duration, fitted.provider) == (8, "official")
    assert notes == {
        "duration": "10 s is no longer offered for Sora 2; set to 8 s.",
        "provider": "auto is no longer offered for Sora 2; set to official.",
    }
    fitted, notes = fit_values(FormValues(duration=15), later_contract())
    assert fitted.duration == 12 and notes["duration"] == "15 s is no longer offered for Sora 2; set to 12 s."


def test_a_frame_value_or_model_that_vanished_takes_the_default_with_a_note() -> None:
    fitted, notes = fit_values(
        FormValues(model="sora-2-pro", size="640*480", duration=4, provider="official"), shipped_catalogue()
    )
    assert fitted.size == "1280*720"
    assert notes == {"size": "640×480 (landscape) is no longer offered for Sora 2 Pro; set to 1280×720 (landscape)."}
    fitted, notes = fit_values(FormValues(model="sora-3"), shipped_catalogue())
    assert fitted.model == "sora-2" and notes == {"model": "The model “sora-3” is no longer offered; set to Sora 2."}
    # A choice never made (Pro's size in a Sora 2 draft) takes the default silently.
    fitted, notes = fit_values(FormValues(model="sora-2-pro", duration=4, provider="official"), shipped_catalogue())
    assert fitted.size == "1280*720" and notes == {}
