"""Fail code text: the words for a task the service failed with a code it documents, by the part that failed.

The detail opens with which part was the problem and what to change; the service's own words and its code
follow (support may ask for them). Codes nobody documented are worded in failure_text.py, as they came.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api import Mode
from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.tasks.fail_codes import FailCause, FailKind, FailPart
from sora2_desktop.core.tasks.task import Task

_translate = QCoreApplication.translate
_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
_TYPE_NAMES = {"image/jpeg": "JPG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF"}


def explain_cause(task: Task, cause: FailCause, spec: ModelSpec) -> tuple[str, str]:
    """(summary, detail) for a task that failed with a documented code; `spec` is its model's entry."""
    code = (task.fail_code or "").strip()
    message = (task.fail_message or "").strip()
    if cause.kind == FailKind.IMAGE_UNREACHABLE:
        return _unreachable_image(task, message, spec)
    if cause.kind in (FailKind.CONTENT_FLAGGED, FailKind.IMAGE_FLAGGED, FailKind.OUTPUT_FLAGGED):
        summary, lead = _flag_words(cause, message, has_images=has_images(task))
    else:
        summary, lead = _other_words(task, cause, spec)
    detail = lead
    if cause.flagged and cause.part != FailPart.INPUT_IMAGE:
        detail += "\n\n" + _translate(
            "FailureText",
            "Rephrase and try again: leave out real people's names and likenesses, violence, and copyrighted "
            "characters or brands; describe the scene in neutral terms (what is seen, the camera, the light) "
            "rather than who it is or what it imitates.",
        )
    if cause.part == FailPart.PROMPT_OR_IMAGE:
        detail += "\n\n" + _translate(
            "FailureText",
            "This is an image-to-video task, so check the reference image too: a recognisable face, a logo "
            "or a famous character in it triggers the same block. Try another image or crop those parts out.",
        )
    if cause.part == FailPart.SERVICE:
        detail += "\n\n" + _translate(
            "FailureText", "If it keeps failing, contact APIXO support with the task id {task_id}."
        ).format(task_id=task.task_id or _translate("FailureText", "(none)"))
    return summary, detail + _said(code, message)


def has_images(task: Task) -> bool:
    """Whether the task sent reference images: a generic flag then may be the image's fault as much as the prompt's."""
    return task.request.mode == Mode.IMAGE_TO_VIDEO or bool(task.request.image_urls)


def _said(code: str, message: str) -> str:
    if message:
        return "\n\n" + _translate("FailureText", "The service said: “{message}” (code {code}).").format(
            message=message, code=code
        )
    return "\n\n" + _translate("FailureText", "The service gave the code {code} and no words.").format(code=code)


def _flag_words(cause: FailCause, message: str, *, has_images: bool) -> tuple[str, str]:
    """A content-safety flag: which part it hit decides what to change."""
    if cause.kind == FailKind.IMAGE_FLAGGED:
        summary = _translate("FailureText", "Image flagged: change the image, not the prompt")
        lead = _translate(
            "FailureText",
            "The reference image was flagged: change the image, not the prompt. A recognisable face, a logo or "
            "a famous character in it triggers this block: try another image or crop those parts out.",
        )
        return summary, lead
    if cause.kind == FailKind.OUTPUT_FLAGGED:
        summary = _translate("FailureText", "Result flagged after it was made: rephrase the prompt")
        if has_images:
            lead = _translate(
                "FailureText", "The result was flagged after it was made: rephrase the prompt; the image was fine."
            )
        else:
            lead = _translate(
                "FailureText",
                "The result was flagged after it was made: rephrase the prompt; the service accepted it as "
                "written, but not the video it led to.",
            )
        return summary, lead
    summary = (
        _translate("FailureText", "Blocked: {reason}").format(reason=message)
        if message
        else _translate("FailureText", "Blocked by the safety guidelines")
    )
    if cause.part == FailPart.PROMPT:
        lead = _translate("FailureText", "The prompt was flagged by the service's safety guidelines: rephrase it.")
    else:
        lead = _translate(
            "FailureText",
            "The prompt or the reference image was flagged by the service's safety guidelines; the service did "
            "not say which.",
        )
    return summary, lead


