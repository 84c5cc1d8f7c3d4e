"""Start-up faults of the profile folder on a real file system: read-only, uncreatable; and private files."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from sora2_desktop.app import EXIT_PROFILE_FOLDER
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.storage.database import Database
from tests.helpers.startup import (
    app_env,
    assert_dialog_picture,
    in_process_app,
    read_only_folder,
    run_app,
    scripted_dialogs,
)


def a_history(folder: Path) -> None:
    """What a profile holds after a few days' use, so a read-only one has something to lose."""
    Profile.from_dir(folder).ensure()
    database = Database(folder / "tasks.sqlite3")
    database.execute("INSERT INTO tasks (request_json, phase, created_at) VALUES ('{}', 'succeeded', 'then')")
    database.close()


def listing(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_read_only_profile_folder_is_named_with_the_way_out(tmp_path: Path) -> None:
    with read_only_folder(tmp_path / "profile", fill=a_history) as profile:
        before = listing(profile)
        with in_process_app() as main, scripted_dialogs(tmp_path) as dialogs:
            assert main(["--profile", str(profile)]) == EXIT_PROFILE_FOLDER
        assert listing(profile) == before  # nothing written, nothing lost
    (said,) = dialogs.shown
    assert str(profile) in said
    assert "--profile" in said  # what the person can do
    assert_dialog_picture(dialogs.pictures[0])


def test_a_read_only_profile_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    picture = tmp_path / "read-only.png"
    with read_only_folder(tmp_path / "profile", fill=a_history) as profile:
        before = listing(profile)
        done = run_app(
            profile, env=app_env(SORA2_STARTUP_PROBLEM_ANSWER="quit", SORA2_STARTUP_PROBLEM_SCREENSHOT=str(picture))
        )
        assert listing(profile) == before  # the history is still there, byte for byte
    assert done.returncode == EXIT_PROFILE_FOLDER, done.stderr
    assert "Traceback" not in done.stderr
    assert f"profile folder {profile} cannot be used" in done.stderr  # logged where a log can go
    assert_dialog_picture(picture)


def test_a_profile_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    wanted = in_the_way / "profile"
    with in_process_app() as main, scripted_dialogs(tmp_path) as dialogs:
        assert main(["--profile", str(wanted)]) == EXIT_PROFILE_FOLDER
    (said,) = dialogs.shown
    assert str(in_the_way) in said
    assert "--profile" in said


def test_a_missing_profile_folder_is_made_private(tmp_path: Path) -> None:
    # Creatable: the app makes it (and the folders above it) and it is this user's only.
    profile = Profile.from_dir(tmp_path / "new" / "deeper" / "profile").ensure()
    assert profile.root.is_dir()
    if os.name == "posix":
        assert stat.S_IMODE(profile.root.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_real_start_leaves_only_private_files_in_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    previous = os.umask(0o022)
    try:
        # A newer database makes the start end right after the files are set up, before any window.
        profile.mkdir(mode=0o755)
        with sqlite3.connect(profile / "tasks.sqlite3") as connection:
            connection.execute("PRAGMA user_version = 999")
        connection.close()
        (profile / "tasks.sqlite3").chmod(0o644)
        done = run_app(profile, env=app_env(SORA2_STARTUP_PROBLEM_ANSWER="quit"))
    finally:
        os.umask(previous)
    assert done.returncode != 0
    for name in ("tasks.sqlite3", "settings.ini", "logs/sora2-desktop.log"):
        assert stat.S_IMODE((profile / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE((profile / "logs").stat().st_mode) == 0o700
