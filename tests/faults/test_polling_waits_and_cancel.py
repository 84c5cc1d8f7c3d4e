"""Fault suite: wild Retry-After, no network on submit, lost submit answers, forgotten tasks, cancel in any phase."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from sora2_desktop.api import TaskStatus
from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.backoff import MAX_RETRY_WAIT_S, Backoff
from sora2_desktop.core.tasks.connection_state import ConnectionState
from sora2_desktop.core.tasks.failure_text import task_note_text
from sora2_desktop.core.tasks.task import TaskNote, TaskPhase
from tests.helpers.hostile_server import Answer, HostileServer
from tests.helpers.runner_rig import RunnerRig, failure_words, is_sentence
from tests.helpers.wait import wait_until

RunAsync = Callable[[Coroutine[Any, Any, Any]], Any]
THIRTY_DAYS = 30 * 86_400


def never_charged(rig: RunnerRig, local_id: int) -> bool:
    return not any(t.phase == TaskPhase.SUBMIT_UNKNOWN for t in rig.seen if t.local_id == local_id)


RETRY_AFTERS = {
    "30_days": str(THIRTY_DAYS),
    "http_date_30_days": email.utils.formatdate(time.time() + THIRTY_DAYS, usegmt=True),
    "not_a_number": "soon-ish",
    "negative": "-5",
}


@pytest.mark.parametrize("kind", list(RETRY_AFTERS))
def test_retry_after_on_a_status_query_is_honoured_only_up_to_two_minutes(
    run_async: RunAsync, store: TaskStore, server: HostileServer, kind: str
) -> None:
    async def scenario() -> None:
        server.script_status(
            "task_0001", Answer.envelope(429, "slow down", status=429, headers={"Retry-After": RETRY_AFTERS[kind]})
        )
        # The real cap (120 s), not a test's: a short base keeps the sane cases quick.
        rig = RunnerRig(store, server.base_url, backoff=Backoff(base_s=0.01))
        ids = rig.submit(3)
        await wait_until(lambda: server.queries["task_0001"] >= 1, what="the hostile answer")
        hostile = rig.local_id_of("task_0001")
        await wait_until(lambda: any(t.note == TaskNote.RATE_LIMITED for t in rig.seen if t.local_id == hostile))
        due = rig.runner.next_poll_in(hostile)
        assert due is None or due <= MAX_RETRY_WAIT_S  # asked again within two minutes, whatever was said
        for local_id in ids:
            if local_id != hostile:
                await rig.until(local_id, TaskPhase.SUCCESS)  # the others never stopped
        rig.runner.retry_now(hostile)  # the person (or the two minutes) ends the wait
        await rig.until(hostile, TaskPhase.SUCCESS)
        assert is_sentence(task_note_text(next(t for t in rig.seen if t.note == TaskNote.RATE_LIMITED)))
        assert server.submits == 3
        await rig.close()

    run_async(scenario())


def test_retry_after_of_30_days_on_a_submit_leaves_no_task_stuck_submitting(
    run_async: RunAsync, store: TaskStore, server: HostileServer
) -> None:
    async def scenario() -> None:
        server.script_submit(Answer.envelope(429, "slow down", status=429, headers={"Retry-After": str(THIRTY_DAYS)}))
        rig = RunnerRig(store, server.base_url, backoff=Backoff(base_s=0.01))
        ids = rig.submit(3)
        await wait_until(lambda: sum(rig.row(i).phase == TaskPhase.SUCCESS for i in ids) == 2, what="two done")
        (waiting,) = [i for i in ids if rig.row(i).phase != TaskPhase.SUCCESS]
        assert rig.row(waiting).phase == TaskPhase.SUBMITTING
        assert is_sentence(rig.notes_seen(waiting)[-1])
        assert rig.runner.retry_now(waiting)  # the bounded wait can be ended at once
        await rig.until(waiting, TaskPhase.SUCCESS)
        assert server.submits == 4  # the refused one was sent again once; nothing created twice
        assert len({rig.row(i).task_id for i in ids}) == 3
        await rig.close()

    run_async(scenario())


def test_a_submit_with_no_connection_waits_for_the_network_and_is_never_called_charged(
    run_async: RunAsync, store: TaskStore, server: HostileServer
) -> None:
    async def scenario() -> None:
        server.stop()  # connection refused: not one byte of the request leaves
        rig = RunnerRig(store, server.base_url)
        (local_id,) = rig.submit(1)
        await wait_until(lambda: rig.row(local_id).note == TaskNote.WAITING_FOR_NETWORK, what="waiting, stored")
        stored = rig.row(local_id)
        assert stored.phase == TaskPhase.QUEUED  # a quit now leaves a task that is simply sent next time
        words = task_note_text(stored) or ""
        assert is_sentence(words) and "nothing was charged" in words
        assert rig.runner.connection_state == ConnectionState.UNREACHABLE
        server.start()  # the network is back (same port)
        rig.runner.retry_now(local_id)
        await rig.until(local_id, TaskPhase.SUCCESS)
        assert never_charged(rig, local_id)
        assert server.submits == 1
        assert rig.states == [ConnectionState.UNREACHABLE, ConnectionState.CONNECTED]
        await rig.close()

    run_async(scenario())


@pytest.mark.parametrize("fault", ["read_timeout", "dropped_mid_answer"])
def test_a_submit_lost_after_sending_is_submit_unknown_and_never_resent(
    run_async: RunAsync, store: TaskStore, server: HostileServer, fault: str
) -> None:
    async def scenario() -> None:
        server.script_submit(Answer.hang() if fault == "read_timeout" else Answer.drop())
        rig = RunnerRig(store, server.base_url, timeout=0.5)
        ids = rig.submit(3)
        await wait_until(lambda: all(rig.row(i).phase.is_final for i in ids), what="all settled")
        phases = sorted(rig.row(i).phase for i in ids)
        assert phases == [TaskPhase.SUBMIT_UNKNOWN, TaskPhase.SUCCESS, TaskPhase.SUCCESS]
        (lost,) = [i for i in ids if rig.row(i).phase == TaskPhase.SUBMIT_UNKNOWN]
        assert rig.row(lost).note == TaskNote.CONNECTION_LOST
        assert "charged" in failure_words(rig.row(lost))
        server.release()
        assert server.submits == 3  # the lost one was not sent twice
        await rig.close()

    run_async(scenario())


def test_task_not_found_that_persists_ends_the_task_with_words(
    run_async: RunAsync, store: TaskStore, server: HostileServer
) -> None:
    async def scenario() -> None:
        server.forget("task_0002")
        rig = RunnerRig(store, server.base_url, forget_after_s=0.3)
        ids = rig.submit(3)
        await wait_until(lambda: all(rig.row(i).phase.is_final for i in ids), what="all settled")
        forgotten = rig.local_id_of("task_0002")
        row = rig.row(forgotten)
        assert row.phase == TaskPhase.FAILED and row.note == TaskNote.TASK_FORGOTTEN
        assert is_sentence(failure_words(row)) and "not found" in failure_words(row)
        assert any(t.note == TaskNote.TASK_NOT_FOUND for t in rig.seen if t.local_id == forgotten)
        asked = server.queries["task_0002"]
        (late,) = rig.submit(1)  # a whole further task's life: the forgotten one is asked no more
        await rig.until(late, TaskPhase.SUCCESS)
        assert server.queries["task_0002"] == asked
        assert [rig.row(i).phase for i in ids if i != forgotten] == [TaskPhase.SUCCESS] * 2
        await rig.close()

    run_async(scenario())


def test_an_unforeseen_exception_in_one_poll_only_delays_that_task(
    run_async: RunAsync, store: TaskStore, server: HostileServer
) -> None:
    async def scenario() -> None:
        rig = RunnerRig(store, server.base_url)
        real_status = rig.client.status
        faults = [RecursionError("deep"), OverflowError("big"), UnicodeError("odd")]

        async def faulty_status(task_id: str, spec: ModelSpec) -> TaskStatus:
            if task_id == "task_0002" and faults:
                raise faults.pop(0)
            return await real_status(task_id, spec)

        rig.client.status = faulty_status  # type: ignore[method-assign]
        ids = rig.submit(3)
        for local_id in ids:
            await rig.until(local_id, TaskPhase.SUCCESS)
        hostile = rig.local_id_of("task_0002")
        assert rig.runner.unexpected_faults == 3
        shown = [t for t in rig.seen if t.local_id == hostile and t.note == TaskNote.UNEXPECTED_FAULT]
        assert shown and is_sentence(task_note_text(shown[0]))
        assert server.submits == 3
        await rig.close()

    run_async(scenario())


def test_connection_state_follows_real_answers_and_changes_only_on_changes(
    run_async: RunAsync, store: TaskStore, server: HostileServer
) -> None:
    async def scenario() -> None:
        server.script_status("task_0001", Answer.envelope(401, "Unauthorized", status=401))
        rig = RunnerRig(store, server.base_url)
        (local_id,) = rig.submit(1)
        await wait_until(lambda: rig.runner.paused, what="the 401 pause")
        assert rig.runner.connection_state == ConnectionState.KEY_REFUSED
        rig.runner.set_api_key_changed()
        await rig.until(local_id, TaskPhase.SUCCESS)
        assert rig.states == [ConnectionState.CONNECTED, ConnectionState.KEY_REFUSED, ConnectionState.CONNECTED]
        await rig.close()

    run_async(scenario())


# -- cancel in every phase ------------------------------------------------------------------------------------


async def _cancel_queued(rig: RunnerRig, server: HostileServer) -> int:
    _first, second = rig.submit(2)  # max_running=1: the second waits for a slot
    await wait_until(lambda: server.submits == 1, what="the first task sent")
    assert rig.row(second).phase == TaskPhase.QUEUED
    return second


async def _cancel_waiting_for_network(rig: RunnerRig, server: HostileServer) -> int:
    server.stop()
    (local_id,) = rig.submit(1)
    await wait_until(lambda: rig.row(local_id).note == TaskNote.WAITING_FOR_NETWORK)
    return local_id


async def _cancel_submitting(rig: RunnerRig, server: HostileServer) -> int:
    server.script_submit(Answer.hang(Answer.envelope(200, "success", {"taskId": "task_kept"})))
    (local_id,) = rig.submit(1)
    await wait_until(lambda: server.submits == 1, what="the submit on the wire")
    return local_id


def _cancel_in_state(state: str) -> Callable[[RunnerRig, HostileServer], Coroutine[Any, Any, int]]:
    async def run(rig: RunnerRig, server: HostileServer) -> int:
        server.hold("task_0001", state)
        (local_id,) = rig.submit(1)
        await wait_until(lambda: rig.row(local_id).phase == TaskPhase(state), what=state)
        return local_id

    return run


CANCEL_PHASES = {
    "queued": _cancel_queued,
    "waiting_for_network": _cancel_waiting_for_network,
    "submitting": _cancel_submitting,
    "pending": _cancel_in_state("pending"),
    "processing": _cancel_in_state("processing"),
}


@pytest.mark.parametrize("phase", list(CANCEL_PHASES))
def test_cancel_works_in_every_phase_and_nothing_more_is_sent_for_the_task(
    run_async: RunAsync, store: TaskStore, server: HostileServer, phase: str
) -> None:
    async def scenario() -> None:
        rig = RunnerRig(store, server.base_url, max_running=1 if phase == "queued" else 1_000)
        target = await CANCEL_PHASES[phase](rig, server)
        submits_before = server.submits
        queries_before = dict(server.queries)
        cancelled = rig.runner.cancel(target)
        assert cancelled is not None and rig.row(target).phase == TaskPhase.CANCELLED
        assert is_sentence(failure_words(rig.row(target)))
        if phase == "waiting_for_network":
            server.start()
        if phase == "submitting":
            server.release()  # the answer arrives after the cancel: its taskId is kept, the task not followed
            await wait_until(lambda: rig.row(target).task_id == "task_kept", what="the late taskId kept")
            assert rig.row(target).note == TaskNote.CANCELLED_IN_FLIGHT
        # Another task's whole life proves the runner goes on, and gives the cancelled one time to misbehave.
        (other,) = rig.submit(1)
        await rig.until(other, TaskPhase.SUCCESS)
        row = rig.row(target)
        assert row.phase == TaskPhase.CANCELLED
        assert server.submits == submits_before + 1  # only the other task's submit
        if row.task_id is not None:  # at most one query that was already on its way when cancelled
            assert server.queries[row.task_id] <= queries_before.get(row.task_id, 0) + 1
        if row.task_id is not None:
            assert "may still finish it" in failure_words(row)
        else:
            assert "nothing was created or charged" in failure_words(row)
        assert rig.runner.cancel(target) is None  # a second cancel is a no-op
        await rig.close()

    run_async(scenario())
