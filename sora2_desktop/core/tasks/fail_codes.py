"""Fail codes: the service's two generations of `failCode` names, read as what failed and which part was to blame.

Pure data and one function: failure_text.py makes the words, the task actions decide whether a re-run asks first.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class FailPart(enum.StrEnum):
    """Which part of a task the service blamed: what the person has to change."""

    PROMPT = "prompt"
    INPUT_IMAGE = "input_image"
    # A generic flag on a task that had images: the service did not say whether the prompt or the image.
    PROMPT_OR_IMAGE = "prompt_or_image"
    OUTPUT = "output"  # the result, judged after it was made
    ACCOUNT = "account"
    SERVICE = "service"


class FailKind(enum.StrEnum):
    """What was wrong, one value per distinct piece of advice."""

    CONTENT_FLAGGED = "content_flagged"  # the prompt or the image broke the safety rules (which one: FailPart)
    IMAGE_FLAGGED = "image_flagged"
    OUTPUT_FLAGGED = "output_flagged"
    PROMPT_TOO_LONG = "prompt_too_long"
    PROMPT_INVALID = "prompt_invalid"
    IMAGE_UNREACHABLE = "image_unreachable"
    IMAGE_TOO_LARGE = "image_too_large"
    IMAGE_FORMAT = "image_format"
    TIMED_OUT = "timed_out"
    MODEL_UNAVAILABLE = "model_unavailable"
    GENERATION_FAILED = "generation_failed"
    NO_CREDIT = "no_credit"


@dataclass(frozen=True)
class FailCause:
    """`flagged`: a content-safety flag, so sending the same input again is flagged again (and may be charged).
    `resend_can_succeed`: the same input may work later (a timeout, the service down, an image host that was
    down, an account since topped up)."""

    kind: FailKind
    part: FailPart
    flagged: bool
    resend_can_succeed: bool


# Keyed by the normalised name (see `normalise_code`): both generations, as shared/API.md lists them.
_KINDS: dict[str, FailKind] = {
    # older generation
    "contentviolation": FailKind.CONTENT_FLAGGED,
    "nsfwdetected": FailKind.CONTENT_FLAGGED,
    "prompttoolong": FailKind.PROMPT_TOO_LONG,
    "invalidprompt": FailKind.PROMPT_INVALID,
    "invalidimageurl": FailKind.IMAGE_UNREACHABLE,
    "imagetoolarge": FailKind.IMAGE_TOO_LARGE,
    "unsupportedformat": FailKind.IMAGE_FORMAT,
    "imagedownloadfailed": FailKind.IMAGE_UNREACHABLE,
    "processingtimeout": FailKind.TIMED_OUT,
    "modelunavailable": FailKind.MODEL_UNAVAILABLE,
    "generationfailed": FailKind.GENERATION_FAILED,
    "insufficientcredits": FailKind.NO_CREDIT,
    # newer generation
    "sensitivecontent": FailKind.CONTENT_FLAGGED,
    "sensitivecontentdetected": FailKind.CONTENT_FLAGGED,
    "inputimagesensitivecontentdetected": FailKind.IMAGE_FLAGGED,
    "inputoutputsensitivecontentdetected": FailKind.OUTPUT_FLAGGED,
    "nsfw": FailKind.CONTENT_FLAGGED,
    "prohibitedcontentdetected": FailKind.CONTENT_FLAGGED,
    "promptlengthexceeded": FailKind.PROMPT_TOO_LONG,
}

_FIXED_PART = {
    FailKind.IMAGE_FLAGGED: FailPart.INPUT_IMAGE,
    FailKind.OUTPUT_FLAGGED: FailPart.OUTPUT,
    FailKind.PROMPT_TOO_LONG: FailPart.PROMPT,
    FailKind.PROMPT_INVALID: FailPart.PROMPT,
    FailKind.IMAGE_UNREACHABLE: FailPart.INPUT_IMAGE,
    FailKind.IMAGE_TOO_LARGE: FailPart.INPUT_IMAGE,
    FailKind.IMAGE_FORMAT: FailPart.INPUT_IMAGE,
    FailKind.TIMED_OUT: FailPart.SERVICE,
    FailKind.MODEL_UNAVAILABLE: FailPart.SERVICE,
    FailKind.GENERATION_FAILED: FailPart.SERVICE,
    FailKind.NO_CREDIT: FailPart.ACCOUNT,
}
_FLAGS = (FailKind.CONTENT_FLAGGED, FailKind.IMAGE_FLAGGED, FailKind.OUTPUT_FLAGGED)
# An unreachable image may be a host that was down for a moment; a bad format or size stays bad.
_RESEND_CAN_SUCCEED = (
    FailKind.IMAGE_UNREACHABLE,
    FailKind.TIMED_OUT,
    FailKind.MODEL_UNAVAILABLE,
    FailKind.GENERATION_FAILED,
    FailKind.NO_CREDIT,
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_code(code: str) -> str:
    """ "CONTENT_VIOLATION", "Content-Violation" and "content violation" are one code; so are "SensitiveContent"
    and "sensitive_content": the two generations differ in case and separators only."""
    return _NOT_ALNUM.sub("", code.casefold())


def classify(code: str | None, *, has_images: bool) -> FailCause | None:
    """What a fail code means for a task with (or without) reference images; None for an empty or unknown code
    (shown as it came: guessing would give the wrong advice)."""
    if not code:
        return None
    kind = _KINDS.get(normalise_code(code))
    if kind is None:
        return None
    part = _FIXED_PART.get(kind)
    if part is None:  # a generic flag: only a task without images can blame the prompt alone
        part = FailPart.PROMPT_OR_IMAGE if has_images else FailPart.PROMPT
    return FailCause(kind=kind, part=part, flagged=kind in _FLAGS, resend_can_succeed=kind in _RESEND_CAN_SUCCEED)
