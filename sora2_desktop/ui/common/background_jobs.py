"""BackgroundJobs: the coroutines a view starts on the qasync loop, held until they end.

asyncio keeps only weak references to tasks: a job nobody holds can be collected mid-flight. A job that fails is
logged with its traceback (never "Task exception was never retrieved" at exit) and, when the view asks, said in
words."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio  # imported by the first job: the composer is on screen before asyncio (app.py)

log = logging.getLogger(__name__)


class BackgroundJobs:
    def __init__(self, what: str, on_failure: Callable[[BaseException], None] | None = None) -> None:
        self._what = what  # for the log: "compose job", "frame job" …
        self._on_failure = on_failure
        self._jobs: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        import asyncio

        job = asyncio.get_event_loop().create_task(coro)
        self._jobs.add(job)
        job.add_done_callback(self._done)
        return job

    def __len__(self) -> int:
        return len(self._jobs)

    def _done(self, job: asyncio.Task[Any]) -> None:
        self._jobs.discard(job)
        if job.cancelled() or (error := job.exception()) is None:
            return
        log.error("%s failed", self._what, exc_info=error)
        if self._on_failure is not None:
            self._on_failure(error)
