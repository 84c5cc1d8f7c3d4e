"""A machine without media support, for real, in a child process: Qt's FFmpeg plugin links to FFmpeg's libraries
through its RUNPATH, which LD_LIBRARY_PATH overrides, so a broken `libavformat.so.N` first on that path makes the
plugin fail to load exactly as on a Linux box missing a library (Qt then falls back to its inert backend).
(QT_MEDIA_BACKEND=nosuchbackend does not do it: Qt 6.11 then loads the next backend it finds.)

`broken_module_env` goes one step further, as on a Windows N edition where Qt Multimedia's own DLL cannot load: a
broken QtMultimedia extension first on PySide6's package path (put there by a sitecustomize), so the import
itself fails in the system's loader, as a missing DLL makes it fail."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import PySide6


def no_media_env(folder: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """`env` (default: this process's) with a broken FFmpeg library shadowing PySide6's own."""
    qt_lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    sonames = [p.name for p in qt_lib.glob("libavformat.so.*") if re.fullmatch(r"libavformat\.so\.\d+", p.name)]
    assert sonames, f"no libavformat.so.N in {qt_lib}: PySide6's wheel no longer ships FFmpeg there"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / sonames[0]).write_bytes(b"")  # "file too short": the loader stops at it
    base = dict(os.environ if env is None else env)
    base["LD_LIBRARY_PATH"] = os.pathsep.join(p for p in (str(folder), base.get("LD_LIBRARY_PATH", "")) if p)
    return base


def broken_module_env(folder: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """`env` (default: this process's) where `import PySide6.QtMultimedia(Widgets)` fails in the loader."""
    package = folder / "broken_pyside6"
    package.mkdir(parents=True, exist_ok=True)
    for module in ("QtMultimedia", "QtMultimediaWidgets"):
        (package / f"{module}.abi3.so").write_bytes(b"")
    (folder / "sitecustomize.py").write_text(
        textwrap.dedent(
            f"""
            import PySide6

            PySide6.__path__.insert(0, {str(package)!r})
            """
        )
    )
    base = dict(os.environ if env is None else env)
    base["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), base.get("PYTHONPATH", "")) if p)
    return base
