"""The player without media support (issue 15): the area says what is missing and how to get it, hands the take's
file to the system's player or file manager, and what else uses the player (frame grabs, posters, Compare) says
unavailable instead of waiting or crashing. The probe's answer is injected here; a real machine without the
libraries is in tests/e2e/test_player_unavailable.py."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from sora2_desktop.core.media import playback_support
from sora2_desktop.core.media.frame_grab import FrameGrabError, grab_frame
from sora2_desktop.core.media.playback_support import MEDIA_FEATURE_PACK_URL, PlaybackSupport
from sora2_desktop.core.results.poster_frames import PosterMaker
from sora2_desktop.resources import resource_path
from sora2_desktop.ui.results import player_unavailable
from sora2_desktop.ui.results.compare_takes import CompareTakesDialog, Take
from sora2_desktop.ui.results.video_player import VideoPlayer

WINDOWS_N = PlaybackSupport(
    False, problem="Qt Multimedia did not load (DLL load failed: MFPlat.DLL).", platform="win32"
)
LINUX = PlaybackSupport(False, problem="libEGL.so.1: cannot open shared object file", platform="linux")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(player_unavailable.QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


@pytest.fixture
def no_media(monkeypatch: pytest.MonkeyPatch) -> Iterator[PlaybackSupport]:
    monkeypatch.setattr(playback_support, "_decided", LINUX)
    yield LINUX


def make_player(qtbot: QtBot, support: PlaybackSupport) -> VideoPlayer:
    player = VideoPlayer(support=support)
    qtbot.addWidget(player)
    player.resize(640, 420)
    player.show()
    qtbot.waitExposed(player)
    return player


def test_windows_n_says_what_is_missing_and_links_the_media_feature_pack(qtbot: QtBot) -> None:
    player = make_player(qtbot, WINDOWS_N)
    panel = player.unavailable
    assert panel is not None and panel.isVisible()
    assert player.message_text() == "Video can't play inside the app on this computer."
    assert "Media Feature Pack" in panel.remedy_label.text()
    assert panel.link_label.isVisible() and MEDIA_FEATURE_PACK_URL in panel.link_label.text()
    assert panel.link_label.openExternalLinks()
    assert "MFPlat.DLL" in panel.problem_label.text()
    assert not player.bar.isVisible()  # no transport to drive


def test_linux_names_the_packages_and_has_no_link(qtbot: QtBot) -> None:
    panel = make_player(qtbot, LINUX).unavailable
    assert panel is not None
    assert "libegl1" in panel.remedy_label.text() and "mesa-libEGL" in panel.remedy_label.text()
    assert not panel.link_label.isVisible()


def test_a_take_goes_to_the_system_player_and_its_folder(qtbot: QtBot, opened: list[QUrl], tmp_path: Path) -> None:
    player = make_player(qtbot, LINUX)
    panel = player.unavailable
    assert panel is not None
    assert not panel.open_button.isEnabled() and not panel.reveal_button.isEnabled()  # no take yet
    video = tmp_path / "SH010_T01.mp4"
    video.write_bytes(b"")
    assert player.load(video)
    assert panel.open_button.isEnabled() and panel.reveal_button.isEnabled()
    assert panel.file_label.text() == "SH010_T01.mp4"
    panel.open_button.click()
    panel.reveal_button.click()
    assert opened == [QUrl.fromLocalFile(str(video)), QUrl.fromLocalFile(str(tmp_path))]
    player.show_note("The video is being saved.")
    assert not panel.open_button.isEnabled()
    assert panel.file_label.text() == "The video is being saved."
    assert player.message_text() == "Video can't play inside the app on this computer."
    assert not player.load("https://example.com/clip.mp4")  # only saved files, as with a working player


def test_a_frame_grab_says_unavailable(no_media: PlaybackSupport, tmp_path: Path) -> None:
    with pytest.raises(FrameGrabError, match=r"not available on this computer.*libEGL"):
        asyncio.run(grab_frame(resource_path("demo_clip.mp4"), 0))


def test_a_poster_says_unavailable(qtbot: QtBot, no_media: PlaybackSupport, tmp_path: Path) -> None:
    maker = PosterMaker()
    with qtbot.waitSignal(maker.poster_failed) as failed:
        maker.request("1", resource_path("demo_clip.mp4"), tmp_path / "poster.png")
    assert failed.args is not None and "not available" in failed.args[1] and "libEGL" in failed.args[1]
    assert not (tmp_path / "poster.png").exists()


def test_compare_says_unavailable_and_takes_can_still_be_picked(qtbot: QtBot, no_media: PlaybackSupport) -> None:
    clip = resource_path("demo_clip.mp4")
    dialog = CompareTakesDialog([Take(1, clip), Take(2, clip)])
    qtbot.addWidget(dialog)
    assert dialog.unavailable_label is not None
    assert "can't play" in dialog.unavailable_label.text() and "libegl1" in dialog.unavailable_label.text()
    with qtbot.waitSignal(dialog.take_picked) as picked:
        dialog.pick_buttons[1].click()
    assert picked.args == [2]
