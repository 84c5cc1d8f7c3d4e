"""Yardsticks: the plain thing each figure is held against, measured in the same run as the figure, so that the
figure can be printed as a ratio that a slower or busier machine moves less than the figure itself.

- `CpuYardstick`: `sum(range(10**6))` (one core of pure Python), sampled between a figure's own repetitions;
- `bare_window_paint_s`: a bare `QMainWindow` from a fresh interpreter to the end of its first paint;
- `plain_stream`: a plain `httpx` stream to disk (+ fsync + rename) from a loopback server (`loopback_cdn`);
- `plain_copy_s`: `shutil.copyfile` of the same files;
- the GUI thread's 5 ms timer, and the same timer in an idle bare window over the same seconds: `stall_meter.py`
  (`StallMeter`, `IdleWindow`), shared with the stall benchmarks.

Import from a script in this folder as `from yardsticks import ...` (the script's folder is on `sys.path`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

# -- CPU --------------------------------------------------------------------------------------------------------


class CpuYardstick:
    """`sum(range(10**6))` in ms: ~10 ms on a 2023 laptop with Python 3.11, 12–37 ms on the 2-vCPU benchmark
    machine depending on its load. Call `sample()` before, between and after a figure's repetitions; the median of
    all samples is the yardstick, so it sees the same load as the figure."""

    name = "cpu_sum"

    def __init__(self) -> None:
        self.samples: list[float] = []

    def sample(self, count: int = 3) -> None:
        self.samples += [t * 1000 for t in timeit.repeat("sum(range(10**6))", number=1, repeat=count)]

    @property
    def ms(self) -> float:
        if not self.samples:
            self.sample(5)
        return statistics.median(self.samples)

    def yardstick(self) -> tuple[str, float, str]:
        """For figures.figure(yardstick=...)."""
        return (self.name, self.ms, "ms")

    def describe(self) -> str:
        return f"yardstick sum(range(10**6)): median {self.ms:.1f} ms over {len(self.samples)} samples"


# -- a bare window, from a fresh interpreter --------------------------------------------------------------------

# The head of a fresh process that prints the wall clock once the first paint of a top-level QMainWindow is over,
# then closes every window. The bare window and any app started after this head pay the event filter alike.
FIRST_PAINT_HEAD = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if not self.seen and event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            self.seen = True
            QTimer.singleShot(0, self.painted)  # after this paint (and its flush) is over
        return False
    def painted(self):
        print("PAINTED", repr(time.time()), flush=True)
        for window in QApplication.topLevelWidgets():
            window.close()  # an app quits on its last window closing, after closing what it holds

app = QApplication(sys.argv[:1])
watcher = FirstPaint()
app.installEventFilter(watcher)
"""

BARE_WINDOW = (
    FIRST_PAINT_HEAD
    + """
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.exec()
"""
)


def fresh_paint_s(code: str, *argv: str, bytecode: str, timeout: float = 120) -> float:
    """Seconds from spawning `python -c code argv…` to the end of its first window's paint (its PAINTED line).
    `bytecode` is a PYTHONPYCACHEPREFIX folder kept across runs: compiled once, as an installed app is."""
    env = {k: v for k, v in os.environ.items() if k not in ("APIXO_API_KEY", "PYTHONDONTWRITEBYTECODE")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_API"] = "pyside6"
    env["PYTHONPYCACHEPREFIX"] = bytecode
    spawned = time.time()
    done = subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, timeout=timeout)
    for line in done.stdout.splitlines():
        if line.startswith("PAINTED "):
            return float(line.split()[1]) - spawned
    raise RuntimeError(f"no paint marker (exit {done.returncode}):\n{done.stderr[-2000:]}")


def bare_window_paint_s(bytecode: str) -> float:
    """The bare QMainWindow (1280×800) from a fresh interpreter to the end of its first paint."""
    return fresh_paint_s(BARE_WINDOW, bytecode=bytecode)


# -- plain file copy --------------------------------------------------------------------------------------------


def plain_copy_s(sources: list[Path], target: Path) -> float:
    """`shutil.copyfile` of every source into `target` (made here), in seconds."""
    target.mkdir()
    started = time.perf_counter()
    for source in sources:
        shutil.copyfile(source, target / source.name)
    return time.perf_counter() - started


# -- plain httpx stream from a loopback server ------------------------------------------------------------------

# The stand-in in its own process: in the measuring one its handler threads would take the GIL from the client.
_CDN_CHILD = """
import sys
from sora2_desktop.sim import SimServer
sim = SimServer().start()
print(sim.cdn_base, flush=True)
sys.stdin.read()
sim.stop()
"""


@contextlib.contextmanager
def loopback_cdn() -> Iterator[str]:
    """The stand-in's CDN in a child process; yields its base URL. `{base}/blob/{n}.mp4` streams n bytes."""
    child = subprocess.Popen([sys.executable, "-c", _CDN_CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdin is not None and child.stdout is not None
    try:
        yield child.stdout.readline().decode().strip()
    finally:
        child.stdin.close()
        child.wait(timeout=10)


Fetch = Callable[[str, Path], Awaitable[None]]


def plain_stream(http: Any, commits: list[float] | None = None) -> Fetch:
    """One streamed GET with `http` (an httpx.AsyncClient) written chunk by chunk to `dest.part`, then fsync +
    rename as the app's download commits; the commit's seconds go to `commits`."""

    async def fetch(url: str, dest: Path) -> None:
        part = dest.with_name(dest.name + ".part")
        async with http.stream("GET", url, headers={"Accept-Encoding": "identity"}) as response:
            response.raise_for_status()
            with part.open("wb") as file:
                async for chunk in response.aiter_bytes():
                    file.write(chunk)

        def commit() -> None:
            with part.open("rb+") as file:
                os.fsync(file.fileno())
            os.replace(part, dest)

        began = time.perf_counter()
        await asyncio.to_thread(commit)
        if commits is not None:
            commits.append(time.perf_counter() - began)

    return fetch
