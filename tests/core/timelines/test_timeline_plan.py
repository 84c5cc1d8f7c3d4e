"""The timeline plan: which sequence format, where each take sits, which reel names — the part every format shares."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from sora2_desktop.core.media.probe import MediaInfo
from sora2_desktop.core.timelines.timeline import TimelineClip
from sora2_desktop.core.timelines.timeline_plan import choose_sequence, place_clips, reel_names, trimmed_frames
from sora2_desktop.core.timelines.timeline_wording import fps_text, sequence_text
from tests.core.timelines.timeline_rig import EXPECTED_RECORD, EXPECTED_SOURCE, mixed_takes


def media(width: int = 1280, height: int = 720, rate: Fraction = Fraction(24), frames: int = 48) -> MediaInfo:
    return MediaInfo(width, height, rate, frames, Fraction(frames) / rate, True, 48000, 2, "avc1")


def clip(shot: str = "SH010", take: int = 1, info: MediaInfo | None = None, name: str | None = None) -> TimelineClip:
    stem = name or f"P_{shot}_T{take:02d}"
    return TimelineClip(stem, Path(f"/takes/{stem}.mp4"), shot, take, info or media())


def test_the_most_common_format_is_the_sequence_and_the_line_says_why() -> None:
    portrait = media(720, 1280, Fraction(30), 60)
    clips = [clip("SH010", info=portrait), clip("SH020"), clip("SH030"), clip("SH040", info=portrait), clip("SH050")]
    sequence = choose_sequence(clips)
    assert (sequence.width, sequence.height, sequence.frame_rate) == (1280, 720, Fraction(24))
    assert sequence_text(sequence) == "1280×720 at 24 fps, the format of 3 of 5 takes"


def test_a_tie_takes_the_format_met_first_and_says_so() -> None:
    portrait = media(720, 1280, Fraction(30), 60)
    clips = [clip("SH010", info=portrait), clip("SH020"), clip("SH030", info=portrait), clip("SH040")]
    sequence = choose_sequence(clips)
    assert (sequence.width, sequence.height, sequence.frame_rate) == (720, 1280, Fraction(30))
    assert sequence_text(sequence) == (
        "720×1280 at 30 fps, the format of 2 of 4 takes (another format is as common; this one comes first)"
    )
    # The first take's own format is rarer than the tied two: of those, the one whose first take comes first.
    odd = media(1920, 1080, Fraction(25), 50)
    clips = [clip("SH000", info=odd), clip("SH010"), clip("SH020", info=portrait), clip("SH030", info=portrait), clip()]
    sequence = choose_sequence(clips)
    assert (sequence.width, sequence.height, sequence.tie) == (1280, 720, True)


def test_one_format_for_all_and_a_single_take_say_so() -> None:
    ntsc = media(1280, 720, Fraction(30000, 1001), 30)
    assert sequence_text(choose_sequence([clip(info=ntsc), clip("SH020", info=ntsc)])) == (
        "1280×720 at 29.97 fps, the format of every take"
    )
    assert sequence_text(choose_sequence([clip()])) == "1280×720 at 24 fps, the format of the only take"
    assert [fps_text(r) for r in (Fraction(24000, 1001), Fraction(60000, 1001), Fraction(25))] == [
        "23.976",
        "59.94",
        "25",
    ]
    with pytest.raises(ValueError):
        choose_sequence([])


def test_marks_are_frame_positions_and_the_out_frame_is_kept() -> None:
    take = clip(info=media(rate=Fraction(24), frames=48))
    assert trimmed_frames(take) == (0, 48)
    # 250 ms is frame 6 at 24 fps; the out mark's frame (1750 ms = frame 42) is the last one kept.
    assert trimmed_frames(replace(take, in_s=Fraction(250, 1000), out_s=Fraction(1750, 1000))) == (6, 37)
    # A player position in the middle of a frame (frame 1 of 29.97 shows from 33.4 ms to 66.7 ms) is that frame.
    ntsc = clip(info=media(rate=Fraction(30000, 1001), frames=30))
    assert trimmed_frames(replace(ntsc, in_s=Fraction(50, 1000))) == (1, 29)
    # Marks past the file are clamped to it; an out before the in keeps one frame.
    assert trimmed_frames(replace(take, in_s=Fraction(9), out_s=Fraction(10))) == (47, 1)
    assert trimmed_frames(replace(take, in_s=Fraction(1), out_s=Fraction(1, 2))) == (24, 1)


def test_takes_sit_back_to_back_by_time_at_the_sequence_rate(tmp_path: Path) -> None:
    plan = place_clips("Trailer", mixed_takes(tmp_path))
    assert [(p.record_in, p.record_out) for p in plan.placements] == EXPECTED_RECORD
    assert [(p.source_in, p.source_in + p.source_frames) for p in plan.placements] == EXPECTED_SOURCE
    assert plan.duration_frames == 133
    assert [p.converted for p in plan.placements] == [False, True, True, False]
    for placement in plan.placements:
        # No clip claims more time than its marked frames hold, nor a whole sequence frame less.
        held = Fraction(placement.source_frames) / placement.rate
        assert Fraction(placement.record_frames, 24) <= held < Fraction(placement.record_frames + 1, 24)
    # The 30 fps take's in (frame 15 = 0.5 s) is frame 12 at 24 fps.
    assert [p.source_in_at_sequence_rate for p in plan.placements] == [0, 12, 0, 6]


def test_a_take_shorter_than_a_sequence_frame_still_gets_one_inside_its_file() -> None:
    fast = clip(info=media(rate=Fraction(60), frames=60))
    short = replace(fast, in_s=Fraction(59, 60), out_s=Fraction(59, 60))  # the last frame alone: 1/60 s
    plan = place_clips("T", [clip("SH000"), short])
    last = plan.placements[1]
    assert last.record_frames == 1
    assert last.source_in_at_sequence_rate + last.record_frames <= 24  # the 60-frame file is 24 frames at 24 fps


def test_reel_names_come_from_shot_and_take_and_never_collide() -> None:
    clips = [
        clip("SH010", 3),
        clip("SH010", 3, name="again_the_same_take"),  # another file of the same shot and take
        clip("sc01_sh020", 12),  # long code: keeps its end
        clip("sc02_sh020", 12),  # same end: must differ
        clip("Ébauche intro", 1),  # not ASCII, spaces
        clip("SH010", 123),
    ]
    names = reel_names(clips)
    reels = [names[c.path] for c in clips]
    assert reels[0] == "SH010T03"
    assert reels[2] == "SH020T12"
    assert all(len(r) <= 8 and r.isalnum() and r.isascii() for r in reels), reels
    assert len(set(reels)) == len(reels), reels
    assert reels[5] == "H010T123"


def test_one_file_twice_keeps_one_reel() -> None:
    same = clip("SH010", 3)
    assert reel_names([same, replace(same, in_s=Fraction(1))]) == {same.path: "SH010T03"}


def test_reel_clashes_beyond_the_alphabet_stay_unique() -> None:
    clips = [clip("SH010", 1, name=f"copy_{n}") for n in range(30)]
    reels = list(reel_names(clips).values())
    assert len(set(reels)) == 30 and all(len(r) <= 8 for r in reels)
