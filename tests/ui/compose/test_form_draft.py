"""Form drafts: FormValues to the stored dict and back, garbage tolerated, and the request the values describe."""

from __future__ import annotations

import json

import pytest

from sora2_desktop.api.request import AspectRatio, GenerationRequest, Mode, Provider, RequestType
from sora2_desktop.core.images.resolver import ImageSource
from sora2_desktop.ui.compose.form_draft import FormValues, from_draft, to_draft

EVERYTHING = FormValues(
    prompt="A red kite over dunes",
    mode=Mode.IMAGE_TO_VIDEO,
    aspect_ratio=AspectRatio.PORTRAIT,
    duration=15,
    provider=Provider.OFFICIAL,
    remove_watermark=False,
    request_type=RequestType.CALLBACK,
    callback_url=" https://hooks.example.com/sora ",
    takes=3,
    images=(ImageSource("/pictures/ref.png", True), ImageSource("https://example.com/b.webp", False)),
)


def test_round_trip_through_json() -> None:
    draft = json.loads(json.dumps(to_draft(EVERYTHING)))
    assert from_draft(draft) == EVERYTHING


def test_the_stored_keys_stay_the_ones_older_versions_wrote() -> None:
    assert to_draft(EVERYTHING) == {
        "prompt": "A red kite over dunes",
        "mode": "image-to-video",
        "aspect_ratio": "portrait",
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
        aspect_ratio=AspectRatio.PORTRAIT,
        remove_watermark=False,
        provider=Provider.OFFICIAL,
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
