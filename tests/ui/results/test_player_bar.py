"""The player's bar keeps its seek bar usable in a narrow player: below COMPACT_BELOW_PX the volume slider goes (Mute
stays) and the time shows the position alone, its length in the tooltip; wide again, both come back."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from sora2_desktop.ui.results.player_bar import COMPACT_BELOW_PX, SEEK_MIN_PX, PlayerBar


def shown(qtbot: QtBot, width: int) -> PlayerBar:
    bar = PlayerBar()
    qtbot.addWidget(bar)
    bar.set_time("00:00:01:09", "00:00:05:00")
    bar.set_time_tip("Timecode at 25 fps")
    bar.resize(width, bar.sizeHint().height())
    bar.show()
    qtbot.waitExposed(bar)
    return bar


def test_a_wide_bar_shows_the_position_and_the_length_and_the_volume(qtbot: QtBot) -> None:
    bar = shown(qtbot, 900)
    assert bar.time_label.text() == "00:00:01:09 / 00:00:05:00"
    assert bar.time_label.toolTip() == "Timecode at 25 fps"
    assert bar.volume_slider.isVisible() and bar.mute_button.isVisible()


def test_a_narrow_bar_gives_its_room_to_the_seek_bar_and_comes_back_when_widened(qtbot: QtBot) -> None:
    bar = shown(qtbot, 460)  # the player's width in a 1024×700 window
    assert bar.width() < COMPACT_BELOW_PX
    assert bar.time_label.text() == "00:00:01:09"
    assert bar.time_label.toolTip() == "Length 00:00:05:00\nTimecode at 25 fps"
    assert not bar.volume_slider.isVisible() and bar.mute_button.isVisible()
    qtbot.waitUntil(lambda: bar.seek_slider.width() >= SEEK_MIN_PX)
    right = bar.full_screen_button.geometry().right()
    assert right <= bar.width()  # nothing cut off at the end of the row
    bar.resize(900, bar.height())
    qtbot.waitUntil(lambda: bar.volume_slider.isVisible())
    assert bar.time_label.text() == "00:00:01:09 / 00:00:05:00"
