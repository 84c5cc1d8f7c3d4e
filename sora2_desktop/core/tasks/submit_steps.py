"""SubmitSteps: the TaskRunner's submit path (send, settle the answer, wait for the network) and cancel/retry."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sora2_desktop.api import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    TransientError,
)
from sora2_desktop.core.tasks.backoff import Backoff, bounded_wait
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase

if TYPE_CHECKING:
    from sora2_desktop.api.client import ApixoClient
    from sora2_desktop.api.model_spec import ModelSpec
    from sora2_desktop.core.storage.task_store import TaskStore
    from sora2_desktop.core.tasks.connection_state import ConnectionTracker
    from sora2_desktop.core.tasks.poll_scheduler import PollScheduler
    from sora2_desktop.core.tasks.poll_timing import PollTiming
    from sora2_desktop.core.tasks.rate_limiter import RateLimiter

log = logging.getLogger("sora2_desktop.core.tasks.runner")


# HTTP statuses of a refused submit that failure_text words on their own: balance, policy, unknown route.
REFUSALS_WITH_ADVICE = (402, 403, 404)


def note_for(error: ApiError) -> tuple[TaskNote, str | None]:
    """The note (and the fact it names) for a fault of a submit or a status query; words come at display."""
    if isinstance(error, RateLimitedError):
        return TaskNote.RATE_LIMITED, None
    if isinstance(error, NotFoundError):
        return TaskNote.TASK_NOT_FOUND, None
    if isinstance(error, InvalidRequestError):
        return TaskNote.SERVICE_REFUSED, error.service_message or None
    status = None if error.status_code is None else str(error.status_code)
    if isinstance(error, ProtocolError):
        return TaskNote.BAD_ANSWER, status
    if isinstance(error, TransientError) and status is not None:
        return TaskNote.SERVICE_ERROR, status
    if not error.request_sent:
        return TaskNote.NO_CONNECTION, None
    return TaskNote.CONNECTION_LOST, None


class SubmitSteps:
    """Mixed into TaskRunner (which owns the state below). Kept apart so each file stays readable: this half
    decides what a submit's outcome means (sent, not sent, maybe sent) and how a wait can be ended."""

    if TYPE_CHECKING:
        _store: TaskStore
        _client: ApixoClient
        _models: Callable[[str], ModelSpec]
        _limiter: RateLimiter
        _backoff: Backoff
        _scheduler: PollScheduler
        _connection: ConnectionTracker
        _now: Callable[[], datetime]
        timing: PollTiming
        _live: dict[int, Task]
        _queue: deque[int]
        _attempts: dict[int, int]
        _not_found_since: dict[int, datetime]
        _wakes: dict[int, asyncio.Event]
        _sending: set[int]
        _cancelled_in_flight: set[int]
        submit_requests: int
        unexpected_faults: int

        def _save(self, task: Task) -> Task: ...
        async def _save_soon(self, task: Task) -> Task | None: ...
        def _finish(self, task: Task) -> None: ...
        def _emit_note(self, task: Task, note: TaskNote, detail: str | None = None) -> None: ...
        def _ask_for_key(self, message: str) -> None: ...
        def _drain_queue(self) -> None: ...
        def _retry_scale(self) -> float: ...

    def cancel(self, local_id: int) -> Task | None:
        """Stop a task in any unfinished phase: it ends CANCELLED, nothing more is sent or asked for it.

        A submit on the wire is not interrupted (its answer may carry a taskId worth keeping); when the answer
        comes, the taskId is stored on the cancelled row and the task is not followed. Returns the cancelled
        task, or None when it was not running here (or its final answer is being written: the service finished
        it, and that is what is kept)."""
        task = self._live.get(local_id)
        if task is None or task.phase.is_final:
            return None
        del self._live[local_id]
        if local_id in self._queue:
            self._queue.remove(local_id)
        self._scheduler.cancel(local_id)
        self._attempts.pop(local_id, None)
        self._not_found_since.pop(local_id, None)
        note = None
        if local_id in self._sending:
            self._cancelled_in_flight.add(local_id)
            note = TaskNote.CANCELLED_IN_FLIGHT
        self._wake(local_id)
        log.info("task %s cancelled in phase %s", local_id, task.phase)
        cancelled = self._save(task.with_(phase=TaskPhase.CANCELLED, note=note, note_detail=None))
        self._drain_queue()
        return cancelled

    def retry_now(self, local_id: int) -> bool:
        """Ask again now instead of waiting out a backoff: resend a submit waiting for the network, or poll a
        running task at once. False when there is nothing to retry (unknown, finished, or waiting for a key)."""
        task = self._live.get(local_id)
        if task is None:
            return False
        if local_id in self._wakes:
            self._wake(local_id)
            return True
        if task.phase.is_polled and not self._scheduler.paused:
            self._scheduler.schedule(local_id, 0.0)
            return True
        return False

    def _wake(self, local_id: int) -> None:
        wake = self._wakes.get(local_id)
        if wake is not None:
            wake.set()

    async def _wait(self, local_id: int, seconds: float) -> None:
        """Sleep before a retry, bounded (never past 120 s, never a timer overflow) and cut short by a wake."""
        wake = self._wakes[local_id] = asyncio.Event()
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(bounded_wait(seconds)):  # not wait_for: see PollScheduler._run
                    await wake.wait()
        finally:
            if self._wakes.get(local_id) is wake:
                del self._wakes[local_id]

    async def _submit(self, local_id: int) -> None:
        task = self._live.get(local_id)
        if task is None or task.phase != TaskPhase.SUBMITTING or await self._save_soon(task) is None:
            return  # cancelled or removed before its row said SUBMITTING: nothing was sent
        attempt = 0
        while True:
            await self._limiter.acquire()
            task = self._live.get(local_id)
            if task is None or task.phase != TaskPhase.SUBMITTING:
                return  # cancelled or removed meanwhile
            self.submit_requests += 1
            self._sending.add(local_id)
            try:
                task_id = await self._client.submit(task.request, self._models(task.request.model))
            except ApiError as err:
                self._sending.discard(local_id)
                self._connection.failed(err)
                if self._settle_cancelled(local_id, None):
                    return
                retry_in = self._submit_failed(local_id, err, attempt + 1)
            except Exception as exc:
                self._sending.discard(local_id)
                self.unexpected_faults += 1
                log.warning("task %s: submit failed unexpectedly (%s)", local_id, type(exc).__name__, exc_info=True)
                if not self._settle_cancelled(local_id, None):
                    # It may have been sent: never resent blindly, like a lost answer.
                    self._finish(
                        task.with_(
                            phase=TaskPhase.SUBMIT_UNKNOWN,
                            note=TaskNote.UNEXPECTED_FAULT,
                            note_detail=type(exc).__name__,
                        )
                    )
                return
            else:
                self._sending.discard(local_id)
                self._connection.answered()
                if not self._settle_cancelled(local_id, task_id):
                    await self._accepted(local_id, task, task_id)
                return
            if retry_in is None:
                return
            attempt += 1
            await self._wait(local_id, retry_in)
            task = self._live.get(local_id)
            if task is None:
                return
            if task.phase == TaskPhase.QUEUED:  # was waiting for the network: on the wire again
                self._save(task.with_(phase=TaskPhase.SUBMITTING, note=None, note_detail=None))

    def _submit_failed(self, local_id: int, err: ApiError, attempt: int) -> float | None:
        """Settle a refused or failed submit; the seconds until it is tried again, or None when it is done."""
        task = self._live[local_id]
        if isinstance(err, RateLimitedError):
            # Nothing was created: the same request goes again after the (bounded) wait.
            self._emit_note(task, TaskNote.RATE_LIMITED)
            return self._backoff.delay(attempt, err.retry_after) * self._retry_scale()
        if isinstance(err, AuthError):
            # Nothing was created: the task goes back to the head of the queue until a key is given.
            self._save(task.with_(phase=TaskPhase.QUEUED, note=TaskNote.WAITING_FOR_KEY, note_detail=None))
            self._queue.appendleft(local_id)
            self._ask_for_key(err.user_message)
            return None
        if isinstance(err, InvalidRequestError):
            # The service's words are the fact here: kept verbatim (support may ask for them). A 402, 403 or 404
            # has its own advice (top up, policy, no such model here): its status is kept as the note's fact.
            refused = task.with_(phase=TaskPhase.REJECTED, error_message=err.service_message or None)
            status = err.status_code if err.status_code in REFUSALS_WITH_ADVICE else None
            self._finish(
                refused.with_(
                    note=None if status is None else TaskNote.SUBMIT_REFUSED,
                    note_detail=None if status is None else str(status),
                )
            )
            return None
        if err.request_sent:
            # The request may have reached the service: resending could charge twice.
            log.info("task %s: submit answer lost (%s)", local_id, err.user_message)
            note, detail = note_for(err)
            self._finish(task.with_(phase=TaskPhase.SUBMIT_UNKNOWN, note=note, note_detail=detail))
            return None
        # Known not sent (no connection was made): nothing can have been charged. Stored as QUEUED, so a quit
        # now leaves a task that is simply sent at the next start, never one marked "answer lost".
        self._save(task.with_(phase=TaskPhase.QUEUED, note=TaskNote.WAITING_FOR_NETWORK, note_detail=None))
        return self._backoff.delay(attempt) * self._retry_scale()

    def _settle_cancelled(self, local_id: int, task_id: str | None) -> bool:
        """After a submit's answer: True when the task was cancelled or removed meanwhile (then nothing else
        happens to it); a taskId that came back is kept on the cancelled row, which is not followed."""
        if local_id in self._live:
            return False
        if local_id in self._cancelled_in_flight:
            self._cancelled_in_flight.discard(local_id)
            row = self._store.get(local_id)
            if task_id is not None and row is not None and row.phase == TaskPhase.CANCELLED:
                log.info("task %s: cancelled while sent; the service created %s, not followed", local_id, task_id)
                self._save(row.with_(task_id=task_id, submitted_at=self._now()))
        return True

    async def _accepted(self, local_id: int, task: Task, task_id: str) -> None:
        submitted = self._now()
        log.info("task %s submitted as %s", local_id, task_id)
        # The runner holds the taskId at once: a cancel while it is written keeps it on the cancelled row.
        pending = task.with_(
            phase=TaskPhase.PENDING, task_id=task_id, submitted_at=submitted, note=None, note_detail=None
        )
        if await self._save_soon(pending) is not None:
            self._scheduler.schedule(local_id, self.timing.first_delay(pending.request))
