"""Cold start to a painted main window, the real app (welcome page, demo mode) against a bare QMainWindow."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

# Each run is a fresh interpreter. It prints the wall clock once the first paint of a top-level QMainWindow is over,
# then quits. The bare window and the app share this code, so the event filter costs both the same.
LAUNCHER = """
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
            window.close()  # the app quits on its last window closing, after closing its session

mode, profile = sys.argv[1], sys.argv[2]
app = QApplication(sys.argv[:1])  # app.main() adopts an existing QApplication
watcher = FirstPaint()
app.installEventFilter(watcher)
if mode == "bare":
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.exec()
else:
    from sora2_desktop.app import main
    main(["--profile", profile] + (["--demo"] if mode == "demo" else []))
"""

MODES = ("bare", "welcome", "demo")


def start_once(mode: str, bytecode: str) -> float:
    """Seconds from spawning the interpreter to the end of the window's first paint."""
    env = {k: v for k, v in os.environ.items() if k not in ("APIXO_API_KEY", "PYTHONDONTWRITEBYTECODE")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_API"] = "pyside6"
    # Compiled once, as an installed app is: without this every start would compile the package's sources again.
    env["PYTHONPYCACHEPREFIX"] = bytecode
    with tempfile.TemporaryDirectory() as profile:  # a fresh profile each time, as on a first start
        spawned = time.time()
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, mode, profile], env=env, capture_output=True, text=True, timeout=120
        )
    for line in done.stdout.splitlines():
        if line.startswith("PAINTED "):
            return float(line.split()[1]) - spawned
    raise RuntimeError(f"{mode}: no paint marker (exit {done.returncode}):\n{done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="starts of each kind, interleaved")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory() as bytecode:
        for mode in MODES:
            start_once(mode, bytecode)  # writes the bytecode and warms the OS file cache for every kind alike
        for _ in range(args.runs):
            for mode in MODES:
                times[mode].append(start_once(mode, bytecode))
    bare = statistics.median(times["bare"])
    print(f"cold start to first paint, {args.runs} fresh processes each (median, then every run):")
    for mode in MODES:
        median = statistics.median(times[mode])
        runs = " ".join(f"{t:.3f}" for t in times[mode])
        ratio = "" if mode == "bare" else f"  = {median / bare:.2f} x bare (target <= 1.5)"
        print(f"  {mode:8} {median:.3f} s  [{runs}]{ratio}")
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")


if __name__ == "__main__":
    main()
