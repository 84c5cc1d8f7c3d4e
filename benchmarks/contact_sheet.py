"""A contact sheet of 12 takes (the stand-in's demo videos: 10 s, landscape and portrait, 24 and 30 fps, four
looks) written as PDF + PNG through Session.sheets' service: wall time per run (the issue's target: under 3 s),
split into reading the frames and the rest, against `sum(range(10**6))` measured between the runs. Prints figures,
asserts nothing."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")

import qasync
from figures import emit, figure, load_line
from PySide6.QtGui import QGuiApplication
from yardsticks import CpuYardstick

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.export.selection import Selection
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.sheets.sheet_service import ContactSheetService, SheetProgress, SheetStage
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.sim.media.clips import ClipSpec, DemoClips

ROOT = Path(__file__).resolve().parent.parent
# (width, height, fps) of the takes, round-robin: what Sora 2 and Sora 2 Pro deliver in the stand-in.
FORMATS = [(1280, 720, 30), (720, 1280, 30), (1280, 720, 24), (1792, 1024, 24)]
PROMPTS = [
    "A lighthouse at dusk, waves breaking over the rocks, slow dolly in, warm rim light on the keeper's coat",
    "Neon alley in the rain, a cat crosses under a flickering sign, handheld, shallow depth of field",
    "Drone shot over a pine forest at first light, mist in the valleys, the camera rises to reveal the peaks",
]
MARKS = [TakeMark.CIRCLED, None, TakeMark.HOLD, TakeMark.NO_GOOD]


def build(folder: Path, takes: int, seconds: int) -> tuple[TaskStore, ProjectService, dict[int, Path], int]:
    clips = DemoClips(ROOT / "resources" / "demo_media")
    store = TaskStore(folder / "tasks.sqlite3")
    projects = ProjectService(lambda: store, lambda task: None)
    project = projects.create_project("Trailer", folder=str(folder))
    files: dict[int, Path] = {}
    for index in range(takes):
        while len(projects.shots(project.id)) <= index // 4:
            projects.add_shot(project.id)
        shot = projects.shots(project.id)[index // 4]
        prompt = PROMPTS[index % len(PROMPTS)]
        version, number = projects.place_takes(shot.id, prompt)
        width, height, fps = FORMATS[index % len(FORMATS)]
        task = store.add(
            Task(
                request=GenerationRequest(
                    prompt=prompt, duration=seconds, model="sora-2-pro" if fps == 24 else "sora-2"
                ),
                created_at=datetime.now(UTC),
                phase=TaskPhase.SUCCESS,
                shot_id=shot.id,
                take_number=number,
                version_id=version,
            )
        )
        assert task.local_id is not None
        projects.set_mark(task.local_id, MARKS[index % len(MARKS)])
        path = folder / f"take{index + 1:02d}.mp4"
        path.write_bytes(clips.clip(ClipSpec(width, height, fps, seconds, index)))
        files[task.local_id] = path
    return store, projects, files, project.id


async def measure(
    service: ContactSheetService, project_id: int, out: Path, runs: int, cpu: CpuYardstick
) -> list[float]:
    """Seconds per run, written to `out`; prints the files and the spread."""
    totals, frames = [], []
    for run in range(runs):
        cpu.sample(1)
        frames_done: list[float] = []

        def seen(progress: SheetProgress, done: list[float] = frames_done) -> None:
            if progress.stage == SheetStage.FRAMES and progress.done == progress.total:
                done.append(time.perf_counter())

        start = time.perf_counter()
        files = await service.write(
            Selection(project_id, marks=None), out / f"run{run}", ["pdf", "png"], title="Trailer", progress=seen
        )
        end = time.perf_counter()
        totals.append(end - start)
        frames.append(frames_done[0] - start)
        if run == 0:
            for name, paths in files.items():
                sizes = ", ".join(f"{path.stat().st_size / 1024:.0f} KiB" for path in paths)
                print(f"  {name}: {len(paths)} file(s), {sizes}")
    print(
        f"  wall: median {statistics.median(totals):.2f} s, best {min(totals):.2f} s, worst {max(totals):.2f} s "
        f"(frames read after: median {statistics.median(frames):.2f} s; the rest draws and saves the last page)"
    )
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--takes", type=int, default=12)
    parser.add_argument("--seconds", type=int, default=10, help="length of each take")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    cpu = CpuYardstick()
    app = QGuiApplication(sys.argv)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store, projects, files, project_id = build(folder, args.takes, args.seconds)
        service = ContactSheetService(projects, lambda task: files.get(task.local_id or 0))
        print(f"contact sheet of {args.takes} takes ({args.seconds} s each), PDF + PNG, {args.runs} runs:")
        try:
            totals = loop.run_until_complete(measure(service, project_id, folder, args.runs, cpu))
            loop.run_until_complete(asyncio.sleep(0.2))  # the last player's posted teardown
        finally:
            store.close()
    loop.close()
    cpu.sample(1)
    print(cpu.describe())
    print(load_line(load_before))
    wall = statistics.median(totals)
    emit(figure(f"contact_sheet.{args.takes}_takes", wall, "s", yardstick=cpu.yardstick(), target="<3"))


if __name__ == "__main__":
    main()
