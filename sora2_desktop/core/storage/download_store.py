"""DownloadStore: the `downloads` table, one row per result file of a task: where it goes and how far it got."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import NamedTuple

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.storage.database import Database
from sora2_desktop.core.storage.task_rows import (
    DOWNLOAD_COLUMNS,
    TASK_COLUMNS,
    download_from_row,
    download_values,
    task_from_row,
    to_text,
)
from sora2_desktop.core.tasks.task import Task, TaskPhase

_UPSERT = (
    f"INSERT INTO downloads ({', '.join(DOWNLOAD_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(DOWNLOAD_COLUMNS))}) "
    "ON CONFLICT (task_row_id, url_index) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in DOWNLOAD_COLUMNS[2:])
)
_SELECT = f"SELECT {', '.join(DOWNLOAD_COLUMNS)} FROM downloads"
_PENDING = tuple(str(state) for state in DownloadState if state.is_pending)


class FinishedResult(NamedTuple):
    """A successful task's result links and when the service finished it; the rest of its row is not loaded."""

    local_id: int
    result_urls: tuple[str, ...]
    completed_at: datetime


def _key(local_id: int) -> tuple[str, int]:
    return ("downloads", local_id)


class DownloadStore:
    """Reads and writes download records on the task store's connection (TaskStore.downloads); a record's task
    must exist (foreign key) and takes its records with it when removed."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def upsert(self, download: Download) -> Download:
        """Write one record, new or changed. Raises sqlite3.IntegrityError if its task no longer exists."""
        self._db.execute(_UPSERT, download_values(download))
        return download

    def upsert_soon(self, download: Download) -> Future[Download]:
        """`upsert` from the database's writer thread (Database.post), for a coroutine to await. Its Future raises
        sqlite3.IntegrityError if the task no longer exists. `for_task` waits for it (the task's records as
        written); the other reads do not."""
        return self._db.post(_UPSERT, download_values(download), lambda rows: download, key=_key(download.local_id))

    def upsert_many(self, downloads: Sequence[Download]) -> int:
        """Write many records in one transaction (all or none); return how many were written.

        For bulk changes such as the expired results of an old history at start-up: one commit instead of one
        per row. Raises sqlite3.IntegrityError (nothing written) if any record's task no longer exists."""
        if not downloads:
            return 0
        with self._db.transaction():
            self._db.executemany(_UPSERT, [download_values(download) for download in downloads])
        return len(downloads)

    def for_task(self, local_id: int) -> list[Download]:
        self._db.drain_key(_key(local_id))
        rows = self._db.execute(f"{_SELECT} WHERE task_row_id = ? ORDER BY url_index", (local_id,))
        return [download_from_row(row) for row in rows]

    def pending(self) -> list[Download]:
        """Downloads not started or cut short (e.g. by a restart), in task order."""
        return self.in_states(DownloadState(state) for state in _PENDING)

    def in_states(self, states: Iterable[DownloadState]) -> list[Download]:
        """Downloads in any of `states`, in task order (the downloader also retries FAILED ones at start)."""
        wanted = [str(state) for state in states]
        marks = ", ".join("?" * len(wanted))
        query = f"{_SELECT} WHERE state IN ({marks}) ORDER BY task_row_id, url_index"
        return [download_from_row(row) for row in self._db.execute(query, wanted)]

    def all_in_worker_thread(self) -> list[Download]:
        """Every record, in task order, read on the calling worker thread's own connection (the history's, at
        start-up: thousands of rows)."""
        return self._db.read_in_worker_thread(
            f"{_SELECT} ORDER BY task_row_id, url_index", (), lambda rows: [download_from_row(row) for row in rows]
        )

    def results_without_records(self, completed_by: datetime) -> list[FinishedResult]:
        """The result links of successful tasks completed at or before `completed_by` that have no download
        record, without the rest of their rows: cheap to load by the thousand (an old history whose links have
        expired, marked EXPIRED in bulk at start-up)."""
        query = (
            "SELECT id, result_urls, completed_at FROM tasks WHERE phase = ? AND result_urls != '' "
            "AND completed_at IS NOT NULL AND completed_at <= ? "
            "AND id NOT IN (SELECT task_row_id FROM downloads) ORDER BY id"
        )
        # Times are fixed-width UTC text (task_rows), so text order is time order.
        rows = self._db.execute(query, (str(TaskPhase.SUCCESS), to_text(completed_by)))
        iso = datetime.fromisoformat
        return [FinishedResult(row[0], tuple(row[1].split("\n")), iso(row[2])) for row in rows]

    def succeeded_without_records(self) -> list[Task]:
        """Successful tasks with results but no download record: the app stopped between the two writes."""
        query = (
            f"SELECT {', '.join(TASK_COLUMNS)} FROM tasks WHERE phase = ? AND result_urls != '' "
            "AND id NOT IN (SELECT task_row_id FROM downloads) ORDER BY id"
        )
        requests: dict[str, GenerationRequest] = {}
        return [task_from_row(row, requests) for row in self._db.execute(query, (str(TaskPhase.SUCCESS),))]
