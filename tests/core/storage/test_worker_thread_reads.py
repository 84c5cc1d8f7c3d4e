"""The history read by a worker thread on a connection of its own (issue 13: 10,000 tasks held the GUI thread
0.4-0.7 s read on it): the same tasks and records as the GUI thread's reads, what is committed included."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.storage.database import Database
from sora2_desktop.core.storage.migrations import MIGRATIONS
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import TaskPhase
from tests.core.storage.test_task_store import T0, full_task


def in_a_worker(call):  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(call).result()


def test_the_history_read_by_a_worker_is_the_one_read_here(store: TaskStore) -> None:
    older = store.add(full_task())
    newer = store.add(full_task().with_(created_at=T0 + timedelta(minutes=1), phase=TaskPhase.SUCCESS))
    batch = store.add_all([full_task().with_(created_at=T0 + timedelta(minutes=2), batch_id="b") for _ in range(2)])
    read = in_a_worker(store.all_in_worker_thread)
    assert read == store.all()
    assert [task.local_id for task in read] == [batch[1].local_id, batch[0].local_id, newer.local_id, older.local_id]
    assert read[0].request is read[1].request  # a batch's takes share one parsed request, as in all()


def test_the_download_records_read_by_a_worker_are_every_state(store: TaskStore) -> None:
    task = store.add(full_task())
    assert task.local_id is not None
    done = Download(task.local_id, 0, task.result_urls[0], state=DownloadState.DONE, path=Path("/v/a.mp4"))
    failed = Download(task.local_id, 1, task.result_urls[1], state=DownloadState.FAILED)
    store.downloads.upsert(failed)
    store.downloads.upsert(done)
    assert in_a_worker(store.downloads.all_in_worker_thread) == [done, failed] == store.downloads_in(DownloadState)


def test_what_the_gui_threads_connection_committed_is_what_the_worker_reads(tmp_path: Path) -> None:
    database = Database(tmp_path / "x.sqlite3")  # the migrations are written on this thread's connection
    try:
        version = in_a_worker(lambda: database.read_in_worker_thread("PRAGMA user_version", (), list))
        assert version == [(len(MIGRATIONS),)]
        with database.transaction():
            database.execute("DELETE FROM schema_migrations")
        assert in_a_worker(lambda: database.read_in_worker_thread("SELECT * FROM schema_migrations", (), list)) == []
    finally:
        database.close()


def test_the_worker_converts_the_rows_as_they_come_not_fetched_whole_first(tmp_path: Path) -> None:
    # Fetched whole, 10,000 history rows (their JSON columns) were alive at once: 15 MB more for the process.
    database = Database(tmp_path / "x.sqlite3")
    try:
        seen = in_a_worker(
            lambda: database.read_in_worker_thread("SELECT version FROM schema_migrations", (), lambda rows: rows)
        )
        assert isinstance(seen, sqlite3.Cursor)  # handed over as a cursor, read by the conversion
    finally:
        database.close()


def test_an_in_memory_store_has_no_second_connection_to_read_from() -> None:
    database = Database(":memory:")
    try:
        with pytest.raises(ValueError, match="in-memory"):
            database.read_in_worker_thread("PRAGMA user_version", (), list)
    finally:
        database.close()
    store = TaskStore(":memory:")
    try:
        assert store.in_memory  # the session reads it on its own thread instead
        with pytest.raises(ValueError, match="in-memory"):
            store.all_in_worker_thread()
    finally:
        store.close()
