"""VideoPlayer: plays the demo clip (decoded frames arrive), pauses, loops, takes keys, shows errors. The editor's
transport (J/K/L, exact frames, end hold, in and out) is in test_player_transport.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sora2_desktop.ui.results.video_player import VideoPlayer
from tests.helpers.qt_messages import expects_broken_media_warning
from tests.ui.results.demo_player import playing, start_demo


@pytest.fixture
def player(qtbot: QtBot) -> Iterator[VideoPlayer]:
    widget = VideoPlayer()
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.clear()


def test_empty_state_says_no_video(player: VideoPlayer) -> None:
    assert player.message_text() == "No video selected"
    assert not player.play_button.isEnabled()


def test_demo_clip_plays_frames_and_position_advances(qtbot: QtBot, player: VideoPlayer) -> None:
    positions: list[int] = []
    player.position_changed.connect(positions.append)
    frames = start_demo(qtbot, player)
    assert player.message_text() == ""
    assert frames.valid >= 5
    assert player.media_player.duration() == pytest.approx(5000, abs=100)
    qtbot.waitUntil(lambda: len(positions) > 3 and positions[-1] > positions[0], timeout=10_000)
    assert player.time_label.text().endswith("/ 00:00:05:00")
    assert player.time_label.toolTip() == "Timecode at 25 fps"
    assert player.seek_slider.maximum() == player.media_player.duration()


def test_pause_stops_position(qtbot: QtBot, player: VideoPlayer) -> None:
    start_demo(qtbot, player)
    player.pause()
    qtbot.waitUntil(lambda: not playing(player), timeout=5_000)
    frozen = player.media_player.position()
    qtbot.wait(400)
    assert player.media_player.position() == frozen
    player.play()
    qtbot.waitUntil(lambda: player.media_player.position() > frozen + 100, timeout=5_000)


def test_loop_restarts_at_the_end(qtbot: QtBot, player: VideoPlayer) -> None:
    start_demo(qtbot, player)
    player.set_loop(True)
    assert player.is_looping() and player.loop_button.isChecked()
    player.media_player.setPosition(4600)
    qtbot.waitUntil(lambda: player.media_player.position() < 1000 and playing(player), timeout=10_000)
    player.set_loop(False)
    assert not player.is_looping() and not player.loop_button.isChecked()


def test_keys(qtbot: QtBot, player: VideoPlayer) -> None:
    start_demo(qtbot, player)
    player.setFocus()
    qtbot.waitUntil(player.hasFocus)
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert not playing(player)
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert playing(player)
    qtbot.keyClick(player, Qt.Key.Key_M)
    assert player.is_muted() and player.mute_button.isChecked()
    qtbot.keyClick(player, Qt.Key.Key_M)
    assert not player.is_muted()
    qtbot.keyClick(player, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert player.is_looping() and player.loop_button.isChecked()
    qtbot.keyClick(player, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert not player.is_looping()


def test_full_screen_and_escape(qtbot: QtBot, player: VideoPlayer) -> None:
    start_demo(qtbot, player)
    qtbot.keyClick(player, Qt.Key.Key_F)
    qtbot.waitUntil(player.is_full_screen, timeout=5_000)
    # In full screen the video surface is its own window; Esc pressed there leaves full screen.
    qtbot.keyClick(player._video, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not player.is_full_screen(), timeout=5_000)


def test_clicking_a_button_keeps_space_for_play_pause(qtbot: QtBot, player: VideoPlayer) -> None:
    start_demo(qtbot, player)
    player.setFocus()
    qtbot.mouseClick(player.mute_button, Qt.MouseButton.LeftButton)
    assert player.is_muted()
    assert not player.mute_button.hasFocus()


def test_volume_and_mute_signals(qtbot: QtBot, player: VideoPlayer) -> None:
    with qtbot.waitSignal(player.volume_changed) as blocker:
        player.set_volume(0.25)
    assert blocker.args == [0.25]
    assert player.volume_slider.value() == 25
    with qtbot.waitSignal(player.muted_changed) as blocker:
        player.mute_button.click()
    assert blocker.args == [True]


def test_restore_audio_sets_volume_and_mute_without_signals(qtbot: QtBot, player: VideoPlayer) -> None:
    said: list[object] = []
    player.volume_changed.connect(said.append)
    player.muted_changed.connect(said.append)
    player.restore_audio(0.2, True)
    assert player.volume() == 0.2 and player.volume_slider.value() == 20
    assert player.is_muted() and player.mute_button.isChecked()
    assert said == []
    qtbot.keyClick(player, Qt.Key.Key_M)  # a person's own change is announced
    assert said == [False] and not player.is_muted()


@expects_broken_media_warning
def test_bad_file_shows_a_readable_error(qtbot: QtBot, player: VideoPlayer, tmp_path: Path) -> None:
    fake = tmp_path / "broken.mp4"
    fake.write_text("not really a video\n" * 50)
    with qtbot.waitSignal(player.playback_error, timeout=10_000) as blocker:
        player.load(fake)
    message = blocker.args[0]
    assert "broken.mp4" in message
    assert player.message_text() == message
    assert player.time_label.text() == "00:00:00:00 / 00:00:00:00"
    assert not player.play_button.isEnabled()
    # The player recovers: the next good file plays.
    start_demo(qtbot, player)
    assert player.message_text() == ""
    assert player.seek_slider.maximum() == player.media_player.duration() > 0


def test_clear_returns_to_the_placeholder(qtbot: QtBot, player: VideoPlayer) -> None:
    start_demo(qtbot, player)
    player.clear()
    assert player.message_text() == "No video selected"
    qtbot.waitUntil(lambda: player.media_player.source().isEmpty(), timeout=5000)
