"""Contact sheet wording: the words printed on a sheet — marks as editors write them, the header, the gaps."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from fractions import Fraction

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.projects.model import TakeMark

_translate = QCoreApplication.translate


def _counted(text: str, count: int) -> str:
    """Qt's "%n take(s)" with its count; without a translation loaded (English), the "(s)" is resolved here, since
    a printed sheet that says "1 take(s)" looks careless."""
    counted = _translate("SheetWording", text, "", count)
    return counted.replace("(s)", "" if count == 1 else "s")


def mark_label(mark: TakeMark | None) -> str:
    """The word a camera report uses beside the take: CIRCLED, HOLD, NG; nothing for an unmarked take."""
    if mark == TakeMark.CIRCLED:
        return _translate("SheetWording", "CIRCLED")
    if mark == TakeMark.HOLD:
        return _translate("SheetWording", "HOLD")
    if mark == TakeMark.NO_GOOD:
        return _translate("SheetWording", "NG")
    return ""


def takes_words(count: int, marks: Collection[TakeMark] | None) -> str:
    """ "12 circled takes", "3 takes on hold", "9 takes": which takes the sheet holds."""
    if marks is None or not marks:
        return _counted("%n take(s)", count)
    kinds = frozenset(marks)
    if kinds == {TakeMark.CIRCLED}:
        return _counted("%n circled take(s)", count)
    if kinds == {TakeMark.HOLD}:
        return _counted("%n take(s) on hold", count)
    if kinds == {TakeMark.NO_GOOD}:
        return _counted("%n no-good take(s)", count)
    if kinds == {TakeMark.CIRCLED, TakeMark.HOLD}:
        return _counted("%n circled or held take(s)", count)
    marked = ", ".join(mark_label(mark) for mark in TakeMark if mark in kinds)
    return _counted("%n take(s) marked {marks}", count).format(marks=marked)


def shots_words(codes: Sequence[str]) -> str:
    """ "SH010"; "SH010–SH040 (4 shots)" for several, in shot-list order."""
    if len(codes) == 1:
        return codes[0]
    if not codes:
        return _translate("SheetWording", "no shots")
    return _counted("{first}–{last} (%n shot(s))", len(codes)).format(first=codes[0], last=codes[-1])


def subtitle(shots: Sequence[str], takes: str, date: str) -> str:
    """The line under the title: "Contact sheet · SH010–SH040 (4 shots) · 12 circled takes · 3 December 2025"."""
    return _translate("SheetWording", "Contact sheet · {shots} · {takes} · {date}").format(
        shots=shots_words(shots), takes=takes, date=date
    )


def page_words(page: int, pages: int) -> str:
    """ "Page 2 of 3" (page counted from 1)."""
    return _translate("SheetWording", "Page {page} of {pages}").format(page=page, pages=pages)


def card_facts(model: str, seconds: Fraction | float | None) -> str:
    """ "Sora 2 Pro · 10 s"; "4.9 s" when the clip is not whole seconds."""
    if seconds is None:
        return model
    value = float(seconds)
    length = f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"
    return _translate("SheetWording", "{model} · {seconds} s").format(model=model, seconds=length)


def note_line(note: str) -> str:
    return _translate("SheetWording", "Note: {note}").format(note=" ".join(note.split()))


def no_file_words() -> str:
    return _translate("SheetWording", "No video file on disk")


def no_file_detail() -> str:
    return _translate("SheetWording", "Not downloaded yet, or moved since.")


def no_frame_words() -> str:
    return _translate("SheetWording", "No frame could be read")
