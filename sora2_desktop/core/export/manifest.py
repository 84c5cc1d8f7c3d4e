"""The export's manifest: one row per exported take (how it was made, what the file holds, where it went), as
CSV for spreadsheets and studio scripts and as JSON."""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sora2_desktop import __version__
from sora2_desktop.core.export.selection import take_mark
from sora2_desktop.core.projects.model import Project, PromptVersion, Shot, take_code
from sora2_desktop.core.projects.source_frame import SourceFrame
from sora2_desktop.core.tasks.task import Task

if TYPE_CHECKING:
    from sora2_desktop.core.media.probe import MediaInfo

MANIFEST_FORMATS = ("csv", "json")
MANIFEST_VERSION = 1

# The columns, in order; the JSON's rows carry the same keys (with numbers and true/false as JSON has them).
COLUMNS = (
    "project",
    "shot_code",
    "shot_title",
    "take",
    "take_code",
    "mark",
    "rating",
    "note",
    "prompt_version",
    "prompt",
    "model",
    "mode",
    "requested_duration_s",
    "aspect_ratio",
    "size",
    "resolution",
    "provider",
    "remove_watermark",
    "task_id",
    "created_at",
    "finished_at",
    "duration_s",
    "frame_count",
    "frame_rate",
    "width",
    "height",
    "has_audio",
    "in_timecode",
    "in_ms",
    "out_timecode",
    "out_ms",
    "cost_estimate_usd",
    "source_file",
    "exported_file",
    "source_frame",
    "catalogue_version",
)


@dataclass(frozen=True)
class ManifestEntry:
    """One exported take and what is known about it."""

    project: Project
    shot: Shot
    task: Task
    version: PromptVersion | None
    media: MediaInfo | None  # None when the file could not be read (the export says why)
    source: Path  # the file as downloaded
    exported: Path  # the file in the export folder


def manifest_row(entry: ManifestEntry) -> dict[str, Any]:
    """The entry's values under COLUMNS' keys: numbers as numbers, None where nothing is known."""
    task, request, media = entry.task, entry.task.request, entry.media
    mark = take_mark(task)
    rate = media.frame_rate if media is not None else None
    return {
        "project": entry.project.name,
        "shot_code": entry.shot.code,
        "shot_title": entry.shot.title,
        "take": task.take_number,
        "take_code": take_code(task.take_number) if task.take_number is not None else None,
        "mark": str(mark) if mark is not None else None,
        "rating": task.rating,
        "note": task.review_note,
        "prompt_version": entry.version.number if entry.version is not None else None,
        "prompt": request.prompt,
        "model": request.model,
        "mode": str(request.mode),
        "requested_duration_s": request.duration,
        "aspect_ratio": request.aspect_ratio or None,
        "size": request.size or None,
        "resolution": request.resolution or None,
        "provider": request.provider,
        "remove_watermark": request.remove_watermark,
        "task_id": task.task_id,
        "created_at": _iso(task.created_at),
        "finished_at": _iso(task.completed_at),
        "duration_s": _seconds(media.duration) if media is not None else None,
        "frame_count": media.frame_count if media is not None else None,
        "frame_rate": str(rate) if rate is not None else None,
        "width": media.width if media is not None else None,
        "height": media.height if media is not None else None,
        "has_audio": media.has_audio if media is not None else None,
        "in_timecode": _timecode(task.in_ms, rate),
        "in_ms": task.in_ms,
        "out_timecode": _timecode(task.out_ms, rate),
        "out_ms": task.out_ms,
        "cost_estimate_usd": task.cost_estimate_usd,
        "source_file": entry.source.name,
        "exported_file": entry.exported.name,
        "source_frame": _lineage(task.source_frame),
        "catalogue_version": task.catalogue_version,
    }


def csv_text(value: Any) -> str:
    """A value as its CSV cell: nothing for None, true/false, numbers as Python writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return str(value.get("text", ""))
    return str(value)


def write_manifest(
    entries: Sequence[ManifestEntry], folder: Path, stem: str, formats: Collection[str], exported_at: datetime
) -> dict[str, Path]:
    """`stem.csv` and/or `stem.json` in `folder` (each replaced whole, never half-written); blocking, so run it
    in a worker thread. Returns format -> file written."""
    rows = [manifest_row(entry) for entry in entries]
    written: dict[str, Path] = {}
    if "csv" in formats:
        written["csv"] = _write_atomically(folder / f"{stem}.csv", lambda path: _write_csv(path, rows))
    if "json" in formats:
        project = entries[0].project.name if entries else None
        document = {
            "manifest_version": MANIFEST_VERSION,
            "app": "Sora 2 Desktop",
            "app_version": __version__,
            "project": project,
            "exported_at": _iso(exported_at),
            "columns": list(COLUMNS),
            "takes": rows,
        }
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        written["json"] = _write_atomically(folder / f"{stem}.json", lambda path: path.write_text(text, "utf-8"))
    return written


def _write_csv(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    # newline="": the csv module writes its own line ends and keeps new lines inside quoted prompts intact.
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: csv_text(value) for key, value in row.items()})


def _write_atomically(path: Path, write: Any) -> Path:
    partial = path.with_name(path.name + ".part")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 with its zone; a time stored without one was UTC."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _seconds(duration: Fraction) -> float:
    return round(float(duration), 3)


def _timecode(ms: int | None, rate: Fraction | None) -> str | None:
    """HH:MM:SS:FF (non-drop-frame, counted at the nominal rate as ui/results/timecode.py does) of the frame
    on screen at `ms`, at the clip's own rate; None without a mark or a known rate."""
    if ms is None or rate is None or rate <= 0:
        return None
    frame = max(0, math.floor(Fraction(ms) * rate / 1000))
    per_second = max(1, round(rate))
    seconds, frames = divmod(frame, per_second)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}:{frames:02d}"


def _lineage(frame: SourceFrame | None) -> dict[str, Any] | None:
    """Where the take's start image came from (a frame of another take): its stored fields, plus `text`
    ("SH020 T03 00:00:04:12") for the CSV cell."""
    if frame is None:
        return None
    words = [frame.shot_code, take_code(frame.take_number) if frame.take_number is not None else "", frame.timecode]
    return {**frame.to_json(), "text": " ".join(word for word in words if word)}
