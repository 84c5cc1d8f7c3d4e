"""Database at start-up: damage is named (not a traceback), a newer file is refused untouched, files are private."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest

from sora2_desktop.core.storage.database import (
    CorruptDatabaseError,
    Database,
    NewerDatabaseError,
    aside_path,
    check_database,
    set_aside,
)
from sora2_desktop.core.storage.migrations import MIGRATIONS

PAGE = 4096


def filled_database(path: Path, rows: int = 400) -> Path:
    """A real history several pages long, closed cleanly (everything in the main file)."""
    database = Database(path)
    with database.transaction():
        database.executemany(
            "INSERT INTO tasks (request_json, phase, created_at) VALUES (?, 'pending', '2026-01-01T00:00:00')",
            [(f'{{"prompt": "{"a quiet harbour at dawn " * 8}{n}"}}',) for n in range(rows)],
        )
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    assert path.stat().st_size > 10 * PAGE
    return path


def newer_database(path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 4}")
    connection.close()
    return path


def test_a_sound_database_passes_the_check(tmp_path: Path) -> None:
    path = filled_database(tmp_path / "tasks.sqlite3")
    assert check_database(path) == len(MIGRATIONS)


def test_a_file_that_is_not_a_database_is_named_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    path.write_bytes(b"these are holiday photos, not a database\n" * 500)
    with pytest.raises(CorruptDatabaseError) as caught:
        check_database(path)
    assert caught.value.path == str(path)
    assert "not a database" in caught.value.detail


def test_a_truncated_database_is_named_corrupt(tmp_path: Path) -> None:
    path = filled_database(tmp_path / "tasks.sqlite3")
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)
    with pytest.raises(CorruptDatabaseError):
        check_database(path)


def test_a_malformed_page_is_found_by_the_quick_check(tmp_path: Path) -> None:
    path = filled_database(tmp_path / "tasks.sqlite3")
    data = bytearray(path.read_bytes())
    # A page in the middle of the tasks table (not page 1: the header stays readable, so only the check sees it).
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle : middle + PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError):
        check_database(path)


def test_a_newer_database_is_refused_before_a_byte_is_written(tmp_path: Path) -> None:
    path = newer_database(tmp_path / "tasks.sqlite3")
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError) as caught:
        check_database(path)
    assert (caught.value.found, caught.value.known) == (len(MIGRATIONS) + 4, len(MIGRATIONS))
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-wal").exists()  # never switched to WAL


def test_other_sqlite_errors_are_not_called_corruption(tmp_path: Path) -> None:
    # A folder where the database should be: SQLite cannot open it, but nothing is damaged.
    path = tmp_path / "tasks.sqlite3"
    path.mkdir()
    with pytest.raises(sqlite3.OperationalError):
        check_database(path)


def test_a_damaged_database_is_set_aside_with_its_wal_and_shm(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    for suffix, content in (("", b"main"), ("-wal", b"wal"), ("-shm", b"shm")):
        path.with_name(path.name + suffix).write_bytes(content)
    target = aside_path(path, datetime(2026, 12, 3, 5, 6, 7))
    assert target.name == "tasks.sqlite3.corrupt-20261203-050607"
    assert set_aside(path, target) == target
    assert not path.exists()
    assert target.read_bytes() == b"main"
    assert target.with_name(target.name + "-wal").read_bytes() == b"wal"
    assert target.with_name(target.name + "-shm").read_bytes() == b"shm"
    # A second damaged file in the same second never overwrites the first one kept.
    path.write_bytes(b"again")
    second = aside_path(path, datetime(2026, 12, 3, 5, 6, 7))
    assert second != target
    set_aside(path, second)
    assert target.read_bytes() == b"main" and second.read_bytes() == b"again"
    assert check_database(path) == len(MIGRATIONS)  # the next open starts a fresh history


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_new_database_and_its_wal_and_shm_are_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        database = Database(tmp_path / "tasks.sqlite3")
        database.execute("INSERT INTO tasks (request_json, phase, created_at) VALUES ('{}', 'pending', 'now')")
        for name in ("tasks.sqlite3", "tasks.sqlite3-wal", "tasks.sqlite3-shm"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
        database.close()
    finally:
        os.umask(previous)
