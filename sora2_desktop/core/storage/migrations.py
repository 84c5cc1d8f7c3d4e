"""Migrations: the database schema as numbered scripts, and migrate(), which brings any older file up to date."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

log = logging.getLogger(__name__)

# Projects → shots → takes (core/projects/). A take is a task: its shot, number within the shot, prompt version and
# the editor's review marks are task columns. The history from before becomes the project "Unsorted" with one shot
# per distinct prompt (shots in the order of their first task, SH010, SH020 …), that prompt as version 1, takes
# numbered in created order, and each shot's settings the newest task's request as a compose-form draft; a pick
# made in Compare (`chosen`) becomes a circled take. A database with no tasks gets "Untitled" with one empty shot.
# Names, codes and the template are written out here, not taken from core/projects/model.py: a shipped script never
# changes. The draft's keys are ui/compose/form_draft.to_draft's (core must not import ui; a test holds them equal).
# One SQL pass with window functions and UPDATE … FROM (SQLite ≥ 3.33): 10,000 tasks in well under a second
# (benchmarks/project_migration.py).
_NOW = "strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000+00:00'"  # task_rows' form: microseconds, UTC
MIGRATION_5_PROJECTS = f"""
    CREATE TABLE projects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        folder TEXT,                          -- where its files go; NULL: the app's download folder
        name_template TEXT NOT NULL,          -- file names of its takes ({{project}}_{{shot}}_{{take}}_{{ratio}})
        created_at TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        removed_at TEXT,
        opened_at TEXT                        -- the newest is the current project (follows the demo's own file)
    );
    CREATE TABLE shots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        code TEXT NOT NULL,                   -- SH010; not unique: a removed shot may share a renumbered code
        position INTEGER NOT NULL,            -- order in the project, removed shots included (undo puts them back)
        title TEXT NOT NULL DEFAULT '',
        settings_json TEXT NOT NULL DEFAULT '{{}}',  -- the composer's draft (form_draft.to_draft's keys)
        created_at TEXT NOT NULL,
        removed_at TEXT                       -- hidden, not deleted: undo brings it back with its takes
    );
    CREATE INDEX shots_project ON shots (project_id, position);
    CREATE TABLE prompt_versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        shot_id INTEGER NOT NULL REFERENCES shots (id) ON DELETE CASCADE,
        number INTEGER NOT NULL,              -- 1, 2, 3 … within the shot
        prompt TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (shot_id, number)
    );
    -- No foreign keys on the task side: shots and versions are hidden, never deleted, and the row written before
    -- a paid submit must never be refused over its shot.
    ALTER TABLE tasks ADD COLUMN shot_id INTEGER;
    ALTER TABLE tasks ADD COLUMN take_number INTEGER;          -- T01 = 1, within the shot
    ALTER TABLE tasks ADD COLUMN version_id INTEGER;           -- the prompt version it was made from
    ALTER TABLE tasks ADD COLUMN mark TEXT;                    -- a TakeMark code: circled, hold, no_good
    ALTER TABLE tasks ADD COLUMN rating INTEGER NOT NULL DEFAULT 0;  -- 0-5 stars
    ALTER TABLE tasks ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
    ALTER TABLE tasks ADD COLUMN in_ms INTEGER;                -- the editor's in and out marks on the take
    ALTER TABLE tasks ADD COLUMN out_ms INTEGER;
    CREATE INDEX tasks_shot ON tasks (shot_id, take_number) WHERE shot_id IS NOT NULL;
    CREATE INDEX tasks_version ON tasks (version_id) WHERE version_id IS NOT NULL;

    INSERT INTO projects (name, name_template, created_at, position, opened_at)
        SELECT CASE WHEN EXISTS (SELECT 1 FROM tasks) THEN 'Unsorted' ELSE 'Untitled' END,
               '{{project}}_{{shot}}_{{take}}_{{ratio}}', coalesce((SELECT min(created_at) FROM tasks), {_NOW}),
               0, {_NOW};
    INSERT INTO shots (project_id, code, position, settings_json, created_at)
        SELECT id, 'SH010', 0, '{{}}', {_NOW} FROM projects WHERE NOT EXISTS (SELECT 1 FROM tasks);

    CREATE TEMP TABLE migrating_takes (
        id INTEGER PRIMARY KEY, prompt TEXT NOT NULL, created_at TEXT NOT NULL, take_number INTEGER NOT NULL,
        newest INTEGER NOT NULL
    );
    INSERT INTO migrating_takes
        SELECT id, prompt, created_at,
               row_number() OVER (PARTITION BY prompt ORDER BY created_at, id),
               row_number() OVER (PARTITION BY prompt ORDER BY created_at DESC, id DESC) = 1
        FROM (SELECT id, created_at, coalesce(json_extract(request_json, '$.prompt'), '') AS prompt FROM tasks);
    CREATE TEMP TABLE migrating_shots (prompt TEXT PRIMARY KEY, number INTEGER NOT NULL, first_at TEXT NOT NULL,
                                       newest_id INTEGER NOT NULL, shot_id INTEGER, version_id INTEGER);
    INSERT INTO migrating_shots (prompt, number, first_at, newest_id)
        SELECT prompt, row_number() OVER (ORDER BY min(created_at), min(id)), min(created_at),
               max(CASE WHEN newest THEN id END)
        FROM migrating_takes GROUP BY prompt;
    INSERT INTO shots (project_id, code, position, settings_json, created_at)
        SELECT (SELECT id FROM projects), printf('SH%03d', number * 10), number - 1,
               json_object(
                   'prompt', migrating_shots.prompt,
                   'model', coalesce(json_extract(request_json, '$.model'), 'sora-2'),
                   'mode', coalesce(json_extract(request_json, '$.mode'), 'text-to-video'),
                   'aspect_ratio', coalesce(json_extract(request_json, '$.aspect_ratio'), 'landscape'),
                   'size', coalesce(json_extract(request_json, '$.size'), ''),
                   'resolution', coalesce(json_extract(request_json, '$.resolution'), ''),
                   'duration', coalesce(json_extract(request_json, '$.duration'), 10),
                   'provider', coalesce(json_extract(request_json, '$.provider'), 'auto'),
                   'remove_watermark', json(CASE json_extract(request_json, '$.remove_watermark')
                                            WHEN 0 THEN 'false' ELSE 'true' END),
                   'request_type', coalesce(json_extract(request_json, '$.request_type'), 'async'),
                   'callback_url', coalesce(json_extract(request_json, '$.callback_url'), ''),
                   'takes', 1,
                   'images', (SELECT json_group_array(json_object('source', value, 'is_local', json('false')))
                              FROM json_each(request_json, '$.image_urls'))
               ),
               first_at
        FROM migrating_shots JOIN tasks ON tasks.id = migrating_shots.newest_id
        ORDER BY number;
    UPDATE migrating_shots SET shot_id = shots.id FROM shots WHERE shots.position = migrating_shots.number - 1;
    INSERT INTO prompt_versions (shot_id, number, prompt, created_at)
        SELECT shot_id, 1, prompt, first_at FROM migrating_shots ORDER BY number;
    UPDATE migrating_shots SET version_id = prompt_versions.id
        FROM prompt_versions WHERE prompt_versions.shot_id = migrating_shots.shot_id;
    UPDATE tasks SET shot_id = placed.shot_id, version_id = placed.version_id, take_number = placed.take_number
        FROM (SELECT migrating_takes.id, shot_id, version_id, take_number
              FROM migrating_takes JOIN migrating_shots USING (prompt)) AS placed
        WHERE tasks.id = placed.id;
    UPDATE tasks SET mark = 'circled' WHERE chosen = 1;
    DROP TABLE temp.migrating_takes;
    DROP TABLE temp.migrating_shots;
