"""Compare takes the player's keys: frames, J/K/L and Home/End move every take at once."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from sora2_desktop.ui.results.compare_takes import CompareTakesDialog
from sora2_desktop.ui.takes.compare_controls import install_compare_keys
from tests.ui.results.test_compare_takes import DEMO_CLIP, takes

FRAME_MS = 40  # the demo clip is 25 fps


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[CompareTakesDialog]:
    widget = CompareTakesDialog(takes(DEMO_CLIP, DEMO_CLIP))
    qtbot.addWidget(widget)
    install_compare_keys(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: all(p.duration() > 0 for p in widget.players), timeout=10_000)
    widget.activateWindow()
    widget.setFocus()
    yield widget
    widget.reject()


def positions(dialog: CompareTakesDialog) -> list[int]:
    return [player.position() for player in dialog.players]


def test_arrows_step_every_take_one_frame(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    start = positions(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: all(p >= s + FRAME_MS for p, s in zip(positions(dialog), start, strict=True)))
    moved = positions(dialog)
    assert max(moved) - min(moved) < FRAME_MS  # still in step
    qtbot.keyClick(dialog, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: all(p < m for p, m in zip(positions(dialog), moved, strict=True)))


def test_l_plays_faster_each_press_and_k_stops(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: dialog.is_playing())
    assert [p.playbackRate() for p in dialog.players] == [1.0, 1.0]
    qtbot.keyClick(dialog, Qt.Key.Key_L)
    assert [p.playbackRate() for p in dialog.players] == [2.0, 2.0]
    qtbot.keyClick(dialog, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: all(p.playbackState() != QMediaPlayer.PlaybackState.PlayingState for p in dialog.players))


def test_end_and_home_move_every_take(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: all(p > 4_000 for p in positions(dialog)))
    qtbot.keyClick(dialog, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: all(p < 100 for p in positions(dialog)))
