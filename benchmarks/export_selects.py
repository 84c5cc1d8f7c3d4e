"""Export of 50 keepers (5-20 MB each) through Session.exports, against a plain shutil.copyfile of the same files
in the same run (yardsticks.plain_copy_s): seconds, throughput and the ratio (issue 12's target: the export at
>= 0.8x the plain copy). Prints figures, asserts nothing."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from figures import emit, figure, load_line
from yardsticks import plain_copy_s

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase

ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT / "resources" / "demo_clip.mp4"
MB = 1024 * 1024


def keeper_bytes(size: int, rng: random.Random) -> bytes:
    """The demo clip and a `free` box of random bytes after it: `size` bytes that still probe as the clip (so the
    export reads them and writes timelines as for real takes) and that no file system can compress or share."""
    clip = CLIP.read_bytes()
    padding = max(0, size - len(clip) - 8)
    return clip + (padding + 8).to_bytes(4, "big") + b"free" + rng.randbytes(padding)


def fill(profile: Profile, count: int, low_mb: int, high_mb: int, seed: int) -> tuple[int, int]:
    """Project "Trailer": `count` shots, one circled take each with its file (a DONE download record). Returns
    (project id, bytes in all)."""
    rng = random.Random(seed)
    files = profile.root / "files"
    files.mkdir(parents=True)
    total = 0
    with TaskStore(profile.database_path) as store:
        projects = ProjectService(lambda: store, lambda task: None)
        project = projects.create_project("Trailer", folder=str(files))
        for index in range(count):
            shot = projects.shots(project.id)[0] if index == 0 else projects.add_shot(project.id)
            version, number = projects.place_takes(shot.id, f"shot {index}")
            task = store.add(
                Task(
                    request=GenerationRequest(prompt=f"shot {index}"),
                    created_at=datetime.now(UTC),
                    phase=TaskPhase.SUCCESS,
                    task_id=f"bench{index}",
                    shot_id=shot.id,
                    take_number=number,
                    version_id=version,
                )
            )
            assert task.local_id is not None
            path = files / f"download_{index:03d}.mp4"
            data = keeper_bytes(rng.randint(low_mb * MB, high_mb * MB), rng)
            path.write_bytes(data)
            total += len(data)
            record = Download(task.local_id, 0, f"https://cdn/{index}", path=path, state=DownloadState.DONE)
            store.downloads.upsert(record)
            projects.set_mark(task.local_id, TakeMark.CIRCLED)
        return project.id, total


async def export_once(session: object, project_id: int, target: Path, formats: list[str]) -> float:
    from sora2_desktop.core.export.selection import Selection

    started = time.perf_counter()
    result = await session.exports.export_selects(Selection(project_id), target, formats)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - started
    assert len(result.takes) > 0 and not result.skipped, result
    return seconds


async def run(args: argparse.Namespace, root: Path) -> None:
    from sora2_desktop.core.config.secrets import SecretStore
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.session import Session

    profile = Profile.from_dir(root / "profile").ensure()
    project_id, total = fill(profile, args.takes, args.min_mb, args.max_mb, args.seed)
    sources = sorted((profile.root / "files").glob("*.mp4"))
    print(f"{len(sources)} keepers, {total / MB:.0f} MiB in all, in {root} ({_file_system(root)})")
    session = Session(profile, AppSettings(profile), SecretStore())
    rows: dict[str, list[float]] = {"plain": [], "export": [], "export+files": []}
    try:
        for run_index in range(args.runs):
            # Alternating which goes first, so neither always meets a colder page cache or a busier disk.
            order = ["plain", "export", "export+files"] if run_index % 2 == 0 else ["export+files", "export", "plain"]
            for name in order:
                target = root / f"{name}-{run_index}"
                # Each starts with no dirty pages of the one before still being written back (untimed).
                os.sync()
                if name == "plain":
                    seconds = plain_copy_s(sources, target)
                else:
                    formats = [] if name == "export" else ["fcpxml", "xml", "edl", "csv", "json"]
                    seconds = await export_once(session, project_id, target, formats)
                rows[name].append(seconds)
                shutil.rmtree(target)
    finally:
        await session.aclose()
    # The disk's write-back makes single runs swing by 3-5x here: the median is the typical run, the minimum
    # what the code path costs when the disk is not in the way.
    plain, plain_best = statistics.median(rows["plain"]), min(rows["plain"])
    print(f"{'':<14}{'median s':>10}{'MiB/s':>8}{'vs plain':>10}{'best s':>9}{'vs plain':>10}   runs")
    for name, times in rows.items():
        middle, best = statistics.median(times), min(times)
        figures = " ".join(f"{t:.3f}" for t in times)
        print(
            f"{name:<14}{middle:>10.3f}{total / MB / middle:>8.0f}{plain / middle:>9.2f}x"
            f"{best:>9.3f}{plain_best / best:>9.2f}x   {figures}"
        )
    export, export_best = statistics.median(rows["export"]), min(rows["export"])
    print(
        f"export's throughput / plain copy's: {plain / export:.2f}x (medians), {plain_best / export_best:.2f}x (best)"
        "  target >= 0.80x"
    )
    print(load_line(args.load_before))
    with_files = statistics.median(rows["export+files"])
    emit(
        figure("export.throughput", plain / export, "x", yardstick=("plain_copy", plain, "s"), ratio=plain / export,
               target=">=0.8"),
        figure("export.with_timelines", plain / with_files, "x", yardstick=("plain_copy", plain, "s"),
               ratio=plain / with_files, better="higher"),
    )  # fmt: skip


def _file_system(folder: Path) -> str:
    try:
        best = ""
        kind = "?"
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                parts = line.split()
                if str(folder).startswith(parts[1]) and len(parts[1]) > len(best):
                    best, kind = parts[1], parts[2]
        return kind
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--takes", type=int, default=50)
    parser.add_argument("--min-mb", type=int, default=5)
    parser.add_argument("--max-mb", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--dir", type=Path, help="where to make the files (default: the system's temp folder)")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]
    import qasync
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="export-bench-") as folder:
        qasync.run(run(args, Path(folder)))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
