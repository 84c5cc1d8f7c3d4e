"""Frames and timecode: milliseconds ↔ frame numbers ↔ HH:MM:SS:FF at a file's frame rate. Pure arithmetic.

Rates are kept as fractions, so 29.97 (30000/1001) and 23.976 (24000/1001) count frames without float drift over
an hour. Timecode is non-drop-frame, as editors read it for a clip: frames are counted at the nominal rate (30 for
29.97, 24 for 23.976), so 00:00:01:00 is frame 30 of a 29.97 clip, a thousandth of a second past one second.
"""

from __future__ import annotations

import math
from fractions import Fraction

# When a file does not say its frame rate. 25 is the PAL rate and the demo clip's; the player says it guessed.
FALLBACK_FPS = Fraction(25)
# Rates a container may report that are not a picture's rate (0, a 1000 fps timebase): guessed instead.
_MIN_FPS, _MAX_FPS = 1, 240
# Other rates come as floats (12.5, 15): the nearest small fraction is the rate meant.
_MAX_DENOMINATOR = 1001


def frame_rate(reported: object) -> Fraction | None:
    """The exact rate a file reports (a float from QMediaMetaData), or None when it reports none that makes sense."""
    if not isinstance(reported, int | float | str):
        return None
    try:
        fps = float(reported)
    except ValueError:
        return None
    if not math.isfinite(fps) or not _MIN_FPS <= fps <= _MAX_FPS:
        return None
    # 29.97 as a container rounds it (not 29.97002997) is still 30000/1001: the rate, not the rounding, is meant.
    for nominal in (24, 30, 48, 60, 120):
        if abs(fps - nominal * 1000 / 1001) < 0.005:
            return Fraction(nominal * 1000, 1001)
    return Fraction(fps).limit_denominator(_MAX_DENOMINATOR)


def nominal_fps(rate: Fraction) -> int:
    """Frames per timecode second: 30 for 29.97, 24 for 23.976, 25 for 25."""
    return max(1, round(rate))


def frame_start_ms(frame: int, rate: Fraction) -> Fraction:
    """When `frame` begins, exactly."""
    return Fraction(frame * 1000) / rate


def frame_at(ms: int, rate: Fraction) -> int:
    """The frame on screen at `ms` (the one that began at or before it)."""
    return max(0, math.floor(Fraction(ms) * rate / 1000))


def frame_position(frame: int, rate: Fraction) -> int:
    """The player position (whole ms) that shows `frame`: the middle of it, not its first instant. Qt's FFmpeg
    backend, paused, shows the frame that began strictly before the position, so a frame's exact start shows the
    frame before; the middle is inside the frame whichever way a backend rounds (and for 29.97, whose frames
    start at fractional ms)."""
    return math.floor(frame_start_ms(frame, rate) + Fraction(500) / rate) if frame > 0 else 0


def frame_count(duration_ms: int, rate: Fraction) -> int:
    """How many frames a clip of `duration_ms` holds (rounded: containers round durations to the ms)."""
    return max(0, round(Fraction(duration_ms) * rate / 1000))


def timecode(frame: int, rate: Fraction) -> str:
    """`frame` as HH:MM:SS:FF (non-drop-frame); negative frames read as 00:00:00:00."""
    per_second = nominal_fps(rate)
    seconds, frames = divmod(max(0, frame), per_second)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}:{frames:02d}"


def timecode_at(ms: int, rate: Fraction) -> str:
    """The timecode of the frame on screen at `ms`."""
    return timecode(frame_at(ms, rate), rate)
