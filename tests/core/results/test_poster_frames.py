"""PosterMaker: a PNG of the right size from the demo clip, a clean failure for a non-video, one decoder at a time,
the PNG written off the GUI thread."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame
from pytestqt.qtbot import QtBot

from sora2_desktop.core.results import poster_frames
from sora2_desktop.core.results.poster_frames import PosterMaker, poster_path_for
from sora2_desktop.resources import resource_path
from tests.helpers.qt_messages import expects_broken_media_warning

DEMO_CLIP = resource_path("demo_clip.mp4")


@pytest.fixture
def maker(qtbot: QtBot) -> PosterMaker:
    return PosterMaker(max_size=QSize(160, 90), timeout_ms=10_000)


def test_poster_path_sits_beside_the_video() -> None:
    assert poster_path_for("/library/take.1.mp4") == Path("/library/take.1.poster.png")


def test_poster_from_demo_clip_is_a_png_within_max_size(qtbot: QtBot, maker: PosterMaker, tmp_path: Path) -> None:
    target = tmp_path / "demo.poster.png"
    with qtbot.waitSignal(maker.poster_ready, timeout=15_000) as blocker, qtbot.assertNotEmitted(maker.poster_failed):
        maker.request("task-1", DEMO_CLIP, target)
    assert blocker.args == ["task-1", str(target)]
    image = QImage(str(target))
    assert not image.isNull()
    # 640x360 is 16:9, so it fills 160x90 exactly.
    assert (image.width(), image.height()) == (160, 90)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob("*.tmp"))
    assert maker.pending_count() == 0


def test_poster_keeps_aspect_inside_a_square(qtbot: QtBot, tmp_path: Path) -> None:
    maker = PosterMaker(max_size=QSize(100, 100))
    target = tmp_path / "square.png"
    with qtbot.waitSignal(maker.poster_ready, timeout=15_000):
        maker.request("k", DEMO_CLIP, target)
    image = QImage(str(target))
    assert image.width() == 100
    assert 55 <= image.height() <= 57


@expects_broken_media_warning
def test_non_video_fails_with_a_signal(qtbot: QtBot, maker: PosterMaker, tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is a text file, not a video\n" * 20)
    target = poster_path_for(fake)
    with qtbot.waitSignal(maker.poster_failed, timeout=15_000) as blocker, qtbot.assertNotEmitted(maker.poster_ready):
        maker.request("bad", fake)
    key, message = blocker.args
    assert key == "bad"
    assert message
    assert not target.exists()


def test_missing_file_fails_with_a_signal(qtbot: QtBot, maker: PosterMaker, tmp_path: Path) -> None:
    with qtbot.waitSignal(maker.poster_failed, timeout=5_000) as blocker:
        maker.request("gone", tmp_path / "gone.mp4")
    assert blocker.args[0] == "gone"


@expects_broken_media_warning
def test_requests_are_worked_one_at_a_time_and_all_answered(qtbot: QtBot, maker: PosterMaker, tmp_path: Path) -> None:
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"\x00" * 512)
    answered: list[str] = []
    maker.poster_ready.connect(lambda key, _path: answered.append(key))
    maker.poster_failed.connect(lambda key, _msg: answered.append(key))
    for index in range(3):
        maker.request(f"ok-{index}", DEMO_CLIP, tmp_path / f"ok-{index}.png")
    maker.request("fake", fake)
    maker.request("ok-0", DEMO_CLIP, tmp_path / "again.png")  # already queued: not queued twice
    assert maker.pending_count() == 4
    decoders_seen: list[int] = []

    def all_answered() -> bool:
        decoders_seen.append(len(maker.findChildren(QMediaPlayer)))
        return len(answered) == 4

    qtbot.waitUntil(all_answered, timeout=40_000)
    assert max(decoders_seen) <= 1
    assert answered == ["ok-0", "ok-1", "ok-2", "fake"]
    assert not (tmp_path / "again.png").exists()
    for index in range(3):
        assert QImage(str(tmp_path / f"ok-{index}.png")).width() == 160


def test_stuck_request_times_out(qtbot: QtBot, tmp_path: Path) -> None:
    maker = PosterMaker(timeout_ms=1)
    with qtbot.waitSignal(maker.poster_failed, timeout=10_000) as blocker:
        maker.request("slow", DEMO_CLIP, tmp_path / "slow.png")
    assert "within" in blocker.args[1]


def test_the_frame_is_made_an_image_scaled_and_written_off_the_gui_thread(
    qtbot: QtBot, maker: PosterMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writers: list[int] = []
    handed: list[object] = []
    real_write = poster_frames._write

    def noted(*args: object) -> object:
        writers.append(threading.get_ident())
        handed.append(args[0])
        return real_write(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(poster_frames, "_write", noted)
    target = tmp_path / "demo.poster.png"
    with qtbot.waitSignal(maker.poster_ready, timeout=15_000):
        maker.request("task-1", DEMO_CLIP, target)
    assert writers and threading.get_ident() not in writers  # a busy disk holds a pool thread, not the window
    # The frame itself, not an image: its conversion (toImage waits for the decoder) is the pool's too.
    assert [type(what) for what in handed] == [QVideoFrame]
    assert QImage(str(target)).width() == 160


def test_a_frame_that_does_not_convert_fails_in_words(qtbot: QtBot, maker: PosterMaker, tmp_path: Path) -> None:
    assert poster_frames._write(QVideoFrame(), QSize(160, 90), tmp_path / "x.png") is poster_frames._Unreadable.FRAME
    maker._job = None
    with qtbot.waitSignal(maker.poster_failed, timeout=5_000) as blocker:
        maker._writing.append("k")
        maker._sink.written.emit(poster_frames.PosterRequest("k", tmp_path / "v.mp4", tmp_path / "x.png"),
                                 poster_frames._Unreadable.FRAME)  # fmt: skip
    assert blocker.args == ["k", "The video's frame could not be read."]
    assert not (tmp_path / "x.png").exists() and maker.pending_count() == 0


def test_the_next_player_starts_a_pass_after_the_last_ones_teardown(
    qtbot: QtBot, maker: PosterMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A teardown posted in one pass of the event loop runs in the next; a new player's setSource must not join it
    # there (together they held a frame up). Passes are counted by hand: no timing involved.
    passes = 0
    happened: list[tuple[str, int]] = []
    real_unload, real_start = poster_frames.post_unload, poster_frames._PosterJob.start

    def unload(player: QMediaPlayer) -> None:
        happened.append(("teardown posted", passes))
        real_unload(player)

    def start(job: poster_frames._PosterJob) -> None:
        happened.append(("start", passes))
        real_start(job)

    monkeypatch.setattr(poster_frames, "post_unload", unload)
    monkeypatch.setattr(poster_frames._PosterJob, "start", start)
    for index in range(3):  # no such files: each job ends (and is torn down) as it starts
        maker.request(f"gone-{index}", tmp_path / f"gone-{index}.mp4")
    with qtbot.waitSignals([maker.poster_failed] * 3, timeout=10_000):
        while sum(1 for what, _ in happened if what == "start") < 3 and passes < 50:
            passes += 1
            QCoreApplication.sendPostedEvents()
    starts = [at for what, at in happened if what == "start"]
    teardowns = [at for what, at in happened if what == "teardown posted"]
    assert len(starts) == 3 and len(teardowns) == 3
    for teardown, next_start in zip(teardowns, starts[1:], strict=False):
        assert next_start >= teardown + 2  # the teardown's own pass (teardown + 1) holds no start
