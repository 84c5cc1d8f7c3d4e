"""A damaged or newer history opens a dialog (screenshot checked) and exits non-zero, logged, with no traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sora2_desktop.app import EXIT_DATABASE
from sora2_desktop.core.storage.database import check_database
from sora2_desktop.core.storage.migrations import MIGRATIONS
from sora2_desktop.ui.window.startup_problem import Choice, Problem, build_dialog
from tests.helpers.startup import (
    app_env,
    assert_dialog_picture,
    in_process_app,
    log_text,
    run_app,
    scripted_dialogs,
    start_app,
    stderr_of,
    stop,
)
from tests.helpers.wait import wait_until_blocking

pytestmark = pytest.mark.e2e

NOT_A_DATABASE = b"SQLite format 2 -- not really\n" * 300


def damaged_profile(tmp_path: Path) -> Path:
    profile = tmp_path / "profile"
    profile.mkdir(parents=True)
    (profile / "tasks.sqlite3").write_bytes(NOT_A_DATABASE)
    return profile


def newer_profile(tmp_path: Path) -> Path:
    profile = tmp_path / "profile"
    profile.mkdir(parents=True)
    connection = sqlite3.connect(profile / "tasks.sqlite3")
    connection.execute("CREATE TABLE from_the_future (x)")
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 2}")
    connection.close()
    return profile


def scripted(answer: str, picture: Path) -> dict[str, str]:
    return app_env(SORA2_STARTUP_PROBLEM_ANSWER=answer, SORA2_STARTUP_PROBLEM_SCREENSHOT=str(picture))


def test_a_damaged_history_and_quit_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    profile = damaged_profile(tmp_path)
    picture = tmp_path / "corrupt.png"
    done = run_app(profile, env=scripted("quit", picture))
    assert done.returncode == EXIT_DATABASE, done.stderr
    assert "Traceback" not in done.stderr
    assert (profile / "tasks.sqlite3").read_bytes() == NOT_A_DATABASE
    assert not list(profile.glob("*.corrupt-*"))
    assert "is damaged" in log_text(profile)
    assert_dialog_picture(picture)


def test_a_damaged_history_can_be_kept_aside_for_a_new_one(tmp_path: Path) -> None:
    profile = damaged_profile(tmp_path)
    picture = tmp_path / "corrupt.png"
    app = start_app(profile, env=scripted("new_history", picture))
    try:
        wait_until_blocking(
            lambda: "listening for second starts" in log_text(profile), timeout=60, what="the window after the dialog"
        )
        assert app.poll() is None  # started normally
    finally:
        stop(app)
    kept = list(profile.glob("tasks.sqlite3.corrupt-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == NOT_A_DATABASE  # nothing lost: the damaged file is kept, byte for byte
    assert check_database(profile / "tasks.sqlite3") == len(MIGRATIONS)  # a fresh, sound history
    assert f"kept as {kept[0]}" in log_text(profile)
    assert "Traceback" not in stderr_of(profile)
    assert_dialog_picture(picture)


def test_a_newer_history_is_refused_untouched(tmp_path: Path) -> None:
    profile = newer_profile(tmp_path)
    before = (profile / "tasks.sqlite3").read_bytes()
    picture = tmp_path / "newer.png"
    done = run_app(profile, env=scripted("quit", picture))
    assert done.returncode == EXIT_DATABASE, done.stderr
    assert "Traceback" not in done.stderr
    assert (profile / "tasks.sqlite3").read_bytes() == before
    assert not (profile / "tasks.sqlite3-wal").exists()
    assert f"schema {len(MIGRATIONS) + 2} is from a newer version" in log_text(profile)
    assert_dialog_picture(picture)


def test_the_dialogs_say_what_happened_and_what_to_do(tmp_path: Path) -> None:
    """The real app.main() in this process, the dialog scripted: its words and its picture."""
    newer = newer_profile(tmp_path / "a")
    damaged = damaged_profile(tmp_path / "b")
    with in_process_app() as main, scripted_dialogs(tmp_path) as dialogs:
        assert main(["--profile", str(newer)]) == EXIT_DATABASE
        assert main(["--profile", str(damaged)]) == EXIT_DATABASE
    newer_text, damaged_text = dialogs.shown
    known = len(MIGRATIONS)
    assert f"written by a newer version (schema {known + 2}; this version knows {known})" in newer_text
    assert "Update Sora 2 Desktop, or start with another profile" in newer_text
    assert "damaged" in damaged_text and "tasks.sqlite3.corrupt-" in damaged_text
    for picture in dialogs.pictures:
        assert_dialog_picture(picture)


def test_only_the_damaged_history_offers_a_new_one(qapp: object) -> None:
    facts = {"path": "p", "kept_as": "k", "found": "9", "known": "3", "detail": "d", "folder": "f"}
    for problem in Problem:
        box, choices = build_dialog(problem, facts)
        offered = set(choices.values())
        if problem is Problem.CORRUPT_DATABASE:
            assert offered == {Choice.NEW_HISTORY, Choice.QUIT}
        else:
            assert offered == {Choice.QUIT}, problem
        assert box.escapeButton() is box.defaultButton()  # Esc and Enter both mean Quit: nothing happens by accident
        box.deleteLater()
