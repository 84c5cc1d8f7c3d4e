"""Where the app's bundled files (icons, demo clip, snippets) live, in a checkout and in a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(name: str) -> Path:
    """`resources/<name>`: beside the package in a checkout, in the unpack folder of a PyInstaller build."""
    if getattr(sys, "frozen", False):
        # PyInstaller unpacks bundled data under sys._MEIPASS; the spec puts resources/ there as "resources".
        return Path(getattr(sys, "_MEIPASS", ".")) / "resources" / name
    return Path(__file__).resolve().parent.parent / "resources" / name
