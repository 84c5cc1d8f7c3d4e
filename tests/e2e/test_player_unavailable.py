"""The real app on a machine that cannot play video (issue 15), for real (tests/helpers/no_media.py): Qt's FFmpeg
plugin fails to load (a broken FFmpeg library first on the loader's path), or Qt Multimedia's own library does (as a
missing DLL makes it on Windows N). The window still opens, its player area saying what is missing, what to
install, and offering the system's player and the folder."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.no_media import broken_module_env, no_media_env
from tests.helpers.startup import REPO, app_env

pytestmark = pytest.mark.e2e

PROBE = REPO / "tests" / "helpers" / "player_probe.py"


@pytest.mark.parametrize(
    ("broken", "qt_says", "problem"),
    [
        (no_media_env, "No QtMultimedia backends found", "libavformat.so."),
        (broken_module_env, "", "Qt Multimedia did not load"),
    ],
    ids=["backend-does-not-load", "module-does-not-load"],
)
def test_the_window_opens_without_media_support_and_the_player_says_what_to_install(
    tmp_path: Path, broken: Callable[..., dict[str, str]], qt_says: str, problem: str
) -> None:
    env = broken(tmp_path / "broken", app_env())
    done = subprocess.run(
        [sys.executable, str(PROBE), str(tmp_path / "profile"), "--demo"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert qt_says in done.stderr  # Qt's own word that the backend really is missing
    report = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))
    assert report["built"] is True
    assert report["panel_shown"] is True
    assert report["message"] == "Video can't play inside the app on this computer."
    assert "libegl1" in report["remedy"] and "mesa-libEGL" in report["remedy"]
    assert problem in report["problem"]
    assert report["buttons"] == ["Open in the system player", "Show in folder"]
    assert report["about_tabs"] == ["About", "Licences"]  # Help → About works on such a machine too
