"""Fault cases: a result URL the server names (file://, tcp://, ftp://, or https before the file is saved) never
reaches the media player or an opener; the pane says why, and only the file the downloader saved plays."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.results.download_record import DownloadProblem, DownloadState
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.results import video_player
from sora2_desktop.ui.results.result_notes import result_note
from sora2_desktop.ui.results.result_pane import ResultPane
from tests.faults.download_server import mp4_bytes
from tests.faults.rig import Run, make_rig
from tests.helpers.wait import wait_until

HOSTILE = ["file:///etc/passwd", "tcp://127.0.0.1:9/clip.mp4", "ftp://files.example/clip.mp4"]


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """Every source handed to a QMediaPlayer by the player (an empty QUrl is an unload)."""
    handed: list[QUrl] = []
    monkeypatch.setattr(video_player, "post_source", lambda _player, url: handed.append(QUrl(url)))
    return handed


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    seen: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: seen.append(QUrl(url)) or True))
    return seen


def _finished(url: str) -> Task:
    now = datetime.now(UTC)
    return Task(
        request=GenerationRequest(prompt="p"),
        created_at=now,
        phase=TaskPhase.SUCCESS,
        task_id="task_1",
        result_urls=(url,),
        completed_at=now,
        local_id=1,
    )


def _loaded(sources: list[QUrl]) -> list[QUrl]:
    return [url for url in sources if not url.isEmpty()]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_result_address_never_reaches_the_player_or_an_opener(
    qtbot: QtBot,
    run_async: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    sources: list[QUrl],
    opened: list[QUrl],
) -> None:
    pane = ResultPane()
    qtbot.addWidget(pane)

    async def scenario() -> str:
        async with make_rig(tmp_path, monkeypatch) as rig:
            downloader = rig.downloader()
            task = rig.task(url)
            downloader.enqueue(task)  # the downloader refuses it as a link it will not fetch
            await wait_until(lambda: rig.record(task).state == DownloadState.FAILED, what="the refusal")
            assert rig.record(task).problem == DownloadProblem.BAD_LINK and rig.videos() == []
            return result_note([rig.record(task)], datetime.now(UTC))

    note = run_async(scenario())  # type: ignore[func-returns-value]
    pane.show_task(_finished(url), None, note=note)
    for action in (pane.open_action, pane.reveal_action, pane.export_action):
        assert not action.isEnabled()
        action.trigger()
    assert _loaded(sources) == [] and opened == []
    assert pane.player._message.text().startswith("Not saved: The result link is not a web address this app can fetch.")


def test_before_the_file_is_saved_the_pane_shows_progress_not_a_stream(
    qtbot: QtBot, sources: list[QUrl], opened: list[QUrl]
) -> None:
    pane = ResultPane()
    qtbot.addWidget(pane)
    pane.show_task(_finished("https://cdn.example/clip.mp4"), None, note="Downloading… 40%")
    assert _loaded(sources) == []
    assert pane.player._message.text() == "Downloading… 40%"
    pane.player.load(QUrl("tcp://127.0.0.1:9/x.mp4"))  # even asked directly, the player refuses
    assert _loaded(sources) == []
    assert pane.player._message.text() == "Only saved videos play here; this address is not opened."


def test_once_saved_only_the_local_file_plays_and_opens(
    qtbot: QtBot, tmp_path: Path, sources: list[QUrl], opened: list[QUrl]
) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(mp4_bytes(1000))
    pane = ResultPane()
    qtbot.addWidget(pane)
    pane.show_task(_finished("file:///etc/passwd"), video)
    pane.open_action.trigger()
    loaded = _loaded(sources)
    assert [url.toLocalFile() for url in loaded] == [str(video)]
    assert [url.toLocalFile() for url in opened] == [str(video)]
