"""PauseGate: holds every download while the download folder is full or not writable, and opens by itself once
a periodic check finds it usable again (or when the person asks)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from sora2_desktop.core.results.download_record import DownloadProblem

log = logging.getLogger(__name__)

Probe = Callable[[Path, int], DownloadProblem | None]  # blocking: run in a worker thread
FIRST_CHECK_S = 10.0
LAST_CHECK_S = 120.0  # checks back off to this and stay there


class PauseGate:
    """Open unless a download found the folder full or read-only; `wait()` returns once it is open again."""

    def __init__(self, probe: Probe, scale: float = 1.0, on_change: Callable[[], None] | None = None) -> None:
        self._probe = probe
        self._scale = scale
        self._on_change = on_change
        self._open = asyncio.Event()
        self._open.set()
        self.problem: DownloadProblem | None = None
        self.folder: Path | None = None
        self._need = 0
        self._watcher: asyncio.Task[None] | None = None

    @property
    def paused(self) -> bool:
        return self.problem is not None

    async def wait(self) -> None:
        await self._open.wait()

    def pause(self, problem: DownloadProblem, folder: Path, need: int = 0) -> None:
        """Hold every download; the first fault wins, later ones only raise the space a resume needs."""
        self._need = max(self._need, need)
        if self.problem is not None:
            return
        log.warning("downloads paused: %s", problem)
        self.problem, self.folder = problem, folder
        self._open.clear()
        self._watcher = asyncio.get_running_loop().create_task(self._watch(folder), name="downloads-pause")
        if self._on_change is not None:
            self._on_change()

    def resume(self) -> None:
        """Let every download try again (if the folder is still unusable, the first to fail pauses again)."""
        if self.problem is None:
            return
        log.info("downloads resume")
        self.problem, self.folder, self._need = None, None, 0
        if self._watcher is not None and self._watcher is not asyncio.current_task():
            self._watcher.cancel()
        self._watcher = None
        self._open.set()
        if self._on_change is not None:
            self._on_change()

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher

    async def _watch(self, folder: Path) -> None:
        delay = FIRST_CHECK_S
        while True:
            await asyncio.sleep(delay * self._scale)
            try:
                problem = await asyncio.to_thread(self._probe, folder, self._need)
            except Exception:
                log.exception("checking the download folder failed")  # keep checking: a fault here is no answer
                problem = self.problem
            if problem is None:
                self.resume()
                return
            delay = min(delay * 2, LAST_CHECK_S)
