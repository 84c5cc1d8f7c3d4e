"""Transport: moves one QMediaPlayer as an editor's keys ask — shuttle, frame steps, the last frame held at the end.

No widgets here: the player's buttons, its keys (player_keys) and the take strip all move the picture through
this one object, so the shuttle speed and the frame on screen never disagree.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtMultimedia import QMediaMetaData, QMediaPlayer

from sora2_desktop.ui.results.shuttle import Shuttle
from sora2_desktop.ui.results.timecode import (
    FALLBACK_FPS,
    frame_at,
    frame_count,
    frame_position,
    frame_rate,
    frame_start_ms,
    nominal_fps,
)


class Transport(QObject):
    speed_changed = Signal(int)  # the shuttle's signed speed: 0 stopped, 1/2/4/8 forward, -1…-8 backward
    frame_rate_changed = Signal()  # the file said its rate (or did not: `rate_known`)

    def __init__(self, player: QMediaPlayer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = player
        self.shuttle = Shuttle()
        self.rate: Fraction = FALLBACK_FPS
        self.rate_known = False
        # Qt's FFmpeg backend has no reverse play (setPlaybackRate(-1) reads back 0 and plays on forward). J
        # therefore steps back |speed| frames every frame's time: each step is a seek, so on a long GOP the
        # picture may lag, but it moves the right way at the right pace and stops on frame 0, which is what a
        # person shuttling back is looking for. Saying "not available" instead would leave J dead.
        self._reverse = QTimer(self)
        self._reverse.timeout.connect(self._reverse_tick)
        player.metaDataChanged.connect(self._read_frame_rate)
        player.playbackStateChanged.connect(self._on_state)
        player.mediaStatusChanged.connect(self._on_status)
        player.positionChanged.connect(self._on_position)

    def reset(self) -> None:
        """A new file: stopped, rate unknown until it says."""
        self._set_speed(self.shuttle.stop(), move=False)
        self._player.setPlaybackRate(1.0)
        self.rate, self.rate_known = FALLBACK_FPS, False

    # --- where it is ------------------------------------------------------------------------------------------

    def frame(self) -> int:
        return frame_at(self._player.position(), self.rate)

    def last_frame(self) -> int | None:
        """The clip's last frame, or None until its length is known."""
        count = frame_count(self._player.duration(), self.rate)
        return count - 1 if count > 0 else None

    def frame_ms(self, frame: int) -> int:
        """The position that shows `frame`, within the clip."""
        last = self.last_frame()
        return frame_position(max(0, min(frame, last) if last is not None else frame), self.rate)

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    # --- moves ------------------------------------------------------------------------------------------------

    def toggle_play(self) -> None:
        if self.shuttle.moving or self.is_playing():
            self.stop()
        else:
            self.play()

    def play(self) -> None:
        last = self.last_frame()
        if last is not None and self.frame() >= last and not self._looping():
            self._player.setPosition(0)  # play at the held last frame starts over, as in an editor
        self._set_speed(self.shuttle.play())

    def stop(self) -> None:
        """K: pause where it is, speed forgotten."""
        self._set_speed(self.shuttle.stop())

    def forward(self) -> None:
        """L: 1×, then 2×, 4×, 8×."""
        self._set_speed(self.shuttle.forward())

    def backward(self) -> None:
        """J: backwards, faster with each press."""
        self._set_speed(self.shuttle.backward())

    def step(self, frames: int) -> None:
        """Stop and move `frames` frames (negative: back), never past the first or last frame."""
        self.stop()
        self.go_to_frame(self.frame() + frames)

    def step_seconds(self, seconds: int) -> None:
        """One timecode second is the nominal rate's frames (30 at 29.97), so the seconds digits move by one."""
        self.step(seconds * nominal_fps(self.rate))

    def go_to_frame(self, frame: int) -> None:
        self._player.setPosition(self.frame_ms(frame))

    def go_to_start(self) -> None:
        self.stop()
        self._player.setPosition(0)

    def go_to_end(self) -> None:
        self.stop()
        last = self.last_frame()
        if last is not None:
            self.go_to_frame(last)

    # --- how it moves -----------------------------------------------------------------------------------------

    def _set_speed(self, speed: int, *, move: bool = True) -> None:
        self._reverse.stop()
        if move:
            if speed > 0:
                self._player.setPlaybackRate(float(speed))
                self._player.play()
            else:
                self._player.pause()
                self._player.setPlaybackRate(1.0)
                if speed < 0:
                    self._reverse.start(max(1, round(1000 / self.rate)))
        self.speed_changed.emit(speed)

    def _reverse_tick(self) -> None:
        target = self.frame() + self.shuttle.speed  # speed is negative
        self.go_to_frame(max(0, target))
        if target <= 0:
            self.stop()  # held on the first frame, as the end holds the last

    def _looping(self) -> bool:
        return self._player.loops() != QMediaPlayer.Loops.Once.value

    def _hold_end(self) -> None:
        """Pause on the last frame instead of the backend's stop, which leaves a black picture."""
        last = self.last_frame()
        if self._looping() or last is None:
            return
        self._set_speed(self.shuttle.stop(), move=False)
        self._player.setPlaybackRate(1.0)
        self._player.pause()
        # Always a seek, even when paused inside the last frame: the decoder has often reached the end of the
        # stream by then and sends an empty frame after the pause; the seek brings the picture back.
        self._player.setPosition(frame_position(last, self.rate))

    def _on_position(self, position: int) -> None:
        # Pausing as the last frame begins keeps the picture; EndOfMedia (below) catches what this misses.
        last = self.last_frame()
        if self.shuttle.speed > 0 and last is not None and position >= frame_start_ms(last, self.rate):
            self._hold_end()

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            # Not from inside the backend's own signal: the seek and pause run once it has finished ending.
            QTimer.singleShot(0, self, self._hold_end)

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        # Paused or stopped by anything else (an error, a clear): the shuttle stops too, so L starts again at 1×.
        if state != QMediaPlayer.PlaybackState.PlayingState and self.shuttle.speed > 0:
            self._set_speed(self.shuttle.stop(), move=False)
            self._player.setPlaybackRate(1.0)

    def _read_frame_rate(self) -> None:
        rate = frame_rate(self._player.metaData().value(QMediaMetaData.Key.VideoFrameRate))
        self.rate, self.rate_known = (rate, True) if rate is not None else (FALLBACK_FPS, False)
        self.frame_rate_changed.emit()
