"""CMX 3600 EDL read back with a column-exact parser of our own (header, events, reels, timecodes, comments) and
with OpenTimelineIO's cmx_3600 reader."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio

from sora2_desktop.core.timelines.timeline import TimelineResult, write_timelines
from tests.core.timelines.timeline_rig import EXPECTED_RECORD, LANDSCAPE_2997_SILENT, mixed_takes, take

# CMX 3600 columns (1-based): event 1–3, reel 6–13, channels 15–18, transition 21, source in 30, source out 42,
# record in 54, record out 66.
_EVENT = re.compile(
    r"^(?P<event>\d{3})  (?P<reel>[A-Z0-9 ]{8}) (?P<channel>[A-Z/ ]{5}) C {8}"
    r"(?P<src_in>\d\d:\d\d:\d\d:\d\d) (?P<src_out>\d\d:\d\d:\d\d:\d\d) "
    r"(?P<rec_in>\d\d:\d\d:\d\d:\d\d) (?P<rec_out>\d\d:\d\d:\d\d:\d\d)$"
)


@dataclass
class Event:
    number: int
    reel: str
    channel: str
    source: tuple[int, int]
    record: tuple[int, int]
    comments: list[str]


def frames(timecode: str, fps: int) -> int:
    hours, minutes, seconds, frame = (int(part) for part in timecode.split(":"))
    assert minutes < 60 and seconds < 60 and frame < fps, f"{timecode} is not a timecode at {fps} fps"
    return ((hours * 60 + minutes) * 60 + seconds) * fps + frame


def parse(text: str, fps: int) -> tuple[list[str], list[Event]]:
    lines = text.splitlines()
    header = lines[:2]
    events: list[Event] = []
    for line in lines[2:]:
        if not line.strip():
            continue
        if line.startswith("*"):
            events[-1].comments.append(line)
            continue
        match = _EVENT.match(line)
        assert match, f"not a CMX 3600 event line: {line!r}"
        events.append(
            Event(
                int(match["event"]),
                match["reel"].rstrip(),
                match["channel"].rstrip(),
                (frames(match["src_in"], fps), frames(match["src_out"], fps)),
                (frames(match["rec_in"], fps), frames(match["rec_out"], fps)),
                [],
            )
        )
    return header, events


def written(tmp_path: Path) -> tuple[TimelineResult, str]:
    result = write_timelines("Trailer selects", mixed_takes(tmp_path / "takes"), tmp_path, {"edl"})
    return result, result.files["edl"].read_text(encoding="utf-8")


def test_header_events_and_contiguous_record_times(tmp_path: Path) -> None:
    _, text = written(tmp_path)
    header, events = parse(text, 24)
    assert header == ["TITLE: Trailer selects", "FCM: NON-DROP FRAME"]
    assert [e.number for e in events] == [1, 2, 3, 4]
    assert [e.record for e in events] == EXPECTED_RECORD
    for event in events:
        assert event.source[1] - event.source[0] == event.record[1] - event.record[0]


def test_one_reel_per_file_from_shot_and_take_with_the_files_name(tmp_path: Path) -> None:
    _, text = written(tmp_path)
    _, events = parse(text, 24)
    assert [e.reel for e in events] == ["SH010T03", "SH020T01", "SH030T02", "SH040T01"]
    names = [next(c for c in e.comments if c.startswith("* FROM CLIP NAME:")) for e in events]
    assert names[0] == "* FROM CLIP NAME:  Trailer SH010 T03 café.mp4"
    assert names[1].endswith(" Trailer_SH020_T01_9x16.mp4")


def test_takes_at_another_rate_are_conformed_and_warned_about(tmp_path: Path) -> None:
    result, text = written(tmp_path)
    _, events = parse(text, 24)
    # The 30 fps take's marked frames 15–45 are 0.5 s–1.5 s: frames 12–36 at 24 fps (24 frames on the record).
    assert events[1].source == (12, 36)
    # The 29.97 take holds 1.001 s: 24 whole frames at 24 fps, inside its file.
    assert events[2].source == (0, 24)
    # The 24 fps take trimmed at frames 6–42 keeps its own frame numbers.
    assert events[3].source == (6, 43)
    converted = [w for w in result.warnings if "EDL" in w]
    assert len(converted) == 2
    assert "SH020 take 1" in converted[0] and "30 fps" in converted[0] and "SH020T01" in converted[0]
    assert "SH030 take 2" in converted[1] and "29.97 fps" in converted[1]


def test_picture_with_sound_is_one_event_on_audio_and_video(tmp_path: Path) -> None:
    _, text = written(tmp_path)
    _, events = parse(text, 24)
    assert [e.channel for e in events] == ["AA/V", "B", "V", "AA/V"]  # stereo, mono, silent, stereo


def test_a_2997_sequence_counts_non_drop_frame_at_30(tmp_path: Path) -> None:
    clips = [take(tmp_path / "takes", LANDSCAPE_2997_SILENT, f"T{n}.mp4", "SH010", n) for n in (1, 2)]
    result = write_timelines("NTSC", clips, tmp_path, {"edl"})
    header, events = parse(result.files["edl"].read_text(encoding="utf-8"), 30)
    assert header[1] == "FCM: NON-DROP FRAME"
    assert [e.record for e in events] == [(0, 30), (30, 60)]
    assert ";" not in result.files["edl"].read_text(encoding="utf-8")
    assert result.warnings == []


def test_opentimelineio_reads_back_the_events(tmp_path: Path) -> None:
    result, _ = written(tmp_path)
    timeline = otio.adapters.read_from_file(str(result.files["edl"]), adapter_name="cmx_3600", rate=24)
    video = [c for c in timeline.find_clips() if c.parent().kind == otio.schema.TrackKind.Video]
    assert [c.name for c in video] == [
        "Trailer SH010 T03 café.mp4",
        "Trailer_SH020_T01_9x16.mp4",
        "Trailer_SH030_T02_16x9.mp4",
        "Trailer_SH040_T01_16x9.mp4",
    ]
    assert [c.metadata["cmx_3600"]["reel"] for c in video] == ["SH010T03", "SH020T01", "SH030T02", "SH040T01"]
    assert [(c.range_in_parent().start_time.value, c.range_in_parent().end_time_exclusive().value) for c in video] == (
        EXPECTED_RECORD
    )
