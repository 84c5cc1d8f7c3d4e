"""Database: the one SQLite connection (WAL, pragmas), its transactions, checkpoints off the GUI thread, closing."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sora2_desktop.core.storage.migrations import MIGRATIONS, migrate, schema_version

log = logging.getLogger(__name__)


class NewerDatabaseError(RuntimeError):
    """The database was written by a newer version of the app; opening it here could damage it."""


class Database:
    """One connection, autocommit: every write is one small transaction unless `transaction()` groups several,
    so a crash loses nothing committed.

    Use it from the thread that opened it (the Qt/asyncio thread): writes are single rows in WAL mode with
    synchronous=NORMAL, a fraction of a millisecond, and loads are one query."""

    def __init__(self, path: str | Path, migrations: Sequence[str] = MIGRATIONS) -> None:
        self.path = str(path)
        self._closed = False
        # isolation_level=None: the sqlite3 module opens no hidden transactions; ours are explicit.
        self._db = sqlite3.connect(self.path, isolation_level=None)
        try:
            # Another connection (a second instance, a test, a benchmark) may hold the write lock briefly.
            self._db.execute("PRAGMA busy_timeout=5000")
            # Checked before anything is set: switching a newer app's file to WAL would already change it.
            version = schema_version(self._db)
            if version > len(migrations):
                raise NewerDatabaseError(
                    f"The task database is from a newer version of Sora 2 Desktop (schema {version}, this app "
                    f"knows {len(migrations)}). Update the app, or start it with another --profile."
                )
            mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal" and self.path != ":memory:":
                log.warning("task database is not in WAL mode (%s); readers may wait on writers", mode)
            # NORMAL is durable in WAL mode except for the last commits before a power cut (not an app crash).
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self.schema_version = migrate(self._db, migrations)
        except BaseException:
            self._db.close()
            raise

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        return self._db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> sqlite3.Cursor:
        return self._db.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is written together or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def pragma(self, name: str) -> Any:
        """Read one PRAGMA (journal_mode, foreign_keys, user_version…), for diagnostics and tests."""
        if not name.replace("_", "").isalpha():
            raise ValueError(f"not a pragma name: {name!r}")
        return self._db.execute(f"PRAGMA {name}").fetchone()[0]

    def stop_automatic_checkpoints(self) -> None:
        """The app checkpoints from a worker (`checkpoint_in_worker_thread`): an automatic checkpoint runs inside
        the commit that crosses 1,000 pages, on the GUI thread, and took up to 49 ms there
        (benchmarks/README.md)."""
        self._db.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint_in_worker_thread(self) -> None:
        """Copy the WAL into the database file; call it off the GUI thread. Its own connection: sqlite3
        connections belong to the thread that made them."""
        if self.path == ":memory:":
            return
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA busy_timeout=5000")
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        """Idempotent: the app closes on quit, tests close again in teardown."""
        if self._closed:
            return
        self._closed = True
        try:
            self._db.execute("PRAGMA optimize")  # SQLite's advice: keeps the query planner's statistics fresh
        finally:
            self._db.close()
