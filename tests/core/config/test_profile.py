"""Profile: `--profile DIR` keeps every file under DIR; the default follows QStandardPaths; none is in the code."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

import sora2_desktop
from sora2_desktop.core.config.profile import LOCK_FILE_NAME, Profile
from sora2_desktop.core.storage.database import Database

CODE_DIR = Path(sora2_desktop.__file__).resolve().parent.parent


def all_paths(profile: Profile) -> list[Path]:
    return [profile.root, profile.database_path, profile.settings_path, profile.downloads_dir, profile.logs_dir]


def test_from_dir_puts_everything_under_the_folder(tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "p")
    assert profile.root == (tmp_path / "p").resolve()
    for path in all_paths(profile):
        assert path.is_relative_to(profile.root)
    assert profile.settings_path.suffix == ".ini"
    assert len(set(all_paths(profile))) == 5


def test_creating_a_profile_touches_nothing_until_ensure(tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "p")
    assert not profile.root.exists()
    assert profile.ensure() is profile
    for folder in (profile.root, profile.downloads_dir, profile.logs_dir):
        assert folder.is_dir()
    assert not profile.database_path.exists()  # the database file is SQLite's (Database) to create
    profile.ensure()  # a second start finds the folders already there


def test_two_profiles_share_nothing(tmp_path: Path) -> None:
    first, second = Profile.from_dir(tmp_path / "a"), Profile.from_dir(tmp_path / "b")
    assert not set(all_paths(first)) & set(all_paths(second))


def test_relative_and_home_paths_are_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Profile.from_dir("rel").root == tmp_path.resolve() / "rel"
    assert Profile.from_dir("~/x").root.is_absolute()


@pytest.fixture
def standard_paths_test_mode() -> Iterator[None]:
    """QStandardPaths' test mode points every location into ~/.qttest, never the person's real folders."""
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName("Sora2DesktopTest")
    QCoreApplication.setApplicationName("Sora 2 Desktop Test")
    QStandardPaths.setTestModeEnabled(True)
    try:
        yield
    finally:
        QStandardPaths.setTestModeEnabled(False)
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])


@pytest.mark.usefixtures("standard_paths_test_mode")
def test_default_follows_the_platform_locations() -> None:
    profile = Profile.default()
    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    config = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation))
    movies = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation))
    assert profile.root == data
    assert profile.database_path.parent == data
    assert profile.settings_path.parent == config
    assert profile.downloads_dir == movies / "Sora 2"
    assert profile.logs_dir == data / "logs"
    assert "Sora 2 Desktop Test" in str(profile.root)  # the app's own folder, not a shared one


@pytest.mark.usefixtures("standard_paths_test_mode")
def test_nothing_is_placed_next_to_the_code(tmp_path: Path) -> None:
    for profile in (Profile.default(), Profile.from_dir(tmp_path)):
        for path in all_paths(profile):
            assert not path.is_relative_to(CODE_DIR), path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most careless umask there is: whatever the app makes private, it makes so by itself."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@posix_only
@pytest.mark.usefixtures("open_umask")
def test_the_profile_folders_are_private_but_downloads_stay_open(tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "p").ensure()
    assert mode(profile.root) == 0o700
    assert mode(profile.logs_dir) == 0o700
    # People open their videos from other apps (and other accounts, a media server): normal permissions.
    assert mode(profile.downloads_dir) == 0o777  # mkdir's mode under this umask, left as it is


@posix_only
def test_an_existing_folder_given_as_profile_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    folder.chmod(0o755)
    Profile.from_dir(folder).ensure()
    assert mode(folder) == 0o755  # the person's own folder; only the folders the app makes are tightened


@posix_only
@pytest.mark.usefixtures("open_umask")
def test_the_profile_files_are_private(tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "p").ensure()
    profile.make_files_private()
    assert mode(profile.settings_path) == 0o600
    # QSettings rewrites the file through a temporary one and keeps the mode it finds.
    settings = QSettings(str(profile.settings_path), QSettings.Format.IniFormat)
    settings.setValue("ui/x", 1)
    settings.sync()
    assert settings.status() == QSettings.Status.NoError
    assert mode(profile.settings_path) == 0o600
    database = Database(profile.database_path)
    database.execute("INSERT INTO tasks (request_json, phase, created_at) VALUES ('{}', 'pending', 'now')")
    for suffix in ("", "-wal", "-shm"):
        assert mode(profile.database_path.with_name(profile.database_path.name + suffix)) == 0o600, suffix
    database.close()


@posix_only
def test_files_from_before_the_rule_are_tightened(tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "p").ensure()
    old = [
        profile.database_path,
        profile.database_path.with_name(profile.database_path.name + "-wal"),
        profile.settings_path,
        profile.logs_dir / "sora2-desktop.log",
        profile.logs_dir / "sora2-desktop.log.1",
        profile.root / LOCK_FILE_NAME,
    ]
    for path in old:
        path.write_text("x")
        path.chmod(0o644)
    profile.make_files_private()
    for path in old:
        assert mode(path) == 0o600, path
    assert set(profile.private_files()) == set(old)


def test_a_writable_profile_has_no_unwritable_folder(tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "p").ensure()
    assert profile.unwritable_folder() is None
    assert sorted(p.name for p in profile.root.iterdir()) == ["downloads", "logs"]  # the probe leaves nothing


def test_a_downloads_folder_that_cannot_be_made_does_not_stop_the_profile(tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "p")
    profile.root.mkdir()
    profile.downloads_dir.write_text("a file where the folder should be")
    profile.ensure()  # the downloader reports it when it needs the folder; the app itself can start
    assert profile.logs_dir.is_dir()
    assert profile.unwritable_folder() is None
