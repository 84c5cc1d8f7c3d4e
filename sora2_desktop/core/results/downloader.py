"""ResultDownloader: saves every result video of a finished task into the download folder, resumably, checked."""

from __future__ import annotations

import asyncio
import logging
import math
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from sora2_desktop.api.client import ApixoClient
from sora2_desktop.core.results.disk_guard import DEFAULT_SIZE_CAP, DiskUsage, WriteGuard, probe
from sora2_desktop.core.results.download_faults import Fault, classify
from sora2_desktop.core.results.download_pause import PauseGate
from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.results.download_recovery import recover_downloads, redownload_missing
from sora2_desktop.core.results.download_saves import DownloadSaves, Key
from sora2_desktop.core.results.download_saves import TaskRemoved as _TaskRemoved
from sora2_desktop.core.results.expiry import expired, expires_at_for, has_expired, seconds_left
from sora2_desktop.core.results.files import (
    ClaimedPaths,
    NotAVideoError,
    choose_destination,
    discard_unfinished,
    land,
    landed_before,
    sidecar_document,
    staging_path,
    unfinished_size,
    video_stem,
)
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.backoff import Backoff
from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from sora2_desktop.core.tasks.task import Task

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1  # at most ~10 progress signals a second per download: enough for a smooth bar
MAX_RETRY_DELAY_S = 120.0  # whatever a server asks: the app tries again at least this often


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ResultDownloader(DownloadSaves, QObject):
    """One job per result file, at most `concurrency` fetching at once. Retryable faults back off and retry until
    the link expires; every change is written to the `downloads` table first, so a restart resumes the `.part`."""

    download_changed = Signal(Download)  # every state change and, throttled, progress
    file_ready = Signal(Task, Path)  # a checked video in place under its final name

    def __init__(
        self,
        store: TaskStore,
        client: ApixoClient,
        download_dir: Callable[[], Path | str],
        *,
        limiter: RateLimiter | None = None,
        backoff: Backoff | None = None,
        concurrency: int = 3,
        now: Callable[[], datetime] = _utc_now,
        retry_scale: float = 1.0,
        size_cap: Callable[[], int] = lambda: DEFAULT_SIZE_CAP,
        disk_usage: DiskUsage = shutil.disk_usage,
        place: Callable[[Task, int], tuple[Path, str]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._client = client
        self._download_dir = download_dir
        # (folder, name without suffix): a take is named by its project (ProjectService.file_place), not here.
        self._place = place or (lambda task, index: (Path(download_dir()), video_stem(task, index)))
        self._limiter = limiter
        self._backoff = backoff or Backoff()
        self._slots = asyncio.Semaphore(max(1, concurrency))
        self._now = now
        self._retry_scale = retry_scale
        self._active: dict[Key, Download] = {}  # records of running jobs, with their latest progress
        self._jobs: dict[Key, asyncio.Task[None]] = {}
        self._claims = ClaimedPaths()  # the final paths of the running jobs (`_active`), kept in step with it
        self._starting: asyncio.Task[None] | None = None
        self._started = False
        self._stopped = False
        self._size_cap = size_cap
        self._disk_usage = disk_usage
        self._gate = PauseGate(lambda folder, need: probe(folder, need, disk_usage), retry_scale)
        self.fault_count = 0  # tries that failed, for the log and the tests: every one is retried or settled

    # -- life cycle -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Take up what an earlier run left (download_recovery.py); once. Expired links are settled before this
        returns; the rest starts from a background task."""
        if self._started:
            return
        self._started = True
        self._starting = recover_downloads(self._store, self, self._now())

    async def stop(self) -> None:
        """Cancel every job; each writes where it stopped, so the next start resumes its `.part`."""
        self._stopped = True  # a late enqueue waits in the table for the next start, not in a job nobody ends
        jobs = [*self._jobs.values(), *([self._starting] if self._starting is not None else [])]
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)
        await self._gate.stop()

    @property
    def active_count(self) -> int:
        return len(self._jobs)

    # -- for download_recovery --------------------------------------------------------------------------------

    def is_running(self, key: Key) -> bool:
        return key in self._jobs

    def claimed_by_another(self, path: Path, key: Key) -> bool:
        """True when a running job other than `key`'s will write `path`."""
        return self._claims.held_by_another(path, key)

    def free_path(self, local_id: int, url_index: int) -> Path | None:
        """A name for the file that no file and no running job has; None when the task is gone."""
        task = self._store.get(local_id)
        if task is None:
            return None
        return choose_destination(*self.place(task, url_index), self._claims)

    def place(self, task: Task, url_index: int) -> tuple[Path, str]:
        """The folder and the file name (no suffix) a result of `task` is saved under, before clashes."""
        return self._place(task, url_index)

    def has_jobs_for(self, local_id: int) -> bool:
        return any(key[0] == local_id for key in self._jobs)

    def mark(self, record: Download) -> bool:
        """Store a change to a record that is not running (expired, found on disk); False when its task is gone."""
        try:
            self._save(record)
        except _TaskRemoved:
            return False
        return True

    def start_job(self, record: Download) -> bool:
        """Store `record` and run its download; False when its task was removed meanwhile."""
        try:
            self._schedule(self._save(record))
        except _TaskRemoved:
            log.info("task %s was removed before its download started", record.local_id)
            return False
        return True

    def claims_snapshot(self) -> ClaimedPaths:
        """The paths running jobs will write, as a copy a worker thread may read and add to."""
        return self._claims.copy()

    def enqueue_at(self, task: Task, chosen: dict[int, Path]) -> list[Download]:
        """Like enqueue(), with names picked in a worker thread (url index → path), each used unless another
        job took it since."""
        assert task.local_id is not None
        known = {record.url_index: record for record in self._store.downloads.for_task(task.local_id)}
        expires_at = expires_at_for(task, self._now())
        records = []
        for index, url in enumerate(task.result_urls):
            record = known.get(index)
            if record is None or record.url != url:
                path = chosen.get(index)
                if path is None or path in self._claims:
                    path = choose_destination(*self.place(task, index), self._claims)
                record = Download(task.local_id, index, url, path=path, expires_at=expires_at)
                # Written from the writer thread; the job starts by waiting for it (a removed task ends it there).
                self._schedule(record, self._store.downloads.upsert_soon(record))
            elif record.state.is_pending:
                self._schedule(record)
            records.append(self._active.get((task.local_id, index), record))
        return records

    # -- intents ----------------------------------------------------------------------------------------------

    def enqueue(self, task: Task) -> list[Download]:
        """Connect to `TaskRunner.succeeded`: one record per result URL, its final path chosen (and stored) now."""
        if task.local_id is None:
            raise ValueError("enqueue() needs a stored task")
        return self.enqueue_at(task, {})

    @property
    def paused(self) -> DownloadProblem | None:
        """DISK_FULL or NO_PERMISSION while every download waits for the folder; None otherwise."""
        return self._gate.problem

    def redownload(self, task: Task) -> str | None:
        """Fetch again whatever of `task` is not on disk (download_recovery.redownload_missing): None when under
        way or nothing is missing; otherwise a sentence saying why not (the link expired). Paused downloads all
        try again now (if the folder is still unusable, they pause again)."""
        self._gate.resume()
        return redownload_missing(self._store, self, task, self._now())

    def downloads_for(self, local_id: int) -> list[Download]:
        """The task's downloads, with live progress for the ones running."""
        stored = self._store.downloads.for_task(local_id)
        return [self._active.get((d.local_id, d.url_index), d) for d in stored]

    # -- one download -----------------------------------------------------------------------------------------

    def _schedule(self, record: Download, written: Future[Download] | None = None) -> None:
        """Run `record`'s download; `written`: its record is being stored, and the job waits for that first."""
        key = (record.local_id, record.url_index)
        if key in self._jobs or self._stopped:
            return  # stored (or being stored) all the same: the next start takes it up
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # A success heard after the loop stopped (the app quitting; the views hear of a change a turn late): the
            # record is stored, and the next start takes it up, as for a download stopped at exit.
            log.info("download %s: no event loop running, left for the next start", key)
            return
        self._active[key] = record
        if record.path is not None:
            self._claims.claim(record.path, key)
        self._jobs[key] = loop.create_task(self._run(key, written), name=f"download-{key}")

    async def _run(self, key: Key, written: Future[Download] | None = None) -> None:
        attempt = 0
        try:
            if written is not None:
                await self._stored(key, written)
            while True:
                if self._gate.paused:  # waits, not fails: the `.part` stays, the record says why
                    self._park(key, self._gate.problem, str(self._gate.folder))
                    await self._gate.wait()
                    attempt = 0
                record = self._active[key]
                if has_expired(record.expires_at, self._now()):
                    self._save(expired(record), soft=True)
                    return
                fault = await self._try_once(key)
                if fault is None:
                    return
                if fault.pause:
                    self._gate.pause(fault.problem, Path(fault.detail or "."), fault.need)
                    continue
                if not fault.retry:
                    self._give_up(key, fault)
                    return
                attempt += 1
                self.fault_count += 1
                parked = self._park(key, fault.problem, fault.detail)
                delay = min(self._backoff.delay(attempt, fault.retry_after), MAX_RETRY_DELAY_S) * self._retry_scale
                log.info("download %s: retry %d in %.1f s", key, attempt, delay)
                await asyncio.sleep(min(delay, seconds_left(parked.expires_at, self._now())))
        except asyncio.CancelledError:
            self._park_quietly(key)
            raise
        except _TaskRemoved:
            record = self._active[key]
            if record.path is not None:
                discard_unfinished(record.path)
        finally:
            self._jobs.pop(key, None)
            ended = self._active.pop(key, None)
            if ended is not None and ended.path is not None:
                self._claims.release(ended.path, key)

    async def _try_once(self, key: Key) -> Fault | None:
        """One try: None when done, else the fault that stopped it (only cancelling and removal raise)."""
        async with self._slots:
            if self._gate.paused:
                return Fault(self._gate.problem or DownloadProblem.DISK_FULL, str(self._gate.folder), pause=True)
            if self._limiter is not None:
                await self._limiter.acquire()
            try:
                await self._fetch(key)
                return None
            except _TaskRemoved:
                raise
            except Exception as error:
                record = self._active[key]
                folder = record.path.parent if record.path is not None else Path(self._download_dir())
                fault = classify(error, folder)
                if fault.unforeseen or fault.pause:
                    log.warning("download %s: %s (%s)", key, type(error).__name__, fault.problem, exc_info=error)
                if fault.problem == DownloadProblem.TOO_LARGE and record.path is not None:
                    # Nothing over the cap is ever a video to keep: the disk gets its space back now.
                    await asyncio.to_thread(discard_unfinished, record.path)
                return fault

    async def _fetch(self, key: Key) -> None:
        record = self._active[key]
        assert record.path is not None
        final = record.path
        # A stat and a small JSON read, so on the loop: a thread hop per retry would cost more than the check.
        if final.exists() and landed_before(final, record.url, record.local_id):
            log.info("download %s was already in place: %s", key, final.name)
            size = final.stat().st_size
        else:
            staging = staging_path(final)
            # No write here: the stored record keeps the last try's problem until bytes flow (the progress
            # callback shows DOWNLOADING) or the outcome is known, so a row that keeps failing does not flicker.
            if not staging.exists():  # it does when the app stopped between the last byte and the check
                guard = WriteGuard(final.parent, self._size_cap(), self._disk_usage)
                # Before any request: a `.part` already at the cap is not refilled, a full disk not written.
                guard(unfinished_size(final), None)
                await self._client.download(
                    record.url, staging, progress=self._progress(key, guard), expect_content_type_prefix="video/"
                )
            task = self._task(record)
            document = sidecar_document(task, record, downloaded_at=self._now())
            try:
                # The live claims: `land` only asks `in` of them, one atomic lookup each (see ClaimedPaths).
                final, size = await asyncio.to_thread(land, staging, final, document, self._claims)
            except NotAVideoError:
                await asyncio.to_thread(discard_unfinished, final)  # unlinking a large file takes a while
                raise
        task = self._task(record)
        landed = dict(path=final, state=DownloadState.DONE, bytes_done=size, bytes_total=size)
        done = await self._save_soon(self._active[key].with_(**landed, problem=None, problem_detail=None))
        log.info("download %s landed as %s (%d bytes)", key, final.name, size)
        self.file_ready.emit(task, done.path)

    def _progress(self, key: Key, guard: WriteGuard) -> Callable[[int, int | None], None]:
        """Called for every chunk: the guard (cap, free space), then a clock read unless a signal is due."""
        last = -math.inf

        def progress(done: int, total: int | None) -> None:
            nonlocal last
            guard(done, total)
            moment = time.monotonic()
            if moment - last < PROGRESS_INTERVAL_S and (total is None or done < total):
                return
            last = moment
            record = self._active.get(key)
            if record is not None:
                moving = dict(state=DownloadState.DOWNLOADING, bytes_done=done, bytes_total=total)
                record = self._active[key] = record.with_(**moving, problem=None, problem_detail=None)
                self.download_changed.emit(record)

        return progress
