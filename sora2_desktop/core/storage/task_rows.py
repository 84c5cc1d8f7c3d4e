"""How a Task and a Download become SQLite rows and back, fast enough to load 10,000 tasks at start-up."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sora2_desktop.api import GenerationRequest, Mode, RequestType
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.projects.source_frame import source_frame_from_text
from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase

# Column order is the contract between task_values() and task_from_row(); `id` comes first.
TASK_COLUMNS = (
    "id",
    "request_json",
    "phase",
    "created_at",
    "updated_at",
    "batch_id",
    "task_id",
    "submitted_at",
    "next_poll_at",
    "polls",
    "raw_state",
    "result_urls",
    "fail_code",
    "fail_message",
    "error_message",
    "service_created_at",
    "completed_at",
    "cost_time_ms",
    "chosen",
    "note",
    "note_detail",
    "catalogue_version",
    "cost_estimate_usd",
    "shot_id",
    "take_number",
    "version_id",
    "mark",
    "rating",
    "review_note",
    "in_ms",
    "out_ms",
    "source_frame",
)
# The review a person gives a take: only its own setters write these (TaskStore.update leaves them alone).
REVIEW_COLUMNS = ("chosen", "mark", "rating", "review_note", "in_ms", "out_ms")
DOWNLOAD_COLUMNS = (
    "task_row_id",
    "url_index",
    "url",
    "path",
    "bytes_done",
    "bytes_total",
    "state",
    "expires_at",
    "error",
    "problem",
    "problem_detail",
)

# Times are ISO 8601 text in UTC with microseconds always written ("2026-01-09T13:33:30.929000+00:00"):
# fixed width, so text order is time order and the indexes work; it reads back as exactly the datetime that
# was written (unix milliseconds would round it); datetime.fromisoformat is several times faster than
# rebuilding a datetime from a number; and a person can read it in any SQLite browser.

# Dict lookups instead of Enum(value) calls: the enum call is most of the cost of reading a row.
_PHASES = {phase.value: phase for phase in TaskPhase}
_NOTES = {note.value: note for note in TaskNote}
_MARKS = {mark.value: mark for mark in TakeMark}
_DOWNLOAD_STATES = {state.value: state for state in DownloadState}
_PROBLEMS = {problem.value: problem for problem in DownloadProblem}
_MODES = {mode.value: mode for mode in Mode}
_REQUEST_TYPES = {kind.value: kind for kind in RequestType}

T = TypeVar("T")


def _builder(cls: type[T], stored_fields: tuple[str, ...]) -> Callable[[dict[str, Any]], T]:
    """A constructor for rows: the frozen dataclass __init__ (one object.__setattr__ per field) costs more
    than the rest of a row together, so when the rows carry exactly the class's fields and the class has no
    __post_init__ or __slots__, the instance's __dict__ is filled directly. The result is the same object
    the normal constructor makes; should Task gain a field or a check, this falls back to the constructor."""
    names = {field.name for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    plain = not hasattr(cls, "__post_init__") and "__slots__" not in vars(cls)
    direct = plain and set(stored_fields) == names

    def build(values: dict[str, Any]) -> T:
        if direct:
            instance = object.__new__(cls)
            instance.__dict__.update(values)
            return instance
        return cls(**values)

    return build


# Task field names in TASK_COLUMNS order: the same names but for the first two columns.
_TASK_FIELDS = ("local_id", "request", *TASK_COLUMNS[2:])
_build_task = _builder(Task, _TASK_FIELDS)
_REQUEST_FIELDS = (
    "prompt",
    "mode",
    "duration",
    "aspect_ratio",
    "image_urls",
    "remove_watermark",
    "provider",
    "request_type",
    "callback_url",
    "model",
    "size",
    "resolution",
)
_build_request = _builder(GenerationRequest, _REQUEST_FIELDS)


def to_text(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    # The app's datetimes are UTC; a naive one is taken as UTC (astimezone would take it as local time).
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


def from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def urls_to_text(urls: tuple[str, ...]) -> str:
    """One URL per line: a URL has no line breaks (RFC 3986), and splitting is ten times faster than JSON.
    A broken one from the service is percent-encoded the way a browser would, rather than splitting it."""
    return "\n".join(url.replace("\r", "%0D").replace("\n", "%0A") for url in urls)


def task_values(task: Task) -> tuple[object, ...]:
    """Every column but `id`, in TASK_COLUMNS order."""
    return (
        json.dumps(task.request.to_dict(), ensure_ascii=False),
        str(task.phase),
        to_text(task.created_at),
        to_text(task.updated_at),
        task.batch_id,
        task.task_id,
        to_text(task.submitted_at),
        to_text(task.next_poll_at),
        task.polls,
        task.raw_state,
        urls_to_text(task.result_urls),
        task.fail_code,
        task.fail_message,
        task.error_message,
        to_text(task.service_created_at),
        to_text(task.completed_at),
        task.cost_time_ms,
        int(task.chosen),
        None if task.note is None else str(task.note),
        task.note_detail,
        task.catalogue_version,
        task.cost_estimate_usd,
        task.shot_id,
        task.take_number,
        task.version_id,
        None if task.mark is None else str(task.mark),
        task.rating,
        task.review_note,
        task.in_ms,
        task.out_ms,
        None if task.source_frame is None else task.source_frame.to_text(),
    )


def task_from_row(row: tuple[Any, ...], requests: dict[str, GenerationRequest]) -> Task:
    """`requests` caches parsed requests by their JSON: the takes of one batch share one request."""
    request = requests.get(row[1])
    if request is None:
        request = requests[row[1]] = request_from_json(row[1])
    iso = datetime.fromisoformat
    return _build_task(
        {
            "local_id": row[0],
            "request": request,
            # A phase written by a later version that this one does not know shows as UNKNOWN, not a crash.
            "phase": _PHASES.get(row[2], TaskPhase.UNKNOWN),
            "created_at": iso(row[3]),
            "updated_at": None if row[4] is None else iso(row[4]),
            "batch_id": row[5],
            "task_id": row[6],
            "submitted_at": None if row[7] is None else iso(row[7]),
            "next_poll_at": None if row[8] is None else iso(row[8]),
            "polls": row[9],
            "raw_state": row[10],
            "result_urls": tuple(row[11].split("\n")) if row[11] else (),
            "fail_code": row[12],
            "fail_message": row[13],
            "error_message": row[14],
            "service_created_at": None if row[15] is None else iso(row[15]),
            "completed_at": None if row[16] is None else iso(row[16]),
            "cost_time_ms": row[17],
            "chosen": bool(row[18]),
            # A note written by a later version that this one does not know is left out, not a crash.
            "note": None if row[19] is None else _NOTES.get(row[19]),
            "note_detail": row[20],
            "catalogue_version": row[21],
            "cost_estimate_usd": row[22],
            "shot_id": row[23],
            "take_number": row[24],
            "version_id": row[25],
            # A mark written by a later version that this one does not know reads as no mark, not a crash.
            "mark": None if row[26] is None else _MARKS.get(row[26]),
            "rating": row[27],
            "review_note": row[28],
            "in_ms": row[29],
            "out_ms": row[30],
            # JSON written by a later version in a form this one cannot read shows no lineage, not a crash.
            "source_frame": None if row[31] is None else source_frame_from_text(row[31]),
        }
    )


def review_from_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """The review fields of a task from REVIEW_COLUMNS' values, as Task.with_ takes them."""
    return {
        "chosen": bool(row[0]),
        "mark": None if row[1] is None else _MARKS.get(row[1]),
        "rating": row[2],
        "review_note": row[3],
        "in_ms": row[4],
        "out_ms": row[5],
    }


