"""Task wording: every word the window says about a task — its state, settings, detail line, tooltips, notices."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.account.estimate import Estimate
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.connection_state import ConnectionState
from sora2_desktop.core.tasks.failure_text import explain_failure, task_note_text
from sora2_desktop.core.tasks.progress import percent
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase
from sora2_desktop.ui.common.frame_words import frame_word
from sora2_desktop.ui.common.money_text import usd_estimate

# lupdate finds strings by the name `translate(context, text)`; the alias keeps call sites short.
_translate = QCoreApplication.translate

# A failed, refused or lost task: the phases whose words explain what went wrong.
TROUBLE_PHASES = (TaskPhase.FAILED, TaskPhase.REJECTED, TaskPhase.SUBMIT_UNKNOWN)


def waits_for_network(task: Task) -> bool:
    """The submit found no connection: nothing was sent, nothing charged; it is resent by itself, and Retry now
    sends it at once."""
    return task.phase == TaskPhase.QUEUED and task.note == TaskNote.WAITING_FOR_NETWORK


def phase_word(phase: TaskPhase, raw_state: str | None = None) -> str:
    """One or two words for where a task is; an unknown state names what the service said."""
    if phase == TaskPhase.CANCELLED:
        return _translate("TaskWording", "Cancelled")
    if phase == TaskPhase.QUEUED:
        return _translate("TaskWording", "Queued")
    if phase == TaskPhase.SUBMITTING:
        return _translate("TaskWording", "Submitting…")
    if phase == TaskPhase.PENDING:
        return _translate("TaskWording", "Pending")
    if phase == TaskPhase.PROCESSING:
        return _translate("TaskWording", "Processing")
    if phase == TaskPhase.SUCCESS:
        return _translate("TaskWording", "Done")
    if phase == TaskPhase.FAILED:
        return _translate("TaskWording", "Failed")
    if phase == TaskPhase.REJECTED:
        return _translate("TaskWording", "Rejected")
    if phase == TaskPhase.SUBMIT_UNKNOWN:
        return _translate("TaskWording", "Answer lost")
    return _translate("TaskWording", 'Unknown state "{raw}"').format(raw=raw_state or "")


def state_text(task: Task) -> str:
    """The phase word, and the editor's mark on the take ("Done · Circled")."""
    if waits_for_network(task):
        return _translate("TaskWording", "Not sent — waiting for the network")
    word = phase_word(task.phase, task.raw_state)
    mark = review_mark_word(task)
    return _translate("TaskWording", "{state} · {mark}").format(state=word, mark=mark) if mark else word


def review_mark_word(task: Task) -> str:
    """Circled / Hold / No good, or "" for an unmarked take."""
    if task.circled:
        return mark_word(TakeMark.CIRCLED)
    return mark_word(task.mark) if task.mark is not None else ""


def mark_word(mark: TakeMark | None) -> str:
    """An editor's mark in words; "No mark" for none (the take strip and Compare say so outright)."""
    if mark == TakeMark.CIRCLED:
        return _translate("TaskWording", "Circled")
    if mark == TakeMark.HOLD:
        return _translate("TaskWording", "Hold")
    if mark == TakeMark.NO_GOOD:
        return _translate("TaskWording", "No good")
    return _translate("TaskWording", "No mark")


def picked_note() -> str:
    return _translate("TaskWording", "You circled this take: a keeper")


def task_id_line(task: Task) -> str:
    if task.task_id:
        return _translate("TaskWording", "Task id: {task_id}").format(task_id=task.task_id)
    return _translate("TaskWording", "No task id yet")


def state_tooltip(task: Task) -> str:
    """The full state word too: "Unknown state …" may be elided in the cell."""
    lines = [state_text(task)]
    if task.circled:
        lines.append(picked_note())
    lines.append(task_id_line(task))
    return "\n".join(lines)


def mode_word(mode: Mode, *, short: bool) -> str:
    if mode == Mode.IMAGE_TO_VIDEO:
        return _translate("TaskWording", "I2V") if short else _translate("TaskWording", "image-to-video")
    return _translate("TaskWording", "T2V") if short else _translate("TaskWording", "text-to-video")


def model_title(model_id: str) -> str:
    """The model's name ("Sora 2 Pro"); titles are the shipped catalogue's (a refresh never renames a model),
    and a model it does not know is named as the service spells it."""
    spec = shipped_catalogue().get(model_id)
    return spec.title if spec is not None else model_id


def frame_text(request: GenerationRequest) -> str:
    """The frame value the request's model takes in its mode, in words: "landscape", "1280×720", "720p"."""
    spec = shipped_catalogue().get(request.model)
    if spec is not None:
        param = spec.frame_for(str(request.mode)).param
    else:  # a model this app does not know: whichever frame value the request carries
        param = next((p for p in ("size", "resolution") if getattr(request, p)), "aspect_ratio")
    return frame_word(param, str(getattr(request, param)))


def aspect_word(aspect: str) -> str:
    return frame_word("aspect_ratio", aspect)


def settings_text(request: GenerationRequest, *, short: bool = True) -> str:
    """The list's short form ("Sora 2 · T2V · 10 s · landscape"); `short=False` spells the mode out."""
    return _translate("TaskWording", "{model} · {mode} · {seconds} s · {frame}").format(
        model=model_title(request.model),
        mode=mode_word(request.mode, short=short),
        seconds=request.duration,
        frame=frame_text(request),
    )


def provider_text(request: GenerationRequest) -> str:
    spec = shipped_catalogue().get(request.model)
    offered = spec is None or spec.watermark_offered  # an unknown model's flag is shown as it was sent
    if request.remove_watermark and offered:
        return _translate("TaskWording", "{provider} · watermark removed").format(provider=request.provider)
    return str(request.provider)


