"""Shot list problems: what can be wrong with a cell or a file of an imported shot list, and its words for a person.

A problem is a code with the facts that explain it (the value, what the model takes); the sentence is made here,
when it is shown, as core/tasks/fail_code_text.py does for the service's fail codes.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

_translate = QCoreApplication.translate


class CellFault(enum.StrEnum):
    PROMPT_MISSING = "prompt_missing"
    PROMPT_TOO_LONG = "prompt_too_long"
    MODEL_UNKNOWN = "model_unknown"
    MODE_UNKNOWN = "mode_unknown"
    MODE_NOT_OFFERED = "mode_not_offered"
    DURATION_NOT_NUMBER = "duration_not_number"
    DURATION_NOT_OFFERED = "duration_not_offered"
    FRAME_NOT_OFFERED = "frame_not_offered"
    TAKES_OUT_OF_RANGE = "takes_out_of_range"
    IMAGE_NOT_FOUND = "image_not_found"
    IMAGE_REJECTED = "image_rejected"
    IMAGE_NOT_ADDRESS = "image_not_address"
    IMAGE_NEEDED = "image_needed"
    IMAGE_UNWANTED = "image_unwanted"
    IMAGE_TOO_MANY = "image_too_many"
    CODE_TAKEN = "code_taken"
    CODE_REPEATED = "code_repeated"
    CODE_MALFORMED = "code_malformed"


@dataclass(frozen=True)
class CellProblem:
    """Why one cell cannot become part of a shot. `allowed` is what would be taken, in the service's words;
    `model` the title of the model whose rule it is; `number` a limit, a count or another row's line."""

    fault: CellFault
    value: str = ""
    allowed: tuple[str, ...] = ()
    model: str = ""
    number: int = 0
    detail: str = ""  # a reason already worded elsewhere (an image check's)


class SheetFault(enum.StrEnum):
    UNREADABLE = "unreadable"  # the file could not be read (detail: the system's reason)
    NOT_UTF8 = "not_utf8"
    SPREADSHEET = "spreadsheet"  # a workbook (.xlsx, .ods), not CSV
    EMPTY = "empty"
    NO_PROMPT_COLUMN = "no_prompt_column"
    TOO_LARGE = "too_large"


class ShotListError(Exception):
    """The file as a whole cannot be read as a shot list; `shot_list_error_text` says why and what to do."""

    def __init__(self, fault: SheetFault, detail: str = "") -> None:
        super().__init__(f"{fault}: {detail}" if detail else str(fault))
        self.fault = fault
        self.detail = detail


def problem_text(problem: CellProblem) -> str:
    """One sentence at the cell: what is wrong and what is allowed."""
    fault, value, model, allowed = problem.fault, problem.value, problem.model, problem.allowed
    if fault == CellFault.PROMPT_MISSING:
        return _translate("ShotListProblem", "A prompt is required: describe the shot.")
    if fault == CellFault.PROMPT_TOO_LONG:
        return _translate(
            "ShotListProblem", "{model} takes prompts of at most {limit} characters; this one has {count}."
        ).format(model=model, limit=f"{problem.number:,}", count=f"{len(value):,}")
    if fault == CellFault.MODEL_UNKNOWN:
        return _translate("ShotListProblem", "Unknown model “{value}”: use {allowed}.").format(
            value=value, allowed=_or(allowed)
        )
    if fault == CellFault.MODE_UNKNOWN:
        return _translate("ShotListProblem", "“{value}” is not a mode: use text-to-video or image-to-video.").format(
            value=value
        )
    if fault == CellFault.MODE_NOT_OFFERED:
        return _translate("ShotListProblem", "{model} does not make {value}: use {allowed}.").format(
            model=model, value=value, allowed=_or(allowed)
        )
    if fault == CellFault.DURATION_NOT_NUMBER:
        return _translate("ShotListProblem", "“{value}” is not a number of seconds; {model} takes {allowed} s.").format(
            value=value, model=model, allowed=_or(allowed)
        )
    if fault == CellFault.DURATION_NOT_OFFERED:
        return _translate("ShotListProblem", "{model} takes {allowed} s.").format(model=model, allowed=_or(allowed))
    if fault == CellFault.FRAME_NOT_OFFERED:
        return _translate("ShotListProblem", "{model} takes {allowed} here, not “{value}”.").format(
            model=model, allowed=_or(allowed), value=value
        )
    if fault == CellFault.TAKES_OUT_OF_RANGE:
        return _translate("ShotListProblem", "Takes is a whole number from 1 to {limit}, not “{value}”.").format(
            limit=problem.number, value=value
        )
    return _image_or_code_text(problem)


