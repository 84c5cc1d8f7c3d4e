"""`sora2-desktop --self-test` from a checkout: the check a built bundle runs to prove it works, run here cheaply."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run_self_test(profile: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra_env}
    return subprocess.run(
        [sys.executable, "-m", "sora2_desktop", "--self-test", "--profile", str(profile)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_self_test_builds_the_window_decodes_a_frame_and_names_the_keychain(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    done = _run_self_test(profile)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(lines) == 1, done.stdout  # exactly one line on stdout; Qt's own chatter goes to stderr
    line = lines[0]
    assert line.startswith("self-test ok: "), line
    fields = dict(part.split("=", 1) for part in line.removeprefix("self-test ok: ").split())
    assert fields["window"] == "ok"
    assert fields["frame"] == "640x360"  # the demo clip's size: a real decoded frame, not a placeholder
    assert fields["keychain"]  # a backend name, or "none" on a machine without a keychain (CI)
    assert fields["timelines"] == "fcpxml+xml+edl"  # every export format's OpenTimelineIO adapter is found
    assert fields["qt"].startswith("6.")
    assert fields["multimedia"] == "ffmpeg"  # PySide6's wheels bring the FFmpeg backend on every platform
    # The profile given is the one used, and the same line is kept there for a windowed build with no stdout.
    assert (profile / "self-test.txt").read_text(encoding="utf-8").strip() == line
    assert (profile / "settings.ini").exists()


def test_self_test_fails_with_one_line_and_exit_1(tmp_path: Path) -> None:
    # A profile "folder" that is a file: the app cannot keep its settings there, so the self-test must fail loudly.
    not_a_folder = tmp_path / "profile"
    not_a_folder.write_text("in the way")
    done = _run_self_test(not_a_folder)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(lines) == 1, done.stdout
    assert lines[0].startswith("self-test FAILED: "), lines[0]
    assert "error=" in lines[0]


@pytest.mark.parametrize("argv", [["--help"]])
def test_help_lists_self_test(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sora2_desktop", *argv], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "--self-test" in done.stdout
