"""Runs the benchmarks (all, or those named with --only), each as its own process, reads the RESULT lines they
print last, and prints ONE table: each figure against its target and against the table in benchmarks/README.md.
A figure more than 20 % worse than the README's (by its ratio to the yardstick measured in the same run, where it
has one) is a REGRESSION, and the runner exits 1; so does a benchmark that fails or prints no RESULT line.
A missed target is shown as FAIL but does not by itself change the exit status: the README says which are missed.

    .venv/bin/python benchmarks/run_all.py                 # every benchmark, ~9 min here
    .venv/bin/python benchmarks/run_all.py --only history_open export_selects
    .venv/bin/python benchmarks/run_all.py --quick         # fewer repetitions of the same work, ~7 min
    .venv/bin/python benchmarks/run_all.py --from-output saved.txt   # judge output saved earlier, run nothing

Not a test (pytest never collects benchmarks/); tests/benchmarks_tooling checks its reading and judging.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from figures import Figure, TableRow, Verdict, judge, parse_results, parse_table
from yardsticks import CpuYardstick, bare_window_paint_s

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = HERE / "README.md"


@dataclass(frozen=True)
class Bench:
    script: str
    args: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()  # with --quick: fewer repetitions, never a smaller workload (the README's figures hold)
    timeout_s: float = 900
    requires: str = ""  # a program it runs (found on PATH), without which it is skipped and said so


# Quickest first, so a broken set-up shows within a minute.
BENCHES: dict[str, Bench] = {
    "task_store_load": Bench("task_store_load.py", quick=("--repeat", "3")),
    "project_migration": Bench("project_migration.py", quick=("--repeat", "2")),
    "frame_grab": Bench("frame_grab.py", quick=("--runs", "8")),
    "contact_sheet": Bench("contact_sheet.py", quick=("--runs", "3")),
    "export_selects": Bench("export_selects.py", quick=("--runs", "3")),
    "cold_start": Bench("cold_start.py", quick=("--runs", "3")),
    "cold_start_instructions": Bench("cold_start_instructions.py", requires="valgrind"),
    # Its first run opens the player cold: with fewer than three the median is half a cold start.
    "success_to_first_frame": Bench("success_to_first_frame.py"),
    "download_throughput": Bench("download_throughput.py", quick=("--runs", "1", "--skip-asyncio")),
    "history_open": Bench("history_open.py", quick=("--repeat", "1")),
    "history_open_upgrade": Bench("history_open.py", ("--legacy-history",), quick=("--repeat", "1")),
    "project_open": Bench("project_open.py", quick=("--runs", "2", "--selections", "12")),
    "tasks_in_flight": Bench("tasks_in_flight.py", timeout_s=1800),
}


@dataclass
class Outcome:
    """What one benchmark process left: its figures, its load line, and an error if it had one."""

    name: str
    figures: list[Figure] = field(default_factory=list)
    load: str = ""
    seconds: float = 0.0
    error: str = ""


def run_bench(name: str, quick: bool, verbose: bool) -> Outcome:
    bench = BENCHES[name]
    command = [sys.executable, str(HERE / bench.script), *bench.args, *(bench.quick if quick else ())]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), QT_API="pyside6")
    print(f"[run_all] {name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    began = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=bench.timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return Outcome(name, seconds=time.perf_counter() - began, error=f"no end after {bench.timeout_s:.0f} s")
    seconds = time.perf_counter() - began
    if verbose:
        print(done.stdout, file=sys.stderr, flush=True)
    outcome = read_output(name, done.stdout)
    outcome.seconds = seconds
    if done.returncode != 0:
        outcome.error = f"exit {done.returncode}: {_last_line(done.stderr)}"
    print(f"[run_all] {name}: {seconds:.0f} s, {len(outcome.figures)} figures", file=sys.stderr, flush=True)
    return outcome


def read_output(name: str, text: str) -> Outcome:
    """A benchmark's printed output: its RESULT lines and its "load average X before, Y after"."""
    try:
        figures = parse_results(text)
    except ValueError as error:
        return Outcome(name, error=str(error))
    load = re.search(r"load average ([\d.]+) before, ([\d.]+) after", text)
    outcome = Outcome(name, figures, f"{load[1]}–{load[2]}" if load else "")
    if not figures:
        outcome.error = "no RESULT line"
    return outcome


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


# -- the table --------------------------------------------------------------------------------------------------


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return f"{text} {unit}".strip() if unit != "x" else f"{text}×"


def _yardstick(one: Figure) -> str:
    return f"{one.yardstick} {_number(one.yardstick_value, one.yardstick_unit)}" if one.yardstick else "—"


def _result(one: Figure) -> str:
    met = one.meets_target()
    return "—" if met is None else "pass" if met else "FAIL"


