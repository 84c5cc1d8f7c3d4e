"""Which request parameter a service refusal names, so its message can be shown at that field of the form.

The service's 400 answers are free text ("input.duration must be one of 4, 8, 12 (got 10)", "duration: not
allowed", "Invalid parameter 'aspect_ratio'"). Only the names of parameters a request sends count: a word that
merely looks like one ("the prompt was flagged") must not move a message away from the general label.
"""

from __future__ import annotations

import re

# The request's parameters, as GenerationRequest names them (and the form names its fields).
REQUEST_PARAMS = frozenset(
    {
        "prompt",
        "mode",
        "duration",
        "aspect_ratio",
        "size",
        "resolution",
        "image_urls",
        "remove_watermark",
        "provider",
        "request_type",
        "callback_url",
    }
)

# Each pattern's one group is the name; tried together, so the name first in the message wins.
_NAMED = re.compile(
    r"\binput\.(\w+)"  # input.duration, input.image_urls[0]
    r"|(?:^|[\s(\[,;])[\"'`‘“]?(\w+)[\"'`’”]?\s*:"  # duration: …  /  "duration": …
    r"|[\"'`‘“](\w+)[\"'`’”]"  # Invalid parameter 'aspect_ratio'
)


def refused_field(message: str | None) -> str | None:
    """The request parameter `message` names (e.g. "duration"), or None when it names none."""
    for match in _NAMED.finditer(message or ""):
        name = next(group for group in match.groups() if group is not None)
        if name in REQUEST_PARAMS:
            return name
    return None
