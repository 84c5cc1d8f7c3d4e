"""DownloadSaves: the ResultDownloader's writes of its records (and the state each one settles), kept apart so the
downloader's file stays readable; a landed file's record is written from the database's writer thread."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from concurrent.futures import Future
from typing import TYPE_CHECKING

from sora2_desktop.core.results.download_faults import Fault
from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.results.expiry import expired, has_expired
from sora2_desktop.core.results.files import ClaimedPaths, unfinished_size
from sora2_desktop.core.tasks.task import Task

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from PySide6.QtCore import SignalInstance

    from sora2_desktop.core.storage.task_store import TaskStore

log = logging.getLogger("sora2_desktop.core.results.downloader")

Key = tuple[int, int]  # (local id of the task, url index): one result file


class TaskRemoved(Exception):
    """The task was deleted while its video was downloading: the record went with it (foreign key cascade)."""


class DownloadSaves:
    """Mixed into ResultDownloader, which owns the state below."""

    if TYPE_CHECKING:
        _store: TaskStore
        _now: Callable[[], datetime]
        _active: dict[Key, Download]
        _claims: ClaimedPaths
        download_changed: SignalInstance

    def _give_up(self, key: Key, fault: Fault) -> None:
        record = self._active[key]
        # The file server answers 401/403/404/410 for a link past its 15 days; before that date they are a plain
        # failure.
        if fault.problem == DownloadProblem.GONE and has_expired(record.expires_at, self._now()):
            self._save(expired(record), soft=True)
        else:
            self._fail(key, fault.problem, fault.detail)

    def _fail(self, key: Key, problem: DownloadProblem, detail: str | None = None) -> None:
        record = self._active[key]
        done = unfinished_size(record.path) if record.path is not None else 0
        failed = record.with_(state=DownloadState.FAILED, bytes_done=done, problem=problem, problem_detail=detail)
        self._save(failed, soft=True)  # a database that cannot be written must not end the job unseen

    def _park(self, key: Key, problem: DownloadProblem | None, detail: str | None) -> Download:
        """Between tries: the record says how far it got and, in `problem`, why it waits."""
        record = self._active[key]
        done = unfinished_size(record.path) if record.path is not None else 0
        state = DownloadState.DOWNLOADING if done else DownloadState.PENDING
        changed = record.with_(state=state, bytes_done=done, problem=problem, problem_detail=detail)
        return self._save(changed, soft=True)

    def _park_quietly(self, key: Key) -> None:
        record = self._active.get(key)
        if record is None or not record.state.is_pending:
            return
        try:
            self._park(key, record.problem, record.problem_detail)
        except (sqlite3.Error, TaskRemoved):
            # Quitting with the store already closed: the `.part` on disk is what the next start resumes from.
            log.debug("download %s: could not record where it stopped", key)

    def _save(self, record: Download, *, soft: bool = False) -> Download:
        """Write `record`, then tell. `soft`: a failed write (a full disk) is logged, the change still shown."""
        record = _current(record)
        try:
            self._store.downloads.upsert(record)
        except sqlite3.IntegrityError:
            raise TaskRemoved from None
        except sqlite3.Error:
            if not soft:
                raise
            log.warning("download %s: could not record its state", (record.local_id, record.url_index))
        self._hold(record)
        self.download_changed.emit(record)
        return record

    async def _save_soon(self, record: Download) -> Download:
        """`_save` with the write made from the database's writer thread while the loop goes on (a busy disk can
        hold a write for a second). The downloader holds the record at once (a quit meanwhile does not park a
        landed file as unfinished); it is told once written."""
        record = _current(record)
        self._hold(record)
        try:
            await asyncio.wrap_future(self._store.downloads.upsert_soon(record))
        except sqlite3.IntegrityError:
            raise TaskRemoved from None
        self.download_changed.emit(record)
        return record

    async def _stored(self, key: Key, written: Future[Download]) -> None:
        """Wait for a record posted to the writer thread, then tell it."""
        try:
            record = await asyncio.wrap_future(written)
        except sqlite3.IntegrityError:
            log.info("task %s was removed before its downloads began", key[0])
            raise TaskRemoved from None
        self.download_changed.emit(record)

    def _hold(self, record: Download) -> None:
        key = (record.local_id, record.url_index)
        if key in self._active:
            self._claims.move(key, self._active[key].path, record.path)
            self._active[key] = record

    def _task(self, record: Download) -> Task:
        task = self._store.get(record.local_id)
        if task is None:
            raise TaskRemoved
        return task


def _current(record: Download) -> Download:
    if record.legacy_error is not None:
        return record.with_(legacy_error=None)  # an older version's words: what is written now is newer
    return record