def _against(verdict: Verdict) -> tuple[str, str, str]:
    if not verdict.basis:
        return "—", "—", "new"
    table = f"{_number(verdict.table)} ({verdict.basis})"
    if verdict.change is None:
        return table, "—", "—"
    # The figure's own difference from the table's (+ is more), then whether that is worse or better.
    difference = verdict.now / verdict.table - 1 if verdict.now is not None and verdict.table else 0.0
    if abs(difference) < 0.005:
        change = "same"
    else:
        change = f"{difference:+.0%} " + ("worse" if verdict.change > 0 else "better")
    return table, change, "REGRESSION" if verdict.regression else "ok"


def table_lines(outcomes: list[Outcome], rows: dict[str, TableRow]) -> tuple[list[str], bool]:
    """The one table, and whether anything is wrong (a regression, a benchmark that failed)."""
    header = ("figure", "target", "latest", "yardstick (same run)", "ratio", "result", "README", "change", "verdict")
    body: list[tuple[str, ...]] = []
    bad = False
    for outcome in outcomes:
        for one in outcome.figures:
            verdict = judge(one, rows.get(one.name))
            table, change, word = _against(verdict)
            bad |= verdict.regression
            ratio = _number(one.ratio, "x") if one.ratio is not None else "—"
            body.append((one.name, one.target or "—", _number(one.value, one.unit), _yardstick(one), ratio,
                         _result(one), table, change, word))  # fmt: skip
        if outcome.error:
            bad = True
            body.append((outcome.name, "", "", "", "", "ERROR", "", "", outcome.error))
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in (header, *body)]  # fmt: skip
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines, bad


def markdown_rows(outcomes: list[Outcome], machine: str) -> list[str]:
    """The figures as rows for the README's table (the lead or a person pastes what they mean to keep)."""
    out = []
    for outcome in outcomes:
        for one in outcome.figures:
            ratio = f"{_number(one.ratio, 'x')}" if one.ratio is not None else "—"
            out.append(
                f"| `{one.name}` | {one.target or '—'} | {_number(one.value, one.unit)} | {_yardstick(one)} | "
                f"{ratio} | {_result(one)} | {machine}, load {outcome.load or '?'} |"
            )
    return out


# -- the machine ------------------------------------------------------------------------------------------------


def machine_words() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or "?"
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def machine_yardsticks() -> str:
    """The yardsticks once more, for the footer: what this machine was like when the run began."""
    cpu = CpuYardstick()
    cpu.sample(7)
    with tempfile.TemporaryDirectory() as bytecode:
        bare_window_paint_s(bytecode)  # compiles and warms the file cache
        bare = statistics.median(bare_window_paint_s(bytecode) for _ in range(3))
    return f"sum(range(10**6)) {cpu.ms:.1f} ms; a bare QMainWindow from a fresh process to its first paint {bare:.3f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=list(BENCHES), metavar="NAME", help=", ".join(BENCHES))
    parser.add_argument("--quick", action="store_true", help="fewer repetitions of the same work (noisier)")
    parser.add_argument("--readme", type=Path, default=README, help="the table to compare with")
    parser.add_argument("--from-output", type=Path, nargs="+", metavar="FILE", help="judge saved output, run nothing")
    parser.add_argument("--markdown", action="store_true", help="also print the figures as README table rows")
    parser.add_argument("-v", "--verbose", action="store_true", help="show each benchmark's own output (stderr)")
    args = parser.parse_args(argv)

    rows = parse_table(args.readme.read_text(encoding="utf-8"))
    load_before = os.getloadavg()[0]
    if args.from_output:
        outcomes = [read_output(path.name, path.read_text(encoding="utf-8")) for path in args.from_output]
        yardsticks = ""
    else:
        yardsticks = machine_yardsticks()
        names = args.only or list(BENCHES)
        missing = [name for name in names if BENCHES[name].requires and not shutil.which(BENCHES[name].requires)]
        for name in missing:
            print(f"[run_all] {name}: skipped, {BENCHES[name].requires} is not installed", file=sys.stderr)
        outcomes = [run_bench(name, args.quick, args.verbose) for name in names if name not in missing]
    lines, bad = table_lines(outcomes, rows)
    print("\n".join(lines))
    today = date.today().isoformat()
    loads = ", ".join(f"{o.name} {o.load}" for o in outcomes if o.load)
    print(f"\nmachine: {machine_words()}; {today}; load average {load_before:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end{' (quick)' if args.quick else ''}")  # fmt: skip
    if yardsticks:
        print(f"yardsticks at the start: {yardsticks}")
    if loads:
        print(f"load during each benchmark (before–after): {loads}")
    if args.markdown:
        print("\n" + "\n".join(markdown_rows(outcomes, today)))
    regressions = sum(1 for line in lines if line.endswith("REGRESSION"))
    if bad:
        print(f"\n{regressions} regression(s) against {args.readme.name}; errors: "
              f"{', '.join(o.name for o in outcomes if o.error) or 'none'}")  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
