"""Cold start of the real app against a bare QMainWindow, both from a fresh interpreter: to the window's first paint;
to the window usable (the shot list and the composer built, with the model catalogue's choices and Generate; the page
its start calls for shown; the event loop free again); and to the window complete (every later stage built: the
activity, the player, the takes, the menus — window_stages.py), so that nothing is left out of sight; and the GUI
thread's longest gap between two turns of its loop from usable to the end (a 1 ms timer: what a person feels).

Kinds, each a fresh process on a fresh copy of its profile, interleaved with the bare window (median of --runs):
  welcome  a profile started once before without a key: the welcome page
  first    an empty profile, no key: a blank frame until the keychain says "no key", then the welcome page
  demo     --demo on the welcome profile: the work area, connected to the in-process stand-in
  key      a key in the keychain (a test keyring backend) and a project of 40 shots: the work area on that project

Every process runs the same head (HEAD below): QMainWindow.paintEvent is wrapped before any window exists, so the
first paint of any main window is timed without an application-wide event filter (a filter costs a Python call per
event, thousands of them for the app's window, few for the bare one); from then a 1 ms timer sees when the window is
usable, then complete. The app starts as its entry points start it: `sora2_desktop.app` imported, then Qt, then
`main()`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import emit, figure

HEAD = """
import faulthandler, sys, time

faulthandler.dump_traceback_later(60, exit=True)  # a start that hangs says where, instead of a bare timeout
mode, profile = sys.argv[1], sys.argv[2]
if mode != "bare":
    from sora2_desktop.app import main  # first, as `python -m sora2_desktop` and the bundle's launcher do
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

seen = {}
_paint = QMainWindow.paintEvent

def paint_event(self, event):  # every QMainWindow, the app's (a subclass) and the bare one alike
    _paint(self, event)
    if "paint" not in seen:
        seen["paint"] = time.time()
        QTimer.singleShot(0, lambda: seen.setdefault("painted", time.time()))  # after this paint is flushed
        ticker.start()

QMainWindow.paintEvent = paint_event

def usable(window):
    if mode == "bare":
        return "painted" in seen
    # The composer (its form is filled from the model catalogue as it is made, Generate under it) and the shot list.
    if getattr(window, "compose", None) is None or getattr(window, "shots", None) is None:
        return False
    page = window.stack.currentWidget()
    return page is (window.welcome if mode in ("welcome", "first") else window.splitter)

def complete(window):
    if mode == "bare":
        return "painted" in seen
    stages = getattr(window, "stages", None)
    return stages is not None and stages.complete and getattr(window, "take_strip", None) is not None

def seen_now(name, window):
    # This check runs in a turn of the loop, so the loop is free; the window is painted again here (a paint it may
    # have had already: the figure errs on the slow side) so that what was just built is on screen too.
    window.repaint()
    seen[name] = time.time()

def watch():
    now = time.time()
    if "usable_at" in seen and "gap_from" in seen:  # the GUI thread's longest gap between ticks, usable to done
        seen["gap"] = max(seen.get("gap", 0.0), now - seen["gap_from"])
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if "usable_at" not in seen and windows and usable(windows[0]):
        seen_now("usable_at", windows[0])
    if "complete_at" not in seen and windows and complete(windows[0]):
        seen_now("complete_at", windows[0])
        durations = getattr(windows[0], "stages", None).durations if mode != "bare" else {"": 0.0}
        seen["longest"] = max(durations.items(), key=lambda item: item[1])
    session = getattr(windows[0], "session", None) if windows else None
    if mode in ("demo", "key") and session is not None and session.active:
        seen.setdefault("connected", time.time())
    done = "usable_at" in seen and "complete_at" in seen and (mode not in ("demo", "key") or "connected" in seen)
    seen["gap_from"] = time.time()  # after this tick's own work (the repaints above are the benchmark's, not the app's)
    if done and "painted" in seen:
        times = (seen["painted"], seen["usable_at"], seen["complete_at"], seen.get("connected", 0.0))
        stage = seen["longest"][0].replace(" ", "") or "-"  # one word on the line
        print("TIMES", *(repr(t) for t in times), seen["longest"][1], stage, seen.get("gap", 0.0), flush=True)
        ticker.stop()
        for window in QApplication.topLevelWidgets():
            window.close()  # the app quits on its last window closing, after closing its session

