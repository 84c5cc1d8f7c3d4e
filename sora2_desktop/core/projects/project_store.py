"""ProjectStore: the `projects`, `shots` and `prompt_versions` tables, and the take columns of `tasks`, in SQLite."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.model import DEFAULT_NAME_TEMPLATE, Project, PromptVersion, Shot
from sora2_desktop.core.storage.database import Database
from sora2_desktop.core.storage.task_rows import TASK_COLUMNS, from_text, task_from_row, to_text
from sora2_desktop.core.tasks.task import Task

_PROJECT = "SELECT id, name, folder, name_template, created_at, position FROM projects"
_SHOT = "SELECT id, project_id, code, position, settings_json, title, created_at FROM shots"
_VERSION = "SELECT id, shot_id, number, prompt, created_at FROM prompt_versions"
_TASKS = f"SELECT {', '.join(TASK_COLUMNS)} FROM tasks"
# The review columns a setter may write (ProjectService's marks); never a name taken from elsewhere.
_REVIEW = ("mark", "rating", "review_note", "in_ms", "out_ms")


class ProjectStore:
    """On the task store's connection (TaskStore.projects). Plain reads and writes: the rules (codes, positions,
    versions, take numbers) are ProjectService's. Removed projects and shots keep their rows (`removed_at`)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def transaction(self) -> Any:
        return self._db.transaction()

    # -- projects ---------------------------------------------------------------------------------------------

    def projects(self) -> list[Project]:
        return [_project(row) for row in self._db.execute(f"{_PROJECT} WHERE removed_at IS NULL ORDER BY position, id")]

    def project(self, project_id: int) -> Project | None:
        row = self._db.execute(f"{_PROJECT} WHERE id = ? AND removed_at IS NULL", (project_id,)).fetchone()
        return None if row is None else _project(row)

    def add_project(self, name: str, folder: str | None, name_template: str | None) -> Project:
        now = _now()
        position = self._db.execute("SELECT coalesce(max(position) + 1, 0) FROM projects").fetchone()[0]
        cursor = self._db.execute(
            "INSERT INTO projects (name, folder, name_template, created_at, position) VALUES (?, ?, ?, ?, ?)",
            (name, folder, name_template or DEFAULT_NAME_TEMPLATE, now, position),
        )
        assert cursor.lastrowid is not None
        project = self.project(cursor.lastrowid)
        assert project is not None
        return project

    def write_project(self, project: Project) -> None:
        self._db.execute(
            "UPDATE projects SET name = ?, folder = ?, name_template = ? WHERE id = ?",
            (project.name, project.folder, project.name_template or DEFAULT_NAME_TEMPLATE, project.id),
        )

    def opened_project_id(self) -> int | None:
        """The project opened last (the current one), among those not removed."""
        row = self._db.execute(
            "SELECT id FROM projects WHERE removed_at IS NULL AND opened_at IS NOT NULL ORDER BY opened_at DESC LIMIT 1"
        ).fetchone()
        return None if row is None else int(row[0])

    def mark_opened(self, project_id: int) -> None:
        self._db.execute("UPDATE projects SET opened_at = ? WHERE id = ?", (_now(), project_id))

    # -- shots ------------------------------------------------------------------------------------------------

    def shots(self, project_id: int, *, removed_too: bool = False) -> list[Shot]:
        hidden = "" if removed_too else " AND removed_at IS NULL"
        return [
            _shot(row)
            for row in self._db.execute(f"{_SHOT} WHERE project_id = ?{hidden} ORDER BY position, id", (project_id,))
        ]

    def shot(self, shot_id: int) -> Shot | None:
        """Removed or not (a take keeps its shot's code)."""
        row = self._db.execute(f"{_SHOT} WHERE id = ?", (shot_id,)).fetchone()
        return None if row is None else _shot(row)

    def is_removed(self, shot_id: int) -> bool:
        row = self._db.execute("SELECT removed_at FROM shots WHERE id = ?", (shot_id,)).fetchone()
        return row is not None and row[0] is not None

    def add_shot(self, project_id: int, code: str, position: int, settings: dict[str, Any], title: str) -> Shot:
        """Insert at `position`, the shots from there on moving one down."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE shots SET position = position + 1 WHERE project_id = ? AND position >= ?",
                (project_id, position),
            )
            cursor = self._db.execute(
                "INSERT INTO shots (project_id, code, position, title, settings_json, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (project_id, code, position, title, _json(settings), _now()),
            )
        assert cursor.lastrowid is not None
        shot = self.shot(cursor.lastrowid)
        assert shot is not None
        return shot

    def write_shot(self, shot: Shot) -> None:
        self._db.execute(
            "UPDATE shots SET code = ?, position = ?, title = ?, settings_json = ? WHERE id = ?",
            (shot.code, shot.position, shot.title, _json(shot.settings), shot.id),
        )

    def settings_json(self, shot_id: int) -> str | None:
        row = self._db.execute("SELECT settings_json FROM shots WHERE id = ?", (shot_id,)).fetchone()
        return None if row is None else str(row[0])

    def write_settings(self, shot_id: int, settings: dict[str, Any]) -> None:
        self._db.execute("UPDATE shots SET settings_json = ? WHERE id = ?", (_json(settings), shot_id))

    def write_order(self, shots: Sequence[tuple[int, int, str]]) -> None:
        """(shot id, position, code) for each shot, in one transaction."""
        with self._db.transaction():
            self._db.executemany(
                "UPDATE shots SET position = ?, code = ? WHERE id = ?", [(pos, code, sid) for sid, pos, code in shots]
            )

    def set_removed(self, shot_id: int, removed: bool) -> None:
        self._db.execute("UPDATE shots SET removed_at = ? WHERE id = ?", (_now() if removed else None, shot_id))

    def append_shots(
        self, project_id: int, shots: Sequence[tuple[str, str, dict[str, Any]]], hide: Sequence[int] = ()
    ) -> list[Shot]:
        """(code, title, settings) of each new shot, after every shot of the project, and the shots `hide` hidden:
        in one transaction (an imported shot list is there whole or not at all)."""
        now = _now()
        with self._db.transaction():
            self._db.executemany("UPDATE shots SET removed_at = ? WHERE id = ?", [(now, sid) for sid in hide])
            start = self._db.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM shots WHERE project_id = ?", (project_id,)
            ).fetchone()[0]
            ids = [
                self._db.execute(
                    "INSERT INTO shots (project_id, code, position, title, settings_json, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (project_id, code, start + offset, title, _json(settings), now),
                ).lastrowid
                for offset, (code, title, settings) in enumerate(shots)
            ]
        return [shot for shot in (self.shot(sid) for sid in ids if sid is not None) if shot is not None]

    def set_removed_many(self, hide: Sequence[int], show: Sequence[int] = ()) -> None:
        """Hide the shots `hide` and show `show` again, in one transaction (an import undone)."""
        now = _now()
        with self._db.transaction():
            self._db.executemany("UPDATE shots SET removed_at = ? WHERE id = ?", [(now, sid) for sid in hide])
            self._db.executemany("UPDATE shots SET removed_at = NULL WHERE id = ?", [(sid,) for sid in show])

    # -- versions and takes -----------------------------------------------------------------------------------

    def versions(self, shot_id: int) -> list[PromptVersion]:
        return [_version(row) for row in self._db.execute(f"{_VERSION} WHERE shot_id = ? ORDER BY number", (shot_id,))]

    def version(self, version_id: int) -> PromptVersion | None:
        row = self._db.execute(f"{_VERSION} WHERE id = ?", (version_id,)).fetchone()
        return None if row is None else _version(row)

    def add_version(self, shot_id: int, prompt: str) -> PromptVersion:
        number = self._db.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM prompt_versions WHERE shot_id = ?", (shot_id,)
        ).fetchone()[0]
        cursor = self._db.execute(
            "INSERT INTO prompt_versions (shot_id, number, prompt, created_at) VALUES (?, ?, ?, ?)",
            (shot_id, number, prompt, _now()),
        )
        assert cursor.lastrowid is not None
        version = self.version(cursor.lastrowid)
        assert version is not None
        return version

    def highest_take(self, shot_id: int) -> int:
        """The shot's highest take number (removed tasks' numbers are not given again while a higher one lives)."""
        row = self._db.execute("SELECT coalesce(max(take_number), 0) FROM tasks WHERE shot_id = ?", (shot_id,))
        return int(row.fetchone()[0])

    def takes(self, shot_id: int) -> list[Task]:
        requests: dict[str, GenerationRequest] = {}
        rows = self._db.execute(f"{_TASKS} WHERE shot_id = ? ORDER BY take_number, id", (shot_id,))
        return [task_from_row(row, requests) for row in rows]

    def task(self, local_id: int) -> Task | None:
        row = self._db.execute(f"{_TASKS} WHERE id = ?", (local_id,)).fetchone()
        return None if row is None else task_from_row(row, {})

    def write_review(self, local_id: int, **values: object) -> Task | None:
        """Write review columns (mark, rating, review_note, in_ms, out_ms) of one task; the task as stored after,
        or None when it is gone."""
        if not values or not set(values) <= set(_REVIEW):
            raise ValueError(f"not review columns: {sorted(values)}")
        columns = ", ".join(f"{name} = ?" for name in values)
        cursor = self._db.execute(
            f"UPDATE tasks SET {columns}, updated_at = ? WHERE id = ?", (*values.values(), _now(), local_id)
        )
        return self.task(local_id) if cursor.rowcount else None


def _now() -> str:
    text = to_text(datetime.now(UTC))
    assert text is not None
    return text


def _json(settings: dict[str, Any]) -> str:
    return json.dumps(settings, ensure_ascii=False, sort_keys=True)


def _settings(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}  # a hand-edited row: the composer falls back to its defaults, as with any bad draft
    return data if isinstance(data, dict) else {}


def _project(row: tuple[Any, ...]) -> Project:
    return Project(
        id=row[0], name=row[1], folder=row[2], name_template=row[3], created_at=from_text(row[4]), position=row[5]
    )


def _shot(row: tuple[Any, ...]) -> Shot:
    return Shot(
        id=row[0],
        project_id=row[1],
        code=row[2],
        position=row[3],
        settings=_settings(row[4]),
        title=row[5],
        created_at=from_text(row[6]),
    )


def _version(row: tuple[Any, ...]) -> PromptVersion:
    return PromptVersion(id=row[0], shot_id=row[1], number=row[2], prompt=row[3], created_at=from_text(row[4]))
