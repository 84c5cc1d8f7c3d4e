"""TaskRunner's writes while tasks are in flight: made from the store's writer thread (the GUI thread's own
connection writes nothing from submit to success but the click's rows), and what a cancel does while one of them
is still being written."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import pytest

from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from tests.core.tasks.test_runner import REQ, ScriptedClient, make_runner, phase_of
from tests.helpers.wait import wait_until


@pytest.fixture
def store(tmp_path: Path) -> TaskStore:
    s = TaskStore(tmp_path / "tasks.sqlite3")
    yield s
    s.close()


class HeldWrites:
    """Wraps `store.update_soon`: the write is made, but a waiter hears of it only when released, for the writes
    `hold` picks (the window in which a person may cancel)."""

    def __init__(self, store: TaskStore, hold: Callable[[Task], bool]) -> None:
        self._real = store.update_soon
        self._hold = hold
        self.held: list[tuple[Future[Task], Future[Task]]] = []
        self.threads: list[int] = []
        store.update_soon = self._update_soon  # type: ignore[method-assign]

    def _update_soon(self, task: Task) -> Future[Task]:
        written = self._real(task)
        written.add_done_callback(lambda _f: self.threads.append(threading.get_ident()))
        if not self._hold(task):
            return written
        told: Future[Task] = Future()
        self.held.append((written, told))
        return told

    def release(self) -> None:
        for written, told in self.held:
            told.set_result(written.result(timeout=10))
        self.held.clear()


def test_answers_are_written_from_the_writer_thread(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        writes = HeldWrites(store, lambda task: False)
        on_gui_connection: list[Task] = []
        real_update = store.update
        store.update = lambda task: on_gui_connection.append(task) or real_update(task)  # type: ignore[method-assign, func-returns-value]
        runner = make_runner(store, ScriptedClient())
        seen: list[TaskPhase] = []
        runner.task_changed.connect(lambda task: seen.append(task.phase))
        runner.start()
        (task,) = runner.submit([REQ])
        await wait_until(lambda: seen[-1:] == [TaskPhase.SUCCESS])
        assert phase_of(store, task.local_id) == TaskPhase.SUCCESS
        assert on_gui_connection == []
        # SUBMITTING, PENDING (the taskId), each answer that changed something: written off the GUI thread, each
        # told once written, in order.
        assert len(writes.threads) >= 4 and threading.get_ident() not in writes.threads
        assert seen[:3] == [TaskPhase.QUEUED, TaskPhase.SUBMITTING, TaskPhase.PENDING]
        assert seen[-2:] == [TaskPhase.PROCESSING, TaskPhase.SUCCESS]
        await runner.stop()

    asyncio.run(scenario())


def test_a_cancel_while_the_task_id_is_written_keeps_it_on_the_cancelled_row(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        writes = HeldWrites(store, lambda task: task.phase == TaskPhase.PENDING)
        runner = make_runner(store, ScriptedClient())
        seen: list[TaskPhase] = []
        runner.task_changed.connect(lambda task: seen.append(task.phase))
        runner.start()
        (task,) = runner.submit([REQ])
        assert task.local_id is not None
        await wait_until(lambda: bool(writes.held))
        cancelled = runner.cancel(task.local_id)
        assert cancelled is not None and cancelled.task_id == "task_00000001"
        writes.release()
        await asyncio.sleep(0.1)
        stored = store.get(task.local_id)
        assert stored is not None and (stored.phase, stored.task_id) == (TaskPhase.CANCELLED, "task_00000001")
        assert seen[-1] == TaskPhase.CANCELLED  # the PENDING written before it is not told after it
        assert runner.next_poll_in(task.local_id) is None
        await runner.stop()

    asyncio.run(scenario())


def test_a_final_answer_being_written_is_not_cancelled(qapp: object, store: TaskStore) -> None:
    async def scenario() -> None:
        writes = HeldWrites(store, lambda task: task.phase == TaskPhase.SUCCESS)
        runner = make_runner(store, ScriptedClient())
        succeeded: list[Task] = []
        runner.succeeded.connect(succeeded.append)
        runner.start()
        (task,) = runner.submit([REQ])
        assert task.local_id is not None
        await wait_until(lambda: bool(writes.held))
        assert runner.cancel(task.local_id) is None  # the service finished it: that is what is kept
        writes.release()
        await wait_until(lambda: bool(succeeded))
        assert phase_of(store, task.local_id) == TaskPhase.SUCCESS
        assert runner.live_count == 0
        await runner.stop()

    asyncio.run(scenario())
