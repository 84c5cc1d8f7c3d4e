"""TaskStore: every field round-trips, order, crash recovery, WAL, reopening, migrations, other readers, downloads."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sora2_desktop.api import AspectRatio, GenerationRequest, Mode, Provider, RequestType
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.storage.task_store import MIGRATIONS, NewerDatabaseError, TaskStore, migrate
from sora2_desktop.core.tasks.task import Task, TaskPhase

T0 = datetime(2026, 1, 9, 13, 33, 30, 929_123, tzinfo=UTC)
PROMPT = "Ein \"Drache\" 龍 فوق المدينة — slow dolly in,\nthen zoom 🐉; 100% epic\\ 'quoted' \u200b"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tasks.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[TaskStore]:
    opened = TaskStore(db_path)
    try:
        yield opened
    finally:
        opened.close()


def full_task() -> Task:
    """A task with every field set to something other than its default."""
    request = GenerationRequest(
        prompt=PROMPT,
        mode=Mode.IMAGE_TO_VIDEO,
        duration=15,
        aspect_ratio=AspectRatio.PORTRAIT,
        image_urls=("https://cdn.example.com/bild,1.png?sig=a%2Fb&x=1", "https://例え.jp/画像.webp"),
        remove_watermark=False,
        provider=Provider.OFFICIAL,
        request_type=RequestType.CALLBACK,
        callback_url="https://hooks.example.com/sora?local_id=7",
    )
    return Task(
        request=request,
        created_at=T0,
        phase=TaskPhase.FAILED,
        batch_id="b1c2d3",
        task_id="task_12345678",
        submitted_at=T0 + timedelta(seconds=1),
        # Another time zone comes back as the same instant in UTC.
        next_poll_at=datetime(2026, 1, 9, 15, 36, 30, 5, tzinfo=timezone(timedelta(hours=2))),
        polls=17,
        raw_state="FAILED",
        result_urls=("https://r2.apixo.ai/a.mp4", "https://r2.apixo.ai/b.mp4"),
        fail_code="CONTENT_VIOLATION",
        fail_message="Prompt broke the guidelines — «dragon»",
        error_message="Local note ✓",
        service_created_at=T0 + timedelta(milliseconds=1500),
        completed_at=T0 + timedelta(minutes=4, microseconds=1),
        cost_time_ms=41_388,
        updated_at=T0,
    )


def test_the_sample_sets_every_field() -> None:
    """Guards the round-trip test: a field added to Task must be stored, and set here."""
    sample, bare = full_task(), Task(request=GenerationRequest(prompt="x"), created_at=T0)
    for task_field in dataclasses.fields(Task):
        if task_field.name not in ("local_id", "updated_at", "created_at"):
            assert getattr(sample, task_field.name) != getattr(bare, task_field.name), task_field.name
    for request_field in dataclasses.fields(GenerationRequest):
        assert getattr(sample.request, request_field.name) != getattr(bare.request, request_field.name)


def test_every_field_round_trips(store: TaskStore) -> None:
    original = full_task()
    added = store.add(original)
    assert added.local_id is not None
    loaded = store.get(added.local_id)
    assert loaded is not None
    assert loaded == original.with_(local_id=added.local_id)
    for task_field in dataclasses.fields(Task):  # compare=False fields too
        assert getattr(loaded, task_field.name) == getattr(added, task_field.name), task_field.name
    assert loaded.request.prompt == PROMPT
    assert loaded.next_poll_at is not None and loaded.next_poll_at.tzinfo is not None
    assert store.get(added.local_id + 1000) is None


def test_minimal_task_round_trips(store: TaskStore) -> None:
    original = Task(request=GenerationRequest(prompt="a cat"), created_at=T0)
    added = store.add(original)
    assert store.get(added.local_id or 0) == added
    assert added.phase == TaskPhase.SUBMITTING and added.result_urls == ()


def test_naive_datetimes_are_taken_as_utc(store: TaskStore) -> None:
    added = store.add(Task(request=GenerationRequest(prompt="x"), created_at=datetime(2026, 1, 1, 12, 0)))
    loaded = store.get(added.local_id or 0)
    assert loaded is not None and loaded.created_at == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_a_line_break_in_a_result_url_cannot_split_it(store: TaskStore) -> None:
    added = store.add(full_task().with_(result_urls=("https://r2.apixo.ai/a\nb.mp4",)))
    loaded = store.get(added.local_id or 0)
    assert loaded is not None and loaded.result_urls == ("https://r2.apixo.ai/a%0Ab.mp4",)


def test_add_and_update_stamp_updated_at(store: TaskStore) -> None:
    before = datetime.now(UTC)
    added = store.add(Task(request=GenerationRequest(prompt="x"), created_at=T0))
    assert added.updated_at is not None and added.updated_at >= before
    updated = store.update(added.with_(phase=TaskPhase.PENDING, task_id="task_1", polls=1))
    assert updated.updated_at is not None and updated.updated_at >= added.updated_at
    assert store.get(added.local_id or 0) == updated
    with pytest.raises(ValueError):
        store.add(updated)
    with pytest.raises(ValueError):
        store.update(updated.with_(local_id=None))
    with pytest.raises(LookupError):
        store.update(updated.with_(local_id=9999))


def test_all_is_newest_first_and_limited(store: TaskStore) -> None:
    created = [T0 + timedelta(minutes=m) for m in (5, 1, 9, 3)]
    for when in created:
        store.add(Task(request=GenerationRequest(prompt=str(when)), created_at=when))
    same_instant = [store.add(Task(request=GenerationRequest(prompt="twin"), created_at=T0)) for _ in range(2)]
    listed = store.all()
    assert [t.created_at for t in listed[:4]] == sorted(created, reverse=True)
    assert [t.local_id for t in listed[4:]] == [
        same_instant[1].local_id,
        same_instant[0].local_id,
    ]  # ties: newest row first
    assert [t.local_id for t in store.all(limit=2)] == [t.local_id for t in listed[:2]]
    assert store.count() == 6


def test_unfinished_holds_every_phase_still_to_act_on(store: TaskStore) -> None:
    ids: dict[TaskPhase, int] = {}
    for minute, phase in enumerate(TaskPhase):
        when = T0 + timedelta(minutes=minute)
        ids[phase] = (
            store.add(Task(request=GenerationRequest(prompt=phase), created_at=when, phase=phase)).local_id or 0
        )
    unfinished = store.unfinished()
    expected = [TaskPhase.QUEUED, TaskPhase.SUBMITTING, TaskPhase.PENDING, TaskPhase.PROCESSING, TaskPhase.UNKNOWN]
    assert {t.phase for t in unfinished} == set(expected)
    assert [t.local_id for t in unfinished] == sorted(
        (ids[p] for p in expected), reverse=True
    )  # newest first, like all()


def test_recovery_never_resubmits_a_lost_submit(store: TaskStore) -> None:
    request = GenerationRequest(prompt="x")
    lost = store.add(Task(request=request, created_at=T0, phase=TaskPhase.SUBMITTING))
    answered = store.add(Task(request=request, created_at=T0, phase=TaskPhase.SUBMITTING, task_id="task_9"))
    queued = store.add(Task(request=request, created_at=T0, phase=TaskPhase.QUEUED))
    polling = store.add(Task(request=request, created_at=T0, phase=TaskPhase.PROCESSING, task_id="task_8"))

    changed = store.recover_after_crash()

    assert [(t.local_id, t.phase) for t in changed] == [
        (lost.local_id, TaskPhase.SUBMIT_UNKNOWN),
        (answered.local_id, TaskPhase.PENDING),
    ]
    stored_lost = store.get(lost.local_id or 0)
    assert stored_lost == changed[0]
    assert stored_lost is not None and stored_lost.error_message and "charged" in stored_lost.error_message
    assert store.get(queued.local_id or 0) == queued
    assert store.get(polling.local_id or 0) == polling
    assert store.recover_after_crash() == []
    assert TaskPhase.SUBMITTING not in {t.phase for t in store.unfinished()}


def test_pragmas_wal_normal_foreign_keys(store: TaskStore) -> None:
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("synchronous") == 1  # NORMAL
    assert store.pragma("foreign_keys") == 1
    with pytest.raises(ValueError):
        store.pragma("user_version; DROP TABLE tasks")


def test_survives_a_reopen(db_path: Path) -> None:
    with TaskStore(db_path) as first:
        added = first.add(full_task())
    with TaskStore(db_path) as second:
        assert second.all() == [added]
        assert second.pragma("journal_mode") == "wal"  # WAL is a property of the file


def test_an_empty_database_is_migrated_to_the_latest_schema(db_path: Path) -> None:
    sqlite3.connect(db_path).close()  # an empty file, as after a first start that died early
    with TaskStore(db_path) as store:
        assert store.schema_version == len(MIGRATIONS) == store.pragma("user_version")
    connection = sqlite3.connect(db_path)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    versions = [row[0] for row in connection.execute("SELECT version FROM schema_migrations")]
    connection.close()
    assert {"tasks", "downloads", "schema_migrations"} <= tables
    assert {"tasks_phase", "tasks_created_at"} <= indexes
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_a_later_migration_keeps_the_rows(db_path: Path) -> None:
    with TaskStore(db_path) as store:
        added = store.add(full_task())
    connection = sqlite3.connect(db_path, isolation_level=None)
    later = [*MIGRATIONS, "ALTER TABLE tasks ADD COLUMN rating INTEGER NOT NULL DEFAULT 0;"]
    assert migrate(connection, later) == len(later)
    assert connection.execute("SELECT id, rating FROM tasks").fetchall() == [(added.local_id, 0)]
    connection.close()


def test_a_failing_migration_changes_nothing(db_path: Path) -> None:
    TaskStore(db_path).close()
    connection = sqlite3.connect(db_path, isolation_level=None)
    broken = [*MIGRATIONS, "CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1);"]
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, broken)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    assert not connection.in_transaction
    connection.close()


def test_a_database_from_a_newer_app_is_not_touched(db_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    with pytest.raises(NewerDatabaseError, match="newer version"):
        TaskStore(db_path)


def test_a_second_connection_sees_committed_rows(store: TaskStore, db_path: Path) -> None:
    with TaskStore(db_path) as reader:
        assert reader.count() == 0
        added = store.add(full_task())
        assert reader.get(added.local_id or 0) == added
        store.update(added.with_(phase=TaskPhase.SUCCESS))
        assert reader.all()[0].phase == TaskPhase.SUCCESS


def test_a_crashed_process_loses_nothing_it_committed(db_path: Path) -> None:
    """Another process adds a task and dies without closing anything; this one still reads the row."""
    script = textwrap.dedent(
        f"""
        import os
        from datetime import UTC, datetime
        from sora2_desktop.api import GenerationRequest
        from sora2_desktop.core.tasks.task import Task
        from sora2_desktop.core.storage.task_store import TaskStore
        store = TaskStore({str(db_path)!r})
        store.add(Task(request=GenerationRequest(prompt="from the other process"), created_at=datetime.now(UTC)))
        os._exit(3)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    with TaskStore(db_path) as store:
        assert store.count() == 1
        assert [t.request.prompt for t in store.unfinished()] == ["from the other process"]


