"""Migrations: a history written before models were data opens with every task intact, read as Sora 2."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sora2_desktop.core.storage.migrations import MIGRATIONS, migrate, schema_version
from sora2_desktop.core.storage.task_store import TaskStore

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