def settings_tooltip(task: Task) -> str:
    lines = [settings_text(task.request)]
    lines.append(_translate("TaskWording", "Provider: {name}").format(name=task.request.provider))
    if task.catalogue_version:
        lines.append(_translate("TaskWording", "Model list: {version}").format(version=task.catalogue_version))
    if task.cost_estimate_usd is not None:
        lines.append(_translate("TaskWording", "Estimate: {0}").format(usd_estimate(task.cost_estimate_usd)))
    lines += [_translate("TaskWording", "Image: {url}").format(url=url) for url in task.request.image_urls]
    return rich("\n".join(lines))


def videos_text(count: int) -> str:
    if count == 1:
        return _translate("TaskWording", "1 video")
    return _translate("TaskWording", "{count} videos").format(count=count)


def detail_line(task: Task, result_note: str | None = None) -> str:
    """One line on what is going on: the videos (or what their downloads say), why it waits, why it failed."""
    if task.phase == TaskPhase.SUCCESS:
        return result_note if result_note is not None else videos_text(len(task.result_urls) or 1)
    if not task.phase.is_final:
        # Core notes why an unfinished task waits (no key, rate limit) or what it retries.
        note = task_note_text(task)
        if note:
            return note
        if task.phase == TaskPhase.QUEUED:
            return _translate("TaskWording", "Waiting: 1,000 tasks are already running on this key")
        return ""
    return explain_failure(task).summary


def detail_tooltip(task: Task) -> str | None:
    explanation = explain_failure(task)
    return rich(explanation.detail) if explanation else None


def percent_text(fraction: float) -> str:
    return _translate("TaskWording", "{percent}%").format(percent=percent(fraction))


def progress_text(task: Task, fraction: float) -> str:
    """The percentage while the service works on it (and once done); nothing while it is still local."""
    if task.phase == TaskPhase.SUCCESS or task.phase.is_polled:
        return percent_text(fraction)
    return ""


def progress_header_tooltip() -> str:
    return _translate("TaskWording", "Expected progress: the service usually takes 3–5 min for 10 s, 4–6 min for 15 s.")


def prompt_line(prompt: str, max_chars: int, *, ellipsis: bool = False) -> str:
    """The prompt on one line (each run of white space one space), cut to `max_chars`, with "…" if asked."""
    # Only the start can be shown: collapsing a 10,000-character prompt for every painted cell is wasted work.
    line = " ".join(prompt[: max_chars * 2].split())
    if len(line) <= max_chars:
        return line
    return line[: max_chars - 1] + "…" if ellipsis else line[:max_chars]


def prompt_tooltip(task: Task) -> str:
    return rich(task.request.prompt)


def notice(task: Task, excerpt_chars: int) -> tuple[str, str]:
    """(title, body) of the desktop notice for a task that finished or failed."""
    excerpt = prompt_line(task.request.prompt, excerpt_chars, ellipsis=True)
    if task.phase == TaskPhase.SUCCESS:
        return _translate("TaskWording", "Video ready"), excerpt
    return _translate("TaskWording", "Generation failed"), f"{explain_failure(task).summary}\n{excerpt}"


def search_text(task: Task) -> str:
    """What the search box matches: prompt, settings (model, mode, seconds, size), task id, failure and note
    words, casefolded."""
    parts = (
        task.request.prompt, settings_text(task.request, short=False), settings_text(task.request), task.task_id,
        explain_failure(task).summary,
        task.fail_code, task.fail_message, task.error_message, task_note_text(task),
    )  # fmt: skip
    return "\n".join(part for part in parts if part).casefold()


def rich(text: str) -> str:
    # Rich text makes Qt word-wrap the tooltip; plain text would draw a 10,000-character prompt on one line.
    import html  # here: its entity table (~10 ms) is not needed before the composer is on screen

    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def spend_question(takes: int, request: GenerationRequest, estimate: Estimate | None = None) -> tuple[str, str]:
    """(question, details) asked before a submit that spends money: how many takes of which model, what they
    are estimated to cost, with which provider."""
    words = {"takes": takes, "seconds": request.duration, "model": model_title(request.model)}
    if estimate is None:
        if takes == 1:
            question = _translate("TaskWording", "Submit 1 take × {seconds} s of {model}?")
        else:
            question = _translate("TaskWording", "Submit {takes} takes × {seconds} s of {model}?")
    else:
        words["cost"] = usd_estimate(estimate.total_usd)
        if takes == 1:
            question = _translate("TaskWording", "Submit 1 take × {seconds} s of {model}, estimated at {cost}?")
        else:
            question = _translate("TaskWording", "Submit {takes} takes × {seconds} s of {model}, estimated at {cost}?")
    question = question.format(**words)
    details = _translate(
        "TaskWording", "{settings}, provider {provider}. Each take is a separate task, charged to your APIXO balance."
    ).format(settings=settings_text(request, short=False), provider=provider_text(request))
    return question, details


def connection_words(state: ConnectionState, api_base: str) -> str:
    """The status bar's connection: what the last real answer (or its absence) said."""
    if state == ConnectionState.CONNECTED:
        return _translate("TaskWording", "Connected to {0}").format(api_base)
    if state == ConnectionState.KEY_REFUSED:
        return _translate("TaskWording", "The service refused the API key")
    if state == ConnectionState.UNREACHABLE:
        return _translate("TaskWording", "Cannot reach {0} — tasks wait and retry").format(api_base)
    return _translate("TaskWording", "{0} — not contacted yet").format(api_base)
