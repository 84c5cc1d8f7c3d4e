"""grab_frame: the frame asked for, at the video's own size, the last frame, and sentences when there is none."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QImage

from sora2_desktop.core.media import frame_grab
from sora2_desktop.core.media.frame_grab import FrameGrabError, FrameTarget, frame_target, grab_frame
from sora2_desktop.resources import resource_path
from tests.helpers.qt_messages import expects_broken_media_warning
from tests.helpers.wait import wait_until

DEMO_CLIP = Path(resource_path("demo_clip.mp4"))  # 640x360, 25 fps, 125 frames, 5 s
MEDIA = Path(__file__).resolve().parents[2] / "data" / "media"  # tiny clips: see its README

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def _differs(a: QImage, b: QImage) -> bool:
    """Whether two same-sized pictures differ in a sample of pixels spread over the whole picture."""
    points = [(x, y) for x in range(0, a.width(), 16) for y in range(0, a.height(), 16)]
    return sum(a.pixel(x, y) != b.pixel(x, y) for x, y in points) > len(points) // 20


def test_a_frame_has_the_videos_own_size(run_async: Run) -> None:
    image = run_async(grab_frame(DEMO_CLIP, 1000))
    assert isinstance(image, QImage)
    assert (image.width(), image.height()) == (640, 360)
    assert not image.hasAlphaChannel()


def test_frames_at_different_times_differ(run_async: Run) -> None:
    early = run_async(grab_frame(DEMO_CLIP, 1000))
    late = run_async(grab_frame(DEMO_CLIP, 3000))
    again = run_async(grab_frame(DEMO_CLIP, 1000))
    assert _differs(early, late)
    assert not _differs(early, again)  # the same time gives the same picture: the grab is the frame asked for


def test_the_last_frame_is_the_frame_shown_in_the_clips_last_instant(run_async: Run) -> None:
    last = run_async(grab_frame(DEMO_CLIP, None))
    at_end = run_async(grab_frame(DEMO_CLIP, 4999))
    a_second_before = run_async(grab_frame(DEMO_CLIP, 4000))
    assert (last.width(), last.height()) == (640, 360)
    assert not _differs(last, at_end)
    assert _differs(last, a_second_before)


@pytest.mark.parametrize(
    ("name", "size"),
    [("portrait_720x1280_30fps.mp4", (720, 1280)), ("landscape_1280x720_2997fps_silent.mp4", (1280, 720))],
)
def test_portrait_and_ntsc_clips_give_frames_of_their_own_size(
    run_async: Run, name: str, size: tuple[int, int]
) -> None:
    for at_ms in (500, None):
        image = run_async(grab_frame(MEDIA / name, at_ms))
        assert (image.width(), image.height()) == size


def test_a_time_past_the_end_gives_the_last_frame(run_async: Run) -> None:
    assert not _differs(run_async(grab_frame(DEMO_CLIP, 60_000)), run_async(grab_frame(DEMO_CLIP, None)))


def _jobs() -> list[QObject]:
    return QCoreApplication.instance().findChildren(frame_grab._GrabJob)  # type: ignore[union-attr]


def test_a_cancelled_grab_lets_its_player_go_and_every_player_is_dropped(run_async: Run) -> None:
    async def grab_then_cancel_one() -> QImage:
        await grab_frame(DEMO_CLIP, 2000)
        second = asyncio.ensure_future(grab_frame(DEMO_CLIP, 1000))
        await wait_until(lambda: bool(_jobs()) or second.done(), what="the second grab's player")
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second
        third = await grab_frame(DEMO_CLIP, 3000)
        await wait_until(lambda: not _jobs(), what="every grab's player to be deleted")
        return third

    assert run_async(grab_then_cancel_one()).width() == 640


def test_a_missing_file_is_a_sentence(run_async: Run, tmp_path: Path) -> None:
    with pytest.raises(FrameGrabError, match=r"There is no video file at .*gone\.mp4\."):
        run_async(grab_frame(tmp_path / "gone.mp4", 0))


@expects_broken_media_warning
def test_a_file_that_is_not_a_video_is_a_sentence(run_async: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp4"
    notes.write_text("this is a text file, not a video\n" * 20)
    with pytest.raises(FrameGrabError, match=r"notes\.mp4 is not a video that can be read \(."):
        run_async(grab_frame(notes, 1000))


def test_the_target_is_the_middle_of_the_frame_on_screen_at_that_time() -> None:
    assert frame_target(0, Fraction(25), 125) == FrameTarget(0, 0)
    assert frame_target(1000, Fraction(25), 125) == FrameTarget(25, 1020)
    assert frame_target(1039, Fraction(25), 125) == FrameTarget(25, 1020)
    assert frame_target(None, Fraction(25), 125) == FrameTarget(124, 4980)
    assert frame_target(-5, Fraction(25), 125) == FrameTarget(0, 0)
    # 29.97: frame 30 begins at 1001 ms, so 1000 ms still shows frame 29 (967.6-1001 ms).
    ntsc = Fraction(30000, 1001)
    assert frame_target(1000, ntsc, 90) == FrameTarget(29, 984)
    assert frame_target(1001, ntsc, 90) == FrameTarget(30, 1017)
    assert frame_target(None, ntsc, 90).frame == 89
