"""Fault cases: a full disk or a folder the app may not write pauses every download (never fails it), keeps the
`.part`, and resumes by itself once the folder is usable again: nothing lost, nothing duplicated, one sentence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sora2_desktop.core.results.download_record import DownloadProblem, DownloadState
from tests.faults.download_server import mp4_bytes
from tests.faults.rig import EACCES, ENOSPC, Rig, Run, make_rig, mount_small_tmpfs, unmount
from tests.helpers.wait import wait_until

PAUSED = "Downloads are paused: the disk holding {0} is nearly full. They resume by themselves once space is free."


def _assert_saved_once(rig: Rig, *expected: bytes) -> None:
    """Every result saved byte for byte, one file each, no unfinished file left beside them."""
    assert len(rig.videos()) == len(expected)
    assert sorted((rig.folder / name).read_bytes() for name in rig.videos()) == sorted(expected)
    assert rig.leftovers() == []


@pytest.mark.parametrize("disk", ["faulting-writer", "small-tmpfs"])
def test_disk_full_mid_download_pauses_then_resumes_from_the_part(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk: str
) -> None:
    small = tmp_path / "small"
    real = disk == "small-tmpfs" and mount_small_tmpfs(small)  # else the faulting writer, on any machine
    data = mp4_bytes(3 * 1024 * 1024 if real else 1024 * 1024)

    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch, small if real else None) as rig:
            rig.server.files["a"] = data
            filler = rig.folder / "filler.bin"
            if real:
                filler.write_bytes(b"\x00" * (int(2.5 * 1024 * 1024)))  # 1.5 MB left: the write runs out
                downloader = rig.downloader(disk_usage=shutil.disk_usage)
            else:
                rig.writer.error, rig.writer.budget = ENOSPC, 300_000
                rig.writer.on_fault = lambda: setattr(rig.disk, "free", 0)
                downloader = rig.downloader()
            said: list[str] = []
            task = rig.task(rig.server.url("/nolength/a"))  # no length: only the write itself finds the disk full
            downloader.enqueue(task)
            await wait_until(lambda: downloader.paused == DownloadProblem.DISK_FULL, what="the pause")
            await wait_until(lambda: rig.record(task).problem == DownloadProblem.DISK_FULL, what="the record")
            record = rig.record(task)
            said.append(rig.words(task))
            assert record.state == DownloadState.DOWNLOADING and record.bytes_done > 0  # kept, not failed
            assert said == [PAUSED.format(rig.folder)]
            # Space comes back: the periodic check finds it, the download resumes where it stopped.
            if real:
                filler.unlink()
            else:
                rig.writer.error, rig.disk.free = None, 5 * 1024**3
            await wait_until(lambda: rig.saved(task) is not None, what="the file after the pause")
            assert rig.saved(task) == data
            assert rig.server.ranges[0] == 0 and rig.server.ranges[-1] > 0  # resumed from the .part
            _assert_saved_once(rig, data)
            assert downloader.paused is None

    try:
        run_async(scenario())
    finally:
        if real:
            unmount(small)


def test_no_permission_on_the_folder_pauses_with_a_sentence_then_resumes(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = mp4_bytes(200_000)

    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch) as rig:
            rig.server.files["a"] = data
            rig.writer.on_open, rig.disk.denied = EACCES, True
            downloader = rig.downloader()
            task = rig.task(rig.server.url("/good/a"))
            downloader.enqueue(task)
            await wait_until(lambda: rig.record(task).problem == DownloadProblem.NO_PERMISSION, what="the pause")
            assert rig.record(task).state.is_pending  # waits, never FAILED
            assert rig.words(task) == (
                f"Downloads are paused: this app may not write in {rig.folder}. They resume by themselves once it can."
            )
            rig.writer.on_open, rig.disk.denied = None, False  # the person fixed the folder
            await wait_until(lambda: rig.saved(task) == data, what="the file once the folder is writable")
            _assert_saved_once(rig, data)

    run_async(scenario())


def test_too_little_free_space_pauses_before_a_byte_is_written(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = mp4_bytes(500_000)

    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch) as rig:
            rig.server.files["a"] = data
            rig.disk.free = 100 * 1024**2  # under the 200 MB margin
            downloader = rig.downloader()
            task = rig.task(rig.server.url("/good/a"))
            downloader.enqueue(task)
            await wait_until(lambda: rig.record(task).problem == DownloadProblem.DISK_FULL, what="the pause")
            assert rig.server.hits["/good/a"] == 0 and rig.leftovers() == []  # nothing asked, nothing written
            rig.disk.free = 5 * 1024**3
            await wait_until(lambda: rig.saved(task) == data, what="the file once space is back")
            _assert_saved_once(rig, data)

    run_async(scenario())


def test_a_task_finished_while_the_disk_is_full_waits_then_saves(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = mp4_bytes(300_000, seed=3), mp4_bytes(400_000, seed=5)

    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch) as rig:
            rig.server.files.update(a=first, b=second)
            rig.disk.free = 0
            downloader = rig.downloader()
            one = rig.task(rig.server.url("/good/a"))
            downloader.enqueue(one)
            await wait_until(lambda: downloader.paused is not None, what="the pause")
            two = rig.task(rig.server.url("/good/b"))  # polled to success while the disk is full
            downloader.enqueue(two)
            await wait_until(lambda: rig.record(two).problem == DownloadProblem.DISK_FULL, what="its wait")
            assert rig.server.hits["/good/b"] == 0 and rig.record(two).state.is_pending
            rig.disk.free = 5 * 1024**3
            await wait_until(lambda: rig.saved(one) == first and rig.saved(two) == second, what="both files")
            _assert_saved_once(rig, first, second)

    run_async(scenario())


def test_asking_to_download_again_resumes_a_pause_at_once(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = mp4_bytes(300_000)

    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch) as rig:
            rig.server.files["a"] = data
            rig.disk.free = 0
            downloader = rig.downloader(retry_scale=1.0)  # the periodic check comes only after 10 s
            task = rig.task(rig.server.url("/good/a"))
            downloader.enqueue(task)
            await wait_until(lambda: downloader.paused is not None, what="the pause")
            rig.disk.free = 5 * 1024**3
            assert downloader.redownload(task) is None  # the person asks: no waiting for the next check
            await wait_until(lambda: rig.saved(task) == data, timeout=5, what="the file after the request")
            _assert_saved_once(rig, data)

    run_async(scenario())
