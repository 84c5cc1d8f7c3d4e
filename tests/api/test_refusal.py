"""refused_field: which request parameter a service refusal names, so the message lands at that control."""

from __future__ import annotations

import pytest

from sora2_desktop.api.refusal import refused_field


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("input.duration must be one of 4, 8, 12 (got 10)", "duration"),
        ("input.duration must be 10 or 15 (seconds), not 7", "duration"),
        ("input.image_urls[0] could not be fetched", "image_urls"),
        ('input.aspect_ratio must be landscape or portrait, not "square"', "aspect_ratio"),
        ("duration: must be one of 4, 8, 12", "duration"),
        ("Bad request; provider: only official is supported", "provider"),
        ('{"size": "must be one of 1280*720, 720*1280"}', "size"),
        ("Invalid parameter 'aspect_ratio'", "aspect_ratio"),
        ('Invalid parameter "resolution"', "resolution"),
        ("Unsupported value for `remove_watermark`", "remove_watermark"),
        ("callback_url is required when request_type is callback", None),  # bare words name nothing for sure
        ("request_type: must be async or callback", "request_type"),
        # The first name in the message wins.
        ("input.size is not offered; use input.resolution for image-to-video", "size"),
    ],
)
def test_a_named_parameter_is_found(message: str, field: str | None) -> None:
    assert refused_field(message) == field


@pytest.mark.parametrize(
    "message",
    [
        None,
        "",
        "Insufficient credits",
        "The prompt was flagged by the content filter",  # "prompt" as a word, not as a parameter name
        "input.colour must be one of red, blue",  # a name, but no parameter a request sends
        "Invalid parameter 'seed'",
        "Error: something went wrong",  # "Error:" looks like "<name>:" but names no parameter
        "model: sora-3 is not available",  # the model is chosen by the endpoint, not a field of the body
    ],
)
def test_a_message_naming_no_parameter_stays_general(message: str | None) -> None:
    assert refused_field(message) is None
