"""What an export of selects did and where it stands: the takes exported or skipped, files written, progress."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sora2_desktop.core.export.selects import Placement
from sora2_desktop.core.projects.model import Shot
from sora2_desktop.core.tasks.task import Task

if TYPE_CHECKING:
    from sora2_desktop.core.media.probe import MediaInfo

# The command line's --format words and the dialog's check boxes, in the order they are shown.
TIMELINE_FORMATS = ("fcpxml", "xml", "edl")
MANIFEST_FORMATS = ("csv", "json")
SHEET_FORMATS = ("pdf", "png")
EXPORT_FORMATS = (*TIMELINE_FORMATS, *MANIFEST_FORMATS, *SHEET_FORMATS)


class SkipReason(enum.StrEnum):
    """Why a selected take was not exported (export_wording.skip_text makes the words)."""

    NO_FILE = "no_file"  # its file is not on disk: not downloaded yet, or moved or deleted since
    COPY_FAILED = "copy_failed"  # detail: the system's reason (a full disk, no permission)


class ExportStage(enum.StrEnum):
    SELECTING = "selecting"
    COPYING = "copying"  # done/total are bytes
    READING = "reading"  # probing the exported files: done/total are files
    WRITING = "writing"  # manifest and timelines
    SHEETS = "sheets"  # contact sheets


@dataclass(frozen=True)
class ExportProgress:
    stage: ExportStage
    done: int
    total: int


@dataclass(frozen=True)
class ExportedTake:
    shot: Shot
    task: Task
    source: Path  # the take's file as downloaded
    target: Path  # its conformed copy (or link) in the export folder
    placement: Placement  # copied, linked, or already there with the same bytes
    size: int = 0  # bytes of the file
    renamed: bool = False  # its conformed name was taken: `target` has a clash number
    link_problem: str | None = None  # asked to link, copied instead (errno name: EXDEV = another file system)
    media: MediaInfo | None = None  # what the file holds; None when it could not be read
    media_problem: str | None = None  # why it could not be read (the probe's sentence)


@dataclass(frozen=True)
class SkippedTake:
    shot: Shot
    task: Task
    reason: SkipReason
    detail: str | None = None


@dataclass(frozen=True)
class SelectionSummary:
    """What a selection holds right now, for the dialog's live count."""

    shots: int
    takes: int  # takes with a file on disk
    bytes: int
    missing: int  # selected takes with no file on disk


@dataclass
class ExportResult:
    folder: Path
    takes: list[ExportedTake] = field(default_factory=list)
    skipped: list[SkippedTake] = field(default_factory=list)
    files: dict[str, list[Path]] = field(default_factory=dict)  # format -> files written ("takes": the clips)
    sequence: str = ""  # the timeline's rate and size and why (TimelineResult.sequence)
    warnings: list[str] = field(default_factory=list)  # sentences for a person (timeline conform hazards…)
    problems: list[str] = field(default_factory=list)  # formats that could not be written, and why (sentences)
    bytes_copied: int = 0  # bytes written by this export (a link or a file already there writes none)
    seconds: float = 0.0

    @property
    def bytes(self) -> int:
        """The exported takes' size, however they got there."""
        return sum(take.size for take in self.takes)

    @property
    def complete(self) -> bool:
        """Every selected take exported and every file asked for written (warnings are advice, not failures)."""
        return bool(self.takes) and not self.skipped and not self.problems


class ExportCancelled(Exception):
    """The person cancelled: the files finished before stay (`kept`), the one under way was removed."""

    def __init__(self, kept: int) -> None:
        super().__init__(f"export cancelled after {kept} files")
        self.kept = kept
