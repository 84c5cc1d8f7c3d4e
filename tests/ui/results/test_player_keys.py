"""install_player_keys: the player's keys work from another widget (a take strip, Compare) and its children,
leave a text field its letters, survive being installed twice around the same focus, and are on the sheet."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from fractions import Fraction

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.ui.common.shortcuts import GROUP_PLAYER, all_shortcuts
from sora2_desktop.ui.results.player_keys import install_player_keys
from sora2_desktop.ui.results.timecode import frame_position
from sora2_desktop.ui.results.video_player import VideoPlayer
from tests.ui.results.demo_player import frame_on_screen, playing, start_demo


class Rig(QWidget):
    """A window with a take strip (a list with a note field) beside the player, like the real one."""

    def __init__(self) -> None:
        super().__init__()
        self.strip = QWidget()
        self.takes = QListWidget()
        self.takes.addItems(["T01", "T02", "T03"])
        self.note = QLineEdit()
        strip_layout = QVBoxLayout(self.strip)
        strip_layout.addWidget(self.takes)
        strip_layout.addWidget(self.note)
        self.elsewhere = QLineEdit()  # outside the strip: the player's keys do not reach here
        self.player = VideoPlayer()
        layout = QHBoxLayout(self)
        layout.addWidget(self.strip)
        layout.addWidget(self.player, 1)
        layout.addWidget(self.elsewhere)


@pytest.fixture
def rig(qtbot: QtBot) -> Iterator[Rig]:
    window = Rig()
    qtbot.addWidget(window)
    window.resize(900, 420)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    start_demo(qtbot, window.player)
    yield window
    window.player.clear()


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def test_keys_drive_the_player_from_the_take_strip(qtbot: QtBot, rig: Rig) -> None:
    install_player_keys(rig.strip, rig.player)
    focus(qtbot, rig.takes)
    qtbot.keyClick(rig.takes, Qt.Key.Key_Home)
    qtbot.keyClick(rig.takes, Qt.Key.Key_Right)
    qtbot.keyClick(rig.takes, Qt.Key.Key_Right)
    assert rig.player.frame() == 2
    assert rig.player.media_player.position() == frame_position(2, Fraction(25))
    qtbot.waitUntil(lambda: frame_on_screen(rig.player) == 2, timeout=5_000)
    qtbot.keyClick(rig.takes, Qt.Key.Key_L)
    assert playing(rig.player)
    qtbot.keyClick(rig.takes, Qt.Key.Key_K)
    assert not playing(rig.player)
    assert rig.takes.hasFocus()  # the keys moved the player, not the focus


def test_a_text_field_in_the_strip_keeps_its_letters(qtbot: QtBot, rig: Rig) -> None:
    install_player_keys(rig.strip, rig.player)
    rig.player.pause()
    focus(qtbot, rig.note)
    qtbot.keyClicks(rig.note, "jkl io")
    assert rig.note.text() == "jkl io"
    assert rig.player.shuttle_speed() == 0 and rig.player.in_out().in_ms is None


def test_keys_stay_inside_the_widget_they_are_installed_on(qtbot: QtBot, rig: Rig) -> None:
    install_player_keys(rig.strip, rig.player)
    rig.player.go_to_start()
    focus(qtbot, rig.elsewhere)
    qtbot.keyClick(rig.elsewhere, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert rig.player.frame() == 0


def test_installed_around_the_player_too_a_key_acts_once(qtbot: QtBot, rig: Rig) -> None:
    # The player has its own keys; a window putting them on a pane that holds the player makes each key
    # ambiguous to Qt. It must still act exactly once.
    install_player_keys(rig, rig.player)
    focus(qtbot, rig.player)
    rig.player.go_to_start()
    qtbot.keyClick(rig.player, Qt.Key.Key_Right)
    assert rig.player.frame() == 1
    qtbot.keyClick(rig.player, Qt.Key.Key_Right)
    assert rig.player.frame() == 2


def test_every_key_is_on_the_shortcut_sheet(qtbot: QtBot) -> None:
    listed = {shortcut.keys for shortcut in all_shortcuts() if shortcut.group == GROUP_PLAYER}
    sheet_keys = {part for keys in listed for part in keys.split(", ")}
    player = VideoPlayer()
    qtbot.addWidget(player)
    portable = QKeySequence.SequenceFormat.PortableText
    bound = {shortcut.key().toString(portable) for shortcut, _, _ in player.keys.shortcuts}
    assert bound <= sheet_keys
    assert {"J", "K", "L", "I", "O", "Left", "Shift+Right", "Ctrl+/"} <= bound
