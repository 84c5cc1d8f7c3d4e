"""TaskRunner: submit, poll schedule, retries, the 401 pause, the local queue and resuming after a restart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sora2_desktop.api import (
    ApiError,
    ApiKey,
    AuthError,
    GenerationRequest,
    InvalidRequestError,
    ProtocolError,
    RateLimitedError,
    TaskStatus,
    TransientError,
)
from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.backoff import Backoff
from sora2_desktop.core.tasks.failure_text import explain_failure, task_note_text
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from sora2_desktop.core.tasks.runner import TaskRunner, note_for
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase
from tests.helpers.wait import wait_until

FAST = PollTiming(first_delay_s=0.05, interval_s=0.02, callback_interval_s=0.04)


class ScriptedClient:
    """Stands in for ApixoClient: each task id walks through `states`; faults are queued per call kind."""

    def __init__(self, states: tuple[str, ...] = ("pending", "processing", "success")) -> None:
        self.api_key = ApiKey("k")
        self.states = states
        self.submits: list[GenerationRequest] = []
        self.polls: dict[str, int] = {}
        self.submit_faults: list[Exception] = []
        self.status_faults: list[Exception] = []

    async def submit(self, request: GenerationRequest, spec: ModelSpec) -> str:
        if self.submit_faults:
            raise self.submit_faults.pop(0)
        self.submits.append(request)
        return f"task_{len(self.submits):08x}"

    async def status(self, task_id: str, spec: ModelSpec) -> TaskStatus:
        if self.status_faults:
            raise self.status_faults.pop(0)
        n = self.polls.get(task_id, 0)
        self.polls[task_id] = n + 1
        state = self.states[min(n, len(self.states) - 1)]
        data: dict[str, object] = {"taskId": task_id, "state": state}
        if state == "success":
            data["resultJson"] = '{"resultUrls":["http://cdn.example/v.mp4"]}'
        if state == "failed":
            data.update(failCode="CONTENT_VIOLATION", failMsg="violence")
        return TaskStatus.from_data(data)


def make_runner(store: TaskStore, client: ScriptedClient, **kw: object) -> TaskRunner:
    return TaskRunner(
        store,
        client,  # type: ignore[arg-type]
        FAST,
        limiter=RateLimiter(rate_per_minute=600_000, burst=1000),
        backoff=Backoff(base_s=0.01, cap_s=0.05),
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def store(tmp_path: Path) -> TaskStore:
    s = TaskStore(tmp_path / "tasks.sqlite3")
    yield s
    s.close()


def phase_of(store: TaskStore, local_id: int | None) -> TaskPhase:
    assert local_id is not None
    task = store.get(local_id)
    assert task is not None
    return task.phase


REQ = GenerationRequest(prompt="a lighthouse at dusk, slow dolly in")


def test_submit_polls_on_schedule_to_success(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        client = ScriptedClient()
        runner = make_runner(store, client)
        seen: list[Task] = []
        runner.task_changed.connect(seen.append)
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: phase_of(store, task.local_id) == TaskPhase.SUCCESS)
        done = store.get(task.local_id)  # type: ignore[arg-type]
        assert done is not None and done.result_urls == ("http://cdn.example/v.mp4",)
        assert done.task_id == "task_00000001"
        # Exactly one query per state the script walks through: nothing wasted, nothing skipped.
        assert client.polls == {"task_00000001": 3}
        assert [t.phase for t in seen][:2] == [TaskPhase.QUEUED, TaskPhase.SUBMITTING]
        assert seen[-1].phase == TaskPhase.SUCCESS
        await runner.stop()

    asyncio.run(scenario())


def test_rate_limit_and_network_faults_are_retried_never_dropped(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        client = ScriptedClient()
        client.submit_faults = [RateLimitedError(retry_after=0.01), TransientError("down", status_code=None)]
        client.submit_faults[1].request_sent = False  # type: ignore[attr-defined]
        client.status_faults = [RateLimitedError(retry_after=0.01)] * 5 + [TransientError("reset")] * 3
        runner = make_runner(store, client)
        seen: list[Task] = []
        runner.task_changed.connect(seen.append)
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: phase_of(store, task.local_id) == TaskPhase.SUCCESS)
        assert len(client.submits) == 1
        # Each fault showed on the row as a code (worded when shown), none as the client's English sentence.
        notes = [t.note for t in seen if t.note is not None]
        # Not sent (no connection): stored as waiting for the network, never "may have been charged".
        assert notes == [
            TaskNote.RATE_LIMITED,
            TaskNote.WAITING_FOR_NETWORK,
            TaskNote.RATE_LIMITED,
            TaskNote.CONNECTION_LOST,
        ]
        assert not any(t.phase == TaskPhase.SUBMIT_UNKNOWN for t in seen)
        assert all(t.error_message is None for t in seen)
        assert task_note_text(next(t for t in seen if t.note == TaskNote.RATE_LIMITED)) == (
            "Rate-limited by the service; retrying shortly."
        )
        stored = store.get(task.local_id)  # type: ignore[arg-type]
        assert stored is not None and stored.note is None  # passing notes are not written down
        await runner.stop()

    asyncio.run(scenario())


def test_insufficient_credits_rejects_with_service_words(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        client = ScriptedClient()
        client.submit_faults = [InvalidRequestError("Insufficient credits")]
        runner = make_runner(store, client)
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: phase_of(store, task.local_id) == TaskPhase.REJECTED)
        stored = store.get(task.local_id)  # type: ignore[arg-type]
        assert stored is not None and stored.error_message == "Insufficient credits" and stored.note is None
        await runner.stop()

    asyncio.run(scenario())


def test_lost_submit_answer_is_not_resent(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        client = ScriptedClient()
        client.submit_faults = [TransientError("The connection was cut while waiting for the answer.")]
        runner = make_runner(store, client)
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: phase_of(store, task.local_id) == TaskPhase.SUBMIT_UNKNOWN)
        await asyncio.sleep(0.1)
        assert client.submits == [] and client.submit_faults == []
        stored = store.get(task.local_id)  # type: ignore[arg-type]
        assert stored is not None and (stored.note, stored.error_message) == (TaskNote.CONNECTION_LOST, None)
        assert "after the request was sent" in explain_failure(stored).detail
        await runner.stop()

    asyncio.run(scenario())


def test_401_pauses_all_polling_until_a_key_is_given(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        client = ScriptedClient()
        client.status_faults = [AuthError()]
        runner = make_runner(store, client)
        asks: list[str] = []
        runner.auth_required.connect(asks.append)
        runner.start()
        tasks = runner.submit([REQ, REQ])
        await wait_until(lambda: runner.paused)
        polls_when_paused = sum(client.polls.values())
        await asyncio.sleep(0.2)
        assert sum(client.polls.values()) == polls_when_paused
        assert len(asks) == 1
        runner.set_api_key_changed()
        await wait_until(lambda: all(phase_of(store, t.local_id) == TaskPhase.SUCCESS for t in tasks))
        await runner.stop()

    asyncio.run(scenario())


def test_submit_401_keeps_task_queued_and_sends_it_after_key(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        client = ScriptedClient()
        client.submit_faults = [AuthError()]
        runner = make_runner(store, client)
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: runner.paused)
        assert phase_of(store, task.local_id) == TaskPhase.QUEUED
        waiting = store.get(task.local_id)  # type: ignore[arg-type]
        assert waiting is not None and waiting.note == TaskNote.WAITING_FOR_KEY
        assert task_note_text(waiting) == "Waiting for a valid API key."
        runner.set_api_key_changed()
        await wait_until(lambda: phase_of(store, task.local_id) == TaskPhase.SUCCESS)
        await runner.stop()

    asyncio.run(scenario())


def test_past_the_running_limit_tasks_wait_in_the_local_queue(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        client = ScriptedClient(states=("pending",) * 8 + ("success",))
        runner = make_runner(store, client, max_running=2)
        seen: list[Task] = []
        runner.task_changed.connect(seen.append)
        runner.start()
        tasks = runner.submit([REQ, REQ, REQ])
        await wait_until(lambda: len(client.submits) == 2)
        assert phase_of(store, tasks[2].local_id) == TaskPhase.QUEUED
        waiting = [t for t in seen if t.local_id == tasks[2].local_id and t.note == TaskNote.WAITING_FOR_SLOT]
        assert waiting and task_note_text(waiting[0]) == "Waiting: 2 tasks are already running on this key."
        await wait_until(lambda: all(phase_of(store, t.local_id) == TaskPhase.SUCCESS for t in tasks))
        await runner.stop()

    asyncio.run(scenario())


def test_failed_task_keeps_fail_code(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        runner = make_runner(store, ScriptedClient(states=("processing", "failed")))
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: phase_of(store, task.local_id) == TaskPhase.FAILED)
        stored = store.get(task.local_id)  # type: ignore[arg-type]
        assert stored is not None and (stored.fail_code, stored.fail_message) == ("CONTENT_VIOLATION", "violence")
        await runner.stop()

    asyncio.run(scenario())


def test_restart_resumes_polling_and_marks_lost_submits(qapp: object, store: TaskStore) -> None:
    async def first_life() -> tuple[int, int]:
        client = ScriptedClient(states=("pending",))
        runner = make_runner(store, client)
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: client.polls.get("task_00000001", 0) >= 1)
        await runner.stop()  # the app dies here, mid-poll
        orphan = store.add(Task(request=REQ, created_at=task.created_at, phase=TaskPhase.SUBMITTING))
        assert task.local_id is not None and orphan.local_id is not None
        return task.local_id, orphan.local_id

    polled_id, orphan_id = asyncio.run(first_life())

    async def second_life() -> None:
        client = ScriptedClient(states=("processing", "success"))
        runner = make_runner(store, client)
        changed = runner.start()
        assert [t.local_id for t in changed] == [orphan_id]
        await wait_until(lambda: phase_of(store, polled_id) == TaskPhase.SUCCESS)
        assert phase_of(store, orphan_id) == TaskPhase.SUBMIT_UNKNOWN
        assert client.submits == []
        await runner.stop()

    asyncio.run(second_life())


def test_unknown_state_is_kept_and_polled_on(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        client = ScriptedClient(states=("queued_for_gpu", "queued_for_gpu", "success"))
        runner = make_runner(store, client)
        seen: list[Task] = []
        runner.task_changed.connect(seen.append)
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: phase_of(store, task.local_id) == TaskPhase.SUCCESS)
        assert any(t.phase == TaskPhase.UNKNOWN and t.raw_state == "queued_for_gpu" for t in seen)
        await runner.stop()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("error", "note", "detail"),
    [
        (RateLimitedError(retry_after=3), TaskNote.RATE_LIMITED, None),
        (InvalidRequestError("task not found", status_code=404), TaskNote.SERVICE_REFUSED, "task not found"),
        (ProtocolError("not JSON", status_code=200), TaskNote.BAD_ANSWER, "200"),
        (ProtocolError("no task id"), TaskNote.BAD_ANSWER, None),
        (TransientError("HTTP 502", status_code=502), TaskNote.SERVICE_ERROR, "502"),
        (TransientError("refused", request_sent=False), TaskNote.NO_CONNECTION, None),
        (TransientError("timed out"), TaskNote.CONNECTION_LOST, None),
    ],
)
def test_each_fault_becomes_a_note_with_its_fact(error: ApiError, note: TaskNote, detail: str | None) -> None:
    assert note_for(error) == (note, detail)


@pytest.mark.parametrize("note", list(TaskNote))
@pytest.mark.parametrize("phase", [TaskPhase.PROCESSING, TaskPhase.SUBMIT_UNKNOWN])
def test_every_note_has_words_in_every_phase(qapp: object, note: TaskNote, phase: TaskPhase) -> None:
    task = Task(request=REQ, created_at=datetime.now(UTC), phase=phase, note=note, note_detail="503")
    words = task_note_text(task)
    assert words and words.endswith(".") and "{" not in words
    retrying = "retrying" in words.lower()
    if note in (
        TaskNote.WAITING_FOR_KEY,
        TaskNote.WAITING_FOR_SLOT,
        TaskNote.SUBMIT_LOST,
        TaskNote.WAITING_FOR_NETWORK,
        TaskNote.TASK_NOT_FOUND,
        TaskNote.TASK_FORGOTTEN,
        TaskNote.CANCELLED_IN_FLIGHT,
    ):
        assert not retrying  # each says in its own words what happens next
    else:  # only a task still followed is retried
        assert retrying == (phase == TaskPhase.PROCESSING)
