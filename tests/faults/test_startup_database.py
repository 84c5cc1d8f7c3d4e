"""Start-up faults of the task database, each through the real app.main(): damaged in three ways, unusable."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.app import EXIT_DATABASE
from sora2_desktop.core.storage.database import Database, check_database
from sora2_desktop.core.storage.migrations import MIGRATIONS
from sora2_desktop.ui.window.startup_problem import Choice
from tests.helpers.startup import assert_dialog_picture, in_process_app, scripted_dialogs

PAGE = 4096


def _history(path: Path) -> None:
    database = Database(path)
    with database.transaction():
        database.executemany(
            "INSERT INTO tasks (request_json, phase, created_at) VALUES (?, 'succeeded', 'then')",
            [(f'{{"prompt": "{"a lighthouse in fog " * 10}{n}"}}',) for n in range(300)],
        )
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()


def not_a_database(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7 someone saved a document here\n" * 400)


def truncated(path: Path) -> None:
    _history(path)
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


def malformed_page(path: Path) -> None:
    _history(path)
    data = bytearray(path.read_bytes())
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle : middle + PAGE] = bytes(range(256)) * (PAGE // 256)
    path.write_bytes(bytes(data))


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where the app would build its window's parts and run its loop (app._build_work, then qasync.run), it
    records that it got there instead: no session, no window parts and no event filter outlive the test."""
    import qasync

    from sora2_desktop import app

    reached: list[str] = []

    def build_work(*_args: object) -> tuple[None, None]:
        reached.append("window")
        return None, None

    def run(coroutine: Coroutine[Any, Any, int]) -> int:
        coroutine.close()
        return 0

    monkeypatch.setattr(app, "_build_work", build_work)
    monkeypatch.setattr(qasync, "run", run)
    return reached


@pytest.mark.parametrize("damage", [not_a_database, truncated, malformed_page])
def test_a_damaged_history_is_kept_aside_and_a_new_one_started(
    tmp_path: Path, started: list[str], damage: Callable[[Path], None]
) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    damaged = profile / "tasks.sqlite3"
    damage(damaged)
    original = damaged.read_bytes()
    with in_process_app() as main, scripted_dialogs(tmp_path, answer=Choice.NEW_HISTORY) as dialogs:
        assert main(["--profile", str(profile)]) == 0
    assert started == ["window"]  # the app went on to start normally
    (kept,) = profile.glob("tasks.sqlite3.corrupt-*")
    assert kept.read_bytes() == original  # nothing lost
    assert check_database(damaged) == len(MIGRATIONS)  # the new history is sound
    assert kept.name in dialogs.shown[0]  # the person was told where the old file is kept
    log = (profile / "logs" / "sora2-desktop.log").read_text(encoding="utf-8")
    assert "is damaged" in log and f"kept as {kept}" in log
    assert_dialog_picture(dialogs.pictures[0])


@pytest.mark.parametrize("damage", [not_a_database, malformed_page])
def test_quit_on_a_damaged_history_changes_nothing(
    tmp_path: Path, started: list[str], damage: Callable[[Path], None]
) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    damage(profile / "tasks.sqlite3")
    original = (profile / "tasks.sqlite3").read_bytes()
    with in_process_app() as main, scripted_dialogs(tmp_path, answer=Choice.QUIT):
        assert main(["--profile", str(profile)]) == EXIT_DATABASE
    assert started == []
    assert (profile / "tasks.sqlite3").read_bytes() == original
    assert not list(profile.glob("*.corrupt-*"))
    assert not (profile / "instance.lock").exists()  # the lock is given back on the way out


def test_a_history_that_cannot_be_opened_is_named_not_called_damaged(tmp_path: Path, started: list[str]) -> None:
    profile = tmp_path / "profile"
    (profile / "tasks.sqlite3").mkdir(parents=True)  # something in the way that is not a file
    with in_process_app() as main, scripted_dialogs(tmp_path) as dialogs:
        assert main(["--profile", str(profile)]) == EXIT_DATABASE
    assert started == []
    (said,) = dialogs.shown
    assert "cannot be opened" in said and "damaged" not in said
    assert (profile / "tasks.sqlite3").is_dir()  # nothing renamed or removed


def test_a_sound_history_starts_without_a_dialog(tmp_path: Path, started: list[str]) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    _history(profile / "tasks.sqlite3")
    with in_process_app() as main, scripted_dialogs(tmp_path) as dialogs:
        assert main(["--profile", str(profile)]) == 0
    assert started == ["window"]
    assert dialogs.shown == []
    with sqlite3.connect(profile / "tasks.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM tasks").fetchone()[0] == 300
    connection.close()
