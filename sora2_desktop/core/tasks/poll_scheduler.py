"""PollScheduler: owns *when* each task is next asked about, and runs due polls a bounded number at a time."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

# No poll is scheduled further out than this (the first poll of a long video is ~4 min): a wild delay can
# neither overflow a timer nor park a task for good.
MAX_SCHEDULE_DELAY_S = 600.0


class PollScheduler:
    """One timer for all tasks (a heap of due times), not one sleeping coroutine per task: a thousand tasks
    cost one wake-up per due moment, and a pause (401) stops every poll at once."""

    def __init__(
        self, poll: Callable[[int], Awaitable[None]], *, concurrency: int = 32, error_delay_s: float = 30.0
    ) -> None:
        self._poll = poll
        self._error_delay_s = error_delay_s
        self.unexpected_faults = 0  # polls that raised past the poll function's own handling
        self._heap: list[tuple[float, int, int]] = []
        self._current: dict[int, int] = {}  # key -> sequence number of its live heap entry
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._unpaused = asyncio.Event()
        self._unpaused.set()
        self._slots = asyncio.Semaphore(concurrency)
        self._running: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None

    @property
    def paused(self) -> bool:
        return not self._unpaused.is_set()

    def __len__(self) -> int:
        return len(self._current)

    def is_scheduled(self, key: int) -> bool:
        return key in self._current

    def schedule(self, key: int, delay_s: float) -> None:
        """(Re)schedule `key` to be polled `delay_s` from now; replaces any earlier schedule for it."""
        delay = min(MAX_SCHEDULE_DELAY_S, max(0.0, delay_s)) if math.isfinite(delay_s) else MAX_SCHEDULE_DELAY_S
        seq = next(self._seq)
        self._current[key] = seq
        heapq.heappush(self._heap, (asyncio.get_running_loop().time() + delay, seq, key))
        self._wake.set()

    def due_in(self, key: int) -> float | None:
        """Seconds until `key` is next polled (None if it is not scheduled); for tests and diagnostics."""
        seq = self._current.get(key)
        if seq is None:
            return None
        due = next(when for when, entry_seq, _ in self._heap if entry_seq == seq)
        return max(0.0, due - asyncio.get_running_loop().time())

    def cancel(self, key: int) -> None:
        self._current.pop(key, None)  # its heap entry is skipped when it comes up

    def pause(self) -> None:
        self._unpaused.clear()

    def resume(self) -> None:
        self._unpaused.set()
        self._wake.set()

    def start(self) -> None:
        if self._loop_task is None:
            self._loop_task = asyncio.get_running_loop().create_task(self._run(), name="poll-scheduler")

    async def stop(self) -> None:
        tasks = [t for t in (self._loop_task, *self._running) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop_task = None
        self._running.clear()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._unpaused.wait()
            self._drop_stale_head()
            if not self._heap:
                self._wake.clear()
                await self._wake.wait()
                continue
            wait = self._heap[0][0] - loop.time()
            if wait > 0:
                self._wake.clear()
                # asyncio.timeout, not wait_for: wait_for wraps the wait in a task of its own, which a stop that
                # lands between its creation and its first step leaves pending ("coroutine never awaited").
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await self._wake.wait()
                continue
            _, seq, key = heapq.heappop(self._heap)
            if self._current.get(key) != seq:
                continue
            del self._current[key]
            await self._slots.acquire()
            task = loop.create_task(self._poll_one(key), name=f"poll-{key}")
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    def _drop_stale_head(self) -> None:
        while self._heap and self._current.get(self._heap[0][2]) != self._heap[0][1]:
            heapq.heappop(self._heap)

    async def _poll_one(self, key: int) -> None:
        try:
            await self._poll(key)
        except asyncio.CancelledError:
            raise
        except Exception:
            # A bug in one poll must not stop the scheduler nor that task: it is asked about again later (unless
            # something already rescheduled or cancelled it). The poll function handles faults itself; this is
            # the backstop for what it did not foresee.
            self.unexpected_faults += 1
            log.exception("poll of task %s failed unexpectedly", key)
            if key not in self._current and self._loop_task is not None:
                self.schedule(key, self._error_delay_s)
        finally:
            self._slots.release()