def _other_words(task: Task, cause: FailCause, spec: ModelSpec) -> tuple[str, str]:
    """Everything but a flag or an unreachable image: the prompt's length or form, the image's size or type, the
    account, the service."""
    title = spec.title
    kind = cause.kind
    if kind == FailKind.PROMPT_TOO_LONG:
        return (
            _translate("FailureText", "Prompt too long for {model}").format(model=title),
            _translate(
                "FailureText",
                "The prompt is longer than {model} takes ({limit} characters at most; this one has {count}): "
                "shorten it, then Re-run.",
            ).format(model=title, limit=f"{spec.prompt_max_chars:,}", count=f"{len(task.request.prompt):,}"),
        )
    if kind == FailKind.PROMPT_INVALID:
        return (
            _translate("FailureText", "Prompt not accepted: rewrite it"),
            _translate("FailureText", "The service could not accept the prompt as written: rewrite it, then Re-run."),
        )
    if kind == FailKind.IMAGE_TOO_LARGE:
        return (
            _translate("FailureText", "Image too large: make it smaller"),
            _translate(
                "FailureText",
                "The reference image is larger than {model} takes ({limit} at most): make it smaller (fewer "
                "pixels, or a JPG), then Re-run. The prompt was fine.",
            ).format(model=title, limit=_megabytes(spec.image_max_bytes)),
        )
    if kind == FailKind.IMAGE_FORMAT:
        return (
            _translate("FailureText", "Image type not accepted: convert it"),
            _translate(
                "FailureText",
                "The reference image is not a type {model} takes ({types}): convert it, then Re-run. The prompt "
                "was fine.",
            ).format(model=title, types=_type_names(spec.image_types)),
        )
    if kind == FailKind.NO_CREDIT:
        words = _translate("FailureText", "The account has no credit left: top up at the APIXO dashboard, then Re-run.")
        return _translate("FailureText", "No credit left: top up, then Re-run"), words
    if kind == FailKind.MODEL_UNAVAILABLE:
        return (
            _translate("FailureText", "{model} unavailable: Re-run later").format(model=title),
            _translate(
                "FailureText",
                "{model} was unavailable at the service: Re-run later; nothing in the prompt or image needs to change.",
            ).format(model=title),
        )
    if kind == FailKind.TIMED_OUT:
        return (
            _translate("FailureText", "Timed out at the service: Re-run later"),
            _translate(
                "FailureText",
                "The service took too long on this task and gave up: Re-run later; nothing in the prompt or "
                "image needs to change.",
            ),
        )
    return (
        _translate("FailureText", "The service failed: Re-run later"),
        _translate(
            "FailureText",
            "The service failed: Re-run later; nothing in the prompt or image needs to change.",
        ),
    )


def _unreachable_image(task: Task, message: str, spec: ModelSpec) -> tuple[str, str]:
    """Which image the service could not fetch (the one its words name, else every one given), and how to fix."""
    named = [url.rstrip(".,;:)]}") for url in _URL_IN_TEXT.findall(message)]
    images = named or list(task.request.image_urls)
    if len(images) == 1:
        which = images[0]
        summary = _translate("FailureText", "Image could not be fetched: {url}").format(url=which)
        what = _translate("FailureText", "The service could not fetch the reference image {url}.").format(url=which)
    elif images:
        which = "\n".join(f"  • {url}" for url in images)
        summary = _translate("FailureText", "An image could not be fetched ({count} given)").format(count=len(images))
        what = _translate("FailureText", "The service could not fetch one of the reference images:\n{urls}").format(
            urls=which
        )
    else:
        summary = _translate("FailureText", "Image could not be fetched")
        what = _translate("FailureText", "The service could not fetch the reference image.")
    advice = _translate(
        "FailureText",
        "Make sure the address is public and opens without a login (try it in a private browser window), and "
        "that the file is a {types} under {limit}. Then re-run the task; the prompt was fine.",
    ).format(types=_type_names(spec.image_types), limit=_megabytes(spec.image_max_bytes))
    said = "\n\n" + _translate("FailureText", "The service said: {message}").format(message=message) if message else ""
    return summary, f"{what}\n\n{advice}{said}"


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:g} MB"


def _type_names(types: tuple[str, ...]) -> str:
    names = [_TYPE_NAMES.get(kind, kind.removeprefix("image/").upper()) for kind in types]
    if len(names) <= 1:
        return "".join(names)
    return _translate("FailureText", "{first} or {last}").format(first=", ".join(names[:-1]), last=names[-1])
