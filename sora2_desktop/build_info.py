"""What this build is: the app's version, the commit it was built from, and the Qt and PySide6 it runs on; shown by
`--version` and in Help → About. Light standard modules only at import: app.py imports this before its first paint."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sora2_desktop import __version__

# Written by the build scripts (packaging/), never committed: a bundle has no git to ask.
COMMIT_FILE = Path(__file__).with_name("_build_commit.txt")
_CHECKOUT = Path(__file__).resolve().parent.parent


@functools.cache
def commit() -> str:
    """The short commit: the build's file when present, else git's answer in a checkout, else `unknown`."""
    try:
        written = COMMIT_FILE.read_text(encoding="utf-8").strip()
    except OSError:
        written = ""
    if written:
        return written
    if (_CHECKOUT / ".git").exists():
        import subprocess

        try:
            done = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=_CHECKOUT, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return "unknown"
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    return "unknown"


def qt_version() -> str:
    """The Qt the app runs on (qVersion: the libraries loaded, which a person may have replaced)."""
    from PySide6.QtCore import qVersion

    return str(qVersion())


def pyside_version() -> str:
    import PySide6

    return str(PySide6.__version__)


def version_line() -> str:
    return f"sora2-desktop {__version__} (commit {commit()}, Qt {qt_version()}, PySide6 {pyside_version()})"


def details() -> list[tuple[str, str]]:
    """(label, value) rows for About, in the order a bug report wants them."""
    import platform

    return [
        ("Version", __version__),
        ("Commit", commit()),
        ("Qt", qt_version()),
        ("PySide6", pyside_version()),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("System", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Bundled", "yes" if getattr(sys, "frozen", False) else "no (running from source)"),
    ]


class VersionAction(argparse.Action):
    """`--version`: the line is made only when asked for (it loads QtCore and may run git), then exits 0."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        if sys.stdout is not None:  # a windowed Windows build has none
            print(version_line(), file=sys.stdout, flush=True)
        parser.exit()
