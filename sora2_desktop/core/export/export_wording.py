"""Export wording: what an export did, skipped and warns about, in sentences for a person (the dialog and the
command line say the same)."""

from __future__ import annotations

import errno
import os

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.export.export_result import (
    ExportedTake,
    ExportResult,
    SelectionSummary,
    SkippedTake,
    SkipReason,
)
from sora2_desktop.core.export.selects import Placement
from sora2_desktop.core.projects.model import Shot, take_code
from sora2_desktop.core.results.download_wording import size_text
from sora2_desktop.core.tasks.task import Task

_translate = QCoreApplication.translate


def take_label(shot: Shot, task: Task) -> str:
    """ "SH010 T03"."""
    return f"{shot.code} {take_code(task.take_number or 0)}"


def summary_text(summary: SelectionSummary) -> str:
    """ "4 takes in 3 shots, 212 MB" (and how many have no file)."""
    if summary.takes == 0 and summary.missing == 0:
        return _translate("ExportWording", "No takes match.")
    text = _translate("ExportWording", "{0} in {1}, {2}").format(
        _takes(summary.takes), _shots(summary.shots), size_text(summary.bytes)
    )
    if summary.missing:
        text += _translate("ExportWording", "; {0} not on disk (left out)").format(_takes(summary.missing))
    return text


def result_text(result: ExportResult) -> str:
    """The export's one-line summary: what went where, how big, how long."""
    shots = len({take.shot.id for take in result.takes})
    if not result.takes and not result.skipped:
        return _translate("ExportWording", "No takes with those marks in the chosen shots: nothing was exported.")
    if not result.takes:
        return _translate("ExportWording", "Nothing was exported to {0}.").format(result.folder)
    return _translate("ExportWording", "Exported {0} of {1} ({2}) to {3} in {4:.1f} s.").format(
        _takes(len(result.takes)), _shots(shots), size_text(result.bytes), result.folder, result.seconds
    )


def take_notes(take: ExportedTake) -> list[str]:
    """What a person should know about one exported take (nothing when it went as asked)."""
    name, notes = take.target.name, []
    if take.placement == Placement.ALREADY_THERE:
        notes.append(
            _translate("ExportWording", "{0}: already in the folder with the same bytes; left as it is.").format(name)
        )
    if take.renamed:
        notes.append(
            _translate("ExportWording", "{0}: {1} was taken by another file, so it is saved as {0}.").format(
                name, _conformed_name(take)
            )
        )
    if take.link_problem is not None:
        why = (
            _translate("ExportWording", "the folder is on another drive")
            if take.link_problem == "EXDEV"
            else _translate("ExportWording", "this drive cannot hold links ({0})").format(_os_reason(take.link_problem))
        )
        notes.append(_translate("ExportWording", "{0}: copied, not linked: {1}.").format(name, why))
    if take.media_problem is not None:
        notes.append(
            _translate("ExportWording", "{0}: {1}; it is left out of the timelines.").format(name, take.media_problem)
        )
    return notes


def skip_text(skipped: SkippedTake) -> str:
    label = take_label(skipped.shot, skipped.task)
    if skipped.reason == SkipReason.NO_FILE:
        return _translate(
            "ExportWording", "{0}: its file is not on disk (not downloaded yet, or moved since); not exported."
        ).format(label)
    return _translate("ExportWording", "{0}: could not be copied: {1}.").format(label, _os_reason(skipped.detail))


def not_written_text(what: str, reason: str) -> str:
    """`what` is "manifest", "timeline" or "sheet"; an empty `reason` for a sheet: there is no sheet maker here."""
    if what == "manifest":
        return _translate("ExportWording", "The manifest could not be written: {0}.").format(reason)
    if what == "timeline":
        return _translate("ExportWording", "The timelines could not be written: {0}.").format(reason)
    if not reason:
        return _translate("ExportWording", "Contact sheets cannot be made here; the rest was exported.")
    return _translate("ExportWording", "The contact sheet could not be written: {0}.").format(reason)


def report_lines(result: ExportResult) -> list[str]:
    """Everything skipped, failed or worth knowing, one sentence each, in the order a person reads them."""
    lines = [skip_text(skipped) for skipped in result.skipped]
    lines += result.problems
    for take in result.takes:
        lines += take_notes(take)
    lines += result.warnings
    return lines


def _conformed_name(take: ExportedTake) -> str:
    # "Name (2).mp4" came from "Name.mp4": the clash number is the only difference.
    stem = take.target.stem
    base = stem[: stem.rfind(" (")] if stem.endswith(")") and " (" in stem else stem
    return f"{base}{take.target.suffix}"


def _takes(count: int) -> str:
    return _translate("ExportWording", "%n take(s)", "", count)


def _shots(count: int) -> str:
    return _translate("ExportWording", "%n shot(s)", "", count)


def _os_reason(name: str | None) -> str:
    number = getattr(errno, name or "", None)
    if isinstance(number, int):
        return os.strerror(number)
    return name or _translate("ExportWording", "unknown reason")
