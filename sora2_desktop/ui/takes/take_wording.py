"""Take wording: what the strip and Compare say about a take — its code, mark, stars, card line and tooltip."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.projects.model import take_code
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.results.frame_wording import lineage_text
from sora2_desktop.ui.tasks.task_wording import mark_word, model_title, state_text

_translate = QCoreApplication.translate

MAX_STARS = 5
NOTE_MAX_CHARS = 200  # a short note on a card, not a log: longer text belongs in the shot's prompt


def take_title(task: Task) -> str:
    """ "T03"; a task not (yet) numbered in a shot is named by its local id instead."""
    number = task.take_number
    if number:
        return take_code(number)
    return _translate("TakeWording", "#{local_id}").format(local_id=task.local_id)


def stars_text(rating: int) -> str:
    """★★★☆☆ for 3; "" for an unrated take (0 stars), so a card without stars stays quiet."""
    stars = max(0, min(MAX_STARS, rating))
    return "★" * stars + "☆" * (MAX_STARS - stars) if stars else ""


def stars_words(rating: int) -> str:
    return _translate("TakeWording", "%n star(s)", "", max(0, min(MAX_STARS, rating)))


def card_line(task: Task) -> str:
    """The card's second line: "Sora 2 Pro · 10 s"."""
    return _translate("TakeWording", "{model} · {seconds} s").format(
        model=model_title(task.request.model), seconds=task.request.duration
    )


def take_tooltip(task: Task) -> str:
    lines = [f"{take_title(task)} — {state_text(task)}", card_line(task), mark_word(task.mark)]
    if task.rating:
        lines.append(stars_words(task.rating))
    if task.review_note:
        lines.append(task.review_note)
    if task.source_frame is not None:
        lines.append(lineage_text(task.source_frame))
    return "\n".join(lines)


def accessible_text(task: Task) -> str:
    """One sentence a screen reader says for a card: code, state, mark, stars, note."""
    parts = [take_title(task), state_text(task), mark_word(task.mark)]
    if task.rating:
        parts.append(stars_words(task.rating))
    if task.review_note:
        parts.append(task.review_note)
    return ", ".join(parts)


def empty_text(*, keepers_only: bool) -> str:
    if keepers_only:
        return _translate("TakeWording", "No circled takes in this shot yet — press C on a take to circle it.")
    return _translate("TakeWording", "No takes yet — write the prompt and press Generate (Ctrl+Enter)")


def no_shot_text() -> str:
    return _translate("TakeWording", "Choose a shot to see its takes.")