def test_downloads_are_stored_per_task_and_url(store: TaskStore) -> None:
    task = store.add(full_task())
    assert task.local_id is not None
    first = Download(task.local_id, 0, task.result_urls[0], expires_at=T0 + timedelta(days=15))
    second = Download(task.local_id, 1, task.result_urls[1], path=Path("/videos/b.mp4"), bytes_total=2048)
    store.upsert_download(second)
    store.upsert_download(first)
    assert store.downloads_for(task.local_id) == [first, second]
    assert store.pending_downloads() == [first, second]

    progressed = second.with_(state=DownloadState.DOWNLOADING, bytes_done=1024)
    store.upsert_download(progressed)
    done = first.with_(state=DownloadState.DONE, path=Path("/videos/ä.mp4"), bytes_done=10, bytes_total=10)
    store.upsert_download(done)
    assert store.downloads_for(task.local_id) == [done, progressed]
    assert store.pending_downloads() == [progressed]

    failed = progressed.with_(state=DownloadState.FAILED, error="The file was cut short.")
    store.upsert_download(failed)
    assert store.pending_downloads() == []
    assert store.downloads_for(task.local_id)[1] == failed


def test_removing_a_task_removes_its_download_records(store: TaskStore) -> None:
    task = store.add(full_task())
    assert task.local_id is not None
    store.upsert_download(Download(task.local_id, 0, "https://r2.apixo.ai/a.mp4"))
    assert store.remove(task.local_id)
    assert not store.remove(task.local_id)
    assert store.downloads_for(task.local_id) == []
    assert store.count() == 0
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys are on: no record for a task that is gone
        store.upsert_download(Download(task.local_id, 0, "https://r2.apixo.ai/a.mp4"))


def test_get_by_task_id(store: TaskStore) -> None:
    added = store.add(full_task())
    assert store.get_by_task_id("task_12345678") == added
    assert store.get_by_task_id("task_nope") is None


def test_close_is_idempotent(db_path: Path) -> None:
    store = TaskStore(db_path)
    store.close()
    store.close()
