"""TaskStore: every field round-trips, order, crash recovery, picked takes, WAL, reopening, migrations, readers."""

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

from sora2_desktop.api import GenerationRequest, Mode, RequestType
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.projects.source_frame import SourceFrame
from sora2_desktop.core.results.download_wording import download_problem_text
from sora2_desktop.core.storage import task_rows
from sora2_desktop.core.storage.database import NewerDatabaseError
from sora2_desktop.core.storage.migrations import MIGRATIONS, migrate
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.failure_text import explain_failure, task_note_text
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase

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
        aspect_ratio="portrait",
        image_urls=("https://cdn.example.com/bild,1.png?sig=a%2Fb&x=1", "https://例え.jp/画像.webp"),
        remove_watermark=False,
        provider="official",
        request_type=RequestType.CALLBACK,
        callback_url="https://hooks.example.com/sora?local_id=7",
        model="sora-2-pro",
        size="720*1280",
        resolution="1080p",
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
        error_message="Insufficient credits — «ваш баланс» ✓",
        service_created_at=T0 + timedelta(milliseconds=1500),
        completed_at=T0 + timedelta(minutes=4, microseconds=1),
        cost_time_ms=41_388,
        chosen=True,
        note=TaskNote.SERVICE_ERROR,
        note_detail="502",
        catalogue_version="2026-12-03.1+live-20261203",
        cost_estimate_usd=0.45,
        shot_id=3,
        take_number=12,
        version_id=5,
        mark=TakeMark.NO_GOOD,
        rating=4,
        review_note="Soft focus at 00:02 — «retake» ✓",
        in_ms=1_240,
        out_ms=8_400,
        source_frame=SourceFrame(41, "SH020", 3, 4_480, "00:00:04:12"),
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
    # A code, not a sentence: the words are made when the task is shown, in the reader's language.
    assert stored_lost is not None and stored_lost.note == TaskNote.SUBMIT_LOST and stored_lost.error_message is None
    assert "charged" in (task_note_text(stored_lost) or "")
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


def test_words_stored_by_an_older_version_still_show(db_path: Path) -> None:
    """Before notes and problems were codes, sentences went into error_message and downloads.error."""
    old = sqlite3.connect(db_path, isolation_level=None)
    migrate(old, MIGRATIONS[:1])
    insert = "INSERT INTO tasks (request_json, phase, created_at, error_message) VALUES (?, ?, ?, ?)"
    created = "2025-12-01T10:00:00.000000+00:00"
    old.execute(insert, ('{"prompt": "a"}', "queued", created, "Waiting for a valid API key."))
    old.execute(insert, ('{"prompt": "b"}', "submit_unknown", created, "The app stopped before the answer."))
    old.execute(insert, ('{"prompt": "c"}', "success", created, None))
    old.execute(
        "INSERT INTO downloads (task_row_id, url_index, url, state, error) VALUES (3, 0, 'https://r2/c.mp4', "
        "'failed', 'The file server refused the download (HTTP 451).')"
    )
    old.close()
    with TaskStore(db_path) as store:
        done, lost, queued = store.all()
        assert queued.note is None and task_note_text(queued) == "Waiting for a valid API key."
        assert explain_failure(lost).detail.endswith("What happened: The app stopped before the answer.")
        (record,) = store.downloads.for_task(done.local_id or 0)
        assert record.problem is None and record.legacy_error == "The file server refused the download (HTTP 451)."
        assert download_problem_text(record) == record.legacy_error


def test_rows_fill_every_task_field() -> None:
    """task_rows builds a Task without its constructor (the cost of 10,000 rows at start-up) only while the
    columns it reads name every field; a renamed or added field must not quietly lose that."""
    assert set(task_rows._TASK_FIELDS) == {task_field.name for task_field in dataclasses.fields(Task)}


def test_a_later_migration_keeps_the_rows(db_path: Path) -> None:
    with TaskStore(db_path) as store:
        added = store.add(full_task())
    connection = sqlite3.connect(db_path, isolation_level=None)
    later = [*MIGRATIONS, "ALTER TABLE tasks ADD COLUMN colour_label INTEGER NOT NULL DEFAULT 0;"]
    assert migrate(connection, later) == len(later)
    assert connection.execute("SELECT id, colour_label FROM tasks").fetchall() == [(added.local_id, 0)]
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
    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    connection.close()


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