def _image_or_code_text(problem: CellProblem) -> str:
    fault, value, model = problem.fault, problem.value, problem.model
    if fault == CellFault.IMAGE_NOT_FOUND:
        if problem.number:  # a path relative to the CSV's folder
            return _translate("ShotListProblem", "No file {value} next to the CSV.").format(value=value)
        return _translate("ShotListProblem", "No file {value}.").format(value=value)
    if fault == CellFault.IMAGE_REJECTED:
        return problem.detail  # the image check's own sentence names the file
    if fault == CellFault.IMAGE_NOT_ADDRESS:
        return _translate("ShotListProblem", "“{value}” is neither a file nor an http:// or https:// address.").format(
            value=value
        )
    if fault == CellFault.IMAGE_NEEDED:
        return _translate(
            "ShotListProblem", "Image-to-video needs an image: a file next to the CSV or an https:// address."
        )
    if fault == CellFault.IMAGE_UNWANTED:
        return _translate(
            "ShotListProblem", "Text-to-video takes no image: leave this empty, or set the mode to image-to-video."
        )
    if fault == CellFault.IMAGE_TOO_MANY:
        return _translate(
            "ShotListProblem", "{model} takes at most {limit} image(s) here; this cell has {count}."
        ).format(model=model, limit=problem.number, count=len(problem.allowed))
    if fault == CellFault.CODE_TAKEN:
        return _translate(
            "ShotListProblem", "{value} is already a shot of this project: give another code, or leave it empty."
        ).format(value=value)
    if fault == CellFault.CODE_REPEATED:
        return _translate("ShotListProblem", "{value} is also the code of the row on line {line}.").format(
            value=value, line=problem.number
        )
    if fault == CellFault.CODE_MALFORMED:
        return _translate("ShotListProblem", "A code is one line of at most {limit} characters, such as SH010.").format(
            limit=problem.number
        )
    return value


def shot_list_error_text(error: ShotListError) -> str:
    if error.fault == SheetFault.NOT_UTF8:
        return _translate(
            "ShotListProblem",
            "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and import it again.",
        )
    if error.fault == SheetFault.SPREADSHEET:
        return _translate(
            "ShotListProblem", "This is a spreadsheet workbook, not CSV. Save it as “CSV UTF-8” and import that file."
        )
    if error.fault == SheetFault.EMPTY:
        return _translate("ShotListProblem", "The file is empty: a shot list needs a header row and one row per shot.")
    if error.fault == SheetFault.NO_PROMPT_COLUMN:
        return _translate(
            "ShotListProblem",
            "The header row has no “prompt” column (it has: {columns}). The first row must name the columns.",
        ).format(columns=error.detail or "—")
    if error.fault == SheetFault.TOO_LARGE:
        return _translate("ShotListProblem", "The file is {size}; a shot list is read up to {limit}.").format(
            size=error.detail, limit="20 MB"
        )
    return _translate("ShotListProblem", "The file cannot be read: {reason}").format(reason=error.detail)


def _or(values: Sequence[str]) -> str:
    """ "10 or 15", "4, 8 or 12"."""
    words = [str(value) for value in values]
    if len(words) <= 1:
        return "".join(words)
    return _translate("ShotListProblem", "{0} or {1}").format(", ".join(words[:-1]), words[-1])
