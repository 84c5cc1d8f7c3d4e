"""Failure text: words for a task's notes and for a failed, refused or lost task, and what to do next."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.tasks.fail_code_text import explain_cause, has_images
from sora2_desktop.core.tasks.fail_codes import classify
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase

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
            _translate("FailureText", "The service failed (HTTP {0}); retrying shortly."),
            _translate("FailureText", "The service failed (HTTP {0}) after the request was sent."),
        )
        if detail != "503"
        else (
            _translate("FailureText", "The service is unavailable (HTTP 503); retrying shortly."),
            _translate("FailureText", "The service was unavailable (HTTP 503) after the request was sent."),
        ),
        TaskNote.BAD_ANSWER: (
            _translate("FailureText", "The service sent an answer this app cannot read{0}; retrying shortly."),
            _translate("FailureText", "The service sent an answer this app cannot read{0}."),
        ),
        TaskNote.SERVICE_REFUSED: (
            _translate("FailureText", "The service refused the request ({0}); retrying shortly."),
            _translate("FailureText", "The service refused the request ({0})."),
        ),
        # Kept on a REJECTED task (explain_failure words it with its action); said here only if shown alone.
        TaskNote.SUBMIT_REFUSED: (
            _translate("FailureText", "The service refused the request (HTTP {0}); retrying shortly."),
            _translate("FailureText", "The service refused the request (HTTP {0})."),
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


def explain_failure(task: Task, spec: ModelSpec | None = None) -> FailureExplanation:
    """Words for a task in FAILED, REJECTED, SUBMIT_UNKNOWN or CANCELLED; `NO_FAILURE` for every other phase.

    `spec` is the task's model as the catalogue has it now (its limits and title are named); the shipped entry
    when not given."""
    if task.phase == TaskPhase.CANCELLED:
        return _explain_cancel(task)
    if task.phase == TaskPhase.FAILED and task.note == TaskNote.TASK_FORGOTTEN:
        return FailureExplanation(
            summary=_translate("FailureText", "Task not found: no longer followed"),
            detail=task_note_text(task) or "",
        )
    if task.phase == TaskPhase.FAILED:
        return _explain_service_failure(task, spec or shipped_catalogue().spec_for(task.request.model))
    if task.phase == TaskPhase.REJECTED:
        return _explain_rejection(task, spec or shipped_catalogue().spec_for(task.request.model))
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


def _explain_service_failure(task: Task, spec: ModelSpec) -> FailureExplanation:
    code = (task.fail_code or "").strip()
    message = (task.fail_message or "").strip()
    cause = classify(code, has_images=has_images(task))
    if cause is not None:
        return FailureExplanation(*explain_cause(task, cause, spec))
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


def _explain_rejection(task: Task, spec: ModelSpec) -> FailureExplanation:
    # The service's own words, verbatim: the person may need to quote them to support.
    said = (task.error_message or "").strip()
    if task.note == TaskNote.SUBMIT_REFUSED and task.note_detail in ("402", "403", "404"):
        return _explain_refusal_status(task.note_detail, said, spec)
    message = said or _translate("FailureText", "The service refused the request.")
    if _CREDITS_HINT.search(message):
        hint = _translate("FailureText", "Top up your APIXO balance, then re-run the task.")
    else:
        hint = _translate("FailureText", "The task was not created. Fix what the message says, then re-run it.")
    return FailureExplanation(summary=message, detail=f"{message}\n\n{hint}")


def _explain_refusal_status(status: str, said: str, spec: ModelSpec) -> FailureExplanation:
    """A submit refused with 402, 403 or 404: each has its own action; the service's words follow."""
    if status == "402":
        summary = _translate(
            "FailureText", "The key's balance is too low for this task: top up at the APIXO dashboard, then Re-run."
        )
        detail = summary + " " + _translate("FailureText", "Nothing was created or charged.")
    elif status == "403":
        summary = _translate("FailureText", "Refused by the service's policy (not the API key)")
        detail = _translate(
            "FailureText",
            "The service refused this request by its policy; the API key is fine and other tasks go on. Change "
            "what its words name (often the prompt or the image), then Re-run; if they name nothing, ask APIXO "
            "support why.",
        )
    else:
        summary = _translate(
            "FailureText",
            "The service does not offer {model} at this address: refresh the model list or check the API "
            "address in Settings.",
        ).format(model=spec.title)
        detail = summary + " " + _translate("FailureText", "Nothing was created or charged.")
    if said:
        detail += "\n\n" + _translate("FailureText", "The service said: “{message}” (HTTP {status}).").format(
            message=said, status=status
        )
    return FailureExplanation(summary=summary, detail=detail)
