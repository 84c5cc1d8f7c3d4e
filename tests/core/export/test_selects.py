"""Selects on disk: copies and hard links under conformed names, sidecars, progress by bytes, cancel without a half
file, name clashes never overwriting, failures per file; and, through ExportService, takes with no file reported."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.core.export import selects
from sora2_desktop.core.export.export_result import SkipReason
from sora2_desktop.core.export.selection import Selection
from sora2_desktop.core.export.selects import CopyCancelled, CopyJob, Placement, place_selects
from sora2_desktop.core.projects.model import TakeMark
from tests.core.export.export_rig import ExportRig
from tests.helpers.wait import wait_until


def source(folder: Path, name: str, data: bytes, sidecar: str | None = '{"prompt": "x"}') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    if sidecar is not None:
        path.with_suffix(".json").write_text(sidecar, encoding="utf-8")
    return path


@pytest.fixture
def sources(tmp_path: Path) -> list[Path]:
    return [source(tmp_path / "in", f"clip{n}.mp4", os.urandom(300_000 + n)) for n in range(3)]


def test_copies_land_under_their_conformed_names_with_their_sidecars_and_progress_counts_bytes(
    tmp_path: Path, sources: list[Path]
) -> None:
    seen: list[tuple[int, int]] = []
    jobs = [CopyJob(path, f"Trailer_SH0{n + 1}0_T01_16x9") for n, path in enumerate(sources)]
    outcomes = place_selects(jobs, tmp_path / "out", progress=lambda done, total: seen.append((done, total)))
    assert [o.target.name for o in outcomes if o.target] == [f"Trailer_SH0{n}0_T01_16x9.mp4" for n in (1, 2, 3)]
    for path, outcome in zip(sources, outcomes, strict=True):
        assert outcome.placement == Placement.COPIED and not outcome.renamed and outcome.size == path.stat().st_size
        assert outcome.target is not None and outcome.target.read_bytes() == path.read_bytes()
        assert outcome.target.with_suffix(".json").read_text(encoding="utf-8") == '{"prompt": "x"}'
        assert os.stat(outcome.target).st_ino != os.stat(path).st_ino
    total = sum(path.stat().st_size for path in sources)
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".part") == []


def test_hard_links_share_the_file_and_fall_back_to_a_copy_on_another_file_system(
    tmp_path: Path, sources: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    linked = place_selects([CopyJob(sources[0], "A")], tmp_path / "out", link=True)[0]
    assert linked.placement == Placement.LINKED and linked.target is not None
    assert os.path.samefile(linked.target, sources[0]) and linked.link_problem is None
    assert linked.target.with_suffix(".json").is_file()

    def cross_device(src: Any, dst: Any) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    copied = place_selects([CopyJob(sources[1], "B")], tmp_path / "out", link=True)[0]
    assert copied.placement == Placement.COPIED and copied.link_problem == "EXDEV"
    assert copied.target is not None and copied.target.read_bytes() == sources[1].read_bytes()


def test_cancel_removes_the_file_under_way_and_keeps_the_ones_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selects, "CHUNK_BYTES", 64 * 1024)
    first = source(tmp_path / "in", "first.mp4", os.urandom(100_000))
    big = source(tmp_path / "in", "big.mp4", os.urandom(2_000_000))
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done > first.stat().st_size + 200_000:  # well into the second file
            cancel.set()

    with pytest.raises(CopyCancelled) as stopped:
        place_selects([CopyJob(first, "one"), CopyJob(big, "two")], tmp_path / "out", progress=progress, cancel=cancel)
    assert stopped.value.kept == 1
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["one.json", "one.mp4"]


@pytest.mark.parametrize("way", ["sendfile", "buffered"])
def test_the_copy_falls_back_when_the_kernel_cannot_copy_between_the_two_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    monkeypatch.setattr(selects, "CHUNK_BYTES", 64 * 1024)

    def refused(*args: Any) -> int:
        raise OSError(errno.EXDEV, "cross-device")

    monkeypatch.setattr(selects, "_copy_range", refused)
    if way == "buffered":
        monkeypatch.setattr(selects, "_send_file", None)
    data = os.urandom(1_000_000)
    outcome = place_selects([CopyJob(source(tmp_path / "in", "a.mp4", data), "a")], tmp_path / "out")[0]
    assert outcome.target is not None and outcome.target.read_bytes() == data


def test_a_name_held_by_the_same_bytes_is_kept_and_by_other_bytes_is_never_overwritten(
    tmp_path: Path, sources: list[Path]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "A.mp4").write_bytes(sources[0].read_bytes())
    (out / "B.mp4").write_bytes(b"someone else's cut")
    outcomes = place_selects([CopyJob(sources[0], "A"), CopyJob(sources[1], "B")], out)
    assert outcomes[0].placement == Placement.ALREADY_THERE and outcomes[0].target == out / "A.mp4"
    assert outcomes[1].placement == Placement.COPIED and outcomes[1].renamed
    assert outcomes[1].target == out / "B (2).mp4" and outcomes[1].target.read_bytes() == sources[1].read_bytes()
    assert (out / "B.mp4").read_bytes() == b"someone else's cut"
    assert (out / "A.json").is_file()  # the sidecar a same-bytes file lacked is added


def test_two_takes_with_one_conformed_name_get_two_files_and_a_second_export_adds_nothing(
    tmp_path: Path, sources: list[Path]
) -> None:
    jobs = [CopyJob(sources[0], "SH010"), CopyJob(sources[1], "SH010"), CopyJob(sources[2], "sh010")]
    first = place_selects(jobs, tmp_path / "out")
    names = [o.target.name for o in first if o.target]
    assert names == ["SH010.mp4", "SH010 (2).mp4", "sh010 (3).mp4"]  # case-folded: one name on macOS and Windows
    again = place_selects(jobs, tmp_path / "out")
    assert [o.placement for o in again] == [Placement.ALREADY_THERE] * 3
    assert [o.target.name for o in again if o.target] == names
    assert len(list((tmp_path / "out").iterdir())) == 6


def test_a_leftover_sidecar_keeps_its_name_for_its_own_video(tmp_path: Path, sources: list[Path]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "A.json").write_text("{}", encoding="utf-8")
    outcome = place_selects([CopyJob(sources[0], "A")], out)[0]
    assert outcome.target == out / "A (2).mp4" and outcome.renamed
    assert (out / "A.json").read_text(encoding="utf-8") == "{}"


def test_a_file_that_cannot_be_read_fails_alone(tmp_path: Path, sources: list[Path]) -> None:
    gone = tmp_path / "in" / "gone.mp4"
    outcomes = place_selects([CopyJob(gone, "G"), CopyJob(sources[0], "A")], tmp_path / "out")
    assert outcomes[0].placement == Placement.FAILED and outcomes[0].problem == "ENOENT"
    assert outcomes[1].placement == Placement.COPIED


# -- through ExportService: what is selected, what has no file ----------------------------------------------------


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[ExportRig]:
    made = ExportRig(tmp_path)
    yield made
    made.close()


def test_the_export_reports_takes_with_no_file_and_names_the_rest_by_the_project_template(
    rig: ExportRig, run_async: Callable[..., Any], tmp_path: Path
) -> None:
    first, second = rig.shot(0), rig.shot(1)
    rig.take(first)
    missing = rig.take(first, content=b"")
    rig.take(second, mark=TakeMark.HOLD)
    rig.take(second)
    summary = rig.exports.summary(Selection(rig.project.id))
    assert (summary.shots, summary.takes, summary.missing) == (2, 2, 1)
    assert summary.bytes == 2 * rig.files[1].stat().st_size
    result = run_async(rig.exports.export_selects(Selection(rig.project.id), tmp_path / "handoff", ["csv"]))
    assert [take.target.name for take in result.takes] == ["Trailer_SH010_T01_16x9.mp4", "Trailer_SH020_T02_16x9.mp4"]
    assert [(s.shot.code, s.task.local_id, s.reason) for s in result.skipped] == [
        ("SH010", missing.local_id, SkipReason.NO_FILE)
    ]
    assert not result.complete and result.bytes_copied == summary.bytes
    assert result.files["csv"] == [tmp_path / "handoff" / "Trailer-selects.csv"]


def test_a_cancel_from_the_event_or_the_awaiting_task_leaves_no_half_file(
    rig: ExportRig, run_async: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from sora2_desktop.core.export.export_result import ExportCancelled

    monkeypatch.setattr(selects, "CHUNK_BYTES", 64 * 1024)
    shot = rig.shot(0)
    for _ in range(3):
        rig.take(shot, content=os.urandom(1_000_000))
    reached, release = threading.Event(), threading.Event()
    copied = [0]
    copy_range = selects._copy_range or selects._buffered

    def held_copy(reader: int, writer: int, offset: int) -> int:
        if copied[0] > 1_500_000:  # halfway through the second file: held until the test has cancelled
            reached.set()
            release.wait(10)
        count = copy_range(reader, writer, offset)
        copied[0] += count
        return count

    monkeypatch.setattr(selects, "_copy_range", held_copy)
    kept = ["Trailer_SH010_T01_16x9.json", "Trailer_SH010_T01_16x9.mp4"]

    async def cancel_by(how: str, folder: Path) -> None:
        reached.clear()
        release.clear()
        copied[0] = 0
        cancel = threading.Event()
        job = asyncio.ensure_future(rig.exports.export_selects(Selection(rig.project.id), folder, [], cancel=cancel))
        await wait_until(reached.is_set, what="the copy to reach the second file")
        if how == "event":
            cancel.set()
        else:
            job.cancel()
            await asyncio.sleep(0)  # the cancel reaches the export, which sets its own event
        release.set()
        if how == "event":
            with pytest.raises(ExportCancelled) as stopped:
                await job
            assert stopped.value.kept == 1
        else:
            with pytest.raises(asyncio.CancelledError):
                await job
        assert sorted(path.name for path in folder.iterdir()) == kept

    run_async(cancel_by("event", tmp_path / "first"))
    run_async(cancel_by("task", tmp_path / "second"))
