"""The session's reads of the history for the views: the tasks, and every task's results. Where a history holds
thousands of tasks these are read by a worker thread on a connection of its own: 10,000 tasks held the GUI thread
for 0.4-0.7 s at start-up, read on it (issue 13). Session inherits them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sora2_desktop.core.results.download_record import DownloadState
from sora2_desktop.core.results.history_results import HistoryResults, posters_on_disk

if TYPE_CHECKING:
    from sora2_desktop.core.results.download_memory import DownloadMemory
    from sora2_desktop.core.results.poster_frames import PosterMaker
    from sora2_desktop.core.storage.task_store import TaskStore
    from sora2_desktop.core.tasks.task import Task


class HistoryReads:
    """For Session, which provides the store, the download memory and the poster maker."""

    closed: bool
    _store: TaskStore
    _downloads: DownloadMemory
    _poster_maker: Callable[[], PosterMaker]

    def tasks(self) -> list[Task]:
        """The history, newest first, read here (tests, a short history); the views use `tasks_off_thread`."""
        return self._store.all()

    async def tasks_off_thread(self) -> list[Task]:
        """The history, newest first, read by a worker thread (an in-memory store here: no other connection)."""
        import asyncio  # after the window is usable (app.py): the first stage is built before asyncio's import

        if self._store.in_memory:
            return self._store.all()
        return await asyncio.to_thread(self._store.all_in_worker_thread)

    async def history_results(self) -> HistoryResults:
        """Every task's download records and the posters on disk, read and walked in a worker thread; posters
        still missing are made one at a time and arrive by `poster_ready`."""
        import asyncio

        if self.closed:
            return HistoryResults({}, {})
        if self._store.in_memory:  # no other connection can read it
            records = self._store.downloads_in(list(DownloadState))
        else:
            records = await asyncio.to_thread(self._store.downloads.all_in_worker_thread)
        by_task = self._downloads.merge(records)
        posters, missing = await asyncio.to_thread(posters_on_disk, by_task)
        if not self.closed:
            for local_id, video in missing.items():
                self._poster_maker().request(str(local_id), video)
        return HistoryResults(by_task, posters)
