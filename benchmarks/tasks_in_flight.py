"""1,000 tasks in flight on a sped-up stand-in, real MainWindow shown: UI stall and status requests per task."""

# ruff: noqa: E402 - the bytecode folder is set before the app and the HTTP stack are imported

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

os.environ.setdefault("QT_API", "pyside6")
# Bytecode compiled once and kept, as an installed app has it (this environment sets PYTHONDONTWRITEBYTECODE):
# else every module imported on first use (the HTTP stack's, at the first request) is compiled from source in the
# middle of the run and shows as a stall no installed app has.
sys.dont_write_bytecode = False
sys.pycache_prefix = str(Path(tempfile.gettempdir()) / "sora2-benchmark-bytecode")

import httpx
import qasync
from PySide6.QtWidgets import QApplication
from stall_meter import IdleWindow, StallMeter, compare, own_stalls, spread

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.runtime.logging_setup import setup_logging
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from sora2_desktop.ui.window.main_window import MainWindow

APP_RATE_PER_MINUTE = 9_000  # RateLimiter's default
SIM_RATE_PER_MINUTE = 10_000  # the service's limit per key
TIMING = PollTiming()  # the shipped schedule: first poll at 180 s (240 s for 15 s clips), then every 10 s

# The stand-in runs in its own process, as the real service would: its threads must not take the GIL from the UI.
SIM_CHILD = """
import sys
from sora2_desktop.sim import SimServer
# A balance no run spends: the benchmark measures polling, not the stand-in's price table.
sim = SimServer(speed=float(sys.argv[1]), rate_limit_per_minute=int(sys.argv[2]), balance_usd=1e9).start()
print(sim.api_base, flush=True)
sys.stdin.read()
sim.stop()
"""


def requests_for(click: int, takes: int) -> list[GenerationRequest]:
    prompt = f"Shot {click}: a neon-lit alley in the rain, handheld, a cat crosses the frame, puddles reflect signs"
    duration = 15 if click % 3 == 0 else 10
    aspect = "portrait" if click % 2 else "landscape"
    return [GenerationRequest(prompt=prompt, duration=duration, aspect_ratio=aspect)] * takes


