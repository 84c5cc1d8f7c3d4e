"""`sora2-desktop --self-test` from a checkout: the check a built bundle runs to prove it works, run here cheaply."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sora2_desktop import self_test
from tests.helpers.no_media import broken_module_env, no_media_env

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


def fields_of(line: str, prefix: str) -> dict[str, str]:
    assert line.startswith(prefix), line
    return dict(part.split("=", 1) for part in line.removeprefix(prefix).split())


def test_self_test_builds_the_window_decodes_a_frame_and_names_the_keychain(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    done = _run_self_test(profile)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(lines) == 2, done.stdout  # the app's line and the player's; Qt's own chatter goes to stderr
    fields = fields_of(lines[0], "self-test ok: ")
    assert fields["window"] == "ok"
    assert fields["keychain"]  # a backend name, or "none" on a machine without a keychain (CI)
    assert fields["timelines"] == "fcpxml+xml+edl"  # every export format's OpenTimelineIO adapter is found
    assert fields["qt"].startswith("6.")
    player = fields_of(lines[1], "self-test player: ok ")
    assert player["frame"] == "640x360"  # the demo clip's size: a real decoded frame, not a placeholder
    assert player["multimedia"] == "ffmpeg"  # PySide6's wheels bring the FFmpeg backend on every platform
    # The profile given is the one used, and the same lines are kept there for a windowed build with no stdout.
    assert (profile / "self-test.txt").read_text(encoding="utf-8").splitlines() == lines
    assert (profile / "settings.ini").exists()


@pytest.mark.parametrize(
    ("broken", "problem"),
    [(no_media_env, "libavformat.so."), (broken_module_env, "Qt Multimedia did not load (")],
    ids=["backend-does-not-load", "module-does-not-load"],
)
def test_without_media_support_the_app_passes_the_player_says_why_and_exit_is_3(
    tmp_path: Path, broken: Callable[..., dict[str, str]], problem: str
) -> None:
    profile = tmp_path / "profile"
    done = _run_self_test(profile, **broken(tmp_path / "broken", {}))
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 3, done.stdout + done.stderr
    assert len(lines) == 2, done.stdout
    assert fields_of(lines[0], "self-test ok: ")["window"] == "ok"  # the window was built all the same
    assert lines[1].startswith("self-test player: unavailable: "), lines[1]
    assert problem in lines[1]  # what is missing, in the system's words
    assert "libegl1" in lines[1] and "mesa-libEGL" in lines[1]  # and what to install (this is Linux)
    assert (profile / "self-test.txt").read_text(encoding="utf-8").splitlines() == lines


def test_self_test_fails_with_exit_1_and_says_the_player_was_not_reached(tmp_path: Path) -> None:
    # A profile "folder" that is a file: the app cannot keep its settings there, so the self-test must fail loudly.
    not_a_folder = tmp_path / "profile"
    not_a_folder.write_text("in the way")
    done = _run_self_test(not_a_folder)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(lines) == 2, done.stdout
    assert lines[0].startswith("self-test FAILED: "), lines[0]
    assert "error=" in lines[0]
    assert lines[1] == "self-test player: FAILED: not reached"


@pytest.mark.parametrize("argv", [["--help"]])
def test_help_lists_self_test(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sora2_desktop", *argv], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "--self-test" in done.stdout


def test_a_line_the_console_cannot_encode_is_printed_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    # A redirected stdout on Windows is cp1252; an OS's own words in the player line may not fit it.
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", stream)
    self_test._print("self-test player: unavailable: 模块 not found")
    stream.flush()
    assert raw.getvalue().decode("cp1252").strip() == "self-test player: unavailable: \\u6a21\\u5757 not found"
