"""Failure text: words for a task's notes and for a failed, refused or lost task, and what to do next."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api import Mode
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase

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


def task_note_text(task: Task) -> str | None:
    """What the app says about `task` beyond its phase (waiting for a key, retrying after a fault, an answer
    lost), in words made now; None when there is nothing to say. A row written before notes were codes shows
    the words it stored (in `error_message`, which otherwise holds only the service's words for a refusal)."""
    if task.note is not None:
        return _note_words(task.note, task.note_detail, retrying=not task.phase.is_final)
    if task.phase != TaskPhase.REJECTED and task.error_message:
        return task.error_message
    return None


def _note_words(note: TaskNote, detail: str | None, *, retrying: bool) -> str:
    """The sentence for a note; `retrying`: the task is still followed, so the app tries again."""
    shown = detail or _translate("FailureText", "no details")
    if note == TaskNote.WAITING_FOR_KEY:
        return _translate("FailureText", "Waiting for a valid API key.")
    if note == TaskNote.WAITING_FOR_SLOT:
        limit = f"{int(detail):,}" if detail and detail.isascii() and detail.isdigit() else "1,000"
        return _translate("FailureText", "Waiting: {limit} tasks are already running on this key.").format(limit=limit)
    if note == TaskNote.SUBMIT_LOST:
        return _translate(
            "FailureText",
            "The app stopped before the service confirmed this task, so it may or may not have been created "
            "(and charged). It was not sent again: check your APIXO dashboard before submitting it once more.",
        )
    special = _lifecycle_note_words(note, detail, retrying=retrying)
    if special is not None:
        return special
    status = f" (HTTP {detail})" if detail else ""
    # Two sentences a note, (while the app retries, once it has given up): whole sentences rather than pieces
    # joined here, so a translation can order its words freely.
    words = {
        TaskNote.RATE_LIMITED: (
            _translate("FailureText", "Rate-limited by the service; retrying shortly."),
            _translate("FailureText", "The service rate-limited the request."),
        ),
        TaskNote.NO_CONNECTION: (
            _translate("FailureText", "Could not connect to the service; check the network. Retrying shortly."),
            _translate("FailureText", "Could not connect to the service; check the network."),
        ),
        TaskNote.CONNECTION_LOST: (
            _translate("FailureText", "The connection to the service broke or timed out; retrying shortly."),
            _translate("FailureText", "The connection to the service broke or timed out after the request was sent."),
        ),
        TaskNote.SERVICE_ERROR: (
            _translate("FailureText", "The service had a problem (code {0}); retrying shortly."),
            _translate("FailureText", "The service had a problem (code {0}) after the request was sent."),
        ),
        TaskNote.BAD_ANSWER: (
            _translate("FailureText", "The service sent an answer this app cannot read{0}; retrying shortly."),
            _translate("FailureText", "The service sent an answer this app cannot read{0}."),
        ),
        TaskNote.SERVICE_REFUSED: (
            _translate("FailureText", "The service refused the request ({0}); retrying shortly."),
            _translate("FailureText", "The service refused the request ({0})."),
        ),
    }
    template = words[note][0 if retrying else 1]
    return template.format(status if note == TaskNote.BAD_ANSWER else shown)


def _lifecycle_note_words(note: TaskNote, detail: str | None, *, retrying: bool) -> str | None:
    """Words for the notes about waiting, cancelling and forgotten tasks; None for the fault notes."""
    if note == TaskNote.WAITING_FOR_NETWORK:
        return _translate(
            "FailureText",
            "Not sent: no connection to the service, so nothing was charged. Waiting for the network; it is "
            "sent by itself once the service can be reached (or choose Retry now or Cancel).",
        )
    if note == TaskNote.UNEXPECTED_FAULT:
        shown = detail or _translate("FailureText", "no details")
        if retrying:
            return _translate(
                "FailureText", "Something unexpected went wrong asking about this task ({0}); retrying shortly."
            ).format(shown)
        return _translate("FailureText", "Something unexpected went wrong while sending this task ({0}).").format(shown)
    if note == TaskNote.TASK_NOT_FOUND:
        return _translate(
            "FailureText",
            "The service does not know this task right now; asking again. If this lasts, the task is given up.",
        )
    if note == TaskNote.TASK_FORGOTTEN:
        return _translate(
            "FailureText",
            "The service no longer knows this task (it answered “not found” for {0} min): it may have been "
            "removed there, or the demo stand-in was restarted. It is no longer followed; re-run it if needed.",
        ).format(detail or "10")
    if note == TaskNote.CANCELLED_IN_FLIGHT:
        return _translate(
            "FailureText",
            "Cancelled while the request was on its way: the service may have created it and may still finish "
            "(and charge) it. Stopped following this task.",
        )
    return None


def explain_failure(task: Task) -> FailureExplanation:
    """Words for a task in FAILED, REJECTED, SUBMIT_UNKNOWN or CANCELLED; `NO_FAILURE` for every other phase."""
    if task.phase == TaskPhase.CANCELLED:
        return _explain_cancel(task)
    if task.phase == TaskPhase.FAILED and task.note == TaskNote.TASK_FORGOTTEN:
        return FailureExplanation(
            summary=_translate("FailureText", "Task not found: no longer followed"),
            detail=task_note_text(task) or "",
        )
    if task.phase == TaskPhase.FAILED:
        return _explain_service_failure(task)
    if task.phase == TaskPhase.REJECTED:
        return _explain_rejection(task)
    if task.phase == TaskPhase.SUBMIT_UNKNOWN:
        cause = (task_note_text(task) or "").strip()
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


def _explain_cancel(task: Task) -> FailureExplanation:
    if task.task_id is not None or task.note == TaskNote.CANCELLED_IN_FLIGHT:
        # The service has no cancel call: stopping here cannot stop it there.
        detail = _translate("FailureText", "Stopped following this task; the service may still finish it.")
        if task.note == TaskNote.CANCELLED_IN_FLIGHT:
            detail += "\n\n" + (task_note_text(task) or "")
        return FailureExplanation(summary=_translate("FailureText", "Cancelled"), detail=detail)
    return FailureExplanation(
        summary=_translate("FailureText", "Cancelled"),
        detail=_translate("FailureText", "Cancelled before it was sent: nothing was created or charged."),
    )


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
