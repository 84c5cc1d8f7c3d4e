"""Timeline plan: the sequence's one size and rate, and where each take sits in it, in whole sequence frames.

Pure arithmetic on exact fractions, shared by every timeline writer so FCPXML, FCP 7 XML and the EDL put each
clip at the same record frames. A take keeps its own rate and size; it is placed by time. A take at another
rate than the sequence fills the whole sequence frames its trimmed length covers: a part-frame at its tail is
dropped, so no clip ever claims media past its out mark or its file's end.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sora2_desktop.core.timelines.timeline import TimelineClip

REEL_CHARS = 8  # CMX 3600 reel names: eight characters at most
_NOT_REEL = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True)
class SequenceFormat:
    """The sequence's size and rate, and how many of the takes share them (for the sentence that says why)."""

    width: int
    height: int
    frame_rate: Fraction
    takes_alike: int  # takes of exactly this size and rate
    takes: int  # takes on the timeline
    tie: bool  # another format is as common: the one whose first take comes first was taken


@dataclass(frozen=True)
class ClipPlacement:
    """One take on the timeline: the media it uses (its own frames) and where it sits (sequence frames)."""

    clip: TimelineClip
    reel: str  # unique per source file, ≤ 8 characters: "SH010T03"
    source_in: int  # first frame used, at the take's own rate
    source_frames: int  # frames from the in mark through the out mark, at the take's own rate
    record_in: int  # where it starts on the timeline, in sequence frames (contiguous: the previous record_out)
    record_frames: int  # how long it lasts there, in sequence frames
    source_in_at_sequence_rate: int  # source_in as a frame of the sequence's rate (an EDL counts at one rate)
    converted: bool  # the take's rate is not the sequence's: frame numbers at the sequence rate are approximate

    @property
    def record_out(self) -> int:
        return self.record_in + self.record_frames

    @property
    def rate(self) -> Fraction:
        return self.clip.media.frame_rate


@dataclass(frozen=True)
class TimelinePlan:
    title: str
    sequence: SequenceFormat
    placements: tuple[ClipPlacement, ...]

    @property
    def duration_frames(self) -> int:
        return self.placements[-1].record_out if self.placements else 0


def choose_sequence(clips: Sequence[TimelineClip]) -> SequenceFormat:
    """The most common size × rate among the takes; on a tie, the one met first in shot order (the opening shot
    sets the cut)."""
    if not clips:
        raise ValueError("a timeline needs at least one clip")
    keys = [(c.media.width, c.media.height, c.media.frame_rate) for c in clips]
    counts = Counter(keys)
    best = max(counts.values())
    first_best = next(key for key in keys if counts[key] == best)
    tie = sum(1 for n in counts.values() if n == best) > 1
    width, height, rate = first_best
    return SequenceFormat(width, height, rate, takes_alike=best, takes=len(clips), tie=tie)


def place_clips(title: str, clips: Sequence[TimelineClip]) -> TimelinePlan:
    """The plan of a timeline of `clips` in the given order, back to back from frame 0."""
    sequence = choose_sequence(clips)
    seq_rate = sequence.frame_rate
    reels = reel_names(clips)
    placements: list[ClipPlacement] = []
    record_in = 0
    for clip in clips:
        source_in, source_frames = trimmed_frames(clip)
        source_seconds = Fraction(source_frames) / clip.media.frame_rate
        record_frames = max(1, math.floor(source_seconds * seq_rate))
        # floor(in) + floor(length) <= floor(in + length): the source range at the sequence rate stays in the file
        # (only a take shorter than one sequence frame, stretched to one, could pass its end; it starts earlier).
        in_at_seq = math.floor(Fraction(source_in) / clip.media.frame_rate * seq_rate)
        file_at_seq = max(1, math.floor(Fraction(clip.media.frame_count) / clip.media.frame_rate * seq_rate))
        in_at_seq = max(0, min(in_at_seq, file_at_seq - record_frames))
        placements.append(
            ClipPlacement(
                clip=clip,
                reel=reels[clip.path],
                source_in=source_in,
                source_frames=source_frames,
                record_in=record_in,
                record_frames=record_frames,
                source_in_at_sequence_rate=in_at_seq,
                converted=clip.media.frame_rate != seq_rate,
            )
        )
        record_in += record_frames
    return TimelinePlan(title, sequence, tuple(placements))


def trimmed_frames(clip: TimelineClip) -> tuple[int, int]:
    """(first frame, frame count) of the take between its marks, at its own rate. A mark is the position of a
    frame (the out mark is the last frame kept, as the player sets it); marks outside the file are clamped."""
    rate, total = clip.media.frame_rate, max(1, clip.media.frame_count)
    first = 0 if clip.in_s is None else min(max(0, math.floor(clip.in_s * rate)), total - 1)
    end = total if clip.out_s is None else min(max(first + 1, math.floor(clip.out_s * rate) + 1), total)
    return first, end - first


def reel_names(clips: Sequence[TimelineClip]) -> dict[Path, str]:
    """One reel name per source file, from its shot and take ("SH010T03"), unique among the clips. A long shot
    code keeps its end (where its number is); a clash takes a letter before the take ("H010BT03")."""
    names: dict[Path, str] = {}
    used: set[str] = set()
    for clip in clips:
        if clip.path in names:
            continue
        take = f"T{clip.take_number:02d}"[:REEL_CHARS]
        shot = _NOT_REEL.sub("", clip.shot_code.upper()) or "SHOT"
        room = REEL_CHARS - len(take)
        name = shot[-room:] + take if room > 0 else take
        short_room = max(0, REEL_CHARS - len(take) - 1)
        letters = iter("BCDEFGHJKLMNPQRSTUVWXYZ")
        number = 0
        while name in used:
            letter = next(letters, None)
            if letter is None:  # 22 clashes of one shot and take: a running number is still unique
                number += 1
                name = f"R{number:0{REEL_CHARS - 1}d}"
            else:
                name = (shot[-short_room:] if short_room else "") + letter + take
        used.add(name)
        names[clip.path] = name
    return names
