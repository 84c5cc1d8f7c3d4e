"""Timelines for editors from the selects: the clips in shot order, written as FCPXML, FCP 7 XML and CMX 3600 EDL."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from sora2_desktop.core.media.probe import MediaInfo
from sora2_desktop.core.projects.take_files import safe_name
from sora2_desktop.core.timelines.edl_writer import edl_text
from sora2_desktop.core.timelines.fcpxml_writer import fcpxml_text
from sora2_desktop.core.timelines.timeline_model import build_timeline
from sora2_desktop.core.timelines.timeline_plan import place_clips
from sora2_desktop.core.timelines.timeline_wording import sequence_text, timeline_warnings
from sora2_desktop.core.timelines.xmeml_writer import xmeml_text


@dataclass(frozen=True)
class TimelineClip:
    """One exported take as it goes on the timeline."""

    name: str  # clip name = exported file's stem, e.g. "Trailer_SH010_T03_16x9"
    path: Path  # absolute path of the exported file (it exists when writers run)
    shot_code: str  # "SH010"
    take_number: int  # 3
    media: MediaInfo  # probe() of that file
    in_s: Fraction | None = None  # the take's in mark (Task.in_ms / 1000), None = from the start
    out_s: Fraction | None = None  # the take's out mark, None = to the end


@dataclass(frozen=True)
class TimelineResult:
    """What write_timelines wrote, and what a person should know about it."""

    files: dict[str, Path]  # format -> written file ("fcpxml", "xml", "edl")
    sequence: str  # which rate/size the sequence uses and why, one line for a person
    warnings: list[str]  # conform hazards (e.g. EDL clips at another rate), sentences for a person


# The timeline formats and their file suffixes; other export formats (csv, pdf, …) passed in are not ours.
TIMELINE_SUFFIXES = {"fcpxml": ".fcpxml", "xml": ".xml", "edl": ".edl"}


def write_timelines(
    title: str, clips: Sequence[TimelineClip], folder: Path, formats: Collection[str]
) -> TimelineResult:
    """Write the timeline of `clips` (in the given shot order) into `folder` as `<title>.fcpxml`, `.xml`, `.edl`
    for each timeline format in `formats`; an existing file of that name is replaced (it was a timeline too).

    Synchronous and pure: call it from a worker thread. Raises ValueError when `clips` is empty and OSError when
    a file cannot be written (a half-written file is never left: each is written beside, then renamed).
    """
    plan = place_clips(title, clips)
    wanted = [name for name in TIMELINE_SUFFIXES if name in formats]
    stem = safe_name(title, max_chars=80)
    files: dict[str, Path] = {}
    for name in wanted:
        if name == "fcpxml":
            text = fcpxml_text(plan)
        elif name == "xml":
            text = xmeml_text(plan, build_timeline(plan))
        else:
            text = edl_text(plan)
        files[name] = _write_text(folder / f"{stem}{TIMELINE_SUFFIXES[name]}", text)
    return TimelineResult(files=files, sequence=sequence_text(plan.sequence), warnings=timeline_warnings(plan, wanted))


def _write_text(path: Path, text: str) -> Path:
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(text, encoding="utf-8", newline="\n")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path
