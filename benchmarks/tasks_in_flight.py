"""1,000 tasks in flight on a sped-up stand-in, real MainWindow shown: UI stall and status requests per task."""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

import httpx
import qasync
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from sora2_desktop.api import AspectRatio, GenerationRequest
from sora2_desktop.core.logging_setup import setup_logging
from sora2_desktop.core.poll_timing import PollTiming
from sora2_desktop.core.profile import Profile
from sora2_desktop.core.rate_limiter import RateLimiter
from sora2_desktop.core.secrets import SecretStore
from sora2_desktop.core.session import Session
from sora2_desktop.core.settings import AppSettings
from sora2_desktop.core.task import Task
from sora2_desktop.ui.main_window import MainWindow

TICK_MS = 5
APP_RATE_PER_MINUTE = 9_000  # RateLimiter's default
SIM_RATE_PER_MINUTE = 10_000  # the service's documented limit per key

# The stand-in runs in its own process, as the real service would: its threads must not take the GIL from the UI.
SIM_CHILD = """
import sys
from sora2_desktop.sim import SimServer
sim = SimServer(speed=float(sys.argv[1]), rate_limit_per_minute=int(sys.argv[2])).start()
print(sim.api_base, flush=True)
sys.stdin.read()
sim.stop()
"""


class StallMeter(QObject):
    """A 5 ms timer on the GUI thread; each tick records how late it came (gap minus 5 ms), in ms."""

    def __init__(self) -> None:
        super().__init__()
        self.lateness_ms: list[float] = []
        self._last = 0.0
        self._timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness_ms.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def requests_for(click: int, takes: int) -> list[GenerationRequest]:
    prompt = f"Shot {click}: a neon-lit alley in the rain, handheld, a cat crosses the frame, puddles reflect signs"
    duration = 15 if click % 3 == 0 else 10
    aspect = AspectRatio.PORTRAIT if click % 2 else AspectRatio.LANDSCAPE
    return [GenerationRequest(prompt=prompt, duration=duration, aspect_ratio=aspect)] * takes


def minimum_polls(sim_task: dict[str, Any], timing: PollTiming) -> int:
    """Polls a scheduler that knew the completion time would still need: the first, then one per interval."""
    request = GenerationRequest(prompt="x", duration=int(eval_json(sim_task["param"])["input"]["duration"]))
    first_poll = sim_task["createTime"] / 1000 + timing.first_delay(request)
    remaining = sim_task["completeTime"] / 1000 - first_poll
    return 1 + max(0, math.ceil(remaining / timing.interval(request)))


def eval_json(text: str) -> Any:
    import json

    return json.loads(text)


