"""Migrations: the database schema as numbered scripts, and migrate(), which brings any older file up to date."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

log = logging.getLogger(__name__)

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
