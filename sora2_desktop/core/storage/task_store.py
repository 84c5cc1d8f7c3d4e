"""TaskStore: SQLite, the source of truth for every task and its downloads; survives crashes and restarts."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.storage.task_rows import (
    DOWNLOAD_COLUMNS,
    TASK_COLUMNS,
    download_from_row,
    download_values,
    task_from_row,
    task_values,
    to_text,
)
from sora2_desktop.core.tasks.task import Task, TaskPhase

log = logging.getLogger(__name__)

# Each script moves the schema one version up; user_version counts the scripts applied. Never edit a shipped
# script: append a new one (ALTER TABLE … ADD COLUMN, CREATE TABLE …) so every older database can follow.
# Times are UTC ISO 8601 text with microseconds; task_rows says why.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
    CREATE TABLE tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a removed task's id is never given to another
        request_json TEXT NOT NULL,           -- GenerationRequest.to_dict()
        phase TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        batch_id TEXT,
        task_id TEXT,                         -- the service's taskId
        submitted_at TEXT,
        next_poll_at TEXT,
        polls INTEGER NOT NULL DEFAULT 0,
        raw_state TEXT,
        result_urls TEXT NOT NULL DEFAULT '',  -- one per line
        fail_code TEXT,
        fail_message TEXT,
        error_message TEXT,
        service_created_at TEXT,
        completed_at TEXT,
        cost_time_ms INTEGER
    );
    CREATE INDEX tasks_phase ON tasks (phase);
    CREATE INDEX tasks_created_at ON tasks (created_at);
    CREATE INDEX tasks_task_id ON tasks (task_id) WHERE task_id IS NOT NULL;
    CREATE TABLE downloads (
        task_row_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        url_index INTEGER NOT NULL,
        url TEXT NOT NULL,
        path TEXT,
        bytes_done INTEGER NOT NULL DEFAULT 0,
        bytes_total INTEGER,
        state TEXT NOT NULL,
        expires_at TEXT,
        error TEXT,
        PRIMARY KEY (task_row_id, url_index)
    );
    CREATE INDEX downloads_state ON downloads (state);
    """,
]

UNFINISHED_PHASES = (
    TaskPhase.QUEUED,
    TaskPhase.SUBMITTING,
    TaskPhase.PENDING,
    TaskPhase.PROCESSING,
    TaskPhase.UNKNOWN,
)


def submit_lost_message() -> str:
    """What a person reads on a task whose submit answer was lost (SUBMIT_UNKNOWN after a crash)."""
    return QCoreApplication.translate(
        "TaskStore",
        "The app stopped before the service confirmed this task, so it may or may not have been created "
        "(and charged). It was not sent again: check your APIXO dashboard before submitting it once more.",
    )


_SELECT_TASKS = f"SELECT {', '.join(TASK_COLUMNS)} FROM tasks"
_INSERT_TASK = f"INSERT INTO tasks ({', '.join(TASK_COLUMNS)}) VALUES ({', '.join('?' * len(TASK_COLUMNS))})"
_UPDATE_TASK = f"UPDATE tasks SET {', '.join(f'{column} = ?' for column in TASK_COLUMNS[1:])} WHERE id = ?"
_UPSERT_DOWNLOAD = (
    f"INSERT INTO downloads ({', '.join(DOWNLOAD_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(DOWNLOAD_COLUMNS))}) "
    "ON CONFLICT (task_row_id, url_index) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in DOWNLOAD_COLUMNS[2:])
)
_SELECT_DOWNLOADS = f"SELECT {', '.join(DOWNLOAD_COLUMNS)} FROM downloads"


class FinishedResult(NamedTuple):
    """A successful task's result links and when the service finished it; the rest of its row is not loaded."""

    local_id: int
    result_urls: tuple[str, ...]
    completed_at: datetime


class NewerDatabaseError(RuntimeError):
    """The database was written by a newer version of the app; opening it here could damage it."""


