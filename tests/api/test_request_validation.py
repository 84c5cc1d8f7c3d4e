"""GenerationRequest: every rule the service has, explained per field, and the JSON body API.md documents."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sora2_desktop.api import (
    MAX_PROMPT_CHARS,
    AspectRatio,
    GenerationRequest,
    Mode,
    Provider,
    RequestType,
)

IMAGE = "https://images.example.com/ref.png"


def bad(**changes: Any) -> GenerationRequest:
    """A request that is valid except for `changes` (type-checking is off here: the point is bad values)."""
    fields: dict[str, Any] = {"prompt": "A red fox runs through snow, slow dolly in"}
    fields.update(changes)
    return GenerationRequest(**fields)


BAD_REQUESTS = [
    pytest.param(bad(prompt=""), "prompt", "Write a prompt", id="empty-prompt"),
    pytest.param(bad(prompt=" \n\t "), "prompt", "Write a prompt", id="blank-prompt"),
    pytest.param(bad(prompt=None), "prompt", "Write a prompt", id="prompt-not-text"),
    pytest.param(
        bad(prompt="x" * (MAX_PROMPT_CHARS + 1)),
        "prompt",
        "The prompt is 10,001 characters; the service takes at most 10,000.",
        id="prompt-too-long",
    ),
    pytest.param(bad(mode="video-to-video"), "mode", "Unknown mode 'video-to-video'", id="unknown-mode"),
    pytest.param(bad(duration=5), "duration", "Duration must be 10 or 15 seconds, not 5.", id="duration-5"),
    pytest.param(bad(duration=20), "duration", "not 20.", id="duration-20"),
    pytest.param(bad(duration=10.0), "duration", "not 10.0.", id="duration-float"),
    pytest.param(bad(duration=True), "duration", "not True.", id="duration-bool"),
    pytest.param(bad(duration="10"), "duration", "not '10'.", id="duration-text"),
    pytest.param(
        bad(aspect_ratio="square"), "aspect_ratio", "must be landscape or portrait, not 'square'", id="square"
    ),
    pytest.param(bad(provider="cheap"), "provider", "must be auto, value or official, not 'cheap'", id="pr"),
    pytest.param(bad(remove_watermark="yes"), "remove_watermark", "must be on or off", id="watermark-text"),
    pytest.param(
        bad(mode=Mode.IMAGE_TO_VIDEO),
        "image_urls",
        "Image-to-video needs at least one reference image.",
        id="i2v-without-images",
    ),
    pytest.param(bad(image_urls=(IMAGE,)), "image_urls", "Text-to-video takes no images", id="t2v-with-images"),
    pytest.param(
        bad(mode=Mode.IMAGE_TO_VIDEO, image_urls=("ftp://example.com/a.png",)),
        "image_urls",
        "Image address 'ftp://example.com/a.png' must be a full http:// or https:// URL.",
        id="image-ftp",
    ),
    pytest.param(
        bad(mode=Mode.IMAGE_TO_VIDEO, image_urls=("ref.png",)),
        "image_urls",
        "must be a full http:// or https:// URL",
        id="image-relative",
    ),
    pytest.param(bad(mode=Mode.IMAGE_TO_VIDEO, image_urls=("https://",)), "image_urls", "full http://", id="no-host"),
    pytest.param(
        bad(mode=Mode.IMAGE_TO_VIDEO, image_urls=("http://[::1",)),
        "image_urls",
        "full http://",
        id="image-unparseable",
    ),
    pytest.param(
        bad(mode=Mode.IMAGE_TO_VIDEO, image_urls=IMAGE),
        "image_urls",
        "Image addresses must be a list of URLs.",
        id="images-as-one-string",
    ),
    pytest.param(
        bad(mode=Mode.IMAGE_TO_VIDEO, image_urls=None), "image_urls", "must be a list of URLs", id="images-none"
    ),
    pytest.param(bad(request_type="webhook"), "request_type", "must be polling or callback, not 'webhook'", id="hook"),
    pytest.param(
        bad(request_type=RequestType.CALLBACK),
        "callback_url",
        "Callback delivery needs a URL the service can reach.",
        id="callback-missing",
    ),
    pytest.param(
        bad(request_type=RequestType.CALLBACK, callback_url="   "),
        "callback_url",
        "needs a URL",
        id="callback-blank",
    ),
    pytest.param(
        bad(request_type=RequestType.CALLBACK, callback_url="http://hooks.example.com/sora"),
        "callback_url",
        "The callback URL must be a public https:// address.",
        id="callback-plain-http",
    ),
    pytest.param(
        bad(request_type=RequestType.CALLBACK, callback_url="https://"),
        "callback_url",
        "must be a public https:// address",
        id="callback-no-host",
    ),
]


@pytest.mark.parametrize(("request_", "field", "message"), BAD_REQUESTS)
def test_bad_request_names_its_field_and_says_why(request_: GenerationRequest, field: str, message: str) -> None:
    errors = request_.validate()
    assert [error.field for error in errors] == [field]
    assert message in errors[0].message


def test_every_broken_rule_is_reported_at_once() -> None:
    errors = bad(prompt="", duration=12, aspect_ratio="square", provider="x").validate()
    assert [error.field for error in errors] == ["prompt", "duration", "aspect_ratio", "provider"]


GOOD_REQUESTS = [
    pytest.param(GenerationRequest(prompt="A lighthouse at golden hour"), id="defaults"),
    pytest.param(GenerationRequest(prompt="x" * MAX_PROMPT_CHARS, duration=15), id="longest-prompt"),
    pytest.param(
        GenerationRequest(
            prompt="The girl slowly turns",
            mode=Mode.IMAGE_TO_VIDEO,
            image_urls=(IMAGE, "http://127.0.0.1:9000/bucket/b.webp"),
            aspect_ratio=AspectRatio.PORTRAIT,
            provider=Provider.OFFICIAL,
            remove_watermark=False,
        ),
        id="image-to-video",
    ),
    pytest.param(
        GenerationRequest(
            prompt="Descend through clouds",
            request_type=RequestType.CALLBACK,
            callback_url="https://hooks.example.com/sora",
        ),
        id="callback",
    ),
    # Plain strings (as read back from storage) are as good as the enum members.
    pytest.param(bad(mode="text-to-video", aspect_ratio="portrait", provider="value"), id="plain-strings"),
]


@pytest.mark.parametrize("request_", GOOD_REQUESTS)
def test_good_request_passes(request_: GenerationRequest) -> None:
    assert request_.validate() == []


def test_text_to_video_payload_matches_api_md() -> None:
    payload = GenerationRequest(prompt="A lighthouse", duration=15).to_payload()
    assert payload == {
        "request_type": "async",
        "provider": "auto",
        "input": {
            "mode": "text-to-video",
            "prompt": "A lighthouse",
            "duration": 15,
            "aspect_ratio": "landscape",
            "remove_watermark": True,
        },
    }
    # Enum members must serialize as their plain values, with nothing left that json cannot write.
    assert json.loads(json.dumps(payload)) == payload


def test_image_to_video_callback_payload_matches_api_md() -> None:
    request = GenerationRequest(
        prompt="The girl slowly turns",
        mode=Mode.IMAGE_TO_VIDEO,
        image_urls=(f" {IMAGE} ",),
        aspect_ratio=AspectRatio.PORTRAIT,
        provider=Provider.VALUE,
        remove_watermark=False,
        request_type=RequestType.CALLBACK,
        callback_url=" https://hooks.example.com/sora ",
    )
    assert request.validate() == []
    assert request.to_payload() == {
        "request_type": "callback",
        "callback_url": "https://hooks.example.com/sora",
        "provider": "value",
        "input": {
            "mode": "image-to-video",
            "prompt": "The girl slowly turns",
            "duration": 10,
            "aspect_ratio": "portrait",
            "image_urls": [IMAGE],
            "remove_watermark": False,
        },
    }


def test_callback_url_is_not_sent_for_polling() -> None:
    request = GenerationRequest(prompt="p", callback_url="https://hooks.example.com/sora")
    assert "callback_url" not in request.to_payload()


def test_dict_round_trip_keeps_every_field() -> None:
    request = GenerationRequest(
        prompt="The girl slowly turns",
        mode=Mode.IMAGE_TO_VIDEO,
        image_urls=(IMAGE,),
        duration=15,
        aspect_ratio=AspectRatio.PORTRAIT,
        provider=Provider.OFFICIAL,
        remove_watermark=False,
        request_type=RequestType.CALLBACK,
        callback_url="https://hooks.example.com/sora",
    )
    stored = json.loads(json.dumps(request.to_dict()))
    assert GenerationRequest.from_dict(stored) == request


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://127.0.0.1/hook", "cannot be reached from the internet"),
        ("https://127.0.0.1:8443/hook", "cannot be reached from the internet"),
        ("https://[::1]/hook", "cannot be reached from the internet"),
        ("https://10.0.0.5/hook", "cannot be reached from the internet"),
        ("https://192.168.1.20/hook", "cannot be reached from the internet"),
        ("https://172.16.0.1/hook", "cannot be reached from the internet"),
        ("https://169.254.169.254/latest/meta-data/", "cannot be reached from the internet"),
        ("https://[fe80::1]/hook", "cannot be reached from the internet"),
        ("https://[::ffff:10.0.0.1]/hook", "cannot be reached from the internet"),
        ("https://0.0.0.0/hook", "cannot be reached from the internet"),
        ("https://224.0.0.1/hook", "cannot be reached from the internet"),
        ("https://localhost/hook", "only your network knows"),
        ("https://hooks.localhost/hook", "only your network knows"),
        ("https://printer.local/hook", "only your network knows"),
        ("https://intranet/hook", "only your network knows"),
        ("https://me:secret@hooks.example.com/sora", "user name and password"),
        ("https://token@hooks.example.com/sora", "user name and password"),
        ("https://hooks.example.com:99999/sora", "public https://"),
        ("ftp://hooks.example.com/sora", "public https://"),
    ],
)
def test_a_callback_url_must_be_public_https(url: str, words: str) -> None:
    errors = bad(request_type=RequestType.CALLBACK, callback_url=url).validate()
    assert [e.field for e in errors] == ["callback_url"]
    assert words in errors[0].message


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/sora", "https://93.184.216.34/hook", "https://[2606:4700::1]/h"]
)
def test_a_public_https_callback_url_passes(url: str) -> None:
    assert bad(request_type=RequestType.CALLBACK, callback_url=url).validate() == []
