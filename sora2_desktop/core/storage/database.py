"""Database: the one SQLite connection (WAL, pragmas), its transactions, checkpoints off the GUI thread, closing."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sora2_desktop.core.storage.migrations import MIGRATIONS, migrate, schema_version
from sora2_desktop.core.storage.write_behind import WriteBehind

T = TypeVar("T")

log = logging.getLogger(__name__)


# SQLite's primary result codes that mean "the file is not a sound database" (the extended codes keep them in the
# low byte). Anything else (locked, read-only, cannot open) is about the surroundings, not the file.
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
# The files SQLite keeps next to a database; a damaged one is put aside with them, so they stay a set.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


class NewerDatabaseError(RuntimeError):
    """The database was written by a newer version of the app; opening it here could damage it."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"task database schema {found} is from a newer version (this version knows {known})")
        self.found = found
        self.known = known


class CorruptDatabaseError(RuntimeError):
    """The file is not a sound SQLite database (not a database at all, truncated, a malformed page)."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"task database {path} is damaged: {detail}")
        self.path = path
        self.detail = detail


def is_corruption(err: sqlite3.DatabaseError) -> bool:
    return (getattr(err, "sqlite_errorcode", 0) & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


class Database:
    """One connection, autocommit: every write is one small transaction unless `transaction()` groups several,
    so a crash loses nothing committed.

    Use it from the thread that opened it (the Qt/asyncio thread): writes are single rows in WAL mode with
    synchronous=NORMAL, a fraction of a millisecond, and loads are one query. A write on a busy disk can take far
    longer, so the hot writes (the runner's poll answers) are `post()`ed to a writer thread (write_behind.py) and
    awaited; a write on this connection first waits for what is posted, so writes keep their order."""

    def __init__(self, path: str | Path, migrations: Sequence[str] = MIGRATIONS) -> None:
        self.path = str(path)
        self._closed = False
        if self.path != ":memory:":
            _create_private(Path(self.path))
        # isolation_level=None: the sqlite3 module opens no hidden transactions; ours are explicit.
        self._db = sqlite3.connect(self.path, isolation_level=None)
        try:
            # Another connection (a second instance, a test, a benchmark) may hold the write lock briefly.
            self._db.execute("PRAGMA busy_timeout=5000")
            # Checked before anything is set: switching a newer app's file to WAL would already change it.
            version = schema_version(self._db)
            if version > len(migrations):
                raise NewerDatabaseError(version, len(migrations))
            mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal" and self.path != ":memory:":
                log.warning("task database is not in WAL mode (%s); readers may wait on writers", mode)
            # NORMAL is durable in WAL mode except for the last commits before a power cut (not an app crash).
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self.schema_version = migrate(self._db, migrations)
            # Its own connection, opened on its thread at the first post (none for an in-memory database: a
            # second connection to ":memory:" would be another database; posts run here instead).
            pragmas = ("PRAGMA busy_timeout=5000", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON")
            self._writer = WriteBehind(self.path, pragmas) if self.path != ":memory:" else None
        except sqlite3.DatabaseError as err:
            self._db.close()
            if is_corruption(err):
                raise CorruptDatabaseError(self.path, str(err)) from err
            raise
        except BaseException:
            self._db.close()
            raise

    def quick_check(self) -> None:
        """Raise CorruptDatabaseError unless SQLite's quick_check finds every page sound. It reads the whole
        file (milliseconds for a history of thousands of tasks), so the app runs it once, at start-up."""
        try:
            rows = self._db.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as err:
            if is_corruption(err):
                raise CorruptDatabaseError(self.path, str(err)) from err
            raise
        if [row[0] for row in rows] != ["ok"]:
            raise CorruptDatabaseError(self.path, "; ".join(str(row[0]) for row in rows[:3]))

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        if self._writer is not None and self._writer.busy and not _is_read(sql):
            self._writer.drain()
        return self._db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> sqlite3.Cursor:
        self._drain()
        return self._db.executemany(sql, rows)

    def post(
        self, sql: str, params: Sequence[object], then: Callable[[list[Any]], T], key: Hashable | None = None
    ) -> Future[T]:
        """Run a write on the writer thread, after every write before it; the Future holds `then(rows)`. A reader
        on this connection sees it once the Future is done (await it before anything that depends on it, or
        `drain_key(key)` before reading what it wrote)."""
        # Inside this connection's transaction the writer would wait for its lock while this thread waits for the
        # writer: written here instead, in order (the writer was drained when the transaction began).
        if self._writer is not None and not self._db.in_transaction:
            return self._writer.post(sql, params, then, key)
        done: Future[T] = Future()
        try:
            done.set_result(then(self._db.execute(sql, params).fetchall()))
        except Exception as error:
            done.set_exception(error)
        return done

    def drain_key(self, key: Hashable) -> None:
        """Wait for the posted writes made with `key` (a reader that must see them)."""
        if self._writer is not None:
            self._writer.drain_key(key)

    def _drain(self) -> None:
        if self._writer is not None:
            self._writer.drain()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is written together or not at all."""
        self._drain()
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
        if self._writer is not None:
            self._writer.set_pragma("PRAGMA wal_autocheckpoint=0")

    def checkpoint_in_worker_thread(self) -> None:
        """Copy the WAL into the database file; call it off the GUI thread. Its own connection: sqlite3
        connections belong to the thread that made them."""
        if self.path == ":memory:":
            return
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA busy_timeout=5000")
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def read_in_worker_thread(self, sql: str, params: Sequence[object], convert: Callable[[Iterable[Any]], T]) -> T:
        """A read large enough to hold the GUI thread (the whole history), on a connection of the calling worker
        thread's own, its rows handed to `convert` as they come. It sees what is committed; a write still posted to
        the writer thread is not waited for (the views hear of it by their change signal all the same)."""
        if self.path == ":memory:":
            raise ValueError("an in-memory database has no other connection to read it from")
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA busy_timeout=5000")
            # Converted row by row: 10,000 rows fetched whole first left the process 15 MB larger (their JSON
            # columns all alive at once; freed memory the allocator keeps).
            return convert(db.execute(sql, params))

    def close(self) -> None:
        """Idempotent: the app closes on quit, tests close again in teardown."""
        if self._closed:
            return
        self._closed = True
        if self._writer is not None:
            self._writer.close()  # what is posted is written first
        try:
            self._db.execute("PRAGMA optimize")  # SQLite's advice: keeps the query planner's statistics fresh
        finally:
            self._db.close()


def _is_read(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


def check_database(path: str | Path, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Open, bring up to date and check the database once before the app uses it; return its schema version.

    Raises NewerDatabaseError (nothing written), CorruptDatabaseError, or sqlite3.Error / OSError for the rest
    (read-only file, locked, no room)."""
    database = Database(path, migrations)
    try:
        database.quick_check()
        return database.schema_version
    finally:
        database.close()


def aside_path(path: str | Path, now: datetime | None = None) -> Path:
    """The name a damaged database is kept under: `tasks.sqlite3.corrupt-YYYYmmdd-HHMMSS`, never an existing one."""
    path = Path(path)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
        number += 1
    return candidate


def set_aside(path: str | Path, target: Path) -> Path:
    """Rename the database and its -wal/-shm/-journal to `target` (+ the same suffixes), so nothing is deleted
    and the set can still be opened together; the next open starts a fresh database."""
    path = Path(path)
    for suffix in COMPANION_SUFFIXES:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    path.rename(target)
    log.warning("damaged task database kept aside as %s", target)
    return target


def _create_private(path: Path) -> None:
    """A new database file is made readable by this user only (the -wal and -shm SQLite makes next to it take the
    database file's mode); an existing one is left as it is (Profile.make_files_private tightens those)."""
    if os.name != "posix" or path.exists():
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        # The umask can only take bits away from 0600; chmod makes the mode exact regardless.
        path.chmod(0o600)
