"""`sora2-desktop --version`: version, commit, Qt and PySide6 on one line; the commit from the build's file first."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import qVersion

from sora2_desktop import __version__, build_info

REPO = Path(__file__).resolve().parents[2]


def test_version_prints_version_commit_qt_and_pyside() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sora2_desktop", "--version"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    expected = f"sora2-desktop {__version__} (commit {head.strip()}, Qt {qVersion()}, PySide6 {PySide6.__version__})"
    assert done.stdout.strip() == expected
    assert re.fullmatch(r"sora2-desktop \S+ \(commit [0-9a-f]{7,}, Qt 6\.\S+, PySide6 6\.\S+\)", expected)


def test_the_build_file_names_the_commit_when_present(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    written = tmp_path / "_build_commit.txt"
    written.write_text("abc1234\n")
    monkeypatch.setattr(build_info, "COMMIT_FILE", written)
    build_info.commit.cache_clear()
    try:
        assert build_info.commit() == "abc1234"
        # Neither the file nor a checkout: said plainly.
        monkeypatch.setattr(build_info, "COMMIT_FILE", tmp_path / "absent.txt")
        monkeypatch.setattr(build_info, "_CHECKOUT", tmp_path)
        build_info.commit.cache_clear()
        assert build_info.commit() == "unknown"
    finally:
        build_info.commit.cache_clear()


def test_the_commit_file_is_never_committed() -> None:
    assert "sora2_desktop/_build_commit.txt" in (REPO / ".gitignore").read_text().splitlines()
