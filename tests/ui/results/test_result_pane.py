"""ResultPane: the player's volume and mute reach the window as signals and come back from the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.results.video_player import DEFAULT_VOLUME


@pytest.fixture
def pane(qtbot: QtBot) -> ResultPane:
    widget = ResultPane()
    qtbot.addWidget(widget)
    return widget


def wire_audio(pane: ResultPane, settings: AppSettings) -> None:
    """What MainWindow does with the pane and the settings when it is built."""
    pane.restore_audio(settings.player_volume, settings.player_muted)
    pane.volume_changed.connect(lambda volume: setattr(settings, "player_volume", volume))
    pane.muted_changed.connect(lambda muted: setattr(settings, "player_muted", muted))


def test_volume_and_mute_changes_leave_the_pane(qtbot: QtBot, pane: ResultPane) -> None:
    with qtbot.waitSignal(pane.volume_changed) as blocker:
        pane.player.volume_slider.setValue(35)  # as a drag would
    assert blocker.args == [0.35]
    with qtbot.waitSignal(pane.muted_changed) as blocker:
        pane.player.mute_button.click()
    assert blocker.args == [True]


def test_restore_applies_without_announcing_a_change(qtbot: QtBot, pane: ResultPane) -> None:
    said: list[object] = []
    pane.volume_changed.connect(said.append)
    pane.muted_changed.connect(said.append)
    pane.restore_audio(0.4, True)
    assert pane.player.volume() == 0.4 and pane.player.volume_slider.value() == 40
    assert pane.player.is_muted() and pane.player.mute_button.isChecked()
    pane.restore_audio(7.0, False)  # a volume out of range is held to the slider's end
    assert pane.player.volume() == 1.0 and not pane.player.is_muted()
    assert said == []


def test_volume_and_mute_survive_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    first_settings = AppSettings(profile)
    assert (first_settings.player_volume, first_settings.player_muted) == (DEFAULT_VOLUME, False)
    first = ResultPane()
    qtbot.addWidget(first)
    wire_audio(first, first_settings)
    assert first.player.volume() == DEFAULT_VOLUME
    first.player.volume_slider.setValue(30)
    first.player.mute_button.click()
    first_settings.sync()

    again = ResultPane()
    qtbot.addWidget(again)
    wire_audio(again, AppSettings(profile))
    assert again.player.volume() == 0.3
    assert again.player.is_muted() and again.player.mute_button.isChecked()


@pytest.mark.parametrize("stored", ["loud", "1.5", "-0.1", "nan", "true"])
def test_a_hand_edited_volume_that_makes_no_sense_falls_back(tmp_path: Path, stored: str) -> None:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    profile.settings_path.write_text(f"[player]\nvolume={stored}\nmuted=maybe\n", encoding="utf-8")
    settings = AppSettings(profile)
    assert settings.player_volume == DEFAULT_VOLUME and settings.player_muted is False
    with pytest.raises(ValueError):
        settings.player_volume = 1.5
