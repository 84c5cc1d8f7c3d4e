"""DownloadStore: records per task and URL, states, bulk writes, and the successes still without records."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from tests.core.storage.test_task_store import T0, full_task


def success(store: TaskStore, completed_minutes_ago: int, *urls: str) -> Task:
    return store.add(
        Task(
            request=GenerationRequest(prompt="x"),
            created_at=T0,
            phase=TaskPhase.SUCCESS,
            result_urls=urls,
            completed_at=T0 - timedelta(minutes=completed_minutes_ago),
        )
    )


def test_downloads_are_stored_per_task_and_url(store: TaskStore) -> None:
    task = store.add(full_task())
    assert task.local_id is not None
    first = Download(task.local_id, 0, task.result_urls[0], expires_at=T0 + timedelta(days=15))
    second = Download(task.local_id, 1, task.result_urls[1], path=Path("/videos/b.mp4"), bytes_total=2048)
    store.downloads.upsert(second)
    store.downloads.upsert(first)
    assert store.downloads.for_task(task.local_id) == [first, second]
    assert store.downloads_for(task.local_id) == [first, second]  # the same records, for the views
    assert store.downloads.pending() == [first, second]

    progressed = second.with_(state=DownloadState.DOWNLOADING, bytes_done=1024)
    store.downloads.upsert(progressed)
    done = first.with_(state=DownloadState.DONE, path=Path("/videos/ä.mp4"), bytes_done=10, bytes_total=10)
    store.downloads.upsert(done)
    assert store.downloads.for_task(task.local_id) == [done, progressed]
    assert store.downloads.pending() == [progressed]

    failed = progressed.with_(
        state=DownloadState.FAILED, problem=DownloadProblem.NOT_A_VIDEO, problem_detail="text/html"
    )
    store.downloads.upsert(failed)
    assert store.downloads.pending() == []
    assert store.downloads.for_task(task.local_id)[1] == failed
    assert store.downloads_in([DownloadState.FAILED, DownloadState.DONE]) == [done, failed]


def test_every_field_of_a_record_round_trips(store: TaskStore) -> None:
    task = store.add(full_task())
    assert task.local_id is not None
    record = Download(
        task.local_id,
        3,
        "https://r2.apixo.ai/ä b.mp4",
        path=Path("/videos/ä (2).mp4"),
        bytes_done=10,
        bytes_total=20,
        state=DownloadState.FAILED,
        expires_at=T0,
        problem=DownloadProblem.CANNOT_SAVE,
        problem_detail="ENOSPC",
        legacy_error="Older words",
    )
    bare = Download(0, 0, "")
    for record_field in dataclasses.fields(Download):  # a field added to Download must be stored, and set here
        assert getattr(record, record_field.name) != getattr(bare, record_field.name), record_field.name
    store.downloads.upsert(record)
    assert store.downloads.for_task(task.local_id) == [record]


def test_removing_a_task_removes_its_download_records(store: TaskStore) -> None:
    task = store.add(full_task())
    assert task.local_id is not None
    store.downloads.upsert(Download(task.local_id, 0, "https://r2.apixo.ai/a.mp4"))
    assert store.remove(task.local_id)
    assert not store.remove(task.local_id)
    assert store.downloads.for_task(task.local_id) == []
    assert store.count() == 0
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys are on: no record for a task that is gone
        store.downloads.upsert(Download(task.local_id, 0, "https://r2.apixo.ai/a.mp4"))


def test_a_bulk_write_is_all_or_nothing(store: TaskStore) -> None:
    task = store.add(full_task())
    assert task.local_id is not None
    good = Download(task.local_id, 0, "https://r2.apixo.ai/a.mp4")
    orphan = Download(task.local_id + 1, 0, "https://r2.apixo.ai/b.mp4")
    with pytest.raises(sqlite3.IntegrityError):
        store.downloads.upsert_many([good, orphan])
    assert store.downloads.for_task(task.local_id) == []
    assert store.downloads.upsert_many([good]) == 1 and store.downloads.upsert_many([]) == 0
    assert store.downloads.for_task(task.local_id) == [good]


def test_successes_without_records_are_found_for_the_downloader(store: TaskStore) -> None:
    old = success(store, 60, "https://r2.apixo.ai/old-1.mp4", "https://r2.apixo.ai/old-2.mp4")
    recent = success(store, 1, "https://r2.apixo.ai/new.mp4")
    recorded = success(store, 60, "https://r2.apixo.ai/kept.mp4")
    success(store, 60)  # a success without results: nothing to download
    store.add(full_task().with_(phase=TaskPhase.PROCESSING))
    assert recorded.local_id is not None
    store.downloads.upsert(Download(recorded.local_id, 0, recorded.result_urls[0]))

    (finished,) = store.downloads.results_without_records(completed_by=T0 - timedelta(minutes=30))
    assert finished.local_id == old.local_id and finished.result_urls == old.result_urls
    assert finished.completed_at == old.completed_at
    assert [t.local_id for t in store.downloads.succeeded_without_records()] == [old.local_id, recent.local_id]
    assert store.downloads.succeeded_without_records()[1] == recent
