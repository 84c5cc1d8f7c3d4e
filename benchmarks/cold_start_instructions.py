"""Cold start in instructions: the real app's start with a stored key (cold_start.py's `key` kind) against a bare
QMainWindow, each run once under valgrind's callgrind from a fresh interpreter to a mark, counting the instructions
the process ran. Unlike the wall clock, the count does not move with the machine's load or speed: on the 2-core
machine of benchmarks/README.md the wall-clock ratios of the same code swung 1.28-1.70x between runs of one day
(the bare window itself 0.104-0.174 s within one run) while these counts repeated to the million.

Marks, as cold_start.py has them: the end of the first paint; usable (the shot list and the composer built, the page
right, the loop free); complete (every later stage built). The process exits at its mark, so what comes after it is
not counted. Needs `valgrind` (Debian: apt-get install valgrind); about 2 minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cold_start import HEAD, KEYRING, make_profiles, start_env
from figures import emit, figure

# Where each mark's process ends: right after the line of cold_start.py's HEAD that records it.
MARKS = {
    "first_paint": 'seen["paint"] = time.time()',
    "usable": 'seen_now("usable_at", windows[0])',
    "complete": 'seen_now("complete_at", windows[0])',
}
TARGETS = {"first_paint": "<=1.5x", "usable": "<=2x", "complete": ""}
EXIT = "; import os; os._exit(0)"


def head_until(mark: str) -> str:
    anchor = MARKS[mark]
    assert anchor in HEAD, f"cold_start.py's HEAD no longer records {mark!r} with {anchor!r}"
    return HEAD.replace(anchor, anchor + EXIT, 1)


def instructions(mode: str, mark: str, scratch: Path, profiles: dict[str, Path]) -> int:
    """Instructions of one start (`bare` or `key`) to `mark`, the bytecode compiled by an untimed run first."""
    env = start_env(mode, scratch, str(scratch / "bytecode"))
    head = head_until("first_paint" if mode == "bare" else mark)
    counted = None
    for under_valgrind in (False, True):  # the first run compiles the bytecode, as an installed app has it
        with tempfile.TemporaryDirectory(dir=scratch) as run:
            profile = Path(run) / "profile"
            if mode in profiles:
                shutil.copytree(profiles[mode], profile)
            tool = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={run}/callgrind.out"]
            command = [*(tool if under_valgrind else []), sys.executable, "-c", head, mode, str(profile)]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
            if under_valgrind:
                found = re.search(r"Collected : (\d+)", done.stderr)
                if found is None:
                    raise RuntimeError(f"{mode} to {mark}: no count from callgrind:\n{done.stderr[-3000:]}")
                counted = int(found[1])
    assert counted is not None
    return counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--marks", nargs="+", choices=list(MARKS), default=list(MARKS))
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("cold_start_instructions: valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        (scratch / "bench_keyring.py").write_text(KEYRING, encoding="utf-8")
        profiles = make_profiles(scratch / "profiles")
        bare = instructions("bare", "first_paint", scratch, profiles) / 1e6
        print("instructions from spawning the interpreter, callgrind (millions)")
        print(f"  bare window to its first paint: {bare:.0f}M")
        results = []
        for mark in args.marks:
            key = instructions("key", mark, scratch, profiles) / 1e6
            print(f"  stored key, a 40-shot project, to {mark.replace('_', ' ')}: {key:.0f}M = {key / bare:.2f}x bare")
            yardstick = ("bare_window", bare, "Minstr")
            name = f"cold_start_instructions.{mark}"
            results.append(figure(name, key, "Minstr", yardstick=yardstick, ratio=key / bare, target=TARGETS[mark]))
    load = os.getloadavg()[0]
    print(f"  targets: first paint <= 1.5x bare, usable <= 2x bare (issue 13); load {load:.1f}: it does not move these")
    emit(*results)


if __name__ == "__main__":
    main()
