"""probe(): size, rate, frames, length and sound of real MP4s wherever their boxes sit, and a reason for garbage."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import pytest

from sora2_desktop.core.media.probe import MediaInfo, MediaProbeError, probe
from sora2_desktop.resources import resource_path
from sora2_desktop.sim.media.clips import ClipSpec, DemoClips
from sora2_desktop.sim.media.mp4_mux import box as make_box
from sora2_desktop.sim.media.mp4_mux import full_box as make_full_box
from tests.core.media.mp4_craft import FTYP, QUARTER_TURN, Sound, Video, movie, rearranged, stts

DEMO_CLIP = resource_path("demo_clip.mp4")
MEDIA = Path(__file__).resolve().parents[2] / "data" / "media"  # ffmpeg-made clips: see its README
DEMO_CLIP_INFO = MediaInfo(640, 360, Fraction(25), 125, Fraction(5), True, 44_100, 1, "avc1")


def written(tmp_path: Path, data: bytes, name: str = "clip.mp4") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(tmp_path: Path, data: bytes) -> str:
    with pytest.raises(MediaProbeError) as caught:
        probe(written(tmp_path, data))
    return str(caught.value)


# --- real files --------------------------------------------------------------------------------------------


def test_the_demo_clip() -> None:
    # ffprobe: h264 640x360 25/1, 125 frames, 5.000 s; aac 44100 Hz mono (mp4a says 2 channels: esds has the truth)
    assert probe(DEMO_CLIP) == DEMO_CLIP_INFO


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("landscape_1280x720_24fps.mp4", MediaInfo(1280, 720, Fraction(24), 48, Fraction(2), True, 48_000, 2, "avc1")),
        ("portrait_720x1280_30fps.mp4", MediaInfo(720, 1280, Fraction(30), 60, Fraction(2), True, 44_100, 1, "avc1")),
        (
            "landscape_1280x720_2997fps_silent.mp4",
            MediaInfo(1280, 720, Fraction(30000, 1001), 30, Fraction(1001, 1000), False, None, None, "avc1"),
        ),
    ],
)
def test_ffmpeg_made_clips(name: str, expected: MediaInfo) -> None:
    assert probe(MEDIA / name) == expected


def test_the_stand_ins_clips(tmp_path: Path) -> None:
    clips = DemoClips(resource_path("demo_media"))
    info = probe(written(tmp_path, clips.clip(ClipSpec(1024, 1792, 24, 12, 0))))
    assert info == MediaInfo(1024, 1792, Fraction(24), 288, Fraction(12), True, 48_000, 1, "avc1")


@pytest.mark.parametrize(
    "layout",
    [
        {"moov_last": True},
        {"large_mdat": True},
        {"moov_last": True, "large_mdat": True},
        {"open_mdat": True},
    ],
    ids=["moov-after-mdat", "64-bit-mdat", "both", "mdat-to-end"],
)
def test_box_layouts_give_the_same_answer(tmp_path: Path, layout: dict[str, bool]) -> None:
    data = rearranged(DEMO_CLIP.read_bytes(), **layout)
    assert data != DEMO_CLIP.read_bytes()
    assert probe(written(tmp_path, data)) == DEMO_CLIP_INFO


def test_a_huge_media_box_is_skipped_not_read(tmp_path: Path) -> None:
    # A 5 GiB file (sparse: no disk used) whose mdat has a 64-bit size, after the movie header: only headers are read.
    header = DEMO_CLIP.read_bytes()
    data = rearranged(header, large_mdat=True)
    mdat_at = data.index(b"\0\0\0\1mdat")  # the 64-bit header: size 1, 'mdat', then the real size
    size = 5 * 2**30
    path = tmp_path / "huge.mp4"
    with path.open("wb") as f:
        f.write(data[:mdat_at] + (1).to_bytes(4, "big") + b"mdat" + (size - mdat_at).to_bytes(8, "big"))
        f.truncate(size)
    assert os.path.getsize(path) == size
    assert probe(path) == DEMO_CLIP_INFO


# --- what ffmpeg rarely writes -----------------------------------------------------------------------------


def test_a_quarter_turned_picture_is_reported_as_shown(tmp_path: Path) -> None:
    info = probe(written(tmp_path, movie(Video(1920, 1080, matrix=QUARTER_TURN))))
    assert (info.width, info.height) == (1080, 1920)


def test_version_1_headers_and_another_codec(tmp_path: Path) -> None:
    info = probe(written(tmp_path, movie(Video(3840, 2160, 24_000, ((48, 1000),), version=1, codec="hvc1"))))
    assert (info.width, info.height, info.frame_rate, info.frame_count) == (3840, 2160, Fraction(24), 48)
    assert info.video_codec == "hvc1" and info.duration == 2 and not info.has_audio


def test_a_shorter_last_frame_keeps_the_rate_constant(tmp_path: Path) -> None:
    info = probe(written(tmp_path, movie(Video(runs=((59, 1001), (1, 500))))))
    assert info.frame_rate == Fraction(30000, 1001) and info.frame_count == 60
    assert info.duration == Fraction(60 * 1001, 30000)  # whole frames at the rate, not the stored ticks


def test_a_variable_rate_gives_the_common_rate_and_the_stored_length(tmp_path: Path) -> None:
    info = probe(written(tmp_path, movie(Video(timescale=30_000, runs=((40, 1000), (20, 2000))))))
    assert info.frame_rate == 30 and info.frame_count == 60
    assert info.duration == Fraction(40 * 1000 + 20 * 2000, 30_000)


@pytest.mark.parametrize(
    ("sound", "rate", "channels"),
    [
        (Sound(48_000, channels_field=2, aac_channels=1), 48_000, 1),  # esds wins over mp4a's template 2
        (Sound(44_100, channels_field=2, aac_channels=None), 44_100, 2),  # no esds: mp4a's own count
        (Sound(48_000, channels_field=2, aac_channels=2, version=1), 48_000, 2),  # QuickTime v1
        (Sound(96_000, channels_field=6, aac_channels=None, version=2), 96_000, 6),  # v2: float rate
        (Sound(96_000, channels_field=2, aac_channels=6), 96_000, 6),  # 16.16 cannot hold 96 kHz: the time scale
    ],
)
def test_sound_descriptions(tmp_path: Path, sound: Sound, rate: int, channels: int) -> None:
    info = probe(written(tmp_path, movie(Video(), sound)))
    assert (info.has_audio, info.audio_rate, info.audio_channels) == (True, rate, channels)


# --- garbage and damage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\0\0\0",
        b"\x89PNG\r\n\x1a\n" + bytes(64),
        b"<!doctype html><html><body>Link expired or invalid.</body></html>",
        b'{"code": 200, "message": "success"}',
        bytes(range(256)) * 8,
    ],
    ids=["empty", "three-bytes", "png", "html", "json", "noise"],
)
def test_not_an_mp4(tmp_path: Path, data: bytes) -> None:
    assert refused(tmp_path, data).startswith("not an MP4")


@pytest.mark.parametrize("keep", [0.6, 0.3, 0.01])
def test_a_truncated_file(tmp_path: Path, keep: float) -> None:
    data = DEMO_CLIP.read_bytes()  # fast start: ftyp, moov, then mdat; a cut lands in mdat or in moov
    assert refused(tmp_path, data[: int(len(data) * keep)]).startswith("truncated")


def test_a_truncated_file_with_the_movie_header_last_has_no_header(tmp_path: Path) -> None:
    data = rearranged(DEMO_CLIP.read_bytes(), moov_last=True)
    message = refused(tmp_path, data[: len(data) - 500])
    assert message.startswith("truncated")


def test_audio_only(tmp_path: Path) -> None:
    data = bytearray(DemoClips(resource_path("demo_media")).clip(ClipSpec(1280, 720, 30, 4, 0)))
    video_trak = data.index(b"trak")
    data[video_trak : video_trak + 4] = b"free"  # the video track becomes padding: an audio-only file
    assert refused(tmp_path, bytes(data)) == "no video track (tracks found: soun)"


def test_no_movie_header(tmp_path: Path) -> None:
    data = FTYP + make_box("mdat", bytes(1000))
    assert "no movie header" in refused(tmp_path, data)


def test_fragmented_and_empty_tracks(tmp_path: Path) -> None:
    empty = Video(runs=())
    mvex = make_box("mvex", make_full_box("trex", 0, 0, bytes(20)))  # the samples would be in moof boxes
    assert "fragmented" in refused(tmp_path, movie(empty, extra=mvex))
    assert "no frames" in refused(tmp_path, movie(empty))
    assert "duration of zero" in refused(tmp_path, movie(Video(runs=((10, 0),))))
    assert "time scale of zero" in refused(tmp_path, movie(Video(timescale=0)))


def test_damaged_boxes(tmp_path: Path) -> None:
    bad_size = make_box("moov", b"\0\0\0\x04free")  # a child claiming 4 bytes, less than its own header
    assert refused(tmp_path, FTYP + bad_size).startswith("damaged")
    overlong = make_box("moov", b"\0\0\1\0trak")  # a child claiming more than its parent holds
    assert refused(tmp_path, FTYP + overlong).startswith("truncated")
    table = stts(((60, 1001),))  # one entry; then the same box claiming five (its size unchanged)
    short_stts = movie(Video()).replace(table, table[:12] + (5).to_bytes(4, "big") + table[16:])
    assert "too short" in refused(tmp_path, short_stts)


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(MediaProbeError, match="cannot read"):
        probe(tmp_path / "missing.mp4")
    with pytest.raises(MediaProbeError, match="cannot read"):
        probe(tmp_path)
