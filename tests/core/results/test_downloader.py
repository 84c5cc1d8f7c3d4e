"""ResultDownloader against the stand-in over loopback: names, sidecars, resume, checks, clashes, restarts, expiry."""

from __future__ import annotations

import asyncio
import gc
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sora2_desktop.api import ApiKey, ApixoClient, GenerationRequest
from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.results.download_wording import download_problem_text
from sora2_desktop.core.results.downloader import ResultDownloader
from sora2_desktop.core.results.expiry import time_left_text
from sora2_desktop.core.results.files import choose_destination, slug, video_stem
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.backoff import Backoff
from sora2_desktop.core.tasks.task import Task, TaskPhase
from tests.helpers.models import SORA_2
from tests.helpers.sim import ManualSim
from tests.helpers.wait import wait_until

PROMPT = "A lighthouse at dusk, slow dolly in; golden hour"
NAME = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{4}_a-lighthouse-at-dusk-slow-dolly-in_task_[0-9a-f]+\.mp4$")
FAST_RETRY = Backoff(base_s=0.01, cap_s=0.02)
Run = Callable[[Coroutine[Any, Any, None]], None]
Scenario = Callable[["Rig"], Coroutine[Any, Any, None]]


@dataclass
class Rig:
    """One stand-in, one store, one client, a download folder, and a `now` that follows the stand-in's clock."""

    sim: ManualSim
    store: TaskStore
    client: ApixoClient
    folder: Path
    shift: timedelta = timedelta(0)  # added to the stand-in's time: moves `now` past a link's 15 days
    downloaders: list[ResultDownloader] = field(default_factory=list)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.sim.clock(), UTC) + self.shift

    def downloader(self, **options: Any) -> ResultDownloader:
        options.setdefault("backoff", FAST_RETRY)
        made = ResultDownloader(self.store, self.client, lambda: self.folder, now=self.now, **options)
        self.downloaders.append(made)
        return made

    def clip(self, task: Task) -> bytes:
        """The demo video the stand-in serves for this task (each task has its own)."""
        assert task.task_id is not None
        return self.sim.video(task.task_id)

    async def finished_task(self, prompt: str = PROMPT) -> Task:
        """Submit to the stand-in, let it finish, and store the row the runner would have stored."""
        request = GenerationRequest(prompt=prompt)
        task_id = await self.client.submit(request, SORA_2)
        self.sim.finish_all()
        status = await self.client.status(task_id, SORA_2)
        assert status.result_urls
        return self.store.add(
            Task(
                request=request,
                created_at=self.now(),
                phase=TaskPhase.SUCCESS,
                batch_id="batch1",
                task_id=task_id,
                submitted_at=self.now(),
                catalogue_version="2026-12-03.1",
                shot_id=7,
                take_number=3,
                version_id=2,
                cost_estimate_usd=0.15,
                result_urls=status.result_urls,
                service_created_at=status.create_time,
                completed_at=status.complete_time,
                cost_time_ms=status.cost_time_ms,
            )
        )

    def stored_task(self, *urls: str) -> Task:
        """A finished task whose result URLs are chosen by the test (e.g. the stand-in's `/blob/` files)."""
        return self.store.add(
            Task(
                request=GenerationRequest(prompt=PROMPT),
                created_at=self.now(),
                phase=TaskPhase.SUCCESS,
                task_id="task_0000beef",
                result_urls=urls,
                completed_at=self.now(),
            )
        )

    def record(self, task: Task, index: int = 0) -> Download:
        assert task.local_id is not None
        return self.store.downloads.for_task(task.local_id)[index]

    def cdn_gets(self) -> list[Any]:
        return [r for r in self.sim.requests_snapshot() if r.origin == "cdn" and r.method == "GET"]

    def files(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir()) if self.folder.exists() else []


@pytest.fixture
def rig_run(sim: ManualSim, tmp_path: Path, run_async: Run) -> Callable[[Scenario], None]:
    """Runs `scenario(rig)` on the qasync loop; stops every downloader and closes the client afterwards."""

    def run(scenario: Scenario) -> None:
        async def wrapped() -> None:
            async with _rig(sim, tmp_path) as rig:
                await scenario(rig)

        run_async(wrapped())

    return run


