"""Profile: `--profile DIR` keeps every file under DIR; the default follows QStandardPaths; none is in the code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QStandardPaths

import sora2_desktop
from sora2_desktop.core.config.profile import Profile

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
    assert not profile.database_path.exists()  # files are SQLite's and QSettings' to create
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