ticker = QTimer(interval=1)  # started at the first paint: the window is usable after that
ticker.timeout.connect(watch)
if mode == "bare":
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.exec()
else:
    main(["--profile", profile] + (["--demo"] if mode == "demo" else []))  # it makes the QApplication
"""

# A keychain that holds a key, for the `key` kind: named by PYTHON_KEYRING_BACKEND, as the app's tests name theirs.
KEYRING = """
import keyring.backend

class BenchKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        return "bench-key-0123456789" if username == "api_key" else None

    def set_password(self, service, username, password):
        pass

    def delete_password(self, service, username):
        pass
"""

KINDS = ("bare", "welcome", "first", "demo", "key")
SHOTS = 40


def make_profiles(root: Path) -> dict[str, Path]:
    """The profiles each run starts from a fresh copy of: as the app leaves them after a start of that kind."""
    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.projects.project_service import ProjectService
    from sora2_desktop.core.storage.task_store import TaskStore

    made = {}
    for name, page in (("welcome", "welcome"), ("key", "work")):
        profile = Profile.from_dir(root / name).ensure()
        with TaskStore(profile.database_path) as store:
            if name == "key":
                projects = ProjectService(lambda store=store: store, lambda _task: None)
                project = projects.rename_project(projects.current_project().id, "Trailer")
                for number in range(SHOTS - 1):
                    projects.add_shot(project.id, {"prompt": f"Shot {number}: a lighthouse in fog, the beam turning"})
        settings = AppSettings(profile)
        if hasattr(AppSettings, "first_page"):  # the page the last start settled on (absent before issue 13)
            settings.first_page = page
        if name == "key":
            # Nothing leaves the machine: a closed loopback port (--api-base would be checked before the paint).
            settings.api_base_url = "http://127.0.0.1:9"
        settings.sync()
        made[name] = profile.root
    made["demo"] = made["welcome"]
    return made


def start_env(mode: str, scratch: Path, bytecode: str) -> dict[str, str]:
    """The environment of one measured start: no key from this shell, bytecode compiled once into `bytecode`, no model
    index read from the internet, and `scratch` (which holds bench_keyring.py) on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("APIXO_API_KEY", "PYTHONDONTWRITEBYTECODE")}
    env.update(QT_API="pyside6", PYTHONPYCACHEPREFIX=bytecode, SORA2_MODELS_URL="")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # No keychain of this machine is asked: keyring's null backend has no key; the bench one has one.
    env["PYTHON_KEYRING_BACKEND"] = "bench_keyring.BenchKeyring" if mode == "key" else "keyring.backends.null.Keyring"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(scratch), env.get("PYTHONPATH", "")) if p)
    return env


