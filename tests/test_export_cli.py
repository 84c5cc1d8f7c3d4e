"""`sora2-desktop export` through the real app.main() in this process: arguments, exit codes (0 done, 1 nothing or
partial, 2 bad arguments, 4 the history), what it prints, and the same export the window makes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

import sora2_desktop.core.session  # noqa: F401  (QtMultimedia's first load logs a missing-pipewire warning; not in a test)
from sora2_desktop.app import main
from sora2_desktop.core.projects.model import TakeMark
from tests.core.export.export_rig import ExportRig


@pytest.fixture(autouse=True)
def _names_put_back() -> Iterator[None]:
    """The command sets the application's names (Profile.default reads them) and Qt's environment (for its child
    processes in a real run): later tests see both as before."""
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    environment = dict(os.environ)
    yield
    QCoreApplication.setOrganizationName(names[0])
    QCoreApplication.setApplicationName(names[1])
    os.environ.clear()
    os.environ.update(environment)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """Trailer: SH010 T01 circled, T02 hold, T03 circled with no file; SH020 T01 circled."""
    root = tmp_path / "profile"
    rig = ExportRig(root)
    first, second = rig.shot(0), rig.shot(1)
    rig.take(first, content=os.urandom(1000))
    rig.take(first, mark=TakeMark.HOLD, content=os.urandom(2000))
    rig.take(first, content=b"")
    rig.take(second, content=os.urandom(3000))
    rig.close()
    return root


def export(profile: Path, *args: str) -> int:
    return main(["export", "--profile", str(profile), "--project", "Trailer", *args])


def test_the_chosen_shots_and_marks_are_exported_and_each_file_is_printed(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = export(profile, "--to", str(out), "--shots", "sh010", "--marks", "hold", "--format", "csv", "--link")
    printed = capsys.readouterr().out.splitlines()
    assert code == 0
    assert printed[0] == f"linked        SH010 T02  {out / 'Trailer_SH010_T02_16x9.mp4'}"
    assert printed[1] == f"wrote csv                {out / 'Trailer-selects.csv'}"
    assert printed[-1].startswith(f"Exported 1 take(s) of 1 shot(s) (1.95 KB) to {out} in ")
    linked = out / "Trailer_SH010_T02_16x9.mp4"
    assert os.path.samefile(linked, profile / "downloads" / "download_SH010_2.mp4")


def test_a_take_with_no_file_makes_the_export_partial_and_is_said(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(profile, "--to", str(tmp_path / "out"), "--format", "json") == 1
    printed = capsys.readouterr().out
    assert "copied        SH020 T01" in printed
    assert "note: SH010 T03: its file is not on disk (not downloaded yet, or moved since); not exported." in printed


def test_nothing_to_export_ends_with_1(profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(profile, "--to", str(tmp_path / "out"), "--marks", "no_good") == 1
    assert "No takes with those marks in the chosen shots: nothing was exported." in capsys.readouterr().out
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--project", "Teaser", "--to", "x"], "no project named 'Teaser'; the projects are:\n  Untitled\n  Trailer"),
        (["--project", "Trailer", "--to", "x", "--shots", "SH010,SH099"], "no shot SH099 in Trailer; its shots:"),
        (["--project", "Trailer", "--to", "x", "--marks", "keepers"], "--marks: keepers; choose from circled,"),
        (["--project", "Trailer", "--to", "x", "--format", "csv,mov"], "--format: mov; choose from fcpxml, xml,"),
        (["--project", "Trailer"], "the following arguments are required: --to"),
    ],
)
def test_bad_arguments_end_with_2_and_say_what_is_known(
    profile: Path, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    assert main(["export", "--profile", str(profile), *args]) == 2
    assert said in capsys.readouterr().err


def test_a_folder_with_no_history_is_a_bad_argument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--profile", str(tmp_path), "--project", "Trailer", "--to", str(tmp_path / "o")]) == 2
    assert f"no history at {tmp_path / 'tasks.sqlite3'}" in capsys.readouterr().err
    assert not (tmp_path / "tasks.sqlite3").exists()  # looking made nothing


def test_a_damaged_history_ends_with_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tasks.sqlite3").write_bytes(b"this is not a database" * 100)
    assert main(["export", "--profile", str(tmp_path), "--project", "Trailer", "--to", str(tmp_path / "o")]) == 4
    assert "cannot read the history" in capsys.readouterr().err


def test_the_apps_help_mentions_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert "sora2-desktop export --help" in capsys.readouterr().out.replace("\n", " ")
    assert main(["export", "--help"]) == 0
    assert "--marks MARKS" in capsys.readouterr().out


def test_demo_exports_from_the_demo_history_beside_the_profiles_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "profile"
    rig = ExportRig(root / "demo")  # where demo mode keeps its history (Session.activate(demo=True))
    rig.take(rig.shot(0), content=os.urandom(500))
    rig.close()
    assert main(["export", "--profile", str(root), "--demo", "--project", "Trailer", "--to", str(tmp_path / "o")]) == 0
    assert "copied        SH010 T01" in capsys.readouterr().out
    assert main(["export", "--profile", str(root), "--project", "Trailer", "--to", str(tmp_path / "p")]) == 2
