"""Takes for the timeline tests: real tiny MP4s (tests/data/media) of two sizes and three rates, copied under
names an editor's relink must survive (spaces, "é"), probed as the export probes them."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

from sora2_desktop.core.media.probe import probe
from sora2_desktop.core.timelines.timeline import TimelineClip

MEDIA = Path(__file__).resolve().parents[2] / "data" / "media"
LANDSCAPE_24 = MEDIA / "landscape_1280x720_24fps.mp4"  # 48 frames, stereo 48 kHz
PORTRAIT_30 = MEDIA / "portrait_720x1280_30fps.mp4"  # 60 frames, mono 44.1 kHz
LANDSCAPE_2997_SILENT = MEDIA / "landscape_1280x720_2997fps_silent.mp4"  # 30 frames at 30000/1001, no sound


def take(
    folder: Path,
    source: Path,
    file_name: str,
    shot: str,
    number: int,
    in_ms: int | None = None,
    out_ms: int | None = None,
) -> TimelineClip:
    """`source` copied to `folder/file_name` and described as the export describes an exported take."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    shutil.copyfile(source, path)
    return TimelineClip(
        name=path.stem,
        path=path,
        shot_code=shot,
        take_number=number,
        media=probe(path),
        in_s=None if in_ms is None else Fraction(in_ms, 1000),
        out_s=None if out_ms is None else Fraction(out_ms, 1000),
    )


def mixed_takes(folder: Path) -> list[TimelineClip]:
    """A trailer's selects: landscape 24 fps takes (the most common format), a portrait 30 fps take and a silent
    29.97 take; two trimmed by their marks.

    Expected on a 24 fps sequence (in sequence frames):
      SH010 T03: all 48 frames                                   → record 0–48
      SH020 T01: 30 fps, in 500 ms = frame 15, out 1500 ms = frame 45 kept: 31 frames = 1.0333 s → 24 frames,
                 record 48–72
      SH030 T02: 30 frames at 29.97 = 1.001 s                    → 24 frames, record 72–96
      SH040 T01: 24 fps, in 250 ms = frame 6, out 1750 ms = frame 42 kept: 37 frames → record 96–133
    """
    return [
        take(folder, LANDSCAPE_24, "Trailer SH010 T03 café.mp4", "SH010", 3),
        take(folder, PORTRAIT_30, "Trailer_SH020_T01_9x16.mp4", "SH020", 1, 500, 1500),
        take(folder, LANDSCAPE_2997_SILENT, "Trailer_SH030_T02_16x9.mp4", "SH030", 2),
        take(folder, LANDSCAPE_24, "Trailer_SH040_T01_16x9.mp4", "SH040", 1, 250, 1750),
    ]


EXPECTED_RECORD = [(0, 48), (48, 72), (72, 96), (96, 133)]  # (in, out) in 24 fps sequence frames
EXPECTED_SOURCE = [(0, 48), (15, 46), (0, 30), (6, 43)]  # (first, end) of the marked frames, the take's own rate


_TIME = re.compile(r"^(?:0|(\d+)/(\d+)|(\d+))s$")


def fcpxml_time(text: str | None) -> Fraction:
    """An FCPXML time ("0s", "4800/2400s", "2s") as exact seconds; anything else (a float) fails the test."""
    match = _TIME.match(text or "")
    assert match, f"not a rational FCPXML time: {text!r}"
    if match[1]:
        return Fraction(int(match[1]), int(match[2]))
    return Fraction(int(match[3] or 0))
