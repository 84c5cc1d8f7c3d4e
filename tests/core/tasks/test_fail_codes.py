"""Fail codes of both generations, normalised, read as what failed and which part was to blame."""

from __future__ import annotations

import pytest

from sora2_desktop.core.tasks.fail_codes import FailKind, FailPart, classify, normalise_code

K, P = FailKind, FailPart
# Every code shared/API.md documents: (code, kind, part with images, part without, flagged, resend can succeed).
DOCUMENTED = [
    ("CONTENT_VIOLATION", K.CONTENT_FLAGGED, P.PROMPT_OR_IMAGE, P.PROMPT, True, False),
    ("NSFW_DETECTED", K.CONTENT_FLAGGED, P.PROMPT_OR_IMAGE, P.PROMPT, True, False),
    ("PROMPT_TOO_LONG", K.PROMPT_TOO_LONG, P.PROMPT, P.PROMPT, False, False),
    ("INVALID_PROMPT", K.PROMPT_INVALID, P.PROMPT, P.PROMPT, False, False),
    ("INVALID_IMAGE_URL", K.IMAGE_UNREACHABLE, P.INPUT_IMAGE, P.INPUT_IMAGE, False, True),
    ("IMAGE_TOO_LARGE", K.IMAGE_TOO_LARGE, P.INPUT_IMAGE, P.INPUT_IMAGE, False, False),
    ("UNSUPPORTED_FORMAT", K.IMAGE_FORMAT, P.INPUT_IMAGE, P.INPUT_IMAGE, False, False),
    ("IMAGE_DOWNLOAD_FAILED", K.IMAGE_UNREACHABLE, P.INPUT_IMAGE, P.INPUT_IMAGE, False, True),
    ("PROCESSING_TIMEOUT", K.TIMED_OUT, P.SERVICE, P.SERVICE, False, True),
    ("MODEL_UNAVAILABLE", K.MODEL_UNAVAILABLE, P.SERVICE, P.SERVICE, False, True),
    ("GENERATION_FAILED", K.GENERATION_FAILED, P.SERVICE, P.SERVICE, False, True),
    ("INSUFFICIENT_CREDITS", K.NO_CREDIT, P.ACCOUNT, P.ACCOUNT, False, True),
    ("SensitiveContent", K.CONTENT_FLAGGED, P.PROMPT_OR_IMAGE, P.PROMPT, True, False),
    ("SensitiveContentDetected", K.CONTENT_FLAGGED, P.PROMPT_OR_IMAGE, P.PROMPT, True, False),
    ("InputImageSensitiveContentDetected", K.IMAGE_FLAGGED, P.INPUT_IMAGE, P.INPUT_IMAGE, True, False),
    ("InputOutputSensitiveContentDetected", K.OUTPUT_FLAGGED, P.OUTPUT, P.OUTPUT, True, False),
    ("NSFW", K.CONTENT_FLAGGED, P.PROMPT_OR_IMAGE, P.PROMPT, True, False),
    ("ProhibitedContentDetected", K.CONTENT_FLAGGED, P.PROMPT_OR_IMAGE, P.PROMPT, True, False),
    ("PromptLengthExceeded", K.PROMPT_TOO_LONG, P.PROMPT, P.PROMPT, False, False),
]


@pytest.mark.parametrize(("code", "kind", "with_images", "without", "flagged", "resend"), DOCUMENTED)
def test_every_documented_code_names_its_part(
    code: str, kind: FailKind, with_images: FailPart, without: FailPart, flagged: bool, resend: bool
) -> None:
    cause = classify(code, has_images=True)
    assert cause is not None and (cause.kind, cause.part, cause.flagged) == (kind, with_images, flagged)
    assert cause.resend_can_succeed == resend
    plain = classify(code, has_images=False)
    assert plain is not None and plain.part == without


@pytest.mark.parametrize(
    ("variant", "kind"),
    [
        ("sensitive_content", K.CONTENT_FLAGGED),
        ("Content-Violation", K.CONTENT_FLAGGED),
        ("nsfw detected", K.CONTENT_FLAGGED),
        ("content_violation", K.CONTENT_FLAGGED),
        ("  PROMPT-LENGTH-EXCEEDED ", K.PROMPT_TOO_LONG),
        ("input_image_sensitive_content_detected", K.IMAGE_FLAGGED),
        ("Input.Output.Sensitive.Content.Detected", K.OUTPUT_FLAGGED),
        ("insufficientCredits", K.NO_CREDIT),
    ],
)
def test_case_and_separators_do_not_matter(variant: str, kind: FailKind) -> None:
    cause = classify(variant, has_images=False)
    assert cause is not None and cause.kind == kind


@pytest.mark.parametrize("code", [None, "", "GPU_MELTED", "CONTENT", "VIOLATION_CONTENT", "sensitive"])
def test_unknown_or_empty_codes_are_not_guessed(code: str | None) -> None:
    assert classify(code, has_images=True) is None


def test_normalise_keeps_letters_and_digits_only() -> None:
    assert normalise_code("Sensitive_Content-Detected 2") == "sensitivecontentdetected2"
