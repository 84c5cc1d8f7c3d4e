"""DownloadMemory: a task's download records are read once and then kept current from the downloader's events."""

from __future__ import annotations

from dataclasses import replace

from sora2_desktop.core.results.download_memory import DownloadMemory
from sora2_desktop.core.results.download_record import Download, DownloadState


def record(local_id: int, index: int, state: DownloadState = DownloadState.PENDING) -> Download:
    return Download(local_id=local_id, url_index=index, url=f"https://cdn.example/{local_id}/{index}.mp4", state=state)


def test_a_tasks_records_are_read_once_in_url_order() -> None:
    memory = DownloadMemory()
    reads: list[int] = []

    def read(local_id: int) -> list[Download]:
        reads.append(local_id)
        return [record(local_id, 1), record(local_id, 0)]

    assert [r.url_index for r in memory.records(7, read)] == [0, 1]
    assert [r.url_index for r in memory.records(7, read)] == [0, 1]
    assert reads == [7]


def test_news_of_a_known_task_is_kept_and_of_an_unknown_one_left_for_its_read() -> None:
    memory = DownloadMemory()
    memory.records(1, lambda _id: [record(1, 0)])
    memory.note(replace(record(1, 0), state=DownloadState.DONE))
    memory.note(record(2, 0, DownloadState.DONE))
    assert memory.records(1, lambda _id: []) == [replace(record(1, 0), state=DownloadState.DONE)]
    assert memory.records(2, lambda _id: [record(2, 0)]) == [record(2, 0)]


def test_a_bulk_read_never_overwrites_what_is_known() -> None:
    memory = DownloadMemory()
    newer = replace(record(1, 0), state=DownloadState.DOWNLOADING, bytes_done=500)
    memory.records(1, lambda _id: [newer])
    merged = memory.merge([record(1, 0), record(1, 1), record(3, 0)])
    assert merged == {1: [newer, record(1, 1)], 3: [record(3, 0)]}


def test_forgotten_and_cleared_tasks_are_read_again() -> None:
    memory = DownloadMemory()
    memory.records(1, lambda _id: [record(1, 0)])
    memory.records(2, lambda _id: [record(2, 0)])
    memory.forget(1)
    assert memory.records(1, lambda _id: []) == []
    memory.clear()
    assert memory.records(2, lambda _id: []) == []