def request_from_json(text: str) -> GenerationRequest:
    data = json.loads(text)
    try:
        return _build_request(
            {
                "prompt": data["prompt"],
                "mode": _MODES[data["mode"]],
                "duration": data["duration"],
                "aspect_ratio": data["aspect_ratio"],
                "image_urls": tuple(data["image_urls"]),
                "remove_watermark": data["remove_watermark"],
                "provider": data["provider"],
                "request_type": _REQUEST_TYPES[data["request_type"]],
                "callback_url": data["callback_url"],
                "model": data["model"],
                "size": data["size"],
                "resolution": data["resolution"],
            }
        )
    except KeyError:
        # Written by another version (a key missing or added, e.g. no `model` before models were data): the
        # tolerant, slower reader handles it.
        return GenerationRequest.from_dict(data)


def download_values(download: Download) -> tuple[object, ...]:
    """Every column, in DOWNLOAD_COLUMNS order."""
    return (
        download.local_id,
        download.url_index,
        download.url,
        None if download.path is None else str(download.path),
        download.bytes_done,
        download.bytes_total,
        str(download.state),
        to_text(download.expires_at),
        download.legacy_error,
        None if download.problem is None else str(download.problem),
        download.problem_detail,
    )


def download_from_row(row: tuple[Any, ...]) -> Download:
    return Download(
        local_id=row[0],
        url_index=row[1],
        url=row[2],
        path=None if row[3] is None else Path(row[3]),
        bytes_done=row[4],
        bytes_total=row[5],
        state=_DOWNLOAD_STATES.get(row[6], DownloadState.FAILED),
        expires_at=from_text(row[7]),
        # A code written by a later version that this one does not know reads as an unforeseen fault.
        problem=None if row[9] is None else _PROBLEMS.get(row[9], DownloadProblem.UNEXPECTED),
        problem_detail=row[10],
        legacy_error=row[8],
    )
