"""The demo clip in a VideoPlayer, for the player's tests: 5 s, 25 fps (frame n starts at n × 40 ms), H.264."""

from __future__ import annotations

from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame
from pytestqt.qtbot import QtBot

from sora2_desktop.resources import resource_path
from sora2_desktop.ui.results.video_player import VideoPlayer

DEMO_CLIP = resource_path("demo_clip.mp4")
FRAME_MS = 40
LAST_FRAME = 124  # 125 frames


class FrameCounter:
    def __init__(self) -> None:
        self.valid = 0

    def __call__(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            self.valid += 1


def playing(player: VideoPlayer) -> bool:
    return player.media_player.playbackState() == QMediaPlayer.PlaybackState.PlayingState


def start_demo(qtbot: QtBot, player: VideoPlayer) -> FrameCounter:
    frames = FrameCounter()
    player.video_sink().videoFrameChanged.connect(frames)
    player.load(DEMO_CLIP)
    qtbot.waitUntil(lambda: frames.valid >= 5 and player.media_player.position() > 200, timeout=10_000)
    return frames


def frame_on_screen(player: VideoPlayer) -> int | None:
    """The number of the frame the picture shows, from its own time stamp (not the player's position)."""
    frame = player.video_sink().videoFrame()
    return round(frame.startTime() / 1000 / FRAME_MS) if frame.isValid() else None
