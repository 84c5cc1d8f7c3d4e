"""multimedia_fallback: where Qt Multimedia's own library cannot load, inert stand-ins take its place, and everything
that uses the player says "unavailable" instead of failing. Both broken machines are real child processes
(tests/helpers/no_media.py): the module's library broken, and the module fine but its backend's libraries broken."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sora2_desktop.multimedia_fallback import inert_multimedia, inert_widgets
from tests.helpers.no_media import broken_module_env, no_media_env
from tests.helpers.startup import REPO, app_env

PACKAGE = REPO / "sora2_desktop"
STAND_INS = {"PySide6.QtMultimedia": inert_multimedia, "PySide6.QtMultimediaWidgets": inert_widgets}


def multimedia_names_used() -> dict[str, set[str]]:
    """Each Qt Multimedia module's names the app's code imports, with the attribute chains it reads off them
    (`QMediaPlayer.Error.NoError`), from the code itself."""
    used: dict[str, set[str]] = {module: set() for module in STAND_INS}
    for path in PACKAGE.rglob("*.py"):
        if "multimedia_fallback" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in STAND_INS:
                for alias in node.names:
                    imported[alias.asname or alias.name] = node.module
                    used[node.module].add(alias.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                chain = _chain(node)
                if chain and chain.split(".")[0] in imported:
                    used[imported[chain.split(".")[0]]].add(chain)
    return used


def _chain(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _chain(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def test_every_qt_multimedia_name_the_app_uses_has_its_stand_in() -> None:
    used = multimedia_names_used()
    assert "QMediaPlayer" in used["PySide6.QtMultimedia"] and "QVideoWidget" in used["PySide6.QtMultimediaWidgets"]
    missing = []
    for module, names in used.items():
        for chain in sorted(names):
            target: object = STAND_INS[module]
            for part in chain.split("."):
                if not hasattr(target, part):
                    missing.append(f"{module}: {chain}")
                    break
                target = getattr(target, part)
    assert not missing, missing


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (broken_module_env, "Qt Multimedia did not load ("),
        (no_media_env, "ffmpeg media plugin could not load"),
    ],
    ids=["module-does-not-load", "backend-does-not-load"],
)
def test_everything_that_uses_the_player_says_unavailable(
    tmp_path: Path, broken: Callable[..., dict[str, str]], problem: str
) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "tests" / "helpers" / "inert_media_probe.py"), str(tmp_path)],
        cwd=REPO,
        env=broken(tmp_path / "broken", app_env()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["stand_in"] is (broken is broken_module_env)
    assert report["available"] is False and problem in report["problem"]
    assert report["player_loads"] is True  # the take is kept, for the system's player
    assert report["player_message"] == "Video can't play inside the app on this computer."
    assert report["player_file"] == "demo_clip.mp4"
    assert report["compare_says"].startswith("Video can't play on this computer, but takes can still be picked.")
    assert report["poster_says"].startswith("Video playback is not available:") and problem in report["poster_says"]
    assert report["grab_says"].startswith("Video playback is not available on this computer:")
    assert not (tmp_path / "poster.png").exists()