def batch(store: TaskStore, batch_id: str | None, takes: int) -> list[Task]:
    return [
        store.add(Task(request=GenerationRequest(prompt=f"take {n}"), created_at=T0, batch_id=batch_id))
        for n in range(takes)
    ]


def chosen_ids(store: TaskStore) -> set[int | None]:
    return {task.local_id for task in store.all() if task.chosen}


def test_choosing_a_take_marks_it_and_only_it_in_its_batch(store: TaskStore) -> None:
    first, second, third = batch(store, "b1", 3)
    (other,) = batch(store, "b2", 1)
    assert chosen_ids(store) == set()

    changed = store.choose_take(second.local_id or 0)
    assert [(t.local_id, t.chosen) for t in changed] == [(second.local_id, True)]
    assert changed[0] == store.get(second.local_id or 0)  # freshly loaded, as stored
    assert changed[0].updated_at is not None and second.updated_at is not None
    assert changed[0].updated_at > second.updated_at

    store.choose_take(other.local_id or 0)  # another batch keeps its own pick
    assert chosen_ids(store) == {second.local_id, other.local_id}

    changed = store.choose_take(third.local_id or 0)
    assert [(t.local_id, t.chosen) for t in changed] == [(second.local_id, False), (third.local_id, True)]
    assert chosen_ids(store) == {third.local_id, other.local_id}
    assert store.get(first.local_id or 0) == first  # not a changed take: untouched, not even its updated_at

    assert store.choose_take(third.local_id or 0) == []  # already the pick: nothing changes
    with pytest.raises(LookupError):
        store.choose_take(9999)


def test_a_task_without_a_batch_is_its_own_batch_of_one(store: TaskStore) -> None:
    lone, other_lone = batch(store, None, 2)
    assert [t.local_id for t in store.choose_take(lone.local_id or 0)] == [lone.local_id]
    assert [t.local_id for t in store.choose_take(other_lone.local_id or 0)] == [other_lone.local_id]
    assert chosen_ids(store) == {lone.local_id, other_lone.local_id}


def test_an_update_from_a_stale_copy_keeps_the_pick(store: TaskStore) -> None:
    """The runner keeps unfinished tasks in memory; its next write must not clear a pick made meanwhile."""
    (take,) = batch(store, "b1", 1)
    store.choose_take(take.local_id or 0)
    store.update(take.with_(phase=TaskPhase.PENDING))
    stored = store.get(take.local_id or 0)
    assert stored is not None and stored.chosen and stored.phase == TaskPhase.PENDING


def test_an_update_from_a_stale_copy_keeps_the_review_and_hands_it_back(store: TaskStore) -> None:
    """Marks, stars, note and in/out are the person's: a runner's write neither clears them nor hides them."""
    (take,) = batch(store, "b1", 1)
    review = {"mark": "circled", "rating": 5, "review_note": "the one", "in_ms": 500, "out_ms": 9_000}
    store.projects.write_review(take.local_id or 0, **review)
    written = store.update(take.with_(phase=TaskPhase.PROCESSING, mark=None, rating=0, review_note="", in_ms=None))
    stored = store.get(take.local_id or 0)
    assert stored is not None and stored.phase == TaskPhase.PROCESSING
    for task in (written, stored):
        assert (task.mark, task.rating, task.review_note, task.in_ms, task.out_ms) == (
            TakeMark.CIRCLED,
            5,
            "the one",
            500,
            9_000,
        )


def test_an_old_database_gains_the_pick_column_and_keeps_its_rows(db_path: Path) -> None:
    old = sqlite3.connect(db_path, isolation_level=None)
    migrate(old, MIGRATIONS[:1])  # the schema before takes could be picked
    old.execute(
        "INSERT INTO tasks (request_json, phase, created_at, batch_id) VALUES (?, ?, ?, ?)",
        ('{"prompt": "old"}', "success", "2025-12-01T10:00:00.000000+00:00", "b0"),
    )
    old.close()
    with TaskStore(db_path) as store:
        (task,) = store.all()
        assert task.request.prompt == "old" and task.phase == TaskPhase.SUCCESS and not task.chosen
        assert [t.chosen for t in store.choose_take(task.local_id or 0)] == [True]


def test_get_by_task_id(store: TaskStore) -> None:
    added = store.add(full_task())
    assert store.get_by_task_id("task_12345678") == added
    assert store.get_by_task_id("task_nope") is None


def test_close_is_idempotent(db_path: Path) -> None:
    store = TaskStore(db_path)
    store.close()
    store.close()
