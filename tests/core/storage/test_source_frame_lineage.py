"""Lineage of a start frame: migration 6 keeps every row of a schema-5 history, a take's SourceFrame survives the
store, the runner's later writes and the sidecar, and a row it cannot read shows no lineage rather than failing."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.projects import source_frame
from sora2_desktop.core.projects.source_frame import SourceFrame, draft_entry, kept_in_draft
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.files import sidecar_document
from sora2_desktop.core.storage.migrations import MIGRATIONS, migrate, schema_version
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LINEAGE = SourceFrame(task_local_id=7, shot_code="SH020", take_number=3, at_ms=4_480, timecode="00:00:04:12")
REQUEST = GenerationRequest(prompt="The hero walks on", mode=Mode.IMAGE_TO_VIDEO, image_urls=("https://x/a.png",))


def test_migration_6_adds_the_column_and_keeps_every_row_of_a_schema_5_history(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, MIGRATIONS[:5]) == 5
    for number in range(3):
        connection.execute(
            "INSERT INTO tasks (request_json, phase, created_at, task_id, shot_id, take_number, mark, rating) "
            "VALUES (?, 'success', ?, ?, 1, ?, 'circled', 4)",
            (json.dumps(REQUEST.to_dict()), f"2026-03-01T09:00:0{number}.000000+00:00", f"task_{number}", number + 1),
        )
    before = connection.execute("SELECT * FROM tasks ORDER BY id").fetchall()
    connection.close()

    with TaskStore(path) as store:
        tasks = sorted(store.all(), key=lambda task: task.local_id or 0)
    after = sqlite3.connect(path)
    assert schema_version(after) == len(MIGRATIONS) >= 6
    columns = [row[1] for row in after.execute("PRAGMA table_info(tasks)")]
    rows = after.execute("SELECT * FROM tasks ORDER BY id").fetchall()
    after.close()
    assert "source_frame" in columns
    width = len(before[0])
    assert [row[:width] for row in rows] == before  # nothing moved or lost
    assert [row[columns.index("source_frame")] for row in rows] == [None, None, None]
    assert [(t.take_number, t.rating, t.source_frame) for t in tasks] == [(1, 4, None), (2, 4, None), (3, 4, None)]


def test_a_take_keeps_its_lineage_through_the_store_and_later_updates(tmp_path: Path) -> None:
    with TaskStore(tmp_path / "tasks.sqlite3") as store:
        added = store.add(Task(request=REQUEST, created_at=T0, phase=TaskPhase.QUEUED, source_frame=LINEAGE))
        assert added.local_id is not None
        assert store.get(added.local_id) == added and added.source_frame == LINEAGE
        # The runner writes its copy of the task at every step: the lineage it carries stays.
        store.update(added.with_(phase=TaskPhase.SUCCESS, task_id="task_1"))
        stored = store.get(added.local_id)
        assert stored is not None and stored.source_frame == LINEAGE and stored.phase == TaskPhase.SUCCESS
        taken = store.projects.task(added.local_id)  # the project store reads the same columns
        assert taken is not None and taken.source_frame == LINEAGE


def test_a_lineage_this_version_cannot_read_shows_none(tmp_path: Path) -> None:
    with TaskStore(tmp_path / "tasks.sqlite3") as store:
        added = store.add(Task(request=REQUEST, created_at=T0))
        assert added.local_id is not None
    connection = sqlite3.connect(tmp_path / "tasks.sqlite3")
    for broken in ("{not json", '{"task_local_id": "seven"}', "[1, 2]"):
        connection.execute("UPDATE tasks SET source_frame = ?", (broken,))
        connection.commit()
        with TaskStore(tmp_path / "tasks.sqlite3") as store:
            loaded = store.get(added.local_id)
        assert loaded is not None and loaded.source_frame is None, broken
    connection.close()


def test_the_sidecar_says_where_the_start_frame_came_from() -> None:
    task = Task(request=REQUEST, created_at=T0, local_id=9, task_id="task_9", source_frame=LINEAGE)
    download = Download(local_id=9, url_index=0, url="https://cdn/x.mp4", state=DownloadState.DONE)
    document = sidecar_document(task, download, T0)
    assert document["source_frame"] == {
        "task_local_id": 7,
        "shot_code": "SH020",
        "take_number": 3,
        "at_ms": 4_480,
        "timecode": "00:00:04:12",
    }
    json.dumps(document)  # JSON-safe as written
    assert sidecar_document(task.with_(source_frame=None), download, T0)["source_frame"] is None


def test_a_draft_carries_the_lineage_only_while_its_image_is_listed() -> None:
    image = "/work/frames/SH020_T03_00-00-04-12_1280x720.png"
    draft = {
        "mode": "image-to-video",
        "images": [{"source": image, "is_local": True}],
        source_frame.DRAFT_KEY: draft_entry(LINEAGE, image),
    }
    assert source_frame.for_takes(draft) == LINEAGE
    assert source_frame.from_draft(draft) == (LINEAGE, image)
    assert source_frame.for_takes({**draft, "mode": "text-to-video"}) is None  # no start image is sent
    replaced = {**draft, "images": [{"source": "/elsewhere/other.png", "is_local": True}]}
    assert not kept_in_draft(draft[source_frame.DRAFT_KEY], replaced)
    assert source_frame.for_takes(replaced) is None
    assert source_frame.for_takes({"mode": "image-to-video"}) is None


def test_takes_generated_from_a_draft_with_a_start_frame_record_it(tmp_path: Path) -> None:
    """ProjectService.placing hands the draft's lineage to the runner for a fresh image-to-video Generate only."""
    from sora2_desktop.core.projects.project_service import ProjectService

    with TaskStore(tmp_path / "tasks.sqlite3") as store:
        service = ProjectService(lambda: store, lambda _task: None)
        shot = service.shots(service.current_project().id)[0]
        image = "/frames/SH020_T03.png"
        service.save_shot_settings(
            shot.id,
            {"mode": "image-to-video", "images": [{"source": image, "is_local": True}],
             source_frame.DRAFT_KEY: draft_entry(LINEAGE, image)},
        )  # fmt: skip
        heard: list[object] = []

        def store_and_send(requests: list[GenerationRequest], **kwargs: object) -> list[Task]:
            heard.append(kwargs.get("source_frame"))
            return []

        send = service.placing(store_and_send)
        send([REQUEST], shot_id=shot.id)
        send([GenerationRequest(prompt="t2v", mode=Mode.TEXT_TO_VIDEO)], shot_id=shot.id)
        send([REQUEST], shot_id=shot.id, version_id=1)  # a re-run is not from the draft
        send([REQUEST])  # outside any shot
        other = SourceFrame(task_local_id=9, shot_code="SH030", take_number=1, at_ms=0, timecode="00:00:00:00")
        send([REQUEST], shot_id=shot.id, version_id=1, source_frame=other)  # a re-run brings its take's own
        assert heard == [LINEAGE, None, None, None, other]
