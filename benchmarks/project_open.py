"""A project of 200 shots × 8 finished takes in the real MainWindow: the cold open to the take grid's first paint
(against a bare QMainWindow), selecting another take to its first video frame, and scrolling a take grid with a
5 ms timer watching the GUI thread. Prints figures, asserts nothing."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

from figures import figure
from stall_meter import IdleWindow, compare, spread

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.poster_frames import poster_path_for
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase

ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT / "resources" / "demo_clip.mp4"
WINDOW = [1280, 800]  # --window; 1280×800 as success_to_first_frame.py (the take grid gets a one-card column)
WORDS = "a lighthouse at golden hour slow dolly in waves crash neon alley rain cat drone shot over pine forest".split()  # noqa: SIM905
# Poster colours: eight takes of a shot must not look alike (a PNG of one flat colour would compress to nothing).
HUES = (10, 40, 80, 130, 180, 220, 270, 320)


# -- the profile ------------------------------------------------------------------------------------------------


def fill(profile: Profile, shots: int, takes: int, grid_takes: int) -> dict[str, Any]:
    """One project "Trailer" with `shots` shots of `takes` finished takes each, then one more shot of
    `grid_takes` takes (the grid that is scrolled); every take has its video (a hard link to the demo clip)
    and its 160×90 poster PNG on disk and a DONE download record, as the downloader leaves them."""
    from sora2_desktop.ui.compose.form_draft import FormValues, to_draft

    posters = [_poster_png(profile.root / f"poster{hue}.png", hue) for hue in HUES]
    clip = profile.root / "clip.mp4"  # copied once (/tmp may be another file system), then hard-linked per take
    clip.write_bytes(CLIP.read_bytes())
    completed = datetime.now(UTC) - timedelta(days=2)  # links still live: the downloader looks, finds them done
    files = 0
    with TaskStore(profile.database_path) as store:
        db = store.projects
        project = db.add_project("Trailer", None, None)
        db.mark_opened(project.id)
        # The migration's "Unsorted"/"Untitled" project (if any) stays; the trailer is the one opened.
        sizes = [takes] * shots + ([grid_takes] if grid_takes else [])
        for position, count in enumerate(sizes):
            code = f"SH{(position + 1) * 10:03d}"
            words = [WORDS[(position * 7 + i) % len(WORDS)] for i in range(12 + position % 60)]
            prompt = f"{code}: " + " ".join(words)
            shot = db.add_shot(project.id, code, position, to_draft(FormValues(prompt=prompt)), "")
            version = db.add_version(shot.id, prompt)
            for number in range(1, count + 1):
                files += 1
                when = completed - timedelta(seconds=(len(sizes) - position) * 900 - number * 60)
                task = Task(
                    request=GenerationRequest(prompt=prompt, duration=10),
                    created_at=when,
                    phase=TaskPhase.SUCCESS,
                    batch_id=f"b{shot.id}",
                    task_id=f"task_{files:012x}",
                    submitted_at=when,
                    polls=9,
                    raw_state="success",
                    service_created_at=when,
                    completed_at=when + timedelta(seconds=200),
                    cost_time_ms=200_000,
                    result_urls=(f"https://cdn.example.invalid/{files}.mp4",),
                    shot_id=shot.id,
                    take_number=number,
                    version_id=version.id,
                )
                stored = store.add(task)
                assert stored.local_id is not None
                video = profile.downloads_dir / f"Trailer_{code}_T{number:02d}_16x9.mp4"
                os.link(clip, video)
                os.link(posters[number % len(posters)], poster_path_for(video))
                size = clip.stat().st_size
                record = Download(stored.local_id, 0, stored.result_urls[0], video, size, size, DownloadState.DONE)
                store.downloads.upsert(record.with_(expires_at=when + timedelta(days=15)))
        big = db.shots(project.id)[-1].id if grid_takes else None
    return {"takes": files, "grid_shot": big}


def _poster_png(path: Path, hue: int) -> Path:
    """A 160×90 PNG like PosterMaker's (DEFAULT_POSTER_SIZE): a gradient with grain, so it weighs what a video
    frame's poster does (~20-40 kB, not the 1-2 kB of a clean gradient) and costs as much to decode."""
    from PySide6.QtGui import QColor, QImage

    grain = random.Random(hue)
    image = QImage(160, 90, QImage.Format.Format_RGB32)
    for y in range(90):
        for x in range(160):
            image.setPixelColor(x, y, QColor.fromHsv(hue, 80 + x // 2, min(255, 60 + y * 2 + grain.randrange(24))))
    image.save(str(path))  # PNG by the suffix
    return path


# -- one fresh process ------------------------------------------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Harness:
    """What app.py sets up before the window (QApplication, the qasync loop, the collector, the theme), then
    the window itself on demand."""

    def __init__(self, profile_dir: Path) -> None:
        import qasync
        from PySide6.QtWidgets import QApplication

        from sora2_desktop.core.config.settings import AppSettings
        from sora2_desktop.ui.common.theme import install as install_theme

        self.app = QApplication(sys.argv[:1])
        self.loop = qasync.QEventLoop(self.app)
        asyncio.set_event_loop(self.loop)
        self.collector = gui_thread_collector(self.app)
        self.profile = Profile.from_dir(profile_dir)
        self.settings = AppSettings(self.profile)
        self.theme = install_theme(self.app, self.settings)
        self.session: Any = None
        self.window: Any = None

    async def open_window(self, figures: dict[str, Any]) -> Any:
        """As app.py with a stored key: Session, MainWindow on the work page, show, a moment for the first paint,
        the HTTP pool made in a worker, then activate (the pool on the GUI thread cost activate() 0.10-0.15 s here
        until 2026-12-03; app.py has made it in a worker since issue 13's start-up work)."""
        from sora2_desktop.core.config.secrets import SecretStore
        from sora2_desktop.core.session import Session
        from sora2_desktop.ui.window.main_window import MainWindow
        from sora2_desktop.ui.window.window_frame import FirstPage

        secrets = SecretStore(environ={"APIXO_API_KEY": "project-key"})  # never the machine's keychain
        rss_before = rss_mb()
        began = time.perf_counter()
        # The API is never reached: every take is final and saved.
        self.session = Session(self.profile, self.settings, secrets, api_base_override="http://127.0.0.1:9")
        figures["session_s"] = time.perf_counter() - began
        window_began = time.perf_counter()
        window = self.window = MainWindow(self.session, first_page=FirstPage.WORK)
        figures["construct_s"] = time.perf_counter() - window_began
        window.resize(*WINDOW)
        grid = FirstPaint(window.take_strip.view.viewport())
        whole = FirstPaint(window, lambda: window.stack.currentWidget() is window.welcome)
        window.show()
        await asyncio.sleep(0.01)  # app.py: let the window paint before the keychain and activate()
        await asyncio.get_running_loop().run_in_executor(None, self.session.prepare_connection)
        mark = time.perf_counter()
        window.activate()
        figures["activate_s"] = time.perf_counter() - mark
        await grid.wait()
        await whole.wait()
        figures["window_paint_s"] = whole.at - window_began
        figures["grid_paint_s"] = grid.at - window_began
        figures["activate_after_paint"] = grid.at < mark
        figures["welcome_painted_first"] = whole.note
        figures["rss_delta_mb"] = rss_mb() - rss_before
        figures["shown_takes"] = window.take_strip.proxy.rowCount()
        figures["shots"] = window.shots.model.rowCount()
        figures["grid_size"] = [window.take_strip.view.viewport().width(), window.take_strip.view.viewport().height()]
        return window

    async def settle(self, seconds: float = 1.5) -> None:
        """Posters and download notes of the history come 200 ms after activate(), from a worker."""
        await asyncio.sleep(seconds)

    def close(self) -> None:
        if self.session is not None:
            self.loop.run_until_complete(self.session.aclose())
        if self.window is not None:
            self.window.close()
        if self.collector is not None:
            self.collector.stop()
        self.loop.close()


class FirstPaint:
    """The end of `widget`'s first Paint event (a zero timer runs once the paint and its flush are over)."""

    def __init__(self, widget: Any, note: Callable[[], Any] | None = None) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.done = asyncio.Event()
        self.at = 0.0
        self.note: Any = None  # what `note` said at that paint
        self._note = note
        outer = self

        class Watch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
                if event.type() == QEvent.Type.Paint and not outer.done.is_set():
                    QTimer.singleShot(0, outer.mark)
                return False

        self._watch = Watch()
        widget.installEventFilter(self._watch)

    def mark(self) -> None:
        if not self.done.is_set():
            self.at = time.perf_counter()
            self.note = self._note() if self._note is not None else None
            self.done.set()

    async def wait(self) -> None:
        await self.done.wait()


def gui_thread_collector(app: Any) -> Any:
    """What app.py sets up, where the tree has it: Python's cycle collector run from a GUI-thread timer."""
    try:
        from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC
    except ImportError:
        return None
    return MainThreadGC(parent=app)


def child_bare(profile_dir: Path) -> dict[str, Any]:
    """The yardstick: a bare QMainWindow of the same size, same process set-up, constructor to first paint."""
    from PySide6.QtWidgets import QMainWindow

    harness = Harness(profile_dir)

    async def run() -> dict[str, Any]:
        began = time.perf_counter()
        window = QMainWindow()
        window.resize(*WINDOW)
        painted = FirstPaint(window)
        window.show()
        await painted.wait()
        window.close()
        return {"window_paint_s": painted.at - began}

    try:
        return harness.loop.run_until_complete(run())
    finally:
        harness.close()


def child_open(profile_dir: Path) -> dict[str, Any]:
    harness = Harness(profile_dir)
    figures: dict[str, Any] = {}
    try:
        harness.loop.run_until_complete(harness.open_window(figures))
    finally:
        harness.close()
    return figures


def child_select(profile_dir: Path, count: int) -> dict[str, Any]:
    """`count` moves to another take with the arrow keys in the take grid, each timed from the key press to the
    first valid frame of that take's file on the player's video sink."""
    from PySide6.QtCore import QObject, Qt, QUrl, Slot
    from PySide6.QtMultimedia import QVideoFrame
    from PySide6.QtTest import QTest

    harness = Harness(profile_dir)
    figures: dict[str, Any] = {}

    class Probe(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.expect = ""
            self.source_at = 0.0
            self.frame_at = 0.0

        @Slot(QUrl)
        def on_source(self, url: QUrl) -> None:
            if self.expect and url.toLocalFile() == self.expect and not self.source_at:
                self.source_at = time.perf_counter()

        @Slot(QVideoFrame)
        def on_frame(self, frame: QVideoFrame) -> None:
            if self.source_at and not self.frame_at and frame.isValid():
                self.frame_at = time.perf_counter()

    async def run() -> None:
        window = await harness.open_window(figures)
        await harness.settle()
        strip, player = window.take_strip, window.results.player
        probe = Probe()
        player.media_player.sourceChanged.connect(probe.on_source)
        player.video_sink().videoFrameChanged.connect(probe.on_frame)
        window.focus_takes()  # take 1 current and playing: the person is reviewing
        await asyncio.sleep(0.5)
        view = strip.view
        # Down/Up: Left/Right step frames wherever the picture is reviewed (player_keys), and in the grid Down
        # is the next row (the next take in a one-column grid, a few takes on in a wider one).
        forward, back = Qt.Key.Key_Down, Qt.Key.Key_Up
        key = forward
        source_ms, frame_ms, missed = [], [], 0
        for _ in range(count):
            before = view.currentIndex().row()
            probe.expect, probe.source_at, probe.frame_at = "", 0.0, 0.0
            pressed = time.perf_counter()
            QTest.keyClick(view, key)
            if view.currentIndex().row() == before:  # at the end of the grid: turn round
                key = back if key == forward else forward
                pressed = time.perf_counter()
                QTest.keyClick(view, key)
            row = view.currentIndex().row()
            if row == before:
                missed += 1
                continue
            # The new source is posted (media_calls), so it is known here before the player takes it.
            probe.expect = str(harness.session.local_video(strip.proxy.task_at(row)))
            deadline = pressed + 5.0
            while not probe.frame_at and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            if not probe.frame_at:
                missed += 1
                continue
            source_ms.append((probe.source_at - pressed) * 1000)
            frame_ms.append((probe.frame_at - pressed) * 1000)
            await asyncio.sleep(0.3)  # a glance at the take before the next key
        figures.update(source_ms=source_ms, frame_ms=frame_ms, missed=missed)

    try:
        harness.loop.run_until_complete(run())
    finally:
        harness.close()
    return figures


def child_scroll(profile_dir: Path, grid_shot: int, notch_ms: int, trace_ms: float | None) -> dict[str, Any]:
    """The grid of the shot with the most takes, scrolled top to bottom and back up, with a 5 ms PreciseTimer
    recording each tick's lateness (stall_meter.py, an idle bare window's same timer in another process over the
    same seconds). Three ways, each from a freshly shown shot: wheel notches every `notch_ms` (what the view makes
    of a mouse wheel) and 40 px per 16 ms frame (a trackpad's or kinetic scroll's steady glide), each 0.3 s after
    the shot is shown (most posters read by then); and wheel notches at once, while the worker reads the posters
    (a person scrolling a shot the moment it opens). The way up has every poster in memory."""
    from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication
    from stall_meter import StallMeter

    harness = Harness(profile_dir)
    figures: dict[str, Any] = {}

    def wheel_step(view: Any, down: bool) -> None:
        viewport = view.viewport()
        centre = QPointF(viewport.width() / 2, viewport.height() / 2)
        delta = QPoint(0, -120 if down else 120)
        event = QWheelEvent(centre, viewport.mapToGlobal(centre), QPoint(), delta, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
        QApplication.sendEvent(viewport, event)

    def glide_step(view: Any, down: bool) -> None:
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + (40 if down else -40))

    async def scroll(view: Any, down: bool, step: Callable[[Any, bool], None], every_ms: int) -> dict[str, Any]:
        bar = view.verticalScrollBar()
        stall = StallMeter(trace_ms)
        finished = asyncio.Event()
        steps = [0]

        def move() -> None:
            if (down and bar.value() >= bar.maximum()) or (not down and bar.value() <= bar.minimum()):
                finished.set()
                return
            step(view, down)
            steps[0] += 1

        mover = QTimer(interval=every_ms, timerType=Qt.TimerType.PreciseTimer)
        mover.timeout.connect(move)
        began = time.perf_counter()
        stall.start()
        mover.start()
        await finished.wait()
        mover.stop()
        await asyncio.sleep(0.05)  # the last step's paint
        stall.stop()
        ended = time.perf_counter()
        traced = stall.tracer.report(worst=3) if stall.tracer is not None else []
        return {"late": stall.lateness(), "steps": steps[0], "seconds": ended - began, "span": [began, ended],
                "traced": traced, "collector": stall.collector_line()}  # fmt: skip

    async def run() -> None:
        window = await harness.open_window(figures)
        await harness.settle()
        if not window.shots.select_shot(grid_shot):
            raise SystemExit(f"shot {grid_shot} is not in the list")
        await asyncio.sleep(0.5)
        strip = window.take_strip
        view = strip.view
        figures["grid_takes"] = strip.proxy.rowCount()
        figures["grid_size"] = [view.viewport().width(), view.viewport().height()]
        figures["scroll_px"] = view.verticalScrollBar().maximum()
        for mode, step, every in (
            ("wheel", wheel_step, notch_ms),
            ("glide", glide_step, 16),
            ("fresh", wheel_step, notch_ms),
        ):
            shown = time.perf_counter()
            strip.show_shot(grid_shot)  # the shot shown afresh: its posters are read again
            figures.setdefault("show_shot_ms", []).append((time.perf_counter() - shown) * 1000)
            view.verticalScrollBar().setValue(0)
            await asyncio.sleep(0.3 if mode != "fresh" else 0.0)
            figures[f"{mode}_down"] = await scroll(view, True, step, every)
            await asyncio.sleep(0.3)
            figures[f"{mode}_up"] = await scroll(view, False, step, every)

    try:
        harness.loop.run_until_complete(run())
    finally:
        harness.close()
    return figures


def child_profile(profile_dir: Path, what: str, grid_shot: int | None) -> dict[str, Any]:
    """cProfile of the timed part of the open (`open`: MainWindow() to the grid's paint, modules imported
    before) or of a whole scroll child (`scroll`); the top functions by cumulative time."""
    import cProfile
    import io
    import pstats

    import sora2_desktop.core.session
    import sora2_desktop.ui.window.main_window  # noqa: F401 - imported before the profile, as before the timing

    profiler = cProfile.Profile()
    if what == "scroll" and grid_shot is not None:
        profiler.enable()
        child_scroll(profile_dir, grid_shot, 16, None)
        profiler.disable()
    else:
        harness = Harness(profile_dir)
        try:
            profiler.enable()
            harness.loop.run_until_complete(harness.open_window({}))
            profiler.disable()
        finally:
            harness.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
    return {"profile": out.getvalue()}


# -- the parent -------------------------------------------------------------------------------------------------


def run_child(profile_dir: Path, *flags: str) -> dict[str, Any]:
    flags = (*flags, "--window", f"{WINDOW[0]}x{WINDOW[1]}")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # Compiled once, as an installed app is (cold_start.py does the same): the first child compiles.
    env["PYTHONPYCACHEPREFIX"] = str(profile_dir.parent / "bytecode")
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(profile_dir), *flags],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shots", type=int, default=200)
    parser.add_argument("--takes", type=int, default=8, help="takes per shot")
    parser.add_argument("--grid-takes", type=int, default=160, help="takes of the one extra shot that is scrolled")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per kind for the open (interleaved)")
    parser.add_argument("--selections", type=int, default=40)
    parser.add_argument("--notch-ms", type=int, default=16, help="a wheel notch every so many ms while scrolling")
    parser.add_argument("--only", nargs="+", choices=("open", "select", "scroll"), default=["open", "select", "scroll"])
    parser.add_argument("--window", default="1280x800", help="the window's size, WIDTHxHEIGHT")
    parser.add_argument("--profile", choices=("open", "scroll"), help="print a cProfile of one child instead")
    parser.add_argument(
        "--trace-stalls",
        type=float,
        metavar="MS",
        help="scroll: sample the GUI thread's Python stack while the timer is this late; print the worst ticks'",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="open", help=argparse.SUPPRESS)
    parser.add_argument("--grid-shot", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    WINDOW[:] = [int(part) for part in args.window.lower().split("x")]
    if args.child:
        print(json.dumps(child(args)))
        return

    load_before = os.getloadavg()[0]
    results: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        profile = Profile.from_dir(Path(folder) / "profile").ensure()
        began = time.perf_counter()
        made = fill(profile, args.shots, args.takes, args.grid_takes)
        print(
            f"project of {args.shots} shots × {args.takes} takes + one shot of {args.grid_takes} takes: "
            f"{made['takes']:,} finished takes, videos and posters on disk, "
            f"written in {time.perf_counter() - began:.1f} s"
        )
        root = str(profile.root)
        grid = ["--grid-shot", str(made["grid_shot"])] if made["grid_shot"] is not None else []
        if args.profile:
            print(run_child(Path(root), "--kind", f"profile-{args.profile}", *grid)["profile"])
            return
        if "open" in args.only:
            results += report_open(Path(root), args.runs)
        if "select" in args.only:
            results += report_select(run_child(Path(root), "--kind", "select", "--selections", str(args.selections)))
        if "scroll" in args.only and grid:
            trace = ["--trace-stalls", str(args.trace_stalls)] if args.trace_stalls is not None else []
            with IdleWindow() as idle:
                scrolled = run_child(Path(root), "--kind", "scroll", "--notch-ms", str(args.notch_ms), *grid, *trace)
            results += report_scroll(scrolled, idle)
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print("\n".join(results))


def child(args: argparse.Namespace) -> dict[str, Any]:
    if args.kind == "bare":
        return child_bare(args.child)
    if args.kind == "open":
        return child_open(args.child)
    if args.kind == "select":
        return child_select(args.child, args.selections)
    if args.kind == "scroll":
        return child_scroll(args.child, args.grid_shot, args.notch_ms, args.trace_stalls)
    return child_profile(args.child, args.kind.removeprefix("profile-"), args.grid_shot)


def report_open(profile_dir: Path, runs: int) -> list[str]:
    run_child(profile_dir, "--kind", "bare")  # warm-ups: the file cache, the first process's page-ins
    run_child(profile_dir, "--kind", "open")
    bare, full = [], []
    for _ in range(runs):
        bare.append(run_child(profile_dir, "--kind", "bare"))
        full.append(run_child(profile_dir, "--kind", "open"))
    grid = [r["grid_paint_s"] for r in full]
    whole = [r["window_paint_s"] for r in full]
    yard = [r["window_paint_s"] for r in bare]
    median, bare_median = statistics.median(grid), statistics.median(yard)
    first = full[0]
    print(
        f"cold open, {first['shots']} shots in the list, {first['shown_takes']} takes in the grid "
        f"({first['grid_size'][0]}×{first['grid_size'][1]} px), window {WINDOW[0]}×{WINDOW[1]}:"
    )
    print(f"  MainWindow() to the take grid's first paint: {', '.join(f'{v:.3f}' for v in grid)} s, "
          f"median {median:.3f} s   (target < 0.5 s)")  # fmt: skip
    welcome = sum(1 for r in full if r["welcome_painted_first"])
    print(
        f"  MainWindow() to the window's first paint: median {statistics.median(whole):.3f} s"
        f"{f' (the welcome page, before activate(), in {welcome} of {len(full)} runs)' if welcome else ''}"
    )
    print(
        f"  a bare QMainWindow, same size and set-up: {', '.join(f'{v * 1000:.0f}' for v in yard)} ms, median "
        f"{bare_median * 1000:.0f} ms; ratio {median / bare_median:.1f}×"
    )
    print(
        f"  parts (medians): Session() {statistics.median(r['session_s'] for r in full):.3f} s (not in the figure), "
        f"MainWindow() {statistics.median(r['construct_s'] for r in full):.3f} s, activate() "
        f"{statistics.median(r['activate_s'] for r in full):.3f} s "
        f"({'after' if all(r['activate_after_paint'] for r in full) else 'before'} the grid's first paint); "
        f"RSS +{statistics.median(r['rss_delta_mb'] for r in full):.1f} MB to the paint"
    )
    name = "project_open.open" if WINDOW == [1280, 800] else f"project_open.open_{WINDOW[0]}x{WINDOW[1]}"
    return [figure(name, median, "s", yardstick=("bare_window_paint", bare_median, "s"), target="<0.5",
                   compare="value").line()]  # fmt: skip


def report_select(figures: dict[str, Any]) -> list[str]:
    frames, sources = figures["frame_ms"], figures["source_ms"]
    if not frames:
        print(f"take selection: no frame seen ({figures['missed']} missed)")
        return []
    print(
        f"another take in the grid (Down/Up key) → its first video frame, {len(frames)} selections"
        f"{' (' + str(figures['missed']) + ' not timed)' if figures['missed'] else ''}: p50 "
        f"{percentile(frames, 0.5):.0f} ms, p95 {percentile(frames, 0.95):.0f} ms, max {max(frames):.0f} ms   "
        f"(target p95 < 150 ms)"
    )
    print(f"  of which key → player source set: p50 {percentile(sources, 0.5):.0f} ms, "
          f"p95 {percentile(sources, 0.95):.0f} ms")  # fmt: skip
    return [figure("project_open.take_first_frame_p95", percentile(frames, 0.95), "ms", target="<150").line()]


def report_scroll(figures: dict[str, Any], idle: IdleWindow) -> list[str]:
    print(
        f"take grid of {figures['grid_takes']} takes ({figures['grid_size'][0]}×{figures['grid_size'][1]} px, "
        f"{figures['scroll_px']:,} px to scroll), 5 ms PreciseTimer lateness (targets p99 < 16 ms, max < 50 ms); "
        "an idle bare window's same timer over the same seconds in brackets:"
    )
    every: list[float] = []
    for mode, words in (("wheel", "wheel notches"), ("glide", "40 px per 16 ms"), ("fresh", "wheel notches at once")):
        for way, label in (("down", "down"), ("up", "back up, posters in memory")):
            run = figures[f"{mode}_{way}"]
            late = run["late"]
            every += late
            if mode == "fresh" and way == "down":
                label = "down, as the shot opens (the worker still reading posters)"
            elif way == "down":
                label = "down, 0.3 s after the shot opened"
            print(f"  {words}, {label}: {run['steps']} steps in {run['seconds']:.2f} s, {len(late)} ticks: "
                  f"{spread(late)} [{spread(idle.lateness(*run['span']))}]")  # fmt: skip
            for line in run.get("traced", []):
                print("  " + line)
            print(f"    {run['collector']}")
    print(f"  show_shot() of the {figures['grid_takes']}-take shot (a click in the shot list, before its paint): "
          f"{', '.join(f'{ms:.1f}' for ms in figures['show_shot_ms'])} ms")  # fmt: skip
    fresh = figures["fresh_down"]
    spans = [figures[f"{mode}_{way}"]["span"] for mode in ("wheel", "glide", "fresh") for way in ("down", "up")]
    idle_all = [late for span in spans for late in idle.lateness(*span)]
    name = "project_open.scroll" if WINDOW == [1280, 800] else f"project_open.scroll_{WINDOW[0]}x{WINDOW[1]}"
    said, results = compare(name, every, idle_all, "  every pass together")
    said_fresh, results_fresh = compare(f"{name}_fresh", fresh["late"], idle.lateness(*fresh["span"]),
                                        "  as the shot opens")  # fmt: skip
    print("\n".join(said + said_fresh))
    # A pass of a fraction of a second has a few dozen ticks: its p99 is its max. Only the max is a figure there.
    return results + [line for line in results_fresh if ".stall_max " in line]


if __name__ == "__main__":
    main()
