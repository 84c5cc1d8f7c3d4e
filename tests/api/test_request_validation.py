"""GenerationRequest: every rule the service has, explained per field, and the JSON body API.md documents."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sora2_desktop.api import GenerationRequest, Mode, RequestType
from tests.helpers.models import SORA_2, SORA_2_PRO

MAX_PROMPT_CHARS = SORA_2.prompt_max_chars

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
        "The prompt is 10,001 characters; Sora 2 takes at most 10,000.",
        id="prompt-too-long",
    ),
    pytest.param(bad(mode="video-to-video"), "mode", "does not offer the mode 'video-to-video'", id="unknown-mode"),
    pytest.param(bad(duration=5), "duration", "Sora 2 makes videos of 10 or 15 seconds, not 5.", id="duration-5"),
    pytest.param(bad(duration=20), "duration", "not 20.", id="duration-20"),
    pytest.param(bad(duration=10.0), "duration", "not 10.0.", id="duration-float"),
    pytest.param(bad(duration=True), "duration", "not True.", id="duration-bool"),
    pytest.param(bad(duration="10"), "duration", "not '10'.", id="duration-text"),
    pytest.param(
        bad(aspect_ratio="square"),
        "aspect_ratio",
        "takes aspect ratio landscape or portrait, not 'square'",
        id="square",
    ),
    pytest.param(bad(provider="cheap"), "provider", "takes provider auto, value or official, not 'cheap'", id="pr"),
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
    errors = request_.validate(SORA_2)
    assert [error.field for error in errors] == [field]
    assert message in errors[0].message


def test_every_broken_rule_is_reported_at_once() -> None:
    errors = bad(prompt="", duration=12, aspect_ratio="square", provider="x").validate(SORA_2)
    assert [error.field for error in errors] == ["prompt", "duration", "aspect_ratio", "provider"]


GOOD_REQUESTS = [
    pytest.param(GenerationRequest(prompt="A lighthouse at golden hour"), id="defaults"),
    pytest.param(GenerationRequest(prompt="x" * MAX_PROMPT_CHARS, duration=15), id="longest-prompt"),
    pytest.param(
        GenerationRequest(
            prompt="The girl slowly turns",
            mode=Mode.IMAGE_TO_VIDEO,
            image_urls=(IMAGE, "http://127.0.0.1:9000/bucket/b.webp"),
            aspect_ratio="portrait",
            provider="official",
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
    assert request_.validate(SORA_2) == []


def test_text_to_video_payload_matches_api_md() -> None:
    payload = GenerationRequest(prompt="A lighthouse", duration=15).to_payload(SORA_2)
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
        aspect_ratio="portrait",
        provider="value",
        remove_watermark=False,
        request_type=RequestType.CALLBACK,
        callback_url=" https://hooks.example.com/sora ",
    )
    assert request.validate(SORA_2) == []
    assert request.to_payload(SORA_2) == {
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
    assert "callback_url" not in request.to_payload(SORA_2)


def test_dict_round_trip_keeps_every_field() -> None:
    request = GenerationRequest(
        prompt="The girl slowly turns",
        mode=Mode.IMAGE_TO_VIDEO,
        image_urls=(IMAGE,),
        duration=15,
        aspect_ratio="portrait",
        provider="official",
        remove_watermark=False,
        request_type=RequestType.CALLBACK,
        callback_url="https://hooks.example.com/sora",
        model="sora-2-pro",
        size="720*1280",
        resolution="1080p",
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
    errors = bad(request_type=RequestType.CALLBACK, callback_url=url).validate(SORA_2)
    assert [e.field for e in errors] == ["callback_url"]
    assert words in errors[0].message


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/sora", "https://93.184.216.34/hook", "https://[2606:4700::1]/h"]
)
def test_a_public_https_callback_url_passes(url: str) -> None:
    assert bad(request_type=RequestType.CALLBACK, callback_url=url).validate(SORA_2) == []


def test_a_request_is_judged_by_its_own_model() -> None:
    errors = bad(model="sora-2-pro", duration=4, size="1280*720", provider="official").validate(SORA_2)
    assert [e.field for e in errors] == ["model", "duration"]


PRO = {"model": "sora-2-pro", "provider": "official", "duration": 8, "size": "1280*720", "resolution": "720p"}


def pro(**changes: Any) -> GenerationRequest:
    return bad(**{**PRO, **changes})


PRO_BAD = [
    pytest.param(pro(duration=10), "duration", "Sora 2 Pro makes videos of 4, 8 or 12 seconds", id="10s"),
    pytest.param(pro(provider="auto"), "provider", "takes provider official, not 'auto'", id="auto"),
    pytest.param(pro(size="1920*1080"), "size", "takes size 1280*720, 720*1280, 1792*1024 or 1024*1792", id="sz"),
    pytest.param(
        pro(mode=Mode.IMAGE_TO_VIDEO, resolution="4k", image_urls=(IMAGE,)),
        "resolution",
        "720p or 1080p",
        id="4k",
    ),
    pytest.param(
        pro(mode=Mode.IMAGE_TO_VIDEO, resolution="720p", image_urls=(IMAGE, IMAGE)),
        "image_urls",
        "Sora 2 Pro takes exactly one reference image; remove 1.",
        id="two-images",
    ),
    pytest.param(pro(prompt="x" * 5001), "prompt", "at most 5,000", id="long"),
]


@pytest.mark.parametrize(("request_", "field", "message"), PRO_BAD)
def test_sora_2_pro_rules_come_from_its_spec(request_: GenerationRequest, field: str, message: str) -> None:
    errors = request_.validate(SORA_2_PRO)
    assert [error.field for error in errors] == [field]
    assert message in errors[0].message


def test_sora_2_pro_payload_sends_size_in_text_to_video_and_resolution_in_image_to_video() -> None:
    t2v = pro(size="1024*1792", resolution="1080p")
    assert t2v.validate(SORA_2_PRO) == []
    assert t2v.to_payload(SORA_2_PRO) == {
        "request_type": "async",
        "provider": "official",
        "input": {"mode": "text-to-video", "prompt": t2v.prompt, "duration": 8, "size": "1024*1792"},
    }
    i2v = pro(mode=Mode.IMAGE_TO_VIDEO, size="1024*1792", resolution="1080p", image_urls=(IMAGE,))
    assert i2v.validate(SORA_2_PRO) == []
    body = i2v.to_payload(SORA_2_PRO)["input"]
    assert body["resolution"] == "1080p" and "size" not in body and "aspect_ratio" not in body
    assert "remove_watermark" not in body  # the Pro page documents no watermark option


def test_rows_from_before_models_were_data_read_as_sora_2() -> None:
    old = {"prompt": "p", "mode": "text-to-video", "duration": 10, "aspect_ratio": "landscape", "provider": "auto"}
    request = GenerationRequest.from_dict(old)
    assert request.model == "sora-2"
    assert request.validate(SORA_2) == []