async def run(window: MainWindow, session: Session, args: argparse.Namespace, meter: StallMeter) -> dict[str, Any]:
    final_seen: dict[str, float] = {}  # service task id -> wall time the app learned the final state

    def on_changed(task: Task) -> None:
        if task.phase.is_final and task.task_id is not None:
            final_seen.setdefault(task.task_id, time.time())

    window.activate()
    runner = session.runner
    assert runner is not None
    if args.limiter == "scaled":
        # The key's limit on the service's sped-up clock; the app's own limiter is not exposed by Session.
        runner._limiter = RateLimiter(rate_per_minute=APP_RATE_PER_MINUTE * args.speed)
    runner.task_changed.connect(on_changed)
    clicks = args.tasks // args.takes
    began = time.perf_counter()
    meter.start()
    for click in range(clicks):
        runner.submit(requests_for(click, args.takes))
        await asyncio.sleep(args.click_gap_ms / 1000)
    submitted_s = time.perf_counter() - began
    deadline = began + args.timeout
    while len(final_seen) < clicks * args.takes and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    meter.stop()
    return {
        "final_seen": final_seen,
        "submitted_s": submitted_s,
        "run_s": time.perf_counter() - began,
        "status_requests": runner.status_requests,
        "submit_requests": runner.submit_requests,
        "limiter_waited_s": runner._limiter.waited_s,
        "model_rows": window.model.rowCount(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=1_000)
    parser.add_argument("--takes", type=int, default=4, help="tasks per Generate click")
    parser.add_argument("--speed", type=float, default=20.0, help="stand-in clock speed-up; polling scales with it")
    parser.add_argument(
        "--limiter",
        choices=("scaled", "app"),
        default="scaled",
        help="scaled: the key's 9,000/min on the sped-up clock (x speed); app: the shipped 9,000/min of real time",
    )
    parser.add_argument("--click-gap-ms", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=170.0, help="seconds before giving up on unfinished tasks")
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    sim_rate = int(SIM_RATE_PER_MINUTE * (args.speed if args.limiter == "scaled" else 1))
    sim = subprocess.Popen(
        [sys.executable, "-c", SIM_CHILD, str(args.speed), str(sim_rate)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert sim.stdout is not None and sim.stdin is not None
    api_base = sim.stdout.readline().decode().strip()
    timing = PollTiming(time_scale=1.0 / args.speed)  # 180 s first poll (240 s for 15 s clips), then every 10 s
    with tempfile.TemporaryDirectory() as folder:
        profile = Profile.from_dir(Path(folder)).ensure()
        setup_logging(profile.logs_dir)  # the app logs every submit to its file; that cost is part of the load
        secrets = SecretStore(environ={"APIXO_API_KEY": "bench-key"})  # never the machine's keychain
        session = Session(profile, AppSettings(profile), secrets, api_base_override=api_base, timing=timing)
        window = MainWindow(session)
        window.show()
        meter = StallMeter()
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        result = loop.run_until_complete(run(window, session, args, meter))
        loop.run_until_complete(session.aclose())
        window.close()
    sim_tasks = httpx.get(f"{api_base}/_sim/tasks", timeout=30).json()["data"]
    sim.stdin.close()
    sim.wait(timeout=10)
    report(args, result, sim_tasks, timing, meter)


def report(
    args: argparse.Namespace, result: dict[str, Any], sim_tasks: list[dict[str, Any]], timing: PollTiming, meter: StallMeter
) -> None:
    finished = [t for t in sim_tasks if t["completeTime"] is not None]
    minimum = sum(minimum_polls(t, timing) for t in finished)
    seen = result["final_seen"]
    # How long after the service finished did the app know, in the service's seconds (the interval is 10 s).
    lag = [(seen[t["taskId"]] - t["completeTime"] / 1000) * args.speed for t in finished if t["taskId"] in seen]
    rate_wanted = len(sim_tasks) / (10.0 / args.speed)
    app_rate = APP_RATE_PER_MINUTE / 60 * (args.speed if args.limiter == "scaled" else 1)
    stalls = meter.lateness_ms
    print(f"tasks in flight: {args.tasks:,} ({args.tasks // args.takes} clicks x {args.takes}), speed x{args.speed:g}")
    print(f"  submitted in {result['submitted_s']:.1f} s; all final seen after {result['run_s']:.1f} s")
    print(f"  service tasks {len(sim_tasks):,}, finished {len(finished):,}, final in the app {len(seen):,}; "
          f"model rows {result['model_rows']:,}")
    print(f"  limiter: {args.limiter}, {app_rate:,.0f} req/s; steady polling wants up to {rate_wanted:,.0f} req/s; "
          f"callers waited {result['limiter_waited_s']:.1f} s in total")
    print(f"UI stall over {len(stalls):,} ticks of {TICK_MS} ms: p50 {percentile(stalls, 0.5):.1f} ms, "
          f"p99 {percentile(stalls, 0.99):.1f} ms, max {max(stalls, default=float('nan')):.1f} ms "
          "(targets p99 < 16, max < 50)")
    print(f"status requests: {result['status_requests']:,} = {result['status_requests'] / max(1, len(finished)):.2f} "
          f"per task; schedule minimum {minimum / max(1, len(finished)):.2f}; ratio "
          f"{result['status_requests'] / max(1, minimum):.3f} (target <= 1.05)")
    print(f"submit requests: {result['submit_requests']:,}")
    print(f"notice lag (service seconds after completion): p50 {percentile(lag, 0.5):.1f}, "
          f"p99 {percentile(lag, 0.99):.1f}, max {max(lag, default=float('nan')):.1f} (interval 10)")


if __name__ == "__main__":
    main()