def start_once(
    mode: str, profiles: dict[str, Path], scratch: Path, bytecode: str
) -> tuple[float, float, float, float, tuple[float, str], float]:
    """Seconds from spawning the interpreter to the first paint's end, to the window usable, to the window complete,
    and (demo, key) to the session connected; the longest of the window's stages (seconds, name); and the GUI
    thread's longest gap between two turns of its loop from usable to the end (seconds, a 1 ms timer)."""
    env = start_env(mode, scratch, bytecode)
    with tempfile.TemporaryDirectory(dir=scratch) as run:
        profile = Path(run) / "profile"
        if mode in profiles:
            shutil.copytree(profiles[mode], profile)
        spawned = time.time()
        done = subprocess.run(
            [sys.executable, "-c", HEAD, mode, str(profile)], env=env, capture_output=True, text=True, timeout=120
        )
    for line in done.stdout.splitlines():
        if line.startswith("TIMES "):
            painted, usable, complete, connected, longest = (float(v) for v in line.split()[1:6])
            online = (connected - spawned) if connected else float("nan")
            gap = float(line.split()[7])
            return painted - spawned, usable - spawned, complete - spawned, online, (longest, line.split()[6]), gap
    raise RuntimeError(f"{mode}: no TIMES line (exit {done.returncode}):\n{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="starts of each kind, interleaved")
    parser.add_argument("--kinds", nargs="+", choices=KINDS[1:], default=list(KINDS[1:]))
    args = parser.parse_args()
    kinds = ["bare", *args.kinds]
    load_before = os.getloadavg()[0]
    paint: dict[str, list[float]] = {kind: [] for kind in kinds}
    usable: dict[str, list[float]] = {kind: [] for kind in kinds}
    whole: dict[str, list[float]] = {kind: [] for kind in kinds}
    connected: dict[str, list[float]] = {kind: [] for kind in kinds}
    longest: dict[str, list[tuple[float, str]]] = {kind: [] for kind in kinds}
    gaps: dict[str, list[float]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory() as bytecode, tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        (scratch / "bench_keyring.py").write_text(KEYRING, encoding="utf-8")
        profiles = make_profiles(scratch / "profiles")
        for kind in kinds:
            start_once(kind, profiles, scratch, bytecode)  # writes the bytecode, warms the OS file cache alike
        for _ in range(args.runs):
            for kind in kinds:
                first, ready, done, online, stage, gap = start_once(kind, profiles, scratch, bytecode)
                longest[kind].append(stage)
                gaps[kind].append(gap)
                paint[kind].append(first)
                usable[kind].append(ready)
                whole[kind].append(done)
                connected[kind].append(online)
    bare = statistics.median(paint["bare"])
    print(f"cold start, {args.runs} fresh processes of each kind, interleaved (median, then every run):")
    print(
        f"  {'kind':8} {'first paint':>12} {'ratio':>7}   {'usable':>8} {'ratio':>7}   {'complete':>8} {'ratio':>7}"
        "   runs (first paint / usable / complete)"
    )
    figures = []
    for kind in kinds:
        first, ready, done = (statistics.median(times[kind]) for times in (paint, usable, whole))
        each = zip(paint[kind], usable[kind], whole[kind], strict=True)
        runs = " ".join(f"{a:.3f}/{b:.3f}/{c:.3f}" for a, b, c in each)
        print(
            f"  {kind:8} {first:10.3f} s {first / bare:6.2f}x   {ready:6.3f} s {ready / bare:6.2f}x"
            f"   {done:6.3f} s {done / bare:6.2f}x   [{runs}]"
        )
        if kind != "bare":
            yardstick = ("bare_window", bare, "s")
            figures.append(figure(f"cold_start.{kind}", first, "s", yardstick=yardstick, target="<=1.5x"))
            name = "cold_start.usable" if kind == "key" else f"cold_start.usable_{kind}"
            figures.append(figure(name, ready, "s", yardstick=yardstick, target="<=2x"))
            # No target: the later stages' sum, printed so that moving work out of "usable" hides nothing.
            figures.append(figure(f"cold_start.complete_{kind}", done, "s", yardstick=yardstick))
    for kind in kinds:
        if kind in ("demo", "key"):
            online = statistics.median(connected[kind])
            print(f"  {kind}: session connected after {online:.3f} s median ({online / bare:.2f}x bare)")
    for kind in args.kinds:
        each = ", ".join(f"{seconds * 1000:.0f} ms {name}" for seconds, name in longest[kind])
        print(f"  {kind}: the longest stage of each run (its Python only): {each}")
        felt = ", ".join(f"{gap * 1000:.0f}" for gap in gaps[kind])
        print(f"  {kind}: the GUI thread's longest gap from usable to the end, each run (1 ms timer): {felt} ms")
    if "key" in args.kinds:  # what a person feels: the stages, the workers after them, the connection
        figures.append(figure("cold_start.gap_max", max(gaps["key"]) * 1000, "ms", target="<50"))
    print("  targets: first paint <= 1.5x bare, usable <= 2x bare (complete: no target, shown so nothing hides)")
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    emit(*figures)


if __name__ == "__main__":
    main()
