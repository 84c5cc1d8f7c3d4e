"""Migrations: a history written before models were data opens with every task intact, read as Sora 2; a history
from before projects becomes the project "Unsorted", one shot per prompt, takes in order."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.storage.migrations import MIGRATIONS, migrate, schema_version
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.ui.compose.form_draft import FormValues, from_draft, to_draft

# A request as version 3 of the schema stored it: no model, no size or resolution.
OLD_REQUEST = {
    "prompt": "A lighthouse in fog",
    "mode": "text-to-video",
    "duration": 15,
    "aspect_ratio": "portrait",
    "image_urls": [],
    "remove_watermark": True,
    "provider": "value",
    "request_type": "async",
    "callback_url": None,
}


def test_a_schema_3_history_reads_as_sora_2_with_no_estimate(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    connection = sqlite3.connect(path)
    assert migrate(connection, MIGRATIONS[:3]) == 3
    connection.execute(
        "INSERT INTO tasks (request_json, phase, created_at) VALUES (?, 'success', ?)",
        (json.dumps(OLD_REQUEST), "2026-01-09T13:33:30.929000+00:00"),
    )
    connection.commit()
    connection.close()

    with TaskStore(path) as store:
        (task,) = store.all()
    reopened = sqlite3.connect(path)
    assert schema_version(reopened) == len(MIGRATIONS)
    assert reopened.execute("SELECT count(*) FROM balance_readings").fetchone() == (0,)
    reopened.close()
    assert task.request.model == "sora-2"
    assert (task.request.duration, task.request.aspect_ratio, task.request.provider) == (15, "portrait", "value")
    assert task.catalogue_version is None and task.cost_estimate_usd is None


# -- schema 5: the history becomes the project "Unsorted" ---------------------------------------------------------


def _request(prompt: str, **changes: object) -> str:
    request = {**OLD_REQUEST, "model": "sora-2", "size": "", "resolution": "", "prompt": prompt, **changes}
    return json.dumps(request, ensure_ascii=False)


def _schema_4_history(path: Path, rows: list[tuple[str, str, int]]) -> list[int]:
    """(request JSON, created_at, chosen) rows in a schema-4 database; their ids in order."""
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, MIGRATIONS[:4]) == 4
    ids: list[int] = []
    connection.execute("BEGIN")
    for request_json, created_at, chosen in rows:
        cursor = connection.execute(
            "INSERT INTO tasks (request_json, phase, created_at, batch_id, chosen, polls, task_id) "
            "VALUES (?, 'success', ?, 'b', ?, 3, ?)",
            (request_json, created_at, chosen, f"task_{len(ids)}"),
        )
        ids.append(int(cursor.lastrowid or 0))
    connection.execute("COMMIT")
    connection.close()
    return ids


def _at(second: int) -> str:
    return f"2026-01-09T13:33:{second:02d}.000000+00:00"


def test_a_schema_4_history_becomes_one_shot_per_prompt_with_its_takes_in_order(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    fog, dawn = "A lighthouse in fog", "Dawn over a harbour — «slow» pan 🌅"
    ids = _schema_4_history(
        path,
        [
            (_request(dawn), _at(20), 0),  # created after the first fog take, stored first
            (_request(fog), _at(10), 0),
            (_request(fog, duration=10), _at(30), 1),  # picked in Compare
            (_request(dawn, size="1280*720", model="sora-2-pro"), _at(40), 0),
            (_request(fog), _at(30), 0),  # the same instant as the fog take above: the id breaks the tie
        ],
    )
    before = sqlite3.connect(path)
    old_rows = before.execute("SELECT * FROM tasks ORDER BY id").fetchall()
    before.close()

    with TaskStore(path) as store:
        (project,) = store.projects.projects()
        shots = store.projects.shots(project.id)
        tasks = {task.local_id: task for task in store.all()}
        versions = {shot.code: store.projects.versions(shot.id) for shot in shots}
        current = store.projects.opened_project_id()

    assert project.name == "Unsorted" and project.name_template == "{project}_{shot}_{take}_{ratio}"
    assert current == project.id
    assert [(shot.code, shot.settings["prompt"]) for shot in shots] == [("SH010", fog), ("SH020", dawn)]
    fog_shot, dawn_shot = shots
    assert [(v.number, v.prompt) for v in versions["SH010"]] == [(1, fog)]
    assert [(v.number, v.prompt) for v in versions["SH020"]] == [(1, dawn)]
    placed = {local_id: (t.shot_id, t.take_number, t.version_id) for local_id, t in tasks.items()}
    fog_version, dawn_version = versions["SH010"][0].id, versions["SH020"][0].id
    assert placed == {
        ids[1]: (fog_shot.id, 1, fog_version),
        ids[2]: (fog_shot.id, 2, fog_version),
        ids[4]: (fog_shot.id, 3, fog_version),
        ids[0]: (dawn_shot.id, 1, dawn_version),
        ids[3]: (dawn_shot.id, 2, dawn_version),
    }
    assert [t.mark for t in tasks.values() if t.chosen] == [TakeMark.CIRCLED]
    assert {t.mark for t in tasks.values() if not t.chosen} == {None}
    # Nothing lost: every column the rows had is as it was.
    after = sqlite3.connect(path)
    old_width = len(old_rows[0])
    assert [row[:old_width] for row in after.execute("SELECT * FROM tasks ORDER BY id")] == old_rows
    after.close()


def test_each_migrated_shot_holds_its_newest_take_as_a_compose_draft(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    dawn = "Dawn over a harbour"
    newest = _request(
        dawn,
        model="sora-2-pro",
        mode="image-to-video",
        size="1280*720",
        duration=15,
        remove_watermark=False,
        image_urls=["https://cdn.example.com/a.png"],
        request_type="callback",
        callback_url="https://hooks.example.com/x",
    )
    _schema_4_history(path, [(_request(dawn), _at(1), 0), (newest, _at(2), 0), (_request(dawn), _at(0), 0)])
    with TaskStore(path) as store:
        (project,) = store.projects.projects()
        (shot,) = store.projects.shots(project.id)
    # The keys are the compose form's own (core writes them without importing ui): the draft reads back as the
    # newest take's settings.
    assert set(shot.settings) == set(to_draft(FormValues()))
    expected = FormValues.from_request(GenerationRequest.from_dict(json.loads(newest)))
    assert from_draft(shot.settings) == expected


def test_a_fresh_database_starts_with_one_project_and_one_shot(tmp_path: Path) -> None:
    with TaskStore(tmp_path / "tasks.sqlite3") as store:
        (project,) = store.projects.projects()
        (shot,) = store.projects.shots(project.id)
        assert store.projects.versions(shot.id) == []
    assert (project.name, project.folder, shot.code, shot.settings) == ("Untitled", None, "SH010", {})


def test_ten_thousand_tasks_migrate_in_one_pass(tmp_path: Path) -> None:
    """Correctness at scale (the time is benchmarks/project_migration.py's business): 500 prompts, 20 takes each."""
    path = tmp_path / "tasks.sqlite3"
    rows = [
        (_request(f"prompt {n % 500}"), f"2026-01-{1 + n // 5000:02d}T10:00:00.{n % 5000:06d}+00:00", 0)
        for n in range(10_000)
    ]
    _schema_4_history(path, rows)
    with TaskStore(path) as store:
        (project,) = store.projects.projects()
        shots = store.projects.shots(project.id)
        assert [shot.code for shot in shots[:2]] == ["SH010", "SH020"] and shots[-1].code == "SH5000"
        assert [shot.settings["prompt"] for shot in shots[:3]] == ["prompt 0", "prompt 1", "prompt 2"]
        takes = store.projects.takes(shots[7].id)
        assert [t.take_number for t in takes] == list(range(1, 21))
        assert all(t.request.prompt == "prompt 7" for t in takes)
        assert store.count() == 10_000
