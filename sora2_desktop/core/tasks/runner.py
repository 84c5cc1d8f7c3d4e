"""TaskRunner: takes generation requests to the service and follows each task to its end, through SQLite."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Callable, Coroutine, Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from sora2_desktop.api import GenerationRequest
from sora2_desktop.api.client import ApixoClient
from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.projects.source_frame import SourceFrame
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.backoff import Backoff
from sora2_desktop.core.tasks.connection_state import ConnectionState, ConnectionTracker
from sora2_desktop.core.tasks.poll_scheduler import PollScheduler
from sora2_desktop.core.tasks.poll_steps import PollSteps
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from sora2_desktop.core.tasks.submit_steps import SubmitSteps, note_for  # noqa: F401 - note_for: tests import it here
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase

log = logging.getLogger(__name__)

# Phases that hold one of the key's 1,000 running slots at the service.
_OCCUPYING = (TaskPhase.SUBMITTING, TaskPhase.PENDING, TaskPhase.PROCESSING, TaskPhase.UNKNOWN)


def _now() -> datetime:
    return datetime.now(UTC)


# How long "task not found" may last before the task is given up (scaled by the demo time scale): long enough
# for a service that is slow to show a fresh task everywhere, short enough that nothing waits forever.
FORGET_AFTER_S = 600.0


class TaskRunner(SubmitSteps, PollSteps, QObject):
    """Writes every task before it is sent, submits, polls on the PollScheduler, retries what a retry can fix,
    and emits `task_changed` once per change so a model can update one row."""

    task_changed = Signal(Task)  # the task as it is now, its note included (notes are not always stored)
    auth_required = Signal(str)  # a sentence for the person; polling is paused until set_api_key()
    succeeded = Signal(Task)  # a task that just reached SUCCESS (downloads start from here)
    connection_changed = Signal(ConnectionState)  # from real answers, only when it changes

    def __init__(
        self,
        store: TaskStore,
        client: ApixoClient,
        timing: PollTiming | None = None,
        *,
        limiter: RateLimiter | None = None,
        backoff: Backoff | None = None,
        max_running: int = 1_000,
        concurrency: int = 8,
        now: Callable[[], datetime] = _now,
        forget_after_s: float = FORGET_AFTER_S,
        models: Callable[[str], ModelSpec] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._client = client
        # A task's model → its endpoints and rules; read at each request, so a catalogue refresh applies at once.
        self._models = models or shipped_catalogue().spec_for
        self.timing = timing or PollTiming()
        self._limiter = limiter or RateLimiter()
        self._backoff = backoff or Backoff()
        self._max_running = max_running
        self._now = now
        self._forget_after_s = forget_after_s
        self._scheduler = PollScheduler(self._poll, concurrency=concurrency)
        self._connection = ConnectionTracker(self)
        self._connection.changed.connect(self.connection_changed)
        self._live: dict[int, Task] = {}  # unfinished tasks by local id: the in-memory mirror of their rows
        self._queue: deque[int] = deque()  # QUEUED local ids, oldest first
        self._attempts: dict[int, int] = {}  # consecutive failed requests per task, for backoff
        self._not_found_since: dict[int, datetime] = {}  # first of an unbroken run of "not found" answers
        self._wakes: dict[int, asyncio.Event] = {}  # submits waiting to retry: set() ends the wait now
        self._sending: set[int] = set()  # local ids whose submit request is on the wire right now
        self._cancelled_in_flight: set[int] = set()  # cancelled while sending: the answer's taskId is still kept
        self._background: set[asyncio.Task[None]] = set()
        self.status_requests = 0  # figures for benchmarks
        self.submit_requests = 0
        self.unexpected_faults = 0  # faults outside the API's error types, each logged with its traceback

    # -- life cycle -------------------------------------------------------------------------------------------

    def start(self) -> list[Task]:
        """Resume every unfinished task from SQLite; returns the tasks whose state the crash recovery changed."""
        changed = self._store.recover_after_crash()
        for task in changed:
            self.task_changed.emit(task)
        self._scheduler.start()
        stagger = 0.0
        for task in reversed(self._store.unfinished()):  # oldest first, so the queue keeps its order
            assert task.local_id is not None
            self._live[task.local_id] = task
            if task.phase == TaskPhase.QUEUED:
                self._queue.append(task.local_id)
            elif task.phase.is_polled:
                # Tasks overdue after a long pause come back spread out, not as one burst of requests.
                self._scheduler.schedule(task.local_id, max(self._remaining_first_delay(task), stagger))
                stagger += 0.02
        self._drain_queue()
        return changed

    async def stop(self) -> None:
        await self._scheduler.stop()
        for job in list(self._background):
            job.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)

    def set_api_key_changed(self) -> None:
        """The person entered a key: polling and queued submits go on."""
        if self._scheduler.paused:
            self._scheduler.resume()
        self._drain_queue()

    @property
    def paused(self) -> bool:
        return self._scheduler.paused

    @property
    def limiter(self) -> RateLimiter:
        """The key's one rate limiter: other requests made with the key (the balance) wait on it too."""
        return self._limiter

    @property
    def live_count(self) -> int:
        return len(self._live)

    def next_poll_in(self, local_id: int) -> float | None:
        """Seconds until the task is next asked about; None when no poll is scheduled for it."""
        return self._scheduler.due_in(local_id)

    @property
    def connection_state(self) -> ConnectionState:
        return self._connection.state

    # -- intents ----------------------------------------------------------------------------------------------

    def submit(
        self,
        requests: Iterable[GenerationRequest],
        *,
        catalogue_version: str | None = None,
        estimate_usd: float | None = None,
        shot_id: int | None = None,
        version_id: int | None = None,
        first_take: int = 1,
        source_frame: SourceFrame | None = None,
    ) -> list[Task]:
        """Store one row per request (the takes of one click share a batch id) and send them in order; each
        row keeps the catalogue the request was judged by and what one take was expected to cost. With a
        `shot_id` they are takes of that shot, made from prompt version `version_id`, numbered from
        `first_take` (ProjectService.place_takes chose both), from the start frame `source_frame` if any."""
        batch_id = uuid.uuid4().hex[:12]
        created = self._store.add_all(  # one commit for the click's takes
            [
                Task(
                    request=request,
                    created_at=self._now(),
                    phase=TaskPhase.QUEUED,
                    batch_id=batch_id,
                    catalogue_version=catalogue_version,
                    cost_estimate_usd=estimate_usd,
                    shot_id=shot_id,
                    version_id=None if shot_id is None else version_id,
                    take_number=None if shot_id is None else number,
                    source_frame=source_frame,
                )
                for number, request in enumerate(requests, start=first_take)
            ]
        )
        for task in created:
            assert task.local_id is not None
            self._live[task.local_id] = task
            self._queue.append(task.local_id)
            self.task_changed.emit(task)
        self._drain_queue()
        return [self._live.get(t.local_id, t) for t in created if t.local_id is not None]

    def remove(self, task: Task) -> None:
        """Forget a task locally. A running one is no longer followed (the service still finishes it)."""
        if task.local_id is None:
            return
        self._scheduler.cancel(task.local_id)
        self._live.pop(task.local_id, None)
        if task.local_id in self._queue:
            self._queue.remove(task.local_id)
        self._wake(task.local_id)
        self._store.remove(task.local_id)
        self._drain_queue()

    # -- submitting -------------------------------------------------------------------------------------------

    def _running_count(self) -> int:
        return sum(1 for t in self._live.values() if t.phase in _OCCUPYING)

    def _drain_queue(self) -> None:
        if self._scheduler.paused:
            return
        free = self._max_running - self._running_count()
        while self._queue and free > 0:
            local_id = self._queue.popleft()
            task = self._live.get(local_id)
            if task is None or task.phase != TaskPhase.QUEUED:
                continue
            free -= 1
            # Written (from the writer thread) and told by _submit before the request goes out: store, then send.
            self._live[local_id] = task.with_(
                phase=TaskPhase.SUBMITTING, error_message=None, note=None, note_detail=None
            )
            self._spawn(self._submit(local_id))
        for local_id in self._queue:
            task = self._live.get(local_id)
            if task is not None and task.note is None:
                self._emit_note(task, TaskNote.WAITING_FOR_SLOT, str(self._max_running))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        job = asyncio.get_running_loop().create_task(coro)
        self._background.add(job)
        job.add_done_callback(self._background.discard)

    # -- bookkeeping ------------------------------------------------------------------------------------------

    def _retry_scale(self) -> float:
        # Demo mode and tests run the service's clock fast; waits after faults shrink with it.
        return min(1.0, self.timing.time_scale)

    def _live_or(self, task: Task) -> Task:
        return self._live.get(task.local_id, task) if task.local_id is not None else task

    def _save(self, task: Task) -> Task:
        task = self._store.update(task)
        if task.local_id is not None and not task.phase.is_final:
            self._live[task.local_id] = task
        self.task_changed.emit(task)
        return task

    def _finish(self, task: Task) -> None:
        saved = self._save(task)
        if saved.local_id is not None:
            self._live.pop(saved.local_id, None)
            self._attempts.pop(saved.local_id, None)
            self._not_found_since.pop(saved.local_id, None)
            self._scheduler.cancel(saved.local_id)
        self._drain_queue()

    def _emit_note(self, task: Task, note: TaskNote, detail: str | None = None) -> None:
        """A passing condition (retrying, waiting) shown on the row; not written to disk, it will not outlive it."""
        if task.local_id not in self._live or (task.note, task.note_detail) == (note, detail):
            return  # a task cancelled or removed meanwhile is not brought back by a late note
        noted = task.with_(note=note, note_detail=detail)
        self._live[task.local_id] = noted
        self.task_changed.emit(noted)

    def _ask_for_key(self, message: str) -> None:
        if not self._scheduler.paused:
            log.warning("the service refused the API key; polling paused")
            self._scheduler.pause()
            self.auth_required.emit(message)
