"""Writes posted to the database's writer thread: made there, in order, before any write of the GUI thread's own
connection, seen by readers once done, written before closing; failures reach whoever waits."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.storage.database import Database
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import TaskPhase
from tests.core.storage.test_task_store import full_task


def stored_task(store: TaskStore) -> int:
    task = store.add(full_task().with_(local_id=None, phase=TaskPhase.PENDING))
    assert task.local_id is not None
    return task.local_id


def test_a_posted_update_is_made_on_another_thread_and_seen_once_done(store: TaskStore) -> None:
    local_id = stored_task(store)
    task = store.get(local_id)
    assert task is not None
    where: list[int] = []
    real_post = Database.post

    def spying_post(db: Database, sql: str, params: Any, then: Callable[[list[Any]], Any]) -> Any:
        def noted(rows: list[Any]) -> Any:
            where.append(threading.get_ident())
            return then(rows)

        return real_post(db, sql, params, noted)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Database, "post", spying_post)
        written = store.update_soon(task.with_(phase=TaskPhase.PROCESSING, polls=7)).result(timeout=10)
    assert where and where[0] != threading.get_ident()
    # What comes back carries the person's review as stored, as update() does.
    assert (written.phase, written.polls) == (TaskPhase.PROCESSING, 7)
    assert (written.mark, written.rating, written.chosen) == (task.mark, task.rating, task.chosen)
    again = store.get(local_id)
    assert again is not None and (again.phase, again.polls) == (TaskPhase.PROCESSING, 7)


def test_a_write_of_the_gui_connection_waits_for_what_was_posted(tmp_path: Path) -> None:
    database = Database(tmp_path / "tasks.sqlite3")
    database.execute("CREATE TABLE t (x INTEGER)")
    database.execute("INSERT INTO t VALUES (0)")
    release = threading.Event()

    def held(rows: list[Any]) -> None:
        release.wait(10)  # the writer thread is busy here; the next posted write waits in its queue

    database.post("UPDATE t SET x = 1", (), held)
    second = database.post("UPDATE t SET x = 2", (), lambda rows: None)
    threading.Timer(0.05, release.set).start()
    # Written on the GUI connection after both posted writes, as it was asked after them: without the wait it would
    # land first and the queued "x = 2" would overwrite it.
    database.execute("UPDATE t SET x = 3")
    second.result(timeout=10)
    assert database.execute("SELECT x FROM t").fetchone()[0] == 3
    database.close()


def test_posted_writes_are_written_before_the_store_closes(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    store = TaskStore(path)
    local_id = stored_task(store)
    task = store.get(local_id)
    assert task is not None
    for polls in range(1, 51):
        store.update_soon(task.with_(polls=polls))
    store.close()
    with TaskStore(path) as reopened:
        again = reopened.get(local_id)
        assert again is not None and again.polls == 50


def test_a_posted_write_that_fails_raises_for_whoever_waits(store: TaskStore) -> None:
    gone = Download(local_id=424242, url_index=0, url="https://cdn.example/x.mp4", state=DownloadState.PENDING)
    with pytest.raises(sqlite3.IntegrityError):  # no such task: the foreign key holds on the writer's connection
        store.downloads.upsert_soon(gone).result(timeout=10)
    missing = full_task().with_(local_id=424242)
    with pytest.raises(LookupError):
        store.update_soon(missing).result(timeout=10)


def test_an_in_memory_database_writes_a_post_at_once() -> None:
    with TaskStore(":memory:") as store:
        local_id = stored_task(store)
        task = store.get(local_id)
        assert task is not None
        posted = store.update_soon(task.with_(polls=3))
        assert posted.done()  # a second connection to ":memory:" would be another database
        again = store.get(local_id)
        assert again is not None and again.polls == 3


def test_the_takes_of_one_click_are_added_together(store: TaskStore) -> None:
    added = store.add_all([full_task().with_(local_id=None, take_number=n) for n in (1, 2, 3)])
    assert [t.take_number for t in added] == [1, 2, 3]
    assert all(t.local_id is not None and store.get(t.local_id) is not None for t in added)


def test_a_post_inside_a_transaction_is_written_there_without_waiting_on_itself(tmp_path: Path) -> None:
    database = Database(tmp_path / "tasks.sqlite3")
    database.execute("CREATE TABLE t (x INTEGER)")
    with database.transaction():
        database.execute("INSERT INTO t VALUES (1)")
        # The writer thread would wait for this transaction's lock, and the next write here for the writer.
        posted = database.post("UPDATE t SET x = 2", (), lambda rows: None)
        assert posted.done()
        database.execute("UPDATE t SET x = x + 1")
    assert database.execute("SELECT x FROM t").fetchone()[0] == 3
    database.close()
