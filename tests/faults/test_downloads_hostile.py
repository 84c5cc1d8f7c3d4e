"""Fault cases: endless bodies and gzip bombs stop at the size cap, a capped `.part` is never refilled after a
restart, and hostile answers (HTML, broken gzip, 500 forever, a bug) never stop another task's download."""

from __future__ import annotations

from pathlib import Path

import pytest

from sora2_desktop.api import ApixoClient
from sora2_desktop.api.download import part_path
from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.results.files import staging_path
from tests.faults.download_server import mp4_bytes
from tests.faults.rig import Rig, Run, make_rig
from tests.helpers.wait import wait_until

CAP = 1024 * 1024  # 1 MB: small enough for a test, large enough for the good files


def _part(record: Download) -> Path:
    assert record.path is not None
    return part_path(staging_path(record.path))


def _assert_good_saved(rig: Rig, data: bytes) -> None:
    """The good file saved once, byte for byte, with nothing unfinished of it left (a hostile download still
    retrying may have its own `.part` at this moment)."""
    assert [(rig.folder / name).read_bytes() for name in rig.videos()] == [data]
    assert not [name for name in rig.leftovers() if name.startswith(rig.videos()[0])]


@pytest.mark.parametrize("path", ["/endless", "/gzip-bomb"])
def test_an_endless_or_inflating_body_stops_at_the_cap_while_another_saves(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    good = mp4_bytes(600_000)

    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch) as rig:
            rig.server.files["good"] = good
            downloader = rig.downloader(size_cap=lambda: CAP)
            hostile = rig.task(rig.server.url(path))
            fine = rig.task(rig.server.url("/good/good"))
            downloader.enqueue(hostile)
            downloader.enqueue(fine)
            await wait_until(lambda: rig.record(hostile).state == DownloadState.FAILED, what="the capped download")
            assert rig.record(hostile).problem == DownloadProblem.TOO_LARGE
            assert rig.words(hostile) == "The file server sent more than 1 MB; stopped."
            assert not _part(rig.record(hostile)).exists()  # the disk gets its space back
            await wait_until(lambda: rig.saved(fine) == good, what="the other task's file")
            _assert_good_saved(rig, good)
            assert rig.server.hits[path] == 1  # not tried again: more of the same would follow

    run_async(scenario())


def test_a_capped_part_is_not_refilled_after_a_restart(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch) as rig:
            crashed = rig.task(rig.server.url("/endless"))  # the app stopped mid-way, the .part at the cap
            capped = rig.task(rig.server.url("/endless"))  # an earlier run stopped it at the cap
            rig.folder.mkdir(parents=True)
            for task, state, problem in (
                (crashed, DownloadState.DOWNLOADING, None),
                (capped, DownloadState.FAILED, DownloadProblem.TOO_LARGE),
            ):
                assert task.local_id is not None
                path = rig.folder / f"video-{task.local_id}.mp4"
                record = Download(task.local_id, 0, task.result_urls[0], path=path, state=state, problem=problem)
                rig.store.downloads.upsert(record.with_(problem_detail=str(CAP) if problem else None))
                _part(record).write_bytes(b"\x00" * (CAP + 1))
            downloader = rig.downloader(size_cap=lambda: CAP)
            downloader.start()
            await wait_until(lambda: rig.record(crashed).state == DownloadState.FAILED, what="the capped resume")
            assert rig.record(crashed).problem == DownloadProblem.TOO_LARGE
            assert not _part(rig.record(crashed)).exists()
            assert rig.record(capped).state == DownloadState.FAILED and downloader.active_count == 0
            assert rig.server.hits["/endless"] == 0  # neither asked the server for a single byte more

    run_async(scenario())


def test_hostile_answers_never_stop_another_tasks_download(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = mp4_bytes(800_000, seed=7)

    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch) as rig:
            rig.server.files["good"] = good
            downloader = rig.downloader()
            html = rig.task(rig.server.url("/html"))
            broken = rig.task(rig.server.url("/bad-gzip"))
            failing = rig.task(rig.server.url("/error"))
            fine = rig.task(rig.server.url("/good/good"))
            for task in (html, broken, failing, fine):
                downloader.enqueue(task)
            await wait_until(lambda: rig.saved(fine) == good, what="the good file")
            await wait_until(lambda: rig.server.hits["/error"] >= 3 and rig.server.hits["/bad-gzip"] >= 3)
            assert rig.record(html).state == DownloadState.FAILED
            assert (
                rig.words(html) == "The result link answered with text/html instead of a video; the file was not saved."
            )
            assert rig.record(failing).state.is_pending  # 500 forever: retried with backoff, never given up
            assert rig.words(failing) == "The file server had a problem (HTTP 500); the download will be tried again."
            assert rig.record(broken).state.is_pending and rig.words(broken)
            assert downloader.fault_count >= 4
            _assert_good_saved(rig, good)

    run_async(scenario())


def test_an_unforeseen_error_in_one_download_is_retried_not_fatal(
    run_async: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = mp4_bytes(200_000)
    real_download = ApixoClient.download
    calls = {"n": 0}

    async def buggy(self: ApixoClient, url: str, dest: Path, **options: object) -> Path:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("a bug deep in a library")  # no API error type: once fatal
        return await real_download(self, url, dest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(ApixoClient, "download", buggy)

    async def scenario() -> None:
        async with make_rig(tmp_path, monkeypatch) as rig:
            rig.server.files["a"] = data
            downloader = rig.downloader()
            task = rig.task(rig.server.url("/good/a"))
            downloader.enqueue(task)
            await wait_until(lambda: rig.saved(task) == data, what="the file after the bug")
            assert downloader.fault_count == 1 and calls["n"] == 2
            _assert_good_saved(rig, data)

    run_async(scenario())
