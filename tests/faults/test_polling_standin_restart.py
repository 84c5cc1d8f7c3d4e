"""Fault suite: the demo stand-in restarts while a task runs; "Task not found" ends that task, never forever."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import TaskNote, TaskPhase
from tests.helpers.runner_rig import RunnerRig, failure_words, is_sentence
from tests.helpers.sim import ManualSim
from tests.helpers.wait import wait_until

RunAsync = Callable[[Coroutine[Any, Any, Any]], Any]


def test_a_task_the_restarted_stand_in_forgot_ends_failed_and_new_tasks_still_finish(
    run_async: RunAsync, store: TaskStore, sim_factory: Callable[..., ManualSim]
) -> None:
    async def scenario() -> None:
        first = sim_factory()
        rig = RunnerRig(store, first.api_base, forget_after_s=0.3)
        (old,) = rig.submit(1)
        await wait_until(lambda: rig.row(old).phase == TaskPhase.PENDING, what="the task running at the stand-in")
        first.stop()  # the demo stand-in quits with the task in it, and comes back knowing nothing
        second = sim_factory()
        # A new port: a stopped stand-in's threads may still serve a kept-alive connection, as a dead process
        # would not; the new address stands for the stand-in of the next run.
        rig.client.base_url = second.api_base
        await rig.until(old, TaskPhase.FAILED)
        row = rig.row(old)
        assert row.note == TaskNote.TASK_FORGOTTEN
        assert is_sentence(failure_words(row)) and "no longer followed" in failure_words(row)
        (new,) = rig.submit(1)
        await wait_until(lambda: rig.row(new).phase == TaskPhase.PENDING, what="the new task accepted")
        second.finish_all()
        await rig.until(new, TaskPhase.SUCCESS)
        # Nothing duplicated: the forgotten task was never resubmitted to the new stand-in.
        posts = [r for r in second.requests_snapshot() if r.method == "POST" and "generateTask" in r.path]
        assert len(posts) == 1
        await rig.close()

    run_async(scenario())
