"""Export: a copy of a result video saved where the person chose, written atomically off the UI thread."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def _copy(source: Path, target: Path) -> None:
    partial = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    # The sidecar travels with the video, so an exported clip can still be traced back to its settings.
    sidecar = source.with_suffix(".json")
    if sidecar.is_file():
        shutil.copyfile(sidecar, target.with_suffix(".json"))


async def export_copy(source: Path, target: Path) -> Path:
    """Copy `source` (and its JSON sidecar) to `target`; raises OSError with the system's reason."""
    import asyncio  # here: the composer is on screen before asyncio's import (app.py)

    await asyncio.to_thread(_copy, source, target)
    return target