@asynccontextmanager
async def _rig(sim: ManualSim, tmp_path: Path) -> AsyncIterator[Rig]:
    store = TaskStore(tmp_path / "tasks.sqlite3")
    client = ApixoClient(sim.api_base, ApiKey("test-key"))
    rig = Rig(sim, store, client, tmp_path / "videos")
    try:
        yield rig
    finally:
        for downloader in rig.downloaders:
            await downloader.stop()
        # A downloader and the rig refer to each other (`now=rig.now`). Left to the cyclic collector, the QObject
        # could be destroyed on whatever thread triggers a collection, such as an executor's worker: Qt crashes.
        rig.downloaders.clear()
        gc.collect()
        await client.aclose()
        store.close()


def landed(ready: list[tuple[Task, Path]]) -> Callable[[], bool]:
    return lambda: bool(ready)


def collect(downloader: ResultDownloader) -> tuple[list[tuple[Task, Path]], list[Download]]:
    ready: list[tuple[Task, Path]] = []
    changes: list[Download] = []
    downloader.file_ready.connect(lambda task, path: ready.append((task, path)))
    downloader.download_changed.connect(changes.append)
    return ready, changes


# -- the happy path ---------------------------------------------------------------------------------------------


def test_finished_task_lands_byte_identical_with_readable_name_and_sidecar(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        downloader = rig.downloader()
        ready, changes = collect(downloader)
        (record,) = downloader.enqueue(task)
        assert record.path is not None and record.path.parent == rig.folder.resolve()
        assert record.expires_at == task.completed_at + timedelta(days=15)  # type: ignore[operator]
        await wait_until(landed(ready), what="the video")

        (ready_task, path) = ready[0]
        assert ready_task.local_id == task.local_id and path == record.path
        assert NAME.match(path.name), path.name
        assert path.read_bytes() == rig.clip(task)
        assert rig.files() == sorted([path.name, path.with_suffix(".json").name])  # no .part or staging left over
        sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert sidecar["prompt"] == PROMPT
        assert sidecar["settings"] == task.request.to_dict()
        assert sidecar["model"] == task.request.model == "sora-2"
        assert sidecar["catalogue_version"] == task.catalogue_version == "2026-12-03.1"
        assert sidecar["task_id"] == task.task_id and sidecar["local_task_id"] == task.local_id
        assert sidecar["batch_id"] == "batch1"
        assert (sidecar["shot_id"], sidecar["take_number"], sidecar["prompt_version_id"]) == (7, 3, 2)
        assert sidecar["cost_estimate_usd"] == 0.15
        assert sidecar["source_url"] == task.result_urls[0] and sidecar["url_index"] == 0
        assert sidecar["service"]["costTime"] == task.cost_time_ms
        assert sidecar["service"]["completeTime"] == round(task.completed_at.timestamp() * 1000)  # type: ignore[union-attr]
        assert sidecar["file_size"] == len(rig.clip(task)) and sidecar["video_file"] == path.name
        assert sidecar["app_version"]

        stored = rig.record(task)
        assert stored.state == DownloadState.DONE and stored.bytes_done == stored.bytes_total == len(rig.clip(task))
        states = [change.state for change in changes]
        assert states[0] == DownloadState.PENDING and DownloadState.DOWNLOADING in states
        assert states[-1] == DownloadState.DONE
        # The key goes to the API's origin only, never to the CDN.
        assert all("authorization" not in r.headers for r in rig.cdn_gets())

    rig_run(scenario)


def test_a_landed_files_record_is_written_from_the_writer_thread(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        downloader = rig.downloader()
        ready, changes = collect(downloader)
        on_gui_connection: list[Download] = []
        real_upsert = rig.store.downloads.upsert
        rig.store.downloads.upsert = lambda record: on_gui_connection.append(record) or real_upsert(record)  # type: ignore[method-assign, func-returns-value]
        downloader.enqueue(task)
        await wait_until(landed(ready), what="the video")
        assert DownloadState.DONE not in [record.state for record in on_gui_connection]
        assert rig.record(task).state == DownloadState.DONE  # written, and read back by the GUI's connection
        assert changes[-1].state == DownloadState.DONE  # told once written

    rig_run(scenario)


def test_download_cut_in_the_middle_resumes_with_range(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        rig.sim.faults.inject("truncate_download", after_bytes=30_000)
        downloader = rig.downloader()
        ready, changes = collect(downloader)
        downloader.enqueue(task)
        await wait_until(landed(ready), what="the resumed video")

        assert ready[0][1].read_bytes() == rig.clip(task)
        first, second = rig.cdn_gets()
        assert "range" not in first.headers
        assert second.headers["range"] == "bytes=30000-"
        # While waiting to retry the row said why and how far it got.
        parked = [c for c in changes if c.problem and c.state == DownloadState.DOWNLOADING]
        assert parked and parked[0].bytes_done == 30_000
        assert parked[0].problem == DownloadProblem.CONNECTION_BROKE  # the stand-in drops the connection
        assert "resume from where it stopped" in (download_problem_text(parked[0]) or "")

    rig_run(scenario)


def test_server_errors_and_rate_limits_on_the_cdn_back_off_and_retry(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        rig.sim.faults.inject("server_error", 2, origin="cdn", status=503)
        rig.sim.faults.inject("rate_limit", origin="cdn", retry_after=0)
        downloader = rig.downloader()
        ready, _ = collect(downloader)
        downloader.enqueue(task)
        await wait_until(landed(ready), what="the video after the faults")
        assert ready[0][1].read_bytes() == rig.clip(task)
        assert len(rig.cdn_gets()) == 4

    rig_run(scenario)


# -- names ------------------------------------------------------------------------------------------------------


def test_hostile_url_name_lands_inside_the_folder_under_our_name(rig_run: Any, tmp_path: Path) -> None:
    async def scenario(rig: Rig) -> None:
        rig.sim.faults.inject("evil_name")
        task = await rig.finished_task()
        assert "..%2F" in task.result_urls[0]
        downloader = rig.downloader()
        ready, _ = collect(downloader)
        downloader.enqueue(task)
        await wait_until(landed(ready), what="the video")
        path = ready[0][1]
        assert path.parent == rig.folder.resolve() and NAME.match(path.name)
        assert path.read_bytes() == rig.clip(task)
        assert not list(tmp_path.rglob("evil*"))

    rig_run(scenario)


def test_name_clash_gets_a_suffix_and_leaves_the_other_file_alone(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        rig.folder.mkdir()
        theirs = rig.folder / f"{video_stem(task, 0)}.mp4"
        theirs.write_bytes(b"someone else's clip")
        downloader = rig.downloader()
        ready, _ = collect(downloader)
        downloader.enqueue(task)
        await wait_until(landed(ready), what="the video")
        path = ready[0][1]
        assert path.name == f"{video_stem(task, 0)} (2).mp4"
        assert path.read_bytes() == rig.clip(task)
        assert theirs.read_bytes() == b"someone else's clip"
        assert path.with_suffix(".json").exists()

    rig_run(scenario)


def test_the_name_and_folder_come_from_the_place_it_is_given(rig_run: Any, tmp_path: Path) -> None:
    """A take of a shot is named by its project (ProjectService.file_place): when enqueued, and when a start
    takes up a success that never got its download records."""

    async def scenario(rig: Rig) -> None:
        project_folder = tmp_path / "Trailer"
        asked: list[tuple[int | None, int]] = []

        def place(task: Task, index: int) -> tuple[Path, str]:
            asked.append((task.local_id, index))
            return project_folder, f"Trailer_SH010_T{task.local_id:02d}_16x9"

        first = await rig.finished_task()
        downloader = rig.downloader(place=place)
        ready, _ = collect(downloader)
        downloader.enqueue(first)
        await wait_until(landed(ready), what="the first take")
        second = await rig.finished_task()  # stored without download records: the next start takes it up
        later = rig.downloader(place=place)
        later_ready, _ = collect(later)
        later.start()
        await wait_until(landed(later_ready), what="the second take")

        paths = [path for _, path in ready + later_ready]
        assert [path.name for path in paths] == [
            f"Trailer_SH010_T{first.local_id:02d}_16x9.mp4",
            f"Trailer_SH010_T{second.local_id:02d}_16x9.mp4",
        ]
        assert {path.parent for path in paths} == {project_folder.resolve()}
        assert asked == [(first.local_id, 0), (second.local_id, 0)] and rig.files() == []

    rig_run(scenario)


def test_file_names_are_readable_and_safe(tmp_path: Path) -> None:
    made = datetime(2026, 1, 9, 13, 33, tzinfo=UTC)
    hostile = Task(
        request=GenerationRequest(prompt="../../Été à Paris: «drone shot» über die Dächer — 4K!!! " * 3),
        created_at=made,
        local_id=7,
        task_id="../../etc/passwd\x00 task",
    )
    stem = video_stem(hostile, 1)
    assert stem.startswith(made.astimezone().strftime("%Y-%m-%d_%H%M") + "_ete-a-paris-drone-shot-uber-die")
    assert stem.endswith("_etcpasswdtask_2")
    assert len(slug(hostile.request.prompt)) <= 40
    assert slug("龍の夜") == "video"
    path = choose_destination(tmp_path, stem, taken=[tmp_path.resolve() / f"{stem}.mp4"])
    assert path == tmp_path.resolve() / f"{stem} (2).mp4"
    assert path.resolve().is_relative_to(tmp_path.resolve())
    assert "/" not in path.name and "\\" not in path.name


# -- checks -----------------------------------------------------------------------------------------------------


def test_a_page_that_is_not_a_video_is_refused_with_a_message_and_no_file(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        rig.sim.faults.inject("not_video")
        task = await rig.finished_task()
        downloader = rig.downloader()
        ready, _ = collect(downloader)
        downloader.enqueue(task)
        await wait_until(lambda: rig.record(task).state == DownloadState.FAILED, what="refused")
        record = rig.record(task)
        assert (record.problem, record.problem_detail) == (DownloadProblem.NOT_A_VIDEO, "text/html")
        assert "answered with text/html instead of a video" in (download_problem_text(record) or "")
        assert rig.files() == [] and not ready
        assert len(rig.cdn_gets()) == 1  # no retry: another try brings the same page

    rig_run(scenario)


def test_video_typed_bytes_that_are_not_an_mp4_are_refused(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = rig.stored_task(f"{rig.sim.cdn_base}/blob/4096.mp4")  # served as video/mp4, but no ftyp box
        downloader = rig.downloader()
        ready, _ = collect(downloader)
        downloader.enqueue(task)
        await wait_until(lambda: rig.record(task).state == DownloadState.FAILED, what="refused")
        assert rig.record(task).problem == DownloadProblem.NOT_AN_MP4
        assert download_problem_text(rig.record(task)) == "The service sent something that is not an MP4 video."
        assert rig.files() == [] and not ready
        assert len(rig.cdn_gets()) == 1

    rig_run(scenario)


def test_progress_signals_are_throttled(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        size = 48 * 1024 * 1024
        task = rig.stored_task(f"{rig.sim.cdn_base}/blob/{size}.mp4")
        downloader = rig.downloader()
        _, changes = collect(downloader)
        started = time.monotonic()
        downloader.enqueue(task)
        await wait_until(lambda: rig.record(task).state == DownloadState.FAILED, what="the end of the download")
        elapsed = time.monotonic() - started
        progress = [c for c in changes if c.state == DownloadState.DOWNLOADING and c.bytes_done]
        # Hundreds of chunks, but only ~10 signals a second (plus the first and the last).
        assert len(progress) <= elapsed / 0.1 + 3
        assert progress[-1].bytes_done == progress[-1].bytes_total == size

    rig_run(scenario)


# -- restarts ---------------------------------------------------------------------------------------------------


def test_a_restart_resumes_the_part_file_left_behind(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        rig.sim.faults.inject("truncate_download", after_bytes=40_000)
        first = rig.downloader(backoff=Backoff(base_s=600, cap_s=600))  # the retry would come long after "quit"
        first.enqueue(task)
        await wait_until(lambda: rig.record(task).bytes_done == 40_000, what="the cut-short download recorded")
        await first.stop()
        assert rig.record(task).state == DownloadState.DOWNLOADING
        assert [p.suffix for p in rig.folder.iterdir()] == [".part"]

        second = rig.downloader()
        ready, _ = collect(second)
        second.start()
        await wait_until(landed(ready), what="the resumed video")
        assert ready[0][1] == rig.record(task).path
        assert ready[0][1].read_bytes() == rig.clip(task)
        assert rig.cdn_gets()[-1].headers["range"] == "bytes=40000-"
        assert len(rig.files()) == 2

    rig_run(scenario)


def test_start_picks_up_a_success_that_never_got_its_download_records(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()  # stored as SUCCESS, but the app "stopped" before enqueue()
        downloader = rig.downloader()
        ready, _ = collect(downloader)
        downloader.start()
        await wait_until(landed(ready), what="the video")
        assert ready[0][0].local_id == task.local_id and ready[0][1].read_bytes() == rig.clip(task)

    rig_run(scenario)


def test_a_success_heard_when_no_loop_runs_is_stored_for_the_next_start(rig_run: Any) -> None:
    """The views hear of a change a loop turn late: at quit the loop may be gone by then. The record is kept, not
    lost to a RuntimeError, and the next start fetches it."""

    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        quitting = rig.downloader()
        loop = asyncio.get_running_loop()
        asyncio._set_running_loop(None)  # as on the GUI thread once qasync's loop has stopped
        try:
            (record,) = quitting.enqueue(task)
        finally:
            asyncio._set_running_loop(loop)
        await wait_until(lambda: len(rig.store.downloads.for_task(record.local_id)) == 1, what="the stored record")
        assert rig.record(task).state.is_pending and not rig.cdn_gets()
        restarted = rig.downloader()
        ready, _ = collect(restarted)
        restarted.start()
        await wait_until(landed(ready), what="the video")
        assert ready[0][1] == record.path and ready[0][1].read_bytes() == rig.clip(task)

    rig_run(scenario)


def test_start_retries_failed_downloads_and_expires_dead_links(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        failed_task, dead_task = await rig.finished_task(), await rig.finished_task("a second prompt")
        assert failed_task.local_id is not None and dead_task.local_id is not None
        path = choose_destination(rig.folder, video_stem(failed_task, 0))
        in_a_week = rig.now() + timedelta(days=7)
        rig.store.downloads.upsert(
            Download(
                failed_task.local_id,
                0,
                failed_task.result_urls[0],
                path=path,
                state=DownloadState.FAILED,
                expires_at=in_a_week,
                legacy_error="The file server refused the download (HTTP 451).",  # from before problem codes
            )
        )
        rig.store.downloads.upsert(
            Download(
                dead_task.local_id,
                0,
                dead_task.result_urls[0],
                path=rig.folder / "dead.mp4",
                expires_at=rig.now() - timedelta(seconds=1),
            )
        )
        downloader = rig.downloader()
        ready, _ = collect(downloader)
        downloader.start()
        await wait_until(landed(ready), what="the failed download, retried")
        assert ready[0][1] == path and path.read_bytes() == rig.clip(failed_task)
        assert rig.record(failed_task).legacy_error is None  # the older words went with the next write
        assert rig.record(dead_task).state == DownloadState.EXPIRED
        assert [r.path for r in rig.cdn_gets()] == [urlsplit(failed_task.result_urls[0]).path]

    rig_run(scenario)


def test_an_old_history_without_download_records_is_expired_in_bulk_at_start(rig_run: Any) -> None:
    """An upgrade from an app without downloads: 2,000 successes whose links ran out long ago, one that is new."""

    async def scenario(rig: Rig) -> None:
        request = GenerationRequest(prompt=PROMPT)
        finished = rig.now() - timedelta(days=20)
        old_url = f"{rig.sim.cdn_base}/blob/1000.mp4"  # would be fetched (and refused) if anything asked for it
        for n in range(2_000):
            rig.store.add(
                Task(
                    request=request,
                    created_at=finished,
                    phase=TaskPhase.SUCCESS,
                    task_id=f"task_{n:08x}",
                    result_urls=(old_url,),
                    completed_at=finished + timedelta(seconds=n),
                )
            )
        recent = await rig.finished_task()
        one_by_one: list[Download] = []
        write_one, post_one = rig.store.downloads.upsert, rig.store.downloads.upsert_soon

        def counted(record: Download) -> Download:  # the single-row write: a record that was not bulk-written
            one_by_one.append(record)
            return write_one(record)

        def counted_soon(record: Download) -> Any:  # the same, from the writer thread
            one_by_one.append(record)
            return post_one(record)

        rig.store.downloads.upsert = counted  # type: ignore[method-assign]
        rig.store.downloads.upsert_soon = counted_soon  # type: ignore[method-assign]
        downloader = rig.downloader()
        ready, _ = collect(downloader)

        downloader.start()
        # Settled before start() returns, in one bulk write: no job, no request, no name chosen, no file.
        expired = rig.store.downloads_in([DownloadState.EXPIRED])
        assert len(expired) == 2_000 and one_by_one == []
        first = expired[0]
        assert first.path is None and first.url == old_url
        assert first.expires_at == finished + timedelta(days=15)
        assert first.problem == DownloadProblem.EXPIRED and first.problem_detail is None
        assert (download_problem_text(first) or "").startswith("The link expired on ")
        assert rig.cdn_gets() == [] and not rig.folder.exists()

        await wait_until(landed(ready), what="the recent video")
        assert [task.local_id for task, _ in ready] == [recent.local_id]
        assert {r.path for r in rig.cdn_gets()} == {urlsplit(recent.result_urls[0]).path}
        assert {record.local_id for record in one_by_one} == {recent.local_id}
        assert downloader.active_count == 0 and len(rig.files()) == 2

    rig_run(scenario)


def test_a_finished_download_whose_file_was_deleted_is_not_fetched_at_start(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        first = rig.downloader()
        ready, _ = collect(first)
        first.enqueue(task)
        await wait_until(landed(ready), what="the video")
        ready[0][1].unlink()
        gets = len(rig.cdn_gets())
        rig.downloader().start()
        assert rig.downloaders[-1].active_count == 0 and len(rig.cdn_gets()) == gets

    rig_run(scenario)


# -- expiry and fetching again ----------------------------------------------------------------------------------


def test_a_link_past_its_15_days_is_marked_expired_without_a_request(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        rig.shift = timedelta(days=15, seconds=1)
        downloader = rig.downloader()
        downloader.enqueue(task)
        await wait_until(lambda: rig.record(task).state == DownloadState.EXPIRED, what="expired")
        assert rig.record(task).problem == DownloadProblem.EXPIRED
        words = download_problem_text(rig.record(task)) or ""
        assert words.startswith("The link expired on ") and "can no longer be fetched" in words
        assert rig.cdn_gets() == [] and rig.files() == []
        assert time_left_text(rig.record(task).expires_at, rig.now()) == "Link expired"

    rig_run(scenario)


def test_a_failing_download_is_retried_until_the_link_expires(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        rig.sim.faults.inject("server_error", 10_000, origin="cdn")
        downloader = rig.downloader()
        downloader.enqueue(task)
        await wait_until(lambda: len(rig.cdn_gets()) >= 3, what="several tries")
        record = rig.record(task)
        assert record.state == DownloadState.PENDING
        assert (record.problem, record.problem_detail) == (DownloadProblem.SERVER_ERROR, "500")
        assert "HTTP 500" in (download_problem_text(record) or "")
        assert time_left_text(record.expires_at, rig.now()) == "Link valid 15 more days"
        rig.shift = timedelta(days=16)
        await wait_until(lambda: rig.record(task).state == DownloadState.EXPIRED, what="expired")
        assert downloader.active_count == 0

    rig_run(scenario)


def test_a_deleted_file_is_downloaded_again_while_the_link_lives(rig_run: Any) -> None:
    async def scenario(rig: Rig) -> None:
        task = await rig.finished_task()
        downloader = rig.downloader()
        ready, _ = collect(downloader)
        downloader.enqueue(task)
        await wait_until(landed(ready), what="the video")
        path = ready[0][1]
        assert downloader.redownload(task) is None and downloader.active_count == 0  # nothing missing
        path.unlink()

        assert downloader.redownload(task) is None
        await wait_until(lambda: len(ready) == 2, what="the video again")
        assert ready[1][1] == path and path.read_bytes() == rig.clip(task)
        assert rig.record(task).state == DownloadState.DONE

        path.unlink()
        rig.shift = timedelta(days=15, hours=1)
        reason = downloader.redownload(task)
        assert reason is not None and reason.startswith("The link expired on ")
        assert rig.record(task).state == DownloadState.EXPIRED and downloader.active_count == 0

    rig_run(scenario)


def test_time_left_text() -> None:
    now = datetime(2026, 1, 9, tzinfo=UTC)
    assert time_left_text(now + timedelta(days=14, hours=23), now) == "Link valid 14 more days"
    assert time_left_text(now + timedelta(hours=30), now) == "Link valid 30 more hours"
    assert time_left_text(now + timedelta(minutes=90), now) == "Link valid 90 more minutes"
    assert time_left_text(now + timedelta(seconds=30), now) == "Link expires in a moment"
    assert time_left_text(now, now) == "Link expired"
    assert time_left_text(None, now) == ""
