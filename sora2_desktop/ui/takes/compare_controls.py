"""CompareControls: the player keys (J/K/L, frames, Home/End, loop, mute) drive every take in Compare at once."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QTimer
from PySide6.QtMultimedia import QMediaMetaData

from sora2_desktop.ui.results.compare_takes import CompareTakesDialog
from sora2_desktop.ui.results.player_keys import PlayerKeys, install_player_keys
from sora2_desktop.ui.results.shuttle import Shuttle
from sora2_desktop.ui.results.timecode import FALLBACK_FPS, frame_at, frame_position, frame_rate


class CompareControls:
    """The takes play in step (take 1 is the clock), so one transport serves all. In and out marks belong to one
    take in the player, not to a comparison: those keys do nothing here."""

    def __init__(self, dialog: CompareTakesDialog) -> None:
        self._dialog = dialog
        self._shuttle = Shuttle()
        # Qt's FFmpeg backend plays no negative rate: backwards is stepped, as in the main player.
        self._reverse = QTimer(dialog, interval=40)
        self._reverse.timeout.connect(self._step_back_tick)

    def _rate(self) -> Fraction:
        reported = self._dialog.players[0].metaData().value(QMediaMetaData.Key.VideoFrameRate)
        return frame_rate(reported) or FALLBACK_FPS

    def _apply(self) -> None:
        speed = self._shuttle.speed
        self._reverse.stop()
        if speed == 0:
            self._dialog.pause()
            return
        if speed < 0:
            self._dialog.pause()
            self._reverse.start()
            return
        for player in self._dialog.players:
            player.setPlaybackRate(float(speed))
        self._dialog.play()

    def _step_back_tick(self) -> None:
        self.step(-abs(int(self._shuttle.speed)))
        if self._dialog.players[0].position() <= 0:
            self.shuttle_stop()

    # -- PlayerControls ----------------------------------------------------------------------------------------

    def toggle_play(self) -> None:
        self._shuttle.stop()
        self._reverse.stop()
        for player in self._dialog.players:
            player.setPlaybackRate(1.0)
        self._dialog.toggle_play()

    def shuttle_forward(self) -> None:
        self._shuttle.forward()
        self._apply()

    def shuttle_backward(self) -> None:
        self._shuttle.backward()
        self._apply()

    def shuttle_stop(self) -> None:
        self._shuttle.stop()
        self._apply()

    def step(self, frames: int) -> None:
        rate = self._rate()
        clock = self._dialog.players[0]
        if self._dialog.is_playing():
            self._dialog.pause()
        self._dialog.seek(frame_position(max(0, frame_at(clock.position(), rate) + frames), rate))

    def step_seconds(self, seconds: int) -> None:
        self._dialog.seek(max(0, self._dialog.players[0].position() + seconds * 1000))

    def go_to_start(self) -> None:
        self._dialog.seek(0)

    def go_to_end(self) -> None:
        longest = max(player.duration() for player in self._dialog.players)
        self._dialog.seek(max(0, longest - 1))

    def mark_in(self) -> None: ...
    def mark_out(self) -> None: ...
    def go_to_in(self) -> None: ...
    def go_to_out(self) -> None: ...
    def clear_in(self) -> None: ...
    def clear_out(self) -> None: ...
    def clear_in_out(self) -> None: ...

    def set_loop(self, loop: bool) -> None:
        self._dialog.set_loop(loop)

    def is_looping(self) -> bool:
        return self._dialog.is_looping()

    # Only take 1 is heard (the others are muted so the sound is not doubled): M mutes or unmutes that one.
    def set_muted(self, muted: bool) -> None:
        output = self._dialog.players[0].audioOutput()
        if output is not None:
            output.setMuted(muted)

    def is_muted(self) -> bool:
        output = self._dialog.players[0].audioOutput()
        return output is None or output.isMuted()

    def toggle_full_screen(self) -> None:
        dialog = self._dialog
        dialog.showNormal() if dialog.isFullScreen() else dialog.showFullScreen()


def install_compare_keys(dialog: CompareTakesDialog) -> PlayerKeys:
    controls = CompareControls(dialog)
    keys = install_player_keys(dialog, controls)
    keys.controls = controls  # type: ignore[attr-defined]  # kept as long as the keys (children of the dialog)
    return keys
