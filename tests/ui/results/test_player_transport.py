"""The player as an editor drives it, from the keyboard, on the demo clip (25 fps): exact frames by the arrows,
J/K/L shuttle, Home/End, the last frame held at the end, I/O marks. Each frame check reads the time stamp of
the picture on screen, so a position that shows the neighbouring frame fails."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from fractions import Fraction

import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from sora2_desktop.ui.results.in_out import InOut
from sora2_desktop.ui.results.timecode import frame_position
from sora2_desktop.ui.results.video_player import VideoPlayer
from tests.ui.results.demo_player import DEMO_CLIP, LAST_FRAME, frame_on_screen, playing, start_demo

RATE = Fraction(25)
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def player(qtbot: QtBot) -> Iterator[VideoPlayer]:
    widget = VideoPlayer()
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    widget.show()
    qtbot.waitExposed(widget)
    start_demo(qtbot, widget)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    yield widget
    widget.clear()


def key(qtbot: QtBot, player: VideoPlayer, which: Qt.Key, modifier: Qt.KeyboardModifier | None = None) -> None:
    qtbot.keyClick(player, which, modifier or Qt.KeyboardModifier.NoModifier)


def shows(qtbot: QtBot, player: VideoPlayer, frame: int) -> None:
    """The player says `frame`, at the position that shows it, and once decoded the picture is that frame."""
    assert player.frame() == frame
    assert player.media_player.position() == frame_position(frame, RATE)
    qtbot.waitUntil(lambda: frame_on_screen(player) == frame, timeout=5_000)


def test_arrows_step_exact_frames(qtbot: QtBot, player: VideoPlayer) -> None:
    key(qtbot, player, Qt.Key.Key_Home)
    assert not playing(player)
    shows(qtbot, player, 0)
    key(qtbot, player, Qt.Key.Key_Right)
    shows(qtbot, player, 1)
    for _ in range(9):
        key(qtbot, player, Qt.Key.Key_Right)
    shows(qtbot, player, 10)
    assert player.time_label.text() == "00:00:00:10 / 00:00:05:00"
    key(qtbot, player, Qt.Key.Key_Left)
    shows(qtbot, player, 9)
    key(qtbot, player, Qt.Key.Key_Right, SHIFT)  # one second: 25 frames
    shows(qtbot, player, 34)
    assert player.time_label.text() == "00:00:01:09 / 00:00:05:00"
    key(qtbot, player, Qt.Key.Key_Left, SHIFT)
    shows(qtbot, player, 9)


def test_steps_stop_at_the_first_and_last_frame(qtbot: QtBot, player: VideoPlayer) -> None:
    key(qtbot, player, Qt.Key.Key_Home)
    key(qtbot, player, Qt.Key.Key_Left)
    key(qtbot, player, Qt.Key.Key_Left, SHIFT)
    shows(qtbot, player, 0)
    key(qtbot, player, Qt.Key.Key_End)
    shows(qtbot, player, LAST_FRAME)
    assert player.time_label.text() == "00:00:04:24 / 00:00:05:00"
    key(qtbot, player, Qt.Key.Key_Right)
    key(qtbot, player, Qt.Key.Key_Right, SHIFT)
    shows(qtbot, player, LAST_FRAME)
    assert player.media_player.mediaStatus() != QMediaPlayer.MediaStatus.EndOfMedia


def test_a_pause_after_play_steps_from_the_frame_on_screen(qtbot: QtBot, player: VideoPlayer) -> None:
    key(qtbot, player, Qt.Key.Key_Space)  # it was playing: pause wherever it is
    assert not playing(player)
    here = player.frame()
    key(qtbot, player, Qt.Key.Key_Right)
    shows(qtbot, player, here + 1)


def test_the_end_holds_the_last_frame(qtbot: QtBot, player: VideoPlayer) -> None:
    player.media_player.setPosition(4500)
    # Paused on the last frame: straight from the position, or (a loaded machine's sparse position updates) a turn
    # after the backend's own stop at the end of the media, when the player is briefly Stopped first.
    paused = QMediaPlayer.PlaybackState.PausedState
    qtbot.waitUntil(lambda: player.media_player.playbackState() == paused and not playing(player), timeout=10_000)
    shows(qtbot, player, LAST_FRAME)  # a picture, not black
    assert player.shuttle_speed() == 0
    # Play from the held end starts over, as in an editor.
    key(qtbot, player, Qt.Key.Key_Space)
    assert playing(player)
    qtbot.waitUntil(lambda: 0 < player.frame() < 100, timeout=5_000)


def test_the_end_of_a_fast_shuttle_holds_too(qtbot: QtBot, player: VideoPlayer) -> None:
    player.media_player.setPosition(3000)
    key(qtbot, player, Qt.Key.Key_K)
    key(qtbot, player, Qt.Key.Key_L)
    key(qtbot, player, Qt.Key.Key_L)
    key(qtbot, player, Qt.Key.Key_L)
    assert player.shuttle_speed() == 4
    qtbot.waitUntil(lambda: player.shuttle_speed() == 0 and not playing(player), timeout=10_000)
    shows(qtbot, player, LAST_FRAME)


def test_loop_plays_on_past_the_end(qtbot: QtBot, player: VideoPlayer) -> None:
    player.loop_button.click()
    assert player.is_looping()
    player.media_player.setPosition(4600)
    qtbot.waitUntil(lambda: player.media_player.position() < 1000 and playing(player), timeout=10_000)


def test_l_plays_and_doubles_up_to_8x_and_k_stops(qtbot: QtBot, player: VideoPlayer) -> None:
    key(qtbot, player, Qt.Key.Key_Home)
    rates = []
    for _ in range(5):
        key(qtbot, player, Qt.Key.Key_L)
        assert playing(player)
        rates.append(player.media_player.playbackRate())
    assert rates == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert player.bar.speed_label.text() == "8×"
    key(qtbot, player, Qt.Key.Key_K)
    assert not playing(player) and player.shuttle_speed() == 0
    assert player.media_player.playbackRate() == 1.0 and player.bar.speed_label.text() == ""
    key(qtbot, player, Qt.Key.Key_L)
    assert player.media_player.playbackRate() == 1.0  # K forgot the speed


def test_j_goes_backwards_frame_by_frame_and_stops_on_the_first(qtbot: QtBot, player: VideoPlayer) -> None:
    key(qtbot, player, Qt.Key.Key_Home)
    player.transport.go_to_frame(60)
    key(qtbot, player, Qt.Key.Key_J)
    assert player.shuttle_speed() == -1 and not playing(player)
    assert player.bar.speed_label.text() == "◀ 1×"
    qtbot.waitUntil(lambda: player.frame() <= 55, timeout=5_000)
    key(qtbot, player, Qt.Key.Key_J)
    key(qtbot, player, Qt.Key.Key_J)
    assert player.shuttle_speed() == -4
    qtbot.waitUntil(lambda: player.shuttle_speed() == 0, timeout=10_000)
    shows(qtbot, player, 0)


def test_k_stops_a_backward_shuttle(qtbot: QtBot, player: VideoPlayer) -> None:
    player.transport.go_to_frame(100)
    key(qtbot, player, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: player.frame() < 98, timeout=5_000)
    key(qtbot, player, Qt.Key.Key_K)
    assert player.shuttle_speed() == 0
    stopped_at = player.frame()
    key(qtbot, player, Qt.Key.Key_Right)  # nothing moves it back under the step
    shows(qtbot, player, stopped_at + 1)


def test_k_held_with_j_or_l_moves_one_frame(qtbot: QtBot, player: VideoPlayer) -> None:
    key(qtbot, player, Qt.Key.Key_Home)
    player.transport.go_to_frame(20)
    qtbot.keyPress(player, Qt.Key.Key_K)
    key(qtbot, player, Qt.Key.Key_L)
    shows(qtbot, player, 21)
    key(qtbot, player, Qt.Key.Key_L)
    key(qtbot, player, Qt.Key.Key_J)
    key(qtbot, player, Qt.Key.Key_J)
    key(qtbot, player, Qt.Key.Key_J)
    shows(qtbot, player, 19)
    assert player.shuttle_speed() == 0
    qtbot.keyRelease(player, Qt.Key.Key_K)
    key(qtbot, player, Qt.Key.Key_L)  # released: L plays again
    assert player.shuttle_speed() == 1 and playing(player)


def test_in_and_out_marks_from_the_keys(qtbot: QtBot, player: VideoPlayer) -> None:
    said: list[tuple[int, int]] = []
    player.in_out_changed.connect(lambda start, end: said.append((start, end)))
    player.transport.go_to_frame(10)
    key(qtbot, player, Qt.Key.Key_I)
    player.transport.go_to_frame(50)
    key(qtbot, player, Qt.Key.Key_O)
    in_ms, out_ms = frame_position(10, RATE), frame_position(50, RATE)
    assert said == [(in_ms, -1), (in_ms, out_ms)]
    assert player.seek_slider.marks() == InOut(in_ms, out_ms)
    assert player.seek_slider.mark_x(in_ms) < player.seek_slider.mark_x(out_ms)
    key(qtbot, player, Qt.Key.Key_End)
    key(qtbot, player, Qt.Key.Key_I, SHIFT)  # go to in
    shows(qtbot, player, 10)
    key(qtbot, player, Qt.Key.Key_O, SHIFT)  # go to out
    shows(qtbot, player, 50)
    key(qtbot, player, Qt.Key.Key_I, ALT)
    assert said[-1] == (-1, out_ms)
    key(qtbot, player, Qt.Key.Key_I)  # in and out on one frame: a one-frame range
    assert said[-1] == (out_ms, out_ms)
    key(qtbot, player, Qt.Key.Key_Right)
    key(qtbot, player, Qt.Key.Key_I)  # an in after the out drops the out
    assert said[-1] == (frame_position(51, RATE), -1)
    key(qtbot, player, Qt.Key.Key_O, ALT)
    key(qtbot, player, Qt.Key.Key_X, ALT)
    assert said[-1] == (-1, -1)
    assert player.seek_slider.marks() == InOut()
    count = len(said)
    key(qtbot, player, Qt.Key.Key_X, ALT)  # nothing to clear: nothing said
    assert len(said) == count


def test_a_takes_stored_marks_show_without_a_signal_and_go_with_its_file(qtbot: QtBot, player: VideoPlayer) -> None:
    said: list[tuple[int, int]] = []
    player.in_out_changed.connect(lambda start, end: said.append((start, end)))
    player.set_in_out(420, 2020)
    assert player.in_out() == InOut(420, 2020) == player.seek_slider.marks()
    key(qtbot, player, Qt.Key.Key_O, SHIFT)
    shows(qtbot, player, 50)
    assert said == []
    player.load(DEMO_CLIP)  # another take: its own marks, not these
    assert player.in_out() == InOut()
    assert said == []


def test_marks_need_a_video(qtbot: QtBot, player: VideoPlayer) -> None:
    player.clear()
    said: list[tuple[int, int]] = []
    player.in_out_changed.connect(lambda start, end: said.append((start, end)))
    key(qtbot, player, Qt.Key.Key_I)
    key(qtbot, player, Qt.Key.Key_O)
    assert said == [] and player.in_out() == InOut()


def test_full_screen_picture_takes_the_keys(qtbot: QtBot, player: VideoPlayer) -> None:
    key(qtbot, player, Qt.Key.Key_Home)
    key(qtbot, player, Qt.Key.Key_F)
    qtbot.waitUntil(player.is_full_screen, timeout=5_000)
    surface = player._video
    qtbot.keyClick(surface, Qt.Key.Key_Right)
    qtbot.keyClick(surface, Qt.Key.Key_Right)
    shows(qtbot, player, 2)
    qtbot.keyClick(surface, Qt.Key.Key_I)
    assert player.in_out().in_ms == frame_position(2, RATE)
    qtbot.keyClick(surface, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not player.is_full_screen(), timeout=5_000)
