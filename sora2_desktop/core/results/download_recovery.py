"""Download recovery: gets result files back. At start-up, what an earlier run left (cut-short, failed and
never-started downloads, links that ran out meanwhile) without holding up the first paint; on request, what went
missing from disk."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.results.download_wording import download_problem_text
from sora2_desktop.core.results.expiry import expired, has_expired, sweep_expired
from sora2_desktop.core.results.files import (
    ClaimedPaths,
    choose_destination,
    landed_before,
    unfinished_size,
)
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task

if TYPE_CHECKING:
    from sora2_desktop.core.results.downloader import ResultDownloader

log = logging.getLogger(__name__)

# Names and sizes go to a worker thread this many at a time; the loop runs (and paints) between batches, and
# starting a batch of jobs holds it for ~0.75 ms a task here.
START_BATCH = 50


def recover_downloads(store: TaskStore, downloader: ResultDownloader, now: datetime) -> asyncio.Task[None] | None:
    """Resume unfinished and failed downloads whose link still lives, and fetch the successes that never got
    their download records (an app from before the downloader, or a stop between the two writes). A finished
    download whose file was deleted is left alone: fetching it again is the person's call (`redownload`).

    Expired links are recorded here, in one transaction and without a `download_changed` each: they are in
    the store for whoever reads it (the task list loads its notes from there). Everything that needs the disk
    (names, `.part` sizes) is looked up in a worker thread afterwards, a batch at a time, by the returned task;
    those downloads start as their batch comes back. None when there is nothing to take up."""
    # A download stopped at the size cap is not taken up again: that would fill the disk to the cap once more.
    resumed = [record for record in sweep_expired(store.downloads, now) if record.problem != DownloadProblem.TOO_LARGE]
    # What is left without records is younger than 15 days: few, so whole Tasks (their names need them).
    fresh = store.downloads.succeeded_without_records()
    if not fresh and not resumed:
        return None
    job = _start_jobs(downloader, resumed, fresh)
    return asyncio.get_running_loop().create_task(job, name="downloads-start")


async def _start_jobs(downloader: ResultDownloader, resumed: list[Download], fresh: list[Task]) -> None:
    try:
        for begin in range(0, len(resumed), START_BATCH):
            records = resumed[begin : begin + START_BATCH]
            # The database's byte count lags (progress is not written per chunk); the disk knows.
            sizes = await asyncio.to_thread(_sizes_on_disk, [record.path for record in records])
            for record, size in zip(records, sizes, strict=True):
                _resume(downloader, record, size)
        for begin in range(0, len(fresh), START_BATCH):
            tasks = fresh[begin : begin + START_BATCH]
            # Folder and name of each (on the loop: a take's name reads its shot and project from the database).
            places = [downloader.place(task, index) for task in tasks for index in range(len(task.result_urls))]
            # Names are picked against a snapshot of the claims; the downloader checks each again on the loop.
            claims = downloader.claims_snapshot()
            paths = iter(await asyncio.to_thread(_choose_all, places, claims))
            for task in tasks:
                downloader.enqueue_at(task, {index: next(paths) for index in range(len(task.result_urls))})
    except asyncio.CancelledError:
        raise
    except Exception:
        # One bad folder must not stop the app; what was not started here is picked up by the next start.
        log.exception("resuming downloads at start failed")


def redownload_missing(store: TaskStore, downloader: ResultDownloader, task: Task, now: datetime) -> str | None:
    """Fetch again whatever of `task` is not on disk (deleted, failed). None when under way or nothing is
    missing; otherwise a sentence saying why not (the link expired)."""
    if task.local_id is None:
        raise ValueError("redownload() needs a stored task")
    records = store.downloads.for_task(task.local_id)
    if not records:
        records = downloader.enqueue(task)
        if not records:
            return QCoreApplication.translate("ResultDownloader", "This task has no result to download.")
    reasons = []
    for record in records:
        key = (record.local_id, record.url_index)
        if downloader.is_running(key):
            continue
        path = record.path
        if record.state == DownloadState.DONE and path is not None and path.exists():
            continue
        if has_expired(record.expires_at, now):
            settled = expired(record)
            if settled == record or downloader.mark(settled):
                reasons.append(download_problem_text(settled) or "")
            continue
        if path is not None and path.exists() and landed_before(path, record.url, record.local_id):
            # The app stopped between the rename and the database write: the file is there after all.
            size = path.stat().st_size
            downloader.mark(
                record.with_(
                    state=DownloadState.DONE, bytes_done=size, bytes_total=size, problem=None, problem_detail=None
                )
            )
            continue
        if path is None or path.exists() or downloader.claimed_by_another(path, key):
            path = downloader.free_path(record.local_id, record.url_index)
            if path is None:
                return None  # removed meanwhile: nothing left to fetch
        state, size = DownloadState.PENDING, unfinished_size(path)
        downloader.start_job(
            record.with_(path=path, state=state, bytes_done=size, bytes_total=None, problem=None, problem_detail=None)
        )
    if reasons and not downloader.has_jobs_for(task.local_id):
        return reasons[0]
    return None


def _resume(downloader: ResultDownloader, record: Download, size: int) -> None:
    """Start a stored record's job again, under a new name if it has none or a running job has taken it."""
    key = (record.local_id, record.url_index)
    if downloader.is_running(key):
        return  # started meanwhile (the person asked to download it again)
    path = record.path
    if path is None or downloader.claimed_by_another(path, key):
        path = downloader.free_path(record.local_id, record.url_index)
        if path is None:
            return  # the task was removed meanwhile
        size = unfinished_size(path)
    downloader.start_job(record.with_(path=path, bytes_done=size))


def _sizes_on_disk(paths: list[Path | None]) -> list[int]:
    """Blocking (two stats each): run in a worker thread."""
    return [0 if path is None else unfinished_size(path) for path in paths]


def _choose_all(places: list[tuple[Path, str]], taken: ClaimedPaths) -> list[Path]:
    """Blocking (a few stats per name): a free path per (folder, stem), none equal to another; `taken` is a
    private copy."""
    chosen = []
    for folder, stem in places:
        path = choose_destination(folder, stem, taken)
        taken.claim(path, None)
        chosen.append(path)
    return chosen
