"""From the status answer that says success to the result's first video frame, in the real MainWindow, against
`sum(range(10**6))` measured between the runs."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

import qasync
from figures import emit, figure, load_line
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtMultimedia import QVideoFrame
from PySide6.QtWidgets import QApplication
from yardsticks import CpuYardstick

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.sim import SimServer
from sora2_desktop.ui.window.main_window import MainWindow

PROMPT = "A lighthouse at dusk, slow dolly in; waves break on the rocks below, golden hour"


@dataclass
class Run:
    """One task's moments, perf_counter seconds; `mode` says when the row was selected."""

    mode: str  # "success": selected when the answer came; "landed": selected when the file was saved
    task_id: int
    answer: float | None = None  # task_changed with SUCCESS: the status answer is applied
    succeeded: float | None = None  # TaskRunner.succeeded reached the benchmark (after the downloader's slot)
    landed: float | None = None  # ResultDownloader.file_ready
    source: float | None = None  # QMediaPlayer.sourceChanged to this result
    source_url: str = ""
    frame: float | None = None  # first valid frame on the player's video sink after `source`
    events: list[str] = field(default_factory=list)

    def done(self) -> bool:
        return self.landed is not None and self.frame is not None


class Probe(QObject):
    """Slots (not lambdas) on the signals that mark each step; selects the task the way a waiting person would."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.run: Run | None = None

    def watch(self, session: Session) -> None:
        assert session._runner is not None and session._downloader is not None
        session._runner.task_changed.connect(self.on_task_changed)
        session._runner.succeeded.connect(self.on_succeeded)
        session._downloader.file_ready.connect(self.on_landed)
        player = self.window.results.player
        player.media_player.sourceChanged.connect(self.on_source)
        player.video_sink().videoFrameChanged.connect(self.on_frame)

    @Slot(object)
    def on_task_changed(self, task: Task) -> None:
        run = self.run
        if run is not None and task.local_id == run.task_id and task.phase == TaskPhase.SUCCESS and run.answer is None:
            run.answer = time.perf_counter()

    @Slot(object)
    def on_succeeded(self, task: Task) -> None:
        run = self.run
        if run is None or task.local_id != run.task_id:
            return
        run.succeeded = time.perf_counter()
        if run.mode == "success":
            self.window.task_list.select_task(run.task_id)

    @Slot(object, object)
    def on_landed(self, task: Task, path: Path) -> None:
        run = self.run
        if run is None or task.local_id != run.task_id:
            return
        run.landed = time.perf_counter()
        if run.mode == "landed":
            self.window.task_list.select_task(run.task_id)

    @Slot(QUrl)
    def on_source(self, url: QUrl) -> None:
        run = self.run
        if run is None or run.succeeded is None or url.isEmpty() or run.source is not None:
            return
        run.source = time.perf_counter()
        run.source_url = url.toString()

    @Slot(QVideoFrame)
    def on_frame(self, frame: QVideoFrame) -> None:
        run = self.run
        if run is None or run.source is None or run.frame is not None or not frame.isValid():
            return
        run.frame = time.perf_counter()


async def one_run(window: MainWindow, session: Session, probe: Probe, mode: str, timeout: float) -> Run:
    runner = session._runner
    assert runner is not None
    window.result_control.show_task(None)  # nothing playing: the person is watching the list
    await asyncio.sleep(0.5)
    (task,) = runner.submit([GenerationRequest(prompt=PROMPT, duration=15)])
    assert task.local_id is not None
    run = probe.run = Run(mode, task.local_id)
    deadline = time.perf_counter() + timeout
    while not run.done() and time.perf_counter() < deadline:
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.3)  # let the first frames play before the next run resets the player
    probe.run = None
    return run


async def measure(window: MainWindow, session: Session, args: argparse.Namespace, cpu: CpuYardstick) -> list[Run]:
    window.activate()
    probe = Probe(window)
    probe.watch(session)
    runs = []
    for index in range(args.runs):
        for mode in args.modes:
            cpu.sample(1)
            runs.append(await one_run(window, session, probe, mode, args.timeout))
            print(f"  run {index + 1} ({mode}): {describe(runs[-1])}", flush=True)
    return runs


def ms(later: float | None, earlier: float | None) -> str:
    return "—" if later is None or earlier is None else f"{(later - earlier) * 1000:.0f}"


def describe(run: Run) -> str:
    start = run.answer
    where = "file" if run.source_url.startswith("file:") else "URL" if run.source_url else "none"
    return (
        f"from the success answer (ms): succeeded signal {ms(run.succeeded, start)}, download landed "
        f"{ms(run.landed, start)}, player source set {ms(run.source, start)} ({where}), first frame "
        f"{ms(run.frame, start)}"
    )


def gui_thread_collector(app: Any) -> Any:
    """What app.py sets up, where the tree has it: Python's cycle collector run from a GUI-thread timer."""
    try:
        from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC
    except ImportError:
        return None
    return MainThreadGC(parent=app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="tasks per selection mode, one after another")
    parser.add_argument("--speed", type=float, default=60.0, help="stand-in clock speed-up; polling scales with it")
    parser.add_argument(
        "--modes",
        nargs="+",
        choices=("success", "landed"),
        default=["success", "landed"],
        help="success: select the row when the success answer comes (the brief's person who was waiting); "
        "landed: select it once the file is saved",
    )
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    app = QApplication(sys.argv[:1])
    sim = SimServer(speed=args.speed).start()  # in-process: a few requests and one small clip per run
    print(
        f"stand-in x{args.speed:g} in-process; a 15 s request per run (the stand-in serves a demo clip made for "
        f"the request: its size and seconds); the real MainWindow shown offscreen"
    )
    cpu = CpuYardstick()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = gui_thread_collector(app)
    try:
        with tempfile.TemporaryDirectory() as folder:
            profile = Profile.from_dir(Path(folder)).ensure()
            secrets = SecretStore(environ={"APIXO_API_KEY": "bench-key"})  # never the machine's keychain
            timing = PollTiming(time_scale=1.0 / args.speed)
            session = Session(profile, AppSettings(profile), secrets, api_base_override=sim.api_base, timing=timing)
            window = MainWindow(session)
            window.resize(1280, 800)
            window.show()
            runs = loop.run_until_complete(measure(window, session, args, cpu))
            loop.run_until_complete(session.aclose())
            window.close()
    finally:
        if collector is not None:
            collector.stop()
        loop.close()
        sim.stop()
    report(runs)
    cpu.sample(1)
    print(cpu.describe())
    print(load_line(load_before))
    results = []
    for mode, target in (("success", "<1000"), ("landed", "")):
        frames = [(r.frame - r.answer) * 1000 for r in runs if r.mode == mode and r.frame and r.answer]
        if frames:
            median = statistics.median(frames)
            results.append(figure(f"first_frame.at_{mode}", median, "ms", yardstick=cpu.yardstick(), target=target))
    emit(*results)


def report(runs: list[Run]) -> None:
    for mode in ("success", "landed"):
        chosen = [r for r in runs if r.mode == mode and r.answer is not None]
        if not chosen:
            continue
        print(f"selected at {mode}: {len(chosen)} runs (the first one of the process opens the player cold)")
        for label, attr in (("download landed", "landed"), ("player source set", "source"), ("first frame", "frame")):
            values = [(getattr(r, attr) - r.answer) * 1000 for r in chosen if getattr(r, attr) is not None]
            if values:
                print(
                    f"  {label:18} ms after the success answer: {', '.join(f'{v:.0f}' for v in values)}"
                    f"  (median {statistics.median(values):.0f})"
                )
        sources = {("file" if r.source_url.startswith("file:") else "result URL") for r in chosen if r.source_url}
        print(f"  the player opened: {', '.join(sorted(sources)) or 'nothing'}")


if __name__ == "__main__":
    main()
