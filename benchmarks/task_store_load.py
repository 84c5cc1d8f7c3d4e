"""Times TaskStore on 10,000 tasks (the start-up load, one-row updates), each against `sum(range(10**6))` measured
between the repetitions; prints figures, asserts nothing."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from figures import emit, figure, load_line
from yardsticks import CpuYardstick

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase


def fill(store: TaskStore, count: int) -> None:
    """`count` finished tasks, unique prompts (so no request is parsed once for many rows), takes in pairs."""
    start = datetime.now(UTC) - timedelta(days=60)
    for index in range(count):
        request = GenerationRequest(
            prompt=f"Take {index // 2}: a lighthouse at golden hour, slow dolly in, waves below ✨ " * 4,
            mode=Mode.IMAGE_TO_VIDEO,
            image_urls=(f"https://images.example.com/{index // 2}.png",),
        )
        created = start + timedelta(seconds=index * 30)
        store.add(
            Task(
                request=request,
                created_at=created,
                phase=TaskPhase.SUCCESS,
                batch_id=f"batch{index // 2}",
                task_id=f"task_{index:08d}",
                submitted_at=created,
                polls=12,
                raw_state="success",
                result_urls=(f"https://r2.apixo.ai/{index}.mp4",),
                service_created_at=created,
                completed_at=created + timedelta(minutes=4),
                cost_time_ms=240_000,
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    cpu = CpuYardstick()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tasks.sqlite3"
        with TaskStore(path) as store:
            began = time.perf_counter()
            fill(store, args.tasks)
            print(f"add() x {args.tasks:,}, one transaction each: {time.perf_counter() - began:.2f} s")
        with TaskStore(path) as store:  # a fresh connection, as at start-up
            loads = []
            for _ in range(args.repeat):
                cpu.sample(1)
                began = time.perf_counter()
                tasks = store.all()
                loads.append(time.perf_counter() - began)
            print(f"all() -> {len(tasks):,} tasks: best {min(loads):.3f} s, worst {max(loads):.3f} s")
            cpu.sample(1)
            began = time.perf_counter()
            for task in tasks[:500]:
                store.update(task.with_(polls=task.polls + 1))
            update_ms = (time.perf_counter() - began) / 500 * 1000
            cpu.sample(1)
            print(f"update(): {update_ms:.3f} ms per row")
    # The yardstick reads the figures across machines and loads: about 10 ms on a 2023 laptop with Python 3.11.
    print(cpu.describe())
    print(load_line(load_before))
    emit(
        figure("task_store.all", min(loads), "s", yardstick=cpu.yardstick()),
        figure("task_store.update", update_ms, "ms", yardstick=cpu.yardstick()),
    )


if __name__ == "__main__":
    main()
