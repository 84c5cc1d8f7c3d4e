"""Timecode maths: frames ↔ ms ↔ HH:MM:SS:FF at the rates editors meet, including 23.976 and 29.97."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sora2_desktop.ui.results.timecode import (
    FALLBACK_FPS,
    frame_at,
    frame_count,
    frame_position,
    frame_rate,
    frame_start_ms,
    nominal_fps,
    timecode,
    timecode_at,
)

NTSC_FILM = Fraction(24000, 1001)
NTSC_VIDEO = Fraction(30000, 1001)
RATES = [Fraction(24), NTSC_FILM, Fraction(25), NTSC_VIDEO, Fraction(30), Fraction(50), Fraction(60000, 1001)]


@pytest.mark.parametrize(
    ("reported", "rate"),
    [
        (25.0, Fraction(25)),
        (24, Fraction(24)),
        (29.97002997002997, NTSC_VIDEO),
        (29.97, NTSC_VIDEO),  # as a container rounds it
        (23.976, NTSC_FILM),
        (59.94, Fraction(60000, 1001)),
        (12.5, Fraction(25, 2)),
        ("30", Fraction(30)),
    ],
)
def test_frame_rate_reads_what_a_file_says(reported: object, rate: Fraction) -> None:
    assert frame_rate(reported) == rate


@pytest.mark.parametrize("reported", [None, 0, 0.0, -25, 1000.0, float("nan"), float("inf"), "fast", object()])
def test_frame_rate_refuses_what_is_no_picture_rate(reported: object) -> None:
    assert frame_rate(reported) is None


def test_the_fallback_is_25() -> None:
    assert FALLBACK_FPS == 25


@pytest.mark.parametrize(("rate", "nominal"), [(NTSC_FILM, 24), (NTSC_VIDEO, 30), (Fraction(25), 25), (Fraction(1), 1)])
def test_nominal_rate(rate: Fraction, nominal: int) -> None:
    assert nominal_fps(rate) == nominal


@pytest.mark.parametrize(
    ("frame", "rate", "text"),
    [
        (0, Fraction(25), "00:00:00:00"),
        (24, Fraction(25), "00:00:00:24"),
        (25, Fraction(25), "00:00:01:00"),
        (125, Fraction(25), "00:00:05:00"),
        (25 * 3600 + 25 * 61 + 3, Fraction(25), "01:01:01:03"),
        (29, NTSC_VIDEO, "00:00:00:29"),
        (30, NTSC_VIDEO, "00:00:01:00"),  # non-drop: counted at 30
        (30 * 60 * 10, NTSC_VIDEO, "00:10:00:00"),
        (24, NTSC_FILM, "00:00:01:00"),
        (-3, Fraction(25), "00:00:00:00"),
        (24 * 3600 * 100, Fraction(24), "100:00:00:00"),  # past 99 hours it widens rather than wraps
    ],
)
def test_timecode(frame: int, rate: Fraction, text: str) -> None:
    assert timecode(frame, rate) == text


@pytest.mark.parametrize("rate", RATES)
def test_every_frame_position_shows_that_frame_and_lies_inside_it(rate: Fraction) -> None:
    # An hour of frames: no drift at fractional rates, each position strictly inside its frame (not on the
    # boundary, where Qt's FFmpeg backend shows the frame before).
    for frame in range(0, round(rate * 3600), 7):
        position = frame_position(frame, rate)
        assert frame_at(position, rate) == frame
        if frame > 0:
            assert frame_start_ms(frame, rate) < position < frame_start_ms(frame + 1, rate)


def test_frame_zero_is_position_zero() -> None:
    assert frame_position(0, NTSC_VIDEO) == 0


@pytest.mark.parametrize(
    ("ms", "rate", "frame"),
    [
        (0, Fraction(25), 0),
        (39, Fraction(25), 0),
        (40, Fraction(25), 1),
        (4999, Fraction(25), 124),
        (33, NTSC_VIDEO, 0),
        (34, NTSC_VIDEO, 1),  # frame 1 starts at 33.37 ms
        (1001, NTSC_VIDEO, 30),
        (-5, Fraction(25), 0),
    ],
)
def test_frame_at(ms: int, rate: Fraction, frame: int) -> None:
    assert frame_at(ms, rate) == frame


@pytest.mark.parametrize(
    ("duration", "rate", "count"),
    [(5000, Fraction(25), 125), (0, Fraction(25), 0), (10010, NTSC_VIDEO, 300), (4004, NTSC_FILM, 96), (5001, 25, 125)],
)
def test_frame_count(duration: int, rate: Fraction, count: int) -> None:
    assert frame_count(duration, Fraction(rate)) == count


def test_timecode_at_a_position() -> None:
    assert timecode_at(1520, Fraction(25)) == "00:00:01:13"
    assert timecode_at(60_060, NTSC_VIDEO) == "00:01:00:00"
