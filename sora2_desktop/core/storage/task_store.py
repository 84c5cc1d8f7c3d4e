"""TaskStore: the `tasks` table in SQLite, the source of truth for every task; survives crashes and restarts."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.project_store import ProjectStore
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.storage.balance_store import BalanceStore
from sora2_desktop.core.storage.database import Database
from sora2_desktop.core.storage.download_store import DownloadStore
from sora2_desktop.core.storage.task_rows import (
    REVIEW_COLUMNS,
    TASK_COLUMNS,
    review_from_row,
    task_from_row,
    task_values,
    to_text,
)
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase

log = logging.getLogger(__name__)

UNFINISHED_PHASES = (
    TaskPhase.QUEUED,
    TaskPhase.SUBMITTING,
    TaskPhase.PENDING,
    TaskPhase.PROCESSING,
    TaskPhase.UNKNOWN,
)


_SELECT_TASKS = f"SELECT {', '.join(TASK_COLUMNS)} FROM tasks"
_INSERT_TASK = f"INSERT INTO tasks ({', '.join(TASK_COLUMNS)}) VALUES ({', '.join('?' * len(TASK_COLUMNS))})"
# The review columns (`chosen`, marks, rating, note, in/out) are left out: only choose_take() and the project
# store write them, so a stale copy of a task (the runner keeps its unfinished tasks in memory) can never undo a
# person's pick or mark. RETURNING hands back what is stored, so the task written carries the person's review.
_KEPT = [TASK_COLUMNS[1:].index(column) for column in REVIEW_COLUMNS]  # positions in task_values()
_KEPT_SET = frozenset(_KEPT)
_UPDATED_COLUMNS = [column for column in TASK_COLUMNS[1:] if column not in REVIEW_COLUMNS]
_UPDATE_TASK = (
    f"UPDATE tasks SET {', '.join(f'{column} = ?' for column in _UPDATED_COLUMNS)} WHERE id = ? "
    f"RETURNING {', '.join(REVIEW_COLUMNS)}"
)


class TaskStore:
    """Opens the database (database.py, migrations.py) and keeps its tasks; `downloads` keeps their download
    records on the same connection. Use it from the thread that opened it (the Qt/asyncio thread)."""

    def __init__(self, path: str | Path) -> None:
        self._db = Database(path)
        self.path = self._db.path
        self.schema_version = self._db.schema_version
        self.downloads = DownloadStore(self._db)
        self.balances = BalanceStore(self._db)  # the key's balance readings, beside the tasks they paid for
        self.projects = ProjectStore(self._db)  # projects, shots and prompt versions; the takes are these tasks

    def __enter__(self) -> TaskStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- the database, for the session -------------------------------------------------------------------

    def stop_automatic_checkpoints(self) -> None:
        self._db.stop_automatic_checkpoints()

    def checkpoint_in_worker_thread(self) -> None:
        self._db.checkpoint_in_worker_thread()

    def pragma(self, name: str) -> Any:
        return self._db.pragma(name)

    def close(self) -> None:
        """Idempotent: the app closes on quit, tests close again in teardown."""
        self._db.close()

    # --- tasks ---------------------------------------------------------------------------------------

    def add(self, task: Task) -> Task:
        if task.local_id is not None:
            raise ValueError(f"task {task.local_id} is already stored; use update()")
        stored = task.with_(updated_at=_now())
        cursor = self._db.execute(_INSERT_TASK, (None, *task_values(stored)))
        assert cursor.lastrowid is not None
        return stored.with_(local_id=cursor.lastrowid)

    def add_all(self, tasks: Sequence[Task]) -> list[Task]:
        """`add` for the takes of one click, in one transaction: one commit (one disk write) instead of one each."""
        with self._db.transaction():
            return [self.add(task) for task in tasks]

    def update(self, task: Task) -> Task:
        """Write every field of a stored task but the review (REVIEW_COLUMNS: the person's alone); return it as
        stored, with the review as the database holds it."""
        if task.local_id is None:
            raise ValueError("task has no id yet; use add()")
        return self._update_row(task.with_(updated_at=_now()))

    def update_soon(self, task: Task) -> Future[Task]:
        """`update` from the database's writer thread (Database.post), for a coroutine to await: the GUI thread
        goes on meanwhile. Writes keep their order with every other write; a read sees it once it is done."""
        if task.local_id is None:
            raise ValueError("task has no id yet; use add()")
        stamped = task.with_(updated_at=_now())

        def stored(rows: list[Any]) -> Task:
            if not rows:
                raise LookupError(f"no stored task with id {stamped.local_id}")
            return stamped.with_(**review_from_row(rows[0]))

        return self._db.post(_UPDATE_TASK, self._update_params(stamped), stored)

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

    @property
    def in_memory(self) -> bool:
        """An in-memory store (tests) has no second connection: the `…_in_worker_thread` reads refuse it."""
        return self._db.path == ":memory:"

    def all_in_worker_thread(self) -> list[Task]:
        """all(), for a worker thread: its own connection, so the GUI thread goes on meanwhile."""
        query = f"{_SELECT_TASKS} ORDER BY created_at DESC, id DESC"
        return self._db.read_in_worker_thread(query, (), _tasks_from_rows)

    def unfinished(self) -> list[Task]:
        """Every task the app still has to act on after a start; newest first, like all()."""
        marks = ", ".join("?" * len(UNFINISHED_PHASES))
        # By the phase index, named: the planner walked the created_at index over every row instead (its
        # statistics see six phases of nine asked for, not the handful of rows a long history has unfinished):
        # 10-59 ms of the GUI thread at each start with 10,000 tasks, against 0.02-0.16 ms (issue 13).
        return self._load(
            f"{_SELECT_TASKS} INDEXED BY tasks_phase WHERE phase IN ({marks}) ORDER BY created_at DESC, id DESC",
            tuple(str(phase) for phase in UNFINISHED_PHASES),
        )

    def remove(self, local_id: int) -> bool:
        """Delete a task and (by cascade) its downloads' records; the files on disk are left alone."""
        return self._db.execute("DELETE FROM tasks WHERE id = ?", (local_id,)).rowcount > 0

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM tasks").fetchone()[0])

    def choose_take(self, local_id: int) -> list[Task]:
        """Mark `local_id` as the take picked among the takes of its batch and clear the mark on the others, in
        one transaction; return the tasks whose mark changed, as stored now (none when it was already the pick).
        Raises LookupError when no such task is stored."""
        with self._db.transaction():
            row = self._db.execute("SELECT batch_id FROM tasks WHERE id = ?", (local_id,)).fetchone()
            if row is None:
                raise LookupError(f"no stored task with id {local_id}")
            query, params = "SELECT id FROM tasks WHERE id = ? AND chosen = 0", [local_id]
            if row[0] is not None:  # a task without a batch (none today) is a batch of one
                query, params = "SELECT id FROM tasks WHERE batch_id = ? AND chosen != (id = ?)", [row[0], local_id]
            changed = [found[0] for found in self._db.execute(query, params)]
            if not changed:
                return []
            marks = ", ".join("?" * len(changed))
            self._db.execute(
                f"UPDATE tasks SET chosen = (id = ?), updated_at = ? WHERE id IN ({marks})",
                (local_id, to_text(_now()), *changed),
            )
            return self._load(f"{_SELECT_TASKS} WHERE id IN ({marks}) ORDER BY id", changed)

    def recover_after_crash(self) -> list[Task]:
        """Settle the tasks a previous run left SUBMITTING; call once at start-up, before anything submits.

        Without a taskId the submit's answer was lost: the service may have created (and charged) the task
        or not, so it becomes SUBMIT_UNKNOWN and is never resent blindly. With a taskId the answer arrived
        but the phase was not moved on; it becomes PENDING so polling picks it up."""
        changed: list[Task] = []
        with self._db.transaction():
            stuck = self._load(
                f"{_SELECT_TASKS} INDEXED BY tasks_phase WHERE phase = ? ORDER BY id", (str(TaskPhase.SUBMITTING),)
            )
            now = _now()
            for task in stuck:
                if task.task_id is None:
                    task = task.with_(phase=TaskPhase.SUBMIT_UNKNOWN, note=TaskNote.SUBMIT_LOST, note_detail=None)
                else:
                    task = task.with_(phase=TaskPhase.PENDING)
                changed.append(self._update_row(task.with_(updated_at=now)))
        if changed:
            log.info("recovered %d task(s) left submitting by the previous run", len(changed))
        return changed

    # --- download records, for the views (the downloader uses `downloads` itself) ----------------------

    def downloads_for(self, local_id: int) -> list[Download]:
        return self.downloads.for_task(local_id)

    def downloads_in(self, states: Iterable[DownloadState]) -> list[Download]:
        return self.downloads.in_states(states)

    # --- internals -----------------------------------------------------------------------------------

    def _update_row(self, task: Task) -> Task:
        row = self._db.execute(_UPDATE_TASK, self._update_params(task)).fetchone()
        if row is None:
            raise LookupError(f"no stored task with id {task.local_id}")
        return task.with_(**review_from_row(row))

    @staticmethod
    def _update_params(task: Task) -> tuple[object, ...]:
        values = task_values(task)
        return (*(value for index, value in enumerate(values) if index not in _KEPT_SET), task.local_id)

    def _load(self, query: str, params: Sequence[object]) -> list[Task]:
        return _tasks_from_rows(self._db.execute(query, params))


def _tasks_from_rows(rows: Iterable[tuple[Any, ...]]) -> list[Task]:
    # Takes of one batch share their request: parse each distinct request once per load.
    requests: dict[str, GenerationRequest] = {}
    return [task_from_row(row, requests) for row in rows]


def _now() -> datetime:
    return datetime.now(UTC)
