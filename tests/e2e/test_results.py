"""Results end to end: a finished task's video is saved, traced by its sidecar, played in the window, and a
download killed half-way finishes after a restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QObject, Slot
from PySide6.QtMultimedia import QVideoFrame

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.results.download_record import DownloadState
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.sim import SimServer
from sora2_desktop.ui.results.compare_takes import CompareTakesDialog
from tests.e2e.conftest import AppUnderTest
from tests.helpers.wait import wait_until, wait_until_blocking

pytestmark = pytest.mark.e2e

PROMPT = "A hummingbird hovering at a red flower, macro, soft diffused light"


async def finished_task(app: AppUnderTest, **faults: dict[str, Any]) -> Task:
    """Generate one task through the window and wait for its success. Call it inside the test's one scenario:
    the loop keeps running from the submit to the saved file, as it does in the app."""
    for kind, params in faults.items():
        app.sim.faults.inject(kind, **params)
    app.window.form.prompt_editor.set_text(PROMPT)
    app.window.compose.generate()
    await wait_until(lambda: app.window.model.rowCount() == 1, what="the row")
    await wait_until(lambda: app.row_task().phase == TaskPhase.SUCCESS, what="success")
    return app.row_task()


class FrameCounter(QObject):
    """Counts decoded frames; a QObject slot, so Qt delivers frames to it on the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[QVideoFrame] = []

    @Slot(QVideoFrame)
    def on_frame(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            self.frames.append(frame)


def test_a_finished_video_is_saved_with_its_sidecar_and_plays_in_the_window(
    make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    counter = FrameCounter()
    player = app.window.results.player
    player.video_sink().videoFrameChanged.connect(counter.on_frame)

    async def scenario() -> tuple[Task, Path]:
        task = await finished_task(app)
        await wait_until(lambda: app.session.local_video(task) is not None, what="the file on disk")
        video = app.session.local_video(task)
        assert video is not None and task.local_id is not None
        app.window.task_list.select_task(task.local_id)
        await wait_until(lambda: len(counter.frames) >= 3, timeout=15, what="decoded frames in the embedded player")
        start = player.media_player.position()
        await wait_until(lambda: player.media_player.position() > start + 200, timeout=10, what="playback")
        await wait_until(
            lambda: app.window.model.index(0, app.window.model.COL_PROMPT).data(1) is not None,  # DecorationRole
            timeout=15,
            what="the poster frame in the list",
        )
        return task, video

    task, video = run_async(scenario())
    assert task.task_id is not None and video.read_bytes() == app.sim.video(task.task_id)  # the task's own clip
    assert video.parent == Path(app.session.settings.download_dir)
    # A take of a shot is named by its project's template: project, shot code, take, frame.
    assert video.name == "Untitled_SH010_T01_16x9.mp4"
    sidecar = json.dumps(json.loads(video.with_suffix(".json").read_text(encoding="utf-8")))
    assert PROMPT in sidecar and task.result_urls[0] in sidecar
    assert "landscape" in sidecar and task.task_id in sidecar
    # The Detail cell says it is saved, with the link's life left.
    assert "Saved" in app.window.model.index(0, app.window.model.COL_DETAIL).data()
    assert counter.frames[-1].size().toTuple() == (1280, 720)  # the asked frame: Sora 2, landscape
    assert player.media_player.source().toLocalFile() == str(video)
    assert app.window.results.export_action.isEnabled() and app.window.results.reveal_action.isEnabled()


def test_a_result_that_is_not_a_video_is_refused_with_a_message(
    make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()

    async def scenario() -> None:
        task = await finished_task(app, not_video={})
        await wait_until(
            lambda: any(d.state == DownloadState.FAILED for d in app.session.downloads_for(task)), what="refusal"
        )

    run_async(scenario())
    detail = app.window.model.index(0, app.window.model.COL_DETAIL).data()
    assert "Not saved" in detail and "instead of a video" in detail
    assert not [p for p in Path(app.session.settings.download_dir).iterdir() if p.suffix == ".mp4"]


def test_picking_the_second_take_in_compare_circles_it_and_says_so(
    make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    app.window.form.prompt_editor.set_text(PROMPT)
    app.window.form._takes.setValue(2)

    async def scenario() -> CompareTakesDialog:
        app.window.compose.generate()
        await wait_until(lambda: app.window.model.rowCount() == 2, what="two rows")
        takes = sorted((app.row_task(row) for row in range(2)), key=lambda task: task.local_id or 0)
        await wait_until(lambda: all(app.session.local_video(t) is not None for t in takes), what="both videos")
        app.window.task_list.select_task(takes[0].local_id)  # type: ignore[arg-type]
        await wait_until(lambda: app.window.results.compare_action.isEnabled(), what="Compare to be offered")
        app.window.results.compare_action.trigger()
        (dialog,) = [d for d in app.window.findChildren(CompareTakesDialog) if d.isVisible()]
        assert [b.text() for b in dialog.pick_buttons] == ["Pick this take", "Pick this take"]
        dialog.pick_buttons[1].click()
        return dialog

    dialog = run_async(scenario())
    first, second = sorted((app.row_task(row) for row in range(2)), key=lambda task: task.local_id or 0)
    assert not app.stored(first.local_id).circled and app.stored(second.local_id).circled  # type: ignore[arg-type]
    assert not first.circled and second.circled  # the list's rows followed
    assert [b.text() for b in dialog.pick_buttons] == ["Pick this take", "✓ Circled"]
    assert not dialog.pick_buttons[1].isEnabled() and dialog.pick_buttons[0].isEnabled()
    assert app.window.statusBar().currentMessage() == f"Take 2 circled for “{PROMPT[:39]}…”"
    dialog.reject()


def _start_app(profile: Path, sim: SimServer) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "APIXO_API_KEY": "download-test-key"}
    return subprocess.Popen(
        [sys.executable, "-m", "sora2_desktop", "--profile", str(profile), "--api-base", sim.api_base],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_mid_download_then_restart_finishes_the_file(tmp_path: Path) -> None:
    sim = SimServer(speed=50.0).start()
    try:
        # A task that finished at the service; its video is still to be saved.
        with httpx.Client(base_url=sim.api_base, headers={"Authorization": "Bearer download-test-key"}) as http:
            task_id = http.post(
                "/api/v1/generateTask/sora-2",
                json={"request_type": "async", "input": {"mode": "text-to-video", "prompt": PROMPT, "duration": 10}},
            ).json()["data"]["taskId"]
            sim.finish_all()
            data = http.get("/api/v1/statusTask/sora-2", params={"taskId": task_id}).json()["data"]
        url = json.loads(data["resultJson"])["resultUrls"][0]
        profile = Profile.from_dir(tmp_path / "profile").ensure()
        now = datetime.now(UTC)
        with TaskStore(profile.database_path) as store:
            row = store.add(
                Task(
                    request=GenerationRequest(prompt=PROMPT),
                    created_at=now,
                    phase=TaskPhase.SUCCESS,
                    task_id=task_id,
                    submitted_at=now,
                    result_urls=(url,),
                    completed_at=now,
                )
            )
        assert row.local_id is not None
        half = len(sim.video(task_id)) // 2
        # The first download is cut half-way; the retry then hangs on the server, and the app is killed meanwhile.
        sim.faults.inject("truncate_download", after_bytes=half)
        downloads = profile.downloads_dir

        def part_size() -> int:
            return sum(p.stat().st_size for p in downloads.glob("*.part"))

        first = _start_app(profile.root, sim)
        try:
            wait_until_blocking(lambda: part_size() == half, 60, "half the file in a .part")
            sim.faults.inject("slow", seconds=30, origin="cdn")
            wait_until_blocking(lambda: sum(1 for r in sim.requests if r.origin == "cdn") >= 2, 30, "the retry")
            assert part_size() == half
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
        sim.faults.clear()

        second = _start_app(profile.root, sim)
        try:
            wait_until_blocking(lambda: any(p.suffix == ".mp4" for p in downloads.iterdir()), 60, "the finished file")
        finally:
            second.terminate()
            second.wait(10)
        (video,) = [p for p in downloads.iterdir() if p.suffix == ".mp4"]
        assert video.read_bytes() == sim.video(task_id)
        resumed = [r for r in sim.requests if r.origin == "cdn"][-1]
        assert resumed.headers.get("range") == f"bytes={half}-"
        assert not list(downloads.glob("*.part"))
        assert all("authorization" not in r.headers for r in sim.requests if r.origin == "cdn")
    finally:
        sim.stop()
