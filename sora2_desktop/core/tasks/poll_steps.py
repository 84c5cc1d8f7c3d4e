"""PollSteps: the TaskRunner's polling path (ask, read the answer, retry, give up on a task the service forgot) and
the writes that answers cause, made from the store's writer thread while the loop goes on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sora2_desktop.api import ApiError, AuthError, NotFoundError, TaskState, TaskStatus
from sora2_desktop.core.tasks.backoff import bounded_wait
from sora2_desktop.core.tasks.submit_steps import note_for
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from sora2_desktop.api.client import ApixoClient
    from sora2_desktop.api.model_spec import ModelSpec
    from sora2_desktop.core.storage.task_store import TaskStore
    from sora2_desktop.core.tasks.backoff import Backoff
    from sora2_desktop.core.tasks.connection_state import ConnectionTracker
    from sora2_desktop.core.tasks.poll_scheduler import PollScheduler
    from sora2_desktop.core.tasks.poll_timing import PollTiming
    from sora2_desktop.core.tasks.rate_limiter import RateLimiter

log = logging.getLogger("sora2_desktop.core.tasks.runner")

_PHASE_OF_STATE = {
    TaskState.PENDING: TaskPhase.PENDING,
    TaskState.PROCESSING: TaskPhase.PROCESSING,
    TaskState.SUCCESS: TaskPhase.SUCCESS,
    TaskState.FAILED: TaskPhase.FAILED,
    TaskState.UNKNOWN: TaskPhase.UNKNOWN,
}


class PollSteps:
    """Mixed into TaskRunner (which owns the state below), beside SubmitSteps."""

    if TYPE_CHECKING:
        _store: TaskStore
        _client: ApixoClient
        _models: Callable[[str], ModelSpec]
        _limiter: RateLimiter
        _backoff: Backoff
        _scheduler: PollScheduler
        _connection: ConnectionTracker
        _now: Callable[[], datetime]
        _forget_after_s: float
        timing: PollTiming
        _live: dict[int, Task]
        _attempts: dict[int, int]
        _not_found_since: dict[int, datetime]
        status_requests: int
        unexpected_faults: int
        task_changed: SignalInstance
        succeeded: SignalInstance

        def _finish(self, task: Task) -> None: ...
        def _emit_note(self, task: Task, note: TaskNote, detail: str | None = None) -> None: ...
        def _ask_for_key(self, message: str) -> None: ...
        def _drain_queue(self) -> None: ...
        def _retry_scale(self) -> float: ...

    def _remaining_first_delay(self, task: Task) -> float:
        if task.submitted_at is None:
            return 0.0
        elapsed = (self._now() - task.submitted_at).total_seconds()
        return max(0.0, self.timing.first_delay(task.request) - elapsed)

    async def _poll(self, local_id: int) -> None:
        task = self._live.get(local_id)
        if task is None or not task.phase.is_polled or task.task_id is None:
            return
        await self._limiter.acquire()
        if self._scheduler.paused:
            self._scheduler.schedule(local_id, 0.0)  # picked up again once the key is fixed
            return
        self.status_requests += 1
        try:
            status = await self._client.status(task.task_id, self._models(task.request.model))
        except AuthError as err:
            self._connection.failed(err)
            self._scheduler.schedule(local_id, 0.0)
            self._ask_for_key(err.user_message)
            return
        except NotFoundError:
            self._not_found(local_id)
            return
        except ApiError as err:
            self._connection.failed(err)
            self._retry_poll(local_id, getattr(err, "retry_after", None), *note_for(err))
            return
        except Exception as exc:
            self.unexpected_faults += 1
            log.warning("task %s: status query failed unexpectedly (%s)", local_id, type(exc).__name__, exc_info=True)
            self._retry_poll(local_id, None, TaskNote.UNEXPECTED_FAULT, type(exc).__name__)
            return
        self._connection.answered()
        current = self._live.get(local_id)
        if current is None:
            return  # cancelled or removed while the query was on its way
        self._attempts.pop(local_id, None)
        self._not_found_since.pop(local_id, None)
        await self._apply_status(local_id, current, status)

    def _retry_poll(self, local_id: int, retry_after: float | None, note: TaskNote, detail: str | None) -> None:
        task = self._live.get(local_id)
        if task is None:
            return
        attempt = self._attempts.get(local_id, 0) + 1
        self._attempts[local_id] = attempt
        wait = self._backoff.delay(attempt, retry_after) * self._retry_scale()
        self._scheduler.schedule(local_id, bounded_wait(max(self.timing.interval(task.request), wait)))
        self._emit_note(task, note, detail)

    def _not_found(self, local_id: int) -> None:
        """The service does not know the task: asked again, until that has lasted `forget_after_s`."""
        task = self._live.get(local_id)
        if task is None:
            return
        now = self._now()
        since = self._not_found_since.setdefault(local_id, now)
        limit = self._forget_after_s * self.timing.time_scale
        waited = (now - since).total_seconds()
        if waited < limit:
            self._retry_poll(local_id, None, TaskNote.TASK_NOT_FOUND, None)
            return
        log.warning("task %s: the service has not known %s for %.0f s; given up", local_id, task.task_id, waited)
        minutes = str(max(1, round(waited / 60)))
        self._finish(task.with_(phase=TaskPhase.FAILED, note=TaskNote.TASK_FORGOTTEN, note_detail=minutes))

    async def _apply_status(self, local_id: int, task: Task, status: TaskStatus) -> None:
        phase = _PHASE_OF_STATE[status.state]
        updated = task.with_(
            phase=phase,
            raw_state=status.raw_state,
            polls=task.polls + 1,
            result_urls=status.result_urls or task.result_urls,
            fail_code=status.fail_code,
            fail_message=status.fail_message,
            service_created_at=status.create_time or task.service_created_at,
            completed_at=status.complete_time,
            cost_time_ms=status.cost_time_ms,
            error_message=None,
            note=None,
            note_detail=None,
        )
        if phase.is_final:
            finished = await self._finish_soon(updated)
            if finished is not None and phase == TaskPhase.SUCCESS:
                self.succeeded.emit(finished)
            return
        # Write only when something a person can see changed: a poll that learns nothing costs no disk write.
        if (updated.phase, updated.raw_state, updated.note) != (task.phase, task.raw_state, task.note):
            if await self._save_soon(updated) is None:
                return  # cancelled or removed while it was written: not asked about again
        else:
            self._live[local_id] = updated
        self._scheduler.schedule(local_id, self.timing.interval(task.request))

    # -- writes from the writer thread -----------------------------------------------------------------------

    async def _save_soon(self, task: Task) -> Task | None:
        """Like `_save`, with the row written from the store's writer thread while the loop goes on (a write can
        wait long for a busy disk). The task is the runner's at once, so a cancel meanwhile starts from it (and
        its write follows this one); once written it is told, unless a cancel or a removal changed it meanwhile:
        then None, and theirs is the change that counts."""
        assert task.local_id is not None
        self._live[task.local_id] = task
        saved = await asyncio.wrap_future(self._store.update_soon(task))
        if self._live.get(task.local_id) is not task:
            return None
        if not saved.phase.is_final:
            self._live[task.local_id] = saved
        self.task_changed.emit(saved)
        return saved

    async def _finish_soon(self, task: Task) -> Task | None:
        """`_finish` through `_save_soon`: a final answer being written is not cancelled (see `cancel`)."""
        saved = await self._save_soon(task)
        if saved is None or saved.local_id is None:
            return None
        self._live.pop(saved.local_id, None)
        self._attempts.pop(saved.local_id, None)
        self._not_found_since.pop(saved.local_id, None)
        self._scheduler.cancel(saved.local_id)
        self._drain_queue()
        return saved
