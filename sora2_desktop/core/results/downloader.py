"""ResultDownloader: saves every result video of a finished task into the download folder, resumably, checked."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from sora2_desktop.api import ApiError, RateLimitedError
from sora2_desktop.api.client import ApixoClient
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.expiry import RESULT_URL_TTL, expired_message, expires_at_for, has_expired
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

Key = tuple[int, int]  # (local id of the task, url index): one result file
PROGRESS_INTERVAL_S = 0.1  # at most ~10 progress signals a second per download: enough for a smooth bar
# start() hands names and sizes to a worker thread this many at a time; the loop runs (and paints) between
# batches, and starting a batch of jobs holds it for ~0.75 ms a task here.
START_BATCH = 50
# The CDN answers 401/403/404/410 for a link past its 15 days; before that date they are a plain failure.
_GONE_STATUSES = (401, 403, 404, 410)
_RESUMABLE = (DownloadState.PENDING, DownloadState.DOWNLOADING, DownloadState.FAILED)
_EXPIRED = DownloadState.EXPIRED


_UNEXPECTED_RETRIES = 3


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _TaskRemoved(Exception):
    """The task was deleted while its video was downloading: the record went with it (foreign key cascade)."""


class ResultDownloader(QObject):
    """One job per result file, at most `concurrency` fetching at once. Retryable faults back off and retry until
    the link expires; every change is written to the `downloads` table first, so a restart resumes the `.part`.

    `download_changed(Download)` fires on every state change and, throttled, on progress; `file_ready(Task, Path)`
    when a checked video is in place under its final name."""

    download_changed = Signal(object)  # Download
    file_ready = Signal(object, object)  # Task, Path

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
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._client = client
        self._download_dir = download_dir
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

    # -- life cycle -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Resume what an earlier run left: unfinished and failed downloads whose link still lives, and successes
        that never got their download records (an app from before the downloader, or a stop between the two
        writes). A finished download whose file was deleted is left alone: fetching it again is the person's call
        (`redownload`).

        Results whose link has already expired (a long history) are recorded EXPIRED here, all in one
        transaction and without a `download_changed` each: they are in the store for whoever reads it (the task
        list loads its notes from there). Everything that needs the disk (names, `.part` sizes) is looked up in a
        worker thread afterwards, a batch at a time, and those downloads start as their batch comes back."""
        if self._started:
            return
        self._started = True
        now = self._now()
        settled: list[Download] = []
        # Loaded as bare links (no request, no Task): an old history has thousands of these.
        for result in self._store.results_without_downloads(completed_by=now - RESULT_URL_TTL):
            expires_at = result.completed_at + RESULT_URL_TTL
            error = expired_message(expires_at)
            for index, url in enumerate(result.result_urls):
                settled.append(Download(result.local_id, index, url, None, 0, None, _EXPIRED, expires_at, error))
        resumed: list[Download] = []
        for record in self._store.downloads_in(_RESUMABLE):
            if has_expired(record.expires_at, now):
                settled.append(record.with_(state=_EXPIRED, error=expired_message(record.expires_at)))
            else:
                resumed.append(record)
        if settled:
            # One transaction. Nothing else writes between the reads above and this (one thread), so every
            # task is still there.
            self._store.upsert_downloads(settled)
            log.info("%d result link(s) had expired before their video was saved", len(settled))
        # What is left without records is younger than 15 days: few, so whole Tasks (their names need them).
        fresh = self._store.succeeded_without_downloads()
        if fresh or resumed:
            self._starting = asyncio.get_running_loop().create_task(
                self._start_jobs(resumed, fresh), name="downloads-start"
            )

    async def _start_jobs(self, resumed: list[Download], fresh: list[Task]) -> None:
        try:
            for begin in range(0, len(resumed), START_BATCH):
                records = resumed[begin : begin + START_BATCH]
                # The database's byte count lags (progress is not written per chunk); the disk knows.
                sizes = await asyncio.to_thread(_sizes_on_disk, [record.path for record in records])
                for record, size in zip(records, sizes, strict=True):
                    self._resume(record, size)
            for begin in range(0, len(fresh), START_BATCH):
                tasks = fresh[begin : begin + START_BATCH]
                stems = [video_stem(task, index) for task in tasks for index in range(len(task.result_urls))]
                # Names are picked against a snapshot of the claims; _enqueue checks each again on the loop.
                paths = iter(
                    await asyncio.to_thread(_choose_all, Path(self._download_dir()), stems, self._claims.copy())
                )
                for task in tasks:
                    self._enqueue(task, {index: next(paths) for index in range(len(task.result_urls))})
        except asyncio.CancelledError:
            raise
        except Exception:
            # One bad folder must not stop the app; what was not started here is picked up by the next start.
            log.exception("resuming downloads at start failed")
        finally:
            self._starting = None

    def _resume(self, record: Download, size: int) -> None:
        key = (record.local_id, record.url_index)
        if key in self._jobs:
            return  # started meanwhile (the person asked to download it again)
        path = record.path
        if path is None or self._claimed(path, key):
            owner = self._store.get(record.local_id)
            if owner is None:
                return
            path = self._destination(owner, record.url_index)
            size = unfinished_size(path)
        try:
            self._schedule(self._save(record.with_(path=path, bytes_done=size)))
        except _TaskRemoved:
            log.info("task %s was removed before its download resumed", record.local_id)

    async def stop(self) -> None:
        """Cancel every job; each writes where it stopped, so the next start resumes its `.part`."""
        jobs: list[asyncio.Task[None]] = list(self._jobs.values())
        if self._starting is not None:
            jobs.append(self._starting)
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)

    @property
    def active_count(self) -> int:
        return len(self._jobs)

    # -- intents ----------------------------------------------------------------------------------------------

    def enqueue(self, task: Task) -> list[Download]:
        """Connect to `TaskRunner.succeeded`: one record per result URL, its final path chosen (and stored) now."""
        if task.local_id is None:
            raise ValueError("enqueue() needs a stored task")
        return self._enqueue(task, {})

    def _enqueue(self, task: Task, chosen: dict[int, Path]) -> list[Download]:
        """`chosen`: names picked in a worker thread (url index → path); used unless another job took one since."""
        assert task.local_id is not None
        known = {record.url_index: record for record in self._store.downloads_for(task.local_id)}
        expires_at = expires_at_for(task, self._now())
        records = []
        for index, url in enumerate(task.result_urls):
            record = known.get(index)
            if record is None or record.url != url:
                path = chosen.get(index)
                if path is None or path in self._claims:
                    path = self._destination(task, index)
                try:
                    record = self._save(Download(task.local_id, index, url, path=path, expires_at=expires_at))
                except _TaskRemoved:
                    log.info("task %s was removed before its downloads began", task.local_id)
                    return []
            if record.state.is_pending:
                self._schedule(record)
            records.append(self._active.get((task.local_id, index), record))
        return records

    def redownload(self, task: Task) -> str | None:
        """Fetch again whatever of `task` is not on disk (deleted, failed). None when under way or nothing is
        missing; otherwise a sentence saying why not (the link expired)."""
        if task.local_id is None:
            raise ValueError("redownload() needs a stored task")
        records = self._store.downloads_for(task.local_id)
        if not records:
            records = self.enqueue(task)
            if not records:
                return self.tr("This task has no result to download.")
        reasons = []
        for record in records:
            key = (record.local_id, record.url_index)
            if key in self._jobs:
                continue
            if record.state == DownloadState.DONE and record.path is not None and record.path.exists():
                continue
            if has_expired(record.expires_at, self._now()):
                message = expired_message(record.expires_at)
                if record.state != DownloadState.EXPIRED or record.error != message:
                    self._save(record.with_(state=DownloadState.EXPIRED, error=message))
                reasons.append(message)
                continue
            path = record.path
            if path is not None and path.exists() and landed_before(path, record.url, record.local_id):
                # The app stopped between the rename and the database write: the file is there after all.
                size = path.stat().st_size
                self._save(record.with_(state=DownloadState.DONE, bytes_done=size, bytes_total=size, error=None))
                continue
            if path is None or path.exists() or self._claimed(path, key):
                task_now = self._store.get(task.local_id) or task
                path = self._destination(task_now, record.url_index)
            fresh = record.with_(
                path=path, state=DownloadState.PENDING, bytes_done=unfinished_size(path), bytes_total=None, error=None
            )
            self._schedule(self._save(fresh))
        if reasons and not any(key[0] == task.local_id for key in self._jobs):
            return reasons[0]
        return None

    def downloads_for(self, local_id: int) -> list[Download]:
        """The task's downloads, with live progress for the ones running."""
        stored = self._store.downloads_for(local_id)
        return [self._active.get((d.local_id, d.url_index), d) for d in stored]

    # -- one download -----------------------------------------------------------------------------------------

    def _schedule(self, record: Download) -> None:
        key = (record.local_id, record.url_index)
        if key in self._jobs:
            return
        self._active[key] = record
        if record.path is not None:
            self._claims.claim(record.path, key)
        self._jobs[key] = asyncio.get_running_loop().create_task(self._run(key), name=f"download-{key}")

    async def _run(self, key: Key) -> None:
        attempt = 0
        unexpected = 0
        try:
            while True:
                record = self._active[key]
                if has_expired(record.expires_at, self._now()):
                    self._save(record.with_(state=DownloadState.EXPIRED, error=expired_message(record.expires_at)))
                    return
                retry_after: float | None = None
                async with self._slots:
                    if self._limiter is not None:
                        await self._limiter.acquire()
                    try:
                        await self._fetch(key)
                        return
                    except NotAVideoError:
                        self._fail(key, self.tr("The service sent something that is not an MP4 video."))
                        return
                    except (ConnectionError, TimeoutError):
                        # Socket faults are OSErrors too, but unlike a full disk they pass on their own.
                        note = self.tr("The connection to the file server broke; the download will resume.")
                    except RateLimitedError as error:
                        retry_after, note = error.retry_after, error.user_message
                    except ApiError as error:
                        if not error.retryable:
                            self._give_up(key, error)
                            return
                        note = error.user_message
                    except (ExceptionGroup, RuntimeError) as error:
                        # A fault inside the HTTP stack that is no file or network error (seen: anyio's
                        # connect losing its event loop). A few retries cost little; then it is a failure.
                        unexpected += 1
                        if unexpected > _UNEXPECTED_RETRIES:
                            raise
                        log.warning("download %s: unexpected %s, retrying", key, type(error).__name__)
                        note = self.tr("The download was interrupted; it will resume.")
                    except OSError as error:
                        # The folder is gone, read-only or full: no retry by itself; the next start or
                        # the person's "download again" tries once more.
                        folder = record.path.parent if record.path else Path(self._download_dir())
                        self._fail(
                            key,
                            self.tr("Could not save the video in {0}: {1}").format(
                                folder, error.strerror or type(error).__name__
                            ),
                        )
                        return
                attempt += 1
                parked = self._park(key, note)
                delay = self._backoff.delay(attempt, retry_after) * self._retry_scale
                log.info("download %s: retry %d in %.1f s", key, attempt, delay)
                await asyncio.sleep(min(delay, self._seconds_left(parked)))
        except asyncio.CancelledError:
            self._park_quietly(key)
            raise
        except _TaskRemoved:
            record = self._active[key]
            if record.path is not None:
                discard_unfinished(record.path)
        except Exception:
            log.exception("download %s failed unexpectedly", key)
            with contextlib.suppress(sqlite3.Error, _TaskRemoved):
                self._fail(key, self.tr("The download stopped on an unexpected error; try downloading it again."))
        finally:
            self._jobs.pop(key, None)
            ended = self._active.pop(key, None)
            if ended is not None and ended.path is not None:
                self._claims.release(ended.path, key)

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
            # No write here: the stored record keeps the last try's note until bytes flow (the progress
            # callback shows DOWNLOADING) or the outcome is known, so a row that keeps failing does not flicker.
            if not staging.exists():  # it does when the app stopped between the last byte and the check
                await self._client.download(
                    record.url, staging, progress=self._progress(key), expect_content_type_prefix="video/"
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
        done = self._save(
            self._active[key].with_(path=final, state=DownloadState.DONE, bytes_done=size, bytes_total=size, error=None)
        )
        log.info("download %s landed as %s (%d bytes)", key, final.name, size)
        self.file_ready.emit(task, done.path)

    def _progress(self, key: Key) -> Callable[[int, int | None], None]:
        """Called for every chunk: keeps to a clock read and a comparison unless a signal is due."""
        last = -math.inf

        def progress(done: int, total: int | None) -> None:
            nonlocal last
            moment = time.monotonic()
            if moment - last < PROGRESS_INTERVAL_S and (total is None or done < total):
                return
            last = moment
            record = self._active.get(key)
            if record is not None:
                record = self._active[key] = record.with_(
                    state=DownloadState.DOWNLOADING, bytes_done=done, bytes_total=total, error=None
                )
                self.download_changed.emit(record)

        return progress

    # -- bookkeeping ------------------------------------------------------------------------------------------

    def _give_up(self, key: Key, error: ApiError) -> None:
        record = self._active[key]
        if error.status_code in _GONE_STATUSES and has_expired(record.expires_at, self._now()):
            self._save(record.with_(state=DownloadState.EXPIRED, error=expired_message(record.expires_at)))
        else:
            self._fail(key, error.user_message)

    def _fail(self, key: Key, message: str) -> None:
        record = self._active[key]
        self._save(record.with_(state=DownloadState.FAILED, bytes_done=self._size_on_disk(record), error=message))

    def _park(self, key: Key, note: str | None) -> Download:
        """Between tries: the record says how far it got and, in `error`, why it waits."""
        record = self._active[key]
        done = self._size_on_disk(record)
        state = DownloadState.DOWNLOADING if done else DownloadState.PENDING
        return self._save(record.with_(state=state, bytes_done=done, error=note))

    def _park_quietly(self, key: Key) -> None:
        record = self._active.get(key)
        if record is None or not record.state.is_pending:
            return
        try:
            self._park(key, record.error)
        except (sqlite3.Error, _TaskRemoved):
            # Quitting with the store already closed: the `.part` on disk is what the next start resumes from.
            log.debug("download %s: could not record where it stopped", key)

    def _save(self, record: Download) -> Download:
        try:
            self._store.upsert_download(record)
        except sqlite3.IntegrityError:
            raise _TaskRemoved from None
        key = (record.local_id, record.url_index)
        running = self._active.get(key)
        if running is not None:
            if running.path != record.path:
                if running.path is not None:
                    self._claims.release(running.path, key)
                if record.path is not None:
                    self._claims.claim(record.path, key)
            self._active[key] = record
        self.download_changed.emit(record)
        return record

    def _task(self, record: Download) -> Task:
        task = self._store.get(record.local_id)
        if task is None:
            raise _TaskRemoved
        return task

    def _destination(self, task: Task, url_index: int) -> Path:
        folder = Path(self._download_dir())
        return choose_destination(folder, video_stem(task, url_index), self._claims)

    def _claimed(self, path: Path, exclude: Key) -> bool:
        """True when a running job other than `exclude` will write `path`."""
        owner = self._claims.owner(path)
        return owner is not None and owner != exclude

    def _seconds_left(self, record: Download) -> float:
        if record.expires_at is None:
            return math.inf
        return max(0.0, (record.expires_at - self._now()).total_seconds())

    @staticmethod
    def _size_on_disk(record: Download) -> int:
        return unfinished_size(record.path) if record.path is not None else 0


def _sizes_on_disk(paths: list[Path | None]) -> list[int]:
    """Blocking (two stats each): run in a worker thread."""
    return [0 if path is None else unfinished_size(path) for path in paths]


def _choose_all(folder: Path, stems: list[str], taken: ClaimedPaths) -> list[Path]:
    """Blocking (a few stats per name): a free path per stem, none equal to another; `taken` is a private copy."""
    chosen = []
    for stem in stems:
        path = choose_destination(folder, stem, taken)
        taken.claim(path, None)
        chosen.append(path)
    return chosen