"""

# Each script moves the schema one version up; user_version counts the scripts applied. Never edit a shipped
# script: append a new one (ALTER TABLE … ADD COLUMN, CREATE TABLE …) so every older database can follow.
# Times are UTC ISO 8601 text with microseconds; task_rows says why.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
    CREATE TABLE tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a removed task's id is never given to another
        request_json TEXT NOT NULL,           -- GenerationRequest.to_dict()
        phase TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        batch_id TEXT,
        task_id TEXT,                         -- the service's taskId
        submitted_at TEXT,
        next_poll_at TEXT,
        polls INTEGER NOT NULL DEFAULT 0,
        raw_state TEXT,
        result_urls TEXT NOT NULL DEFAULT '',  -- one per line
        fail_code TEXT,
        fail_message TEXT,
        error_message TEXT,
        service_created_at TEXT,
        completed_at TEXT,
        cost_time_ms INTEGER
    );
    CREATE INDEX tasks_phase ON tasks (phase);
    CREATE INDEX tasks_created_at ON tasks (created_at);
    CREATE INDEX tasks_task_id ON tasks (task_id) WHERE task_id IS NOT NULL;
    CREATE TABLE downloads (
        task_row_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        url_index INTEGER NOT NULL,
        url TEXT NOT NULL,
        path TEXT,
        bytes_done INTEGER NOT NULL DEFAULT 0,
        bytes_total INTEGER,
        state TEXT NOT NULL,
        expires_at TEXT,
        error TEXT,
        PRIMARY KEY (task_row_id, url_index)
    );
    CREATE INDEX downloads_state ON downloads (state);
    """,
    """
    ALTER TABLE tasks ADD COLUMN chosen INTEGER NOT NULL DEFAULT 0;  -- the take picked in its batch (Compare)
    CREATE INDEX tasks_batch_id ON tasks (batch_id) WHERE batch_id IS NOT NULL;
    """,
    # Codes and facts instead of sentences: the words are made when shown, in the reader's language. The old
    # text columns stay: tasks.error_message keeps the service's own words, downloads.error is only read (rows
    # from before this script).
    """
    ALTER TABLE tasks ADD COLUMN note TEXT;              -- a TaskNote code
    ALTER TABLE tasks ADD COLUMN note_detail TEXT;       -- the fact the note names
    ALTER TABLE downloads ADD COLUMN problem TEXT;       -- a DownloadProblem code
    ALTER TABLE downloads ADD COLUMN problem_detail TEXT;
    """,
    # Models are data: the request JSON names its model (absent: sora-2); the task keeps the catalogue it was
    # judged by and what it was expected to cost, and the key's balance readings are kept to set beside it.
    """
    ALTER TABLE tasks ADD COLUMN catalogue_version TEXT;
    ALTER TABLE tasks ADD COLUMN cost_estimate_usd REAL;
    CREATE TABLE balance_readings (
        read_at TEXT NOT NULL,                -- UTC ISO 8601, as every time here
        balance_usd REAL NOT NULL
    );
    CREATE INDEX balance_readings_read_at ON balance_readings (read_at);
    """,
    MIGRATION_5_PROJECTS,
    # Lineage: a take made from a frame of another take records which frame (core/projects/source_frame.py).
    # JSON, not columns: it is read with the take, never searched by.
    """
    ALTER TABLE tasks ADD COLUMN source_frame TEXT;  -- SourceFrame.to_text(): task, shot, take, ms, timecode
    """,
]


def schema_version(connection: sqlite3.Connection) -> int:
    """How many scripts the database has seen (0 for a new, empty file)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Apply the scripts the database has not seen yet, each in its own transaction; return the version.

    A database already past `migrations` is left as it is (Database refuses to open one before this)."""
    version = schema_version(connection)
    for number, script in enumerate(migrations[version:], start=version + 1):
        # executescript cannot join an open transaction, so the script carries its own BEGIN/COMMIT; the
        # version bump is inside it, so a crash leaves either the old schema or the new one, never half.
        applied_at = datetime.now(UTC).isoformat(timespec="microseconds")
        try:
            connection.executescript(
                f"BEGIN IMMEDIATE;\n{script}\n"
                f"INSERT INTO schema_migrations VALUES ({number}, '{applied_at}');\n"
                f"PRAGMA user_version = {number};\nCOMMIT;"
            )
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        log.info("task database migrated to schema %d", number)
        version = number
    return version
