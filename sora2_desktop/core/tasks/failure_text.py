"""Failure text: turns a failed, refused or lost task into words a person understands, and what to do next."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api import Mode
from sora2_desktop.core.tasks.task import Task, TaskPhase

CONTENT_VIOLATION = "CONTENT_VIOLATION"
INVALID_IMAGE_URL = "INVALID_IMAGE_URL"

_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
# The service's wording for an empty balance; matched loosely because it is free text, not a code.
_CREDITS_HINT = re.compile(r"insufficient\s+(credit|balance|fund)|not\s+enough\s+credit", re.IGNORECASE)


@dataclass(frozen=True)
class FailureExplanation:
    """`summary` fits a table cell; `detail` says what happened and what to do. Empty when nothing failed."""

    summary: str
    detail: str

    def __bool__(self) -> bool:
        return bool(self.summary or self.detail)


NO_FAILURE = FailureExplanation("", "")

# lupdate finds strings by the name `translate(context, text)`; the alias keeps call sites short.
_translate = QCoreApplication.translate


def explain_failure(task: Task) -> FailureExplanation:
    """Words for a task in FAILED, REJECTED or SUBMIT_UNKNOWN; `NO_FAILURE` for every other phase."""
    if task.phase == TaskPhase.FAILED:
        return _explain_service_failure(task)
    if task.phase == TaskPhase.REJECTED:
        return _explain_rejection(task)
    if task.phase == TaskPhase.SUBMIT_UNKNOWN:
        cause = (task.error_message or "").strip()
        return FailureExplanation(
            summary=_translate("FailureText", "Answer lost: check your dashboard"),
            detail=_translate(
                "FailureText",
                "The submit's answer was lost on the way; the task may or may not have been created and "
                "charged. It was not resent automatically: check your APIXO dashboard, then re-run if "
                "needed.",
            )
            + ("\n\n" + _translate("FailureText", "What happened: {cause}").format(cause=cause) if cause else ""),
        )
    return NO_FAILURE


def _explain_service_failure(task: Task) -> FailureExplanation:
    code = (task.fail_code or "").strip()
    message = (task.fail_message or "").strip()
    if code.upper() == CONTENT_VIOLATION:
        return _explain_content_violation(task, message)
    if code.upper() == INVALID_IMAGE_URL:
        return _explain_invalid_image(task, message)
    if code:
        # A code this app does not know: show it exactly as the service sent it rather than guess.
        shown = f"{code}: {message}" if message else code
        return FailureExplanation(
            summary=shown,
            detail=_translate(
                "FailureText",
                "The service stopped this task with {shown}. This app does not know that code, so it is "
                "shown as it came. Re-running may help; if it keeps failing, contact APIXO support with the "
                "task id {task_id}.",
            ).format(shown=shown, task_id=task.task_id or _translate("FailureText", "(none)")),
        )
    said = message or _translate("FailureText", "The service reported a failure but gave no reason.")
    advice = _translate(
        "FailureText",
        "Re-running may help; if it keeps failing, contact APIXO support with the task id {task_id}.",
    ).format(task_id=task.task_id or _translate("FailureText", "(none)"))
    return FailureExplanation(
        summary=message or _translate("FailureText", "Failed without a reason"), detail=f"{said}\n\n{advice}"
    )


def _explain_content_violation(task: Task, message: str) -> FailureExplanation:
    is_image_task = task.request.mode == Mode.IMAGE_TO_VIDEO or bool(task.request.image_urls)
    if message:
        what = _translate(
            "FailureText",
            "The service blocked this video under its safety guidelines. It said: “{guideline}”",
        ).format(guideline=message)
    elif is_image_task:
        what = _translate(
            "FailureText",
            "The service blocked this video: the prompt or the image broke the safety guidelines.",
        )
    else:
        what = _translate("FailureText", "The service blocked this video: the prompt broke the safety guidelines.")
    detail = (
        what
        + "\n\n"
        + _translate(
            "FailureText",
            "Rephrase and try again: leave out real people's names and likenesses, violence, and copyrighted "
            "characters or brands; describe the scene in neutral terms (what is seen, the camera, the light) "
            "rather than who it is or what it imitates.",
        )
    )
    if is_image_task:
        detail += "\n\n" + _translate(
            "FailureText",
            "This is an image-to-video task, so check the reference image too: a recognisable face, a logo "
            "or a famous character in it triggers the same block. Try another image or crop those parts out.",
        )
    summary = (
        _translate("FailureText", "Blocked: {reason}").format(reason=message)
        if message
        else _translate("FailureText", "Blocked by the safety guidelines")
    )
    return FailureExplanation(summary=summary, detail=detail)


def _explain_invalid_image(task: Task, message: str) -> FailureExplanation:
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
        "that the file is a JPG, PNG or WebP under 10 MB. Then re-run the task.",
    )
    said = "\n\n" + _translate("FailureText", "The service said: {message}").format(message=message) if message else ""
    return FailureExplanation(summary=summary, detail=f"{what}\n\n{advice}{said}")


def _explain_rejection(task: Task) -> FailureExplanation:
    # The service's own words, verbatim: the person may need to quote them to support.
    message = (task.error_message or "").strip() or _translate("FailureText", "The service refused the request.")
    if _CREDITS_HINT.search(message):
        hint = _translate("FailureText", "Top up your APIXO balance, then re-run the task.")
    else:
        hint = _translate("FailureText", "The task was not created. Fix what the message says, then re-run it.")
    return FailureExplanation(summary=message, detail=f"{message}\n\n{hint}")