async def run(window: MainWindow, session: Session, args: argparse.Namespace, meter: StallMeter) -> dict[str, Any]:
    """Submit `tasks` as clicks of `takes` through the runner, then wait until the app saw every task finish."""
    # As app.py does with a stored key: the HTTP pool (and what its first request imports) made in a worker.
    await asyncio.get_running_loop().run_in_executor(None, session.prepare_connection)
    window.activate()
    runner = session._runner
    assert runner is not None
    if args.limiter == "scaled":
        # The key's limit on the stand-in's sped-up clock. Session does not expose the runner's limiter.
        runner._limiter = RateLimiter(rate_per_minute=APP_RATE_PER_MINUTE * args.speed)
    clicks_ms = []
    cpu = time.process_time()
    began = time.perf_counter()
    meter.start()
    for click in range(args.tasks // args.takes):
        clicked = time.perf_counter()
        runner.submit(requests_for(click, args.takes))  # what one Generate click does, on the GUI thread
        clicks_ms.append((time.perf_counter() - clicked) * 1000)
        await asyncio.sleep(args.click_gap_ms / 1000)
    submitted = time.perf_counter()
    while (runner.live_count or runner.submit_requests < args.tasks) and time.perf_counter() < began + args.timeout:
        await asyncio.sleep(0.05)
    meter.stop()
    return {
        "began": began,
        "submitted": submitted,
        "run_s": time.perf_counter() - began,
        "cpu_s": time.process_time() - cpu,
        "clicks_ms": clicks_ms,
        "unfinished": runner.live_count,
        "status_requests": runner.status_requests,
        "submit_requests": runner.submit_requests,
        "limiter_waited_s": runner._limiter.waited_s,
        "model_rows": window.model.rowCount(),
    }


def poll_figures(sim_tasks: list[dict[str, Any]], log: list[dict[str, Any]], speed: float) -> dict[str, list[float]]:
    """Per finished task, from the stand-in's own records (its clock, its request log)."""
    polls: dict[str, list[float]] = collections.defaultdict(list)
    for request in log:
        if request["method"] == "GET" and "statusTask" in request["path"]:
            polls[parse_qs(urlsplit(request["path"]).query)["taskId"][0]].append(request["time"])
    out: dict[str, list[float]] = collections.defaultdict(list)
    for task in sim_tasks:
        times = sorted(polls[task["taskId"]])
        if task["completeTime"] is None or not times:
            continue
        request = GenerationRequest(prompt="-", duration=int(json.loads(task["param"])["input"]["duration"]))
        interval = TIMING.interval(request) / speed
        planned_first = task["createTime"] / 1000 + TIMING.first_delay(request) / speed
        ends = task["completeTime"] / 1000
        out["polls"].append(len(times))
        # A perfectly informed scheduler: the first poll, then one per interval until the one that sees the end.
        out["minimum"].append(1 + max(0, math.ceil((ends - planned_first) / interval)))
        # The same, counted from the app's actual first poll: what is left over is waste, not lateness.
        out["minimum_from_first"].append(1 + max(0, math.ceil((ends - times[0]) / interval)))
        out["first_late_s"].append((times[0] - planned_first) * speed)
        seen = next((t for t in times if t >= ends), math.nan)
        out["notice_lag_s"].append((seen - ends) * speed)
    return out


def gui_thread_collector(app: QApplication) -> Any:
    """What app.py sets up, where the tree has it: Python's cycle collector run from a GUI-thread timer."""
    try:
        from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC
    except ImportError:
        return None
    return MainThreadGC(parent=app)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compile_lazy_imports() -> None:
    """Compile what is imported on first use (the app, the HTTP stack) into the bytecode folder, once."""
    import compileall
    import importlib.util

    for name in ("sora2_desktop", "httpx", "httpcore", "anyio", "h11", "sniffio", "qasync", "certifi", "idna"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=1_000)
    parser.add_argument("--takes", type=int, default=4, help="tasks per Generate click")
    parser.add_argument("--speed", type=float, default=2.0, help="stand-in clock speed-up; polling scales with it")
    parser.add_argument(
        "--limiter",
        choices=("scaled", "app"),
        default="scaled",
        help="scaled: the key's limits on the sped-up clock (x speed, app and stand-in); app: as shipped, real time",
    )
    parser.add_argument("--click-gap-ms", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before giving up on unfinished tasks")
    parser.add_argument(
        "--trace-stalls",
        type=float,
        metavar="MS",
        help="sample the GUI thread's Python stack while the timer is this late; print the worst ticks' stacks",
    )
    args = parser.parse_args()

    compile_lazy_imports()
    load_before = os.getloadavg()[0]
    app = QApplication(sys.argv[:1])
    scale = args.speed if args.limiter == "scaled" else 1.0
    sim = subprocess.Popen(
        [sys.executable, "-c", SIM_CHILD, str(args.speed), str(int(SIM_RATE_PER_MINUTE * scale))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert sim.stdout is not None and sim.stdin is not None
    api_base = sim.stdout.readline().decode().strip()
    with tempfile.TemporaryDirectory() as folder:
        profile = Profile.from_dir(Path(folder)).ensure()
        setup_logging(profile.logs_dir)  # the app logs every submit to its file: part of the load
        secrets = SecretStore(environ={"APIXO_API_KEY": "bench-key"})  # never the machine's keychain
        timing = PollTiming(time_scale=1.0 / args.speed)
        session = Session(profile, AppSettings(profile), secrets, api_base_override=api_base, timing=timing)
        window = MainWindow(session)
        window.show()
        meter = StallMeter(args.trace_stalls)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        collector = gui_thread_collector(app)
        with IdleWindow() as idle:
            result = loop.run_until_complete(run(window, session, args, meter))
        loop.run_until_complete(session.aclose())
        window.close()
        if collector is not None:
            collector.stop()
        loop.close()
    sim_tasks = httpx.get(f"{api_base}/_sim/tasks", timeout=60).json()["data"]
    log = httpx.get(f"{api_base}/_sim/requests", timeout=60).json()
    result["sim_cpu_s"] = cpu_seconds(sim.pid)
    sim.stdin.close()
    sim.wait(timeout=10)
    results = report(args, result, meter, idle, poll_figures(sim_tasks, log, args.speed), log)
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print("\n".join(results))


def report(
    args: argparse.Namespace,
    result: dict[str, Any],
    meter: StallMeter,
    idle: IdleWindow,
    polls: dict[str, list[float]],
    log: list[Any],
) -> list[str]:
    scale = args.speed if args.limiter == "scaled" else 1.0
    per_second = collections.Counter(int(request["time"]) for request in log if request["origin"] == "api")
    print(
        f"{args.tasks:,} tasks in flight ({args.tasks // args.takes} clicks x {args.takes}), stand-in speed "
        f"x{args.speed:g}: submitted in {result['submitted'] - result['began']:.1f} s, all final after "
        f"{result['run_s']:.1f} s; unfinished {result['unfinished']}, model rows {result['model_rows']:,}"
    )
    print(
        f"  limits: app {APP_RATE_PER_MINUTE / 60 * scale:,.0f} req/s ({args.limiter}), stand-in "
        f"{SIM_RATE_PER_MINUTE / 60 * scale:,.0f} req/s; polling all tasks wants {args.tasks * args.speed / 10:,.0f} "
        f"req/s; busiest second carried {max(per_second.values(), default=0)} requests; the app's limiter made "
        f"callers wait {result['limiter_waited_s']:.1f} s in total"
    )
    print(
        f"  CPU over the run: app {result['cpu_s']:.1f} s = {result['cpu_s'] / result['run_s']:.0%} of one core "
        f"(nearly all on the GUI thread); stand-in {result['sim_cpu_s']:.1f} s"
    )
    began, submitted, ended = result["began"], result["submitted"], result["began"] + result["run_s"]
    said, results = compare("tasks_in_flight", meter.lateness(), idle.lateness(began, ended), "UI stall")
    print("\n".join(said))
    for label, start, end in (("while submitting", began, submitted), ("while polling:   ", submitted, ended)):
        print(f"  {label}: {spread(meter.lateness(start, end))}; idle window {spread(idle.lateness(start, end))}")
    own = own_stalls(meter.ticks, idle.ticks)
    print(f"  over 50 ms while the idle window stayed within 10 ms (the app's own): {len(own)}"
          + (f", {', '.join(f'{late:.1f}' for late in sorted(own, reverse=True)[:8])} ms" if own else ""))  # fmt: skip
    print(f"  {meter.collector_line()}")
    if meter.tracer is not None:
        print(f"the worst ticks, with the GUI thread's stacks sampled while over {args.trace_stalls:g} ms late:")
        for line in meter.tracer.report(idle=idle):
            print(line)
    print(f"  one click (runner.submit of {args.takes}): {spread(result['clicks_ms'], 'ms')}")
    n, made = len(polls["polls"]), sum(polls["polls"])
    print(
        f"status requests: {made:,} reached the stand-in (the runner counted {result['status_requests']:,}), "
        f"{made / max(1, n):.2f} per task over {n:,} tasks"
    )
    print(
        f"  vs the schedule's minimum {sum(polls['minimum']) / max(1, n):.2f} per task: ratio "
        f"{made / max(1, sum(polls['minimum'])):.3f}   (target <= 1.05)"
    )
    from_first = sum(polls["minimum_from_first"])
    print(f"  vs the minimum from the app's actual first poll: ratio {made / max(1, from_first):.3f} (above 1 = waste)")
    print(f"  first poll late by (service s): {spread(polls['first_late_s'], 's')}")
    print(f"  end seen after (service s):     {spread(polls['notice_lag_s'], 's')}   (ideal: within the 10 s interval)")
    return results


if __name__ == "__main__":
    main()
