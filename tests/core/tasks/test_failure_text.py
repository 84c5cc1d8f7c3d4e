"""Failure text: a failed task's detail says which part was the problem and what to change; unknown codes come
through as they came; refusals and service faults read as sentences with their action."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.tasks.failure_text import explain_failure, task_note_text
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase
from tests.helpers.models import SORA_2_PRO

IMAGE = "https://img.example/fox.png"


def failed(code: str | None, message: str | None = None, *, image: bool = False, **request: object) -> Task:
    fields: dict[str, object] = {"prompt": "A red fox runs through snow"}
    if image:
        fields.update(mode=Mode.IMAGE_TO_VIDEO, image_urls=(IMAGE,))
    fields.update(request)
    return Task(
        GenerationRequest(**fields),  # type: ignore[arg-type]
        datetime.now(UTC),
        TaskPhase.FAILED,
        local_id=1,
        task_id="task_00000001",
        fail_code=code,
        fail_message=message,
    )


def test_an_image_flag_says_change_the_image_not_the_prompt(qapp: object) -> None:
    said = explain_failure(failed("InputImageSensitiveContentDetected", "face detected", image=True))
    assert said.detail.startswith("The reference image was flagged: change the image, not the prompt.")
    assert "Rephrase" not in said.detail  # the prompt was fine
    assert "“face detected” (code InputImageSensitiveContentDetected)" in said.detail
    assert "change the image" in said.summary


def test_an_output_flag_says_rephrase_the_prompt_and_the_image_was_fine(qapp: object) -> None:
    said = explain_failure(failed("input_output_sensitive_content_detected", image=True))
    assert said.detail.startswith("The result was flagged after it was made: rephrase the prompt; the image was fine.")
    assert "neutral terms" in said.detail
    text_only = explain_failure(failed("InputOutputSensitiveContentDetected")).detail
    assert "the image was fine" not in text_only and text_only.startswith("The result was flagged after it was made")


def test_a_generic_flag_blames_the_prompt_alone_only_without_images(qapp: object) -> None:
    plain = explain_failure(failed("SensitiveContentDetected", "Violence"))
    assert plain.detail.startswith("The prompt was flagged")
    assert "reference image" not in plain.detail and "Violence" in plain.summary
    assert "real people" in plain.detail and "copyrighted" in plain.detail
    with_image = explain_failure(failed("nsfw", image=True))
    assert with_image.detail.startswith("The prompt or the reference image was flagged")
    assert "check the reference image too" in with_image.detail
    assert with_image.summary == "Blocked by the safety guidelines"


def test_a_long_prompt_names_the_model_and_its_limit(qapp: object) -> None:
    task = failed("PromptLengthExceeded", prompt="x" * 5200, model="sora-2-pro", duration=4, provider="official")
    said = explain_failure(task, SORA_2_PRO)
    assert said.detail.startswith(
        "The prompt is longer than Sora 2 Pro takes (5,000 characters at most; this one has 5,200): shorten it, "
        "then Re-run."
    )
    # Without a spec passed, the task's model is looked up in the shipped catalogue.
    assert explain_failure(task).detail == said.detail
    assert "Sora 2 Pro" in said.summary


@pytest.mark.parametrize(
    ("code", "opening"),
    [
        ("INSUFFICIENT_CREDITS", "The account has no credit left: top up at the APIXO dashboard, then Re-run."),
        ("GENERATION_FAILED", "The service failed: Re-run later"),
        ("PROCESSING_TIMEOUT", "The service took too long on this task and gave up: Re-run later"),
        ("MODEL_UNAVAILABLE", "Sora 2 was unavailable at the service: Re-run later"),
        ("IMAGE_TOO_LARGE", "The reference image is larger than Sora 2 takes (10 MB at most)"),
        ("UNSUPPORTED_FORMAT", "The reference image is not a type Sora 2 takes (JPG, PNG or WebP)"),
        ("INVALID_PROMPT", "The service could not accept the prompt as written: rewrite it, then Re-run."),
    ],
)
def test_each_part_has_its_action(qapp: object, code: str, opening: str) -> None:
    said = explain_failure(failed(code, "as the service put it", image=True))
    assert said.detail.startswith(opening)
    assert f"“as the service put it” (code {code})" in said.detail


def test_a_service_fault_gives_the_task_id_for_support(qapp: object) -> None:
    assert "task_00000001" in explain_failure(failed("GENERATION_FAILED")).detail


def test_an_unreachable_image_names_it(qapp: object) -> None:
    said = explain_failure(failed("IMAGE_DOWNLOAD_FAILED", f"Cannot fetch {IMAGE}.", image=True))
    assert said.summary == f"Image could not be fetched: {IMAGE}"
    assert "public" in said.detail and "JPG, PNG or WebP under 10 MB" in said.detail


def test_an_unknown_code_shows_fail_msg_exactly_as_it_came(qapp: object) -> None:
    said = explain_failure(failed("GPU_MELTED", "  Try later, the GPU is *on fire*  "))
    assert said.summary == "GPU_MELTED: Try later, the GPU is *on fire*"
    assert "GPU_MELTED: Try later, the GPU is *on fire*" in said.detail and "does not know that code" in said.detail


def test_a_refusal_status_without_words_still_has_its_action(qapp: object) -> None:
    rejected = failed(None).with_(phase=TaskPhase.REJECTED, note=TaskNote.SUBMIT_REFUSED, note_detail="403")
    said = explain_failure(rejected)
    assert said.summary == "Refused by the service's policy (not the API key)"
    assert "The service said" not in said.detail


@pytest.mark.parametrize(
    ("detail", "words"),
    [
        ("503", "The service is unavailable (HTTP 503); retrying shortly."),
        ("500", "The service failed (HTTP 500); retrying shortly."),
    ],
)
def test_5xx_notes_are_sentences(qapp: object, detail: str, words: str) -> None:
    waiting = failed(None).with_(phase=TaskPhase.PROCESSING, note=TaskNote.SERVICE_ERROR, note_detail=detail)
    assert task_note_text(waiting) == words