def migrate(connection: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Apply the scripts the database has not seen yet, each in its own transaction; return the version."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > len(migrations):
        raise NewerDatabaseError(
            f"The task database is from a newer version of Sora 2 Desktop (schema {version}, this app "
            f"knows {len(migrations)}). Update the app, or start it with another --profile."
        )
    for number, script in enumerate(migrations[version:], start=version + 1):
        # executescript cannot join an open transaction, so the script carries its own BEGIN/COMMIT; the
        # version bump is inside it, so a crash leaves either the old schema or the new one, never half.
        try:
            connection.executescript(
                f"BEGIN IMMEDIATE;\n{script}\n"
                f"INSERT INTO schema_migrations VALUES ({number}, '{to_text(_now())}');\n"
                f"PRAGMA user_version = {number};\nCOMMIT;"
            )
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        log.info("task database migrated to schema %d", number)
        version = number
    return version


class TaskStore:
    """One connection, autocommit: every write is one small transaction, so a crash loses nothing committed.

    Use it from the thread that opened it (the Qt/asyncio thread): writes are single rows in WAL mode with
    synchronous=NORMAL, a fraction of a millisecond, and loads are one query."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._closed = False
        # isolation_level=None: the sqlite3 module opens no hidden transactions; ours are explicit.
        self._db = sqlite3.connect(self.path, isolation_level=None)
        mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal" and self.path != ":memory:":
            log.warning("task database is not in WAL mode (%s); readers may wait on writers", mode)
        # NORMAL is durable in WAL mode except for the last commits before a power cut (not an app crash).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        # Another connection (a second instance, a test, a benchmark) may hold the write lock briefly.
        self._db.execute("PRAGMA busy_timeout=5000")
        self.schema_version = migrate(self._db)

    def stop_automatic_checkpoints(self) -> None:
        """The app checkpoints from a worker (`checkpoint_in_worker`): an automatic checkpoint runs inside the
        commit that crosses 1,000 pages, on the GUI thread, and took up to 49 ms there (benchmarks/README.md)."""
        self._db.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint_in_worker_thread(self) -> None:
        """Copy the WAL into the database file; call it off the GUI thread. Its own connection: sqlite3
        connections belong to the thread that made them."""
        if self.path == ":memory:":
            return
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA busy_timeout=5000")
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def __enter__(self) -> TaskStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Idempotent: the app closes on quit, tests close again in teardown."""
        if self._closed:
            return
        self._closed = True
        try:
            self._db.execute("PRAGMA optimize")  # SQLite's advice: keeps the query planner's statistics fresh
        finally:
            self._db.close()

    def pragma(self, name: str) -> Any:
        """Read one PRAGMA (journal_mode, foreign_keys, user_version…), for diagnostics and tests."""
        if not name.replace("_", "").isalpha():
            raise ValueError(f"not a pragma name: {name!r}")
        return self._db.execute(f"PRAGMA {name}").fetchone()[0]

    # --- tasks ---------------------------------------------------------------------------------------

    def add(self, task: Task) -> Task:
        if task.local_id is not None:
            raise ValueError(f"task {task.local_id} is already stored; use update()")
        stored = task.with_(updated_at=_now())
        cursor = self._db.execute(_INSERT_TASK, (None, *task_values(stored)))
        assert cursor.lastrowid is not None
        return stored.with_(local_id=cursor.lastrowid)

    def update(self, task: Task) -> Task:
        if task.local_id is None:
            raise ValueError("task has no id yet; use add()")
        stored = task.with_(updated_at=_now())
        self._update_row(stored)
        return stored

    def get(self, local_id: int) -> Task | None:
        rows = self._load(f"{_SELECT_TASKS} WHERE id = ?", (local_id,))
        return rows[0] if rows else None

    def get_by_task_id(self, task_id: str) -> Task | None:
        """The task the service calls `task_id` (callbacks name tasks this way); the newest if several."""
        rows = self._load(f"{_SELECT_TASKS} WHERE task_id = ? ORDER BY id DESC LIMIT 1", (task_id,))
        return rows[0] if rows else None

    def all(self, limit: int | None = None) -> list[Task]:
        """Newest first (by created_at, then by id for tasks created in the same instant)."""
        query = f"{_SELECT_TASKS} ORDER BY created_at DESC, id DESC"
        if limit is None:
            return self._load(query, ())
        return self._load(f"{query} LIMIT ?", (limit,))

    def unfinished(self) -> list[Task]:
        """Every task the app still has to act on after a start; newest first, like all()."""
        marks = ", ".join("?" * len(UNFINISHED_PHASES))
        return self._load(
            f"{_SELECT_TASKS} WHERE phase IN ({marks}) ORDER BY created_at DESC, id DESC",
            tuple(str(phase) for phase in UNFINISHED_PHASES),
        )

    def remove(self, local_id: int) -> bool:
        """Delete a task and (by cascade) its downloads' records; the files on disk are left alone."""
        return self._db.execute("DELETE FROM tasks WHERE id = ?", (local_id,)).rowcount > 0

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM tasks").fetchone()[0])

    def recover_after_crash(self) -> list[Task]:
        """Settle the tasks a previous run left SUBMITTING; call once at start-up, before anything submits.

        Without a taskId the submit's answer was lost: the service may have created (and charged) the task
        or not, so it becomes SUBMIT_UNKNOWN and is never resent blindly. With a taskId the answer arrived
        but the phase was not moved on; it becomes PENDING so polling picks it up."""
        changed: list[Task] = []
        with self._transaction():
            stuck = self._load(f"{_SELECT_TASKS} WHERE phase = ? ORDER BY id", (str(TaskPhase.SUBMITTING),))
            now = _now()
            for task in stuck:
                if task.task_id is None:
                    task = task.with_(phase=TaskPhase.SUBMIT_UNKNOWN, error_message=submit_lost_message())
                else:
                    task = task.with_(phase=TaskPhase.PENDING)
                task = task.with_(updated_at=now)
                self._update_row(task)
                changed.append(task)
        if changed:
            log.info("recovered %d task(s) left submitting by the previous run", len(changed))
        return changed

    # --- downloads -----------------------------------------------------------------------------------

    def upsert_download(self, download: Download) -> Download:
        self._db.execute(_UPSERT_DOWNLOAD, download_values(download))
        return download

    def upsert_downloads(self, downloads: Sequence[Download]) -> int:
        """Write many download records in one transaction (all or none); return how many were written.

        For bulk changes such as the expired results of an old history at start-up: one commit instead of one
        per row. Raises sqlite3.IntegrityError (nothing written) if any record's task no longer exists."""
        if not downloads:
            return 0
        with self._transaction():
            self._db.executemany(_UPSERT_DOWNLOAD, [download_values(download) for download in downloads])
        return len(downloads)

    def downloads_for(self, task_row_id: int) -> list[Download]:
        query = f"{_SELECT_DOWNLOADS} WHERE task_row_id = ? ORDER BY url_index"
        rows = self._db.execute(query, (task_row_id,))
        return [download_from_row(row) for row in rows]

    def pending_downloads(self) -> list[Download]:
        """Downloads not started or cut short (e.g. by a restart), in task order: the downloader's to-do."""
        states = [str(state) for state in DownloadState if state.is_pending]
        marks = ", ".join("?" * len(states))
        query = f"{_SELECT_DOWNLOADS} WHERE state IN ({marks}) ORDER BY task_row_id, url_index"
        rows = self._db.execute(query, states)
        return [download_from_row(row) for row in rows]

    def downloads_in(self, states: Iterable[DownloadState]) -> list[Download]:
        """Downloads in any of `states`, in task order (the downloader also retries FAILED ones at start)."""
        wanted = [str(state) for state in states]
        marks = ", ".join("?" * len(wanted))
        query = f"{_SELECT_DOWNLOADS} WHERE state IN ({marks}) ORDER BY task_row_id, url_index"
        return [download_from_row(row) for row in self._db.execute(query, wanted)]

    def results_without_downloads(self, completed_by: datetime) -> list[FinishedResult]:
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

    def succeeded_without_downloads(self) -> list[Task]:
        """Successful tasks with results but no download record: the app stopped between the two writes."""
        return self._load(
            f"{_SELECT_TASKS} WHERE phase = ? AND result_urls != '' "
            "AND id NOT IN (SELECT task_row_id FROM downloads) ORDER BY id",
            (str(TaskPhase.SUCCESS),),
        )

    # --- internals -----------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _update_row(self, task: Task) -> None:
        cursor = self._db.execute(_UPDATE_TASK, (*task_values(task), task.local_id))
        if cursor.rowcount == 0:
            raise LookupError(f"no stored task with id {task.local_id}")

    def _load(self, query: str, params: Sequence[object]) -> list[Task]:
        # Takes of one batch share their request: parse each distinct request once per load.
        requests: dict[str, GenerationRequest] = {}
        return [task_from_row(row, requests) for row in self._db.execute(query, params)]


def _now() -> datetime:
    return datetime.now(UTC)
