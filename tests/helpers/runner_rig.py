"""RunnerRig: the real ApixoClient, TaskRunner and PollScheduler on fast timing, pointed at a loopback server."""

from __future__ import annotations

from sora2_desktop.api import ApiKey, ApixoClient, GenerationRequest
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.backoff import Backoff
from sora2_desktop.core.tasks.connection_state import ConnectionState
from sora2_desktop.core.tasks.failure_text import explain_failure, task_note_text
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from sora2_desktop.core.tasks.runner import TaskRunner
from sora2_desktop.core.tasks.task import Task, TaskPhase
from tests.helpers.wait import wait_until

FAST = PollTiming(first_delay_s=0.05, interval_s=0.02, callback_interval_s=0.04)
REQUEST = GenerationRequest(prompt="a lighthouse at dusk, slow dolly in")


class RunnerRig:
    """Everything a task goes through except the window; `seen` holds every task_changed, `states` every
    connection_changed. Create inside the running loop; `await close()` at the end."""

    def __init__(
        self,
        store: TaskStore,
        base_url: str,
        *,
        timeout: float = 5.0,
        backoff: Backoff | None = None,
        max_running: int = 1_000,
        forget_after_s: float = 600.0,
    ) -> None:
        self.store = store
        self.client = ApixoClient(base_url, ApiKey("sk-test-key"), timeout=timeout)
        self.runner = TaskRunner(
            store,
            self.client,
            FAST,
            limiter=RateLimiter(rate_per_minute=600_000, burst=1000),
            backoff=backoff or Backoff(base_s=0.01, cap_s=0.05),
            max_running=max_running,
            forget_after_s=forget_after_s,
        )
        self.seen: list[Task] = []
        self.states: list[ConnectionState] = []
        self.runner.task_changed.connect(self.seen.append)
        self.runner.connection_changed.connect(self.states.append)
        self.runner.start()

    def submit(self, count: int = 1) -> list[int]:
        ids = [task.local_id for task in self.runner.submit([REQUEST] * count)]
        assert all(local_id is not None for local_id in ids)
        return [local_id for local_id in ids if local_id is not None]

    def row(self, local_id: int) -> Task:
        task = self.store.get(local_id)
        assert task is not None, f"task {local_id} was lost"
        return task

    def local_id_of(self, task_id: str) -> int:
        (task,) = [t for t in self.store.all() if t.task_id == task_id]
        assert task.local_id is not None
        return task.local_id

    async def until(self, local_id: int, *phases: TaskPhase, timeout: float = 20.0) -> Task:
        await wait_until(lambda: self.row(local_id).phase in phases, timeout, f"task {local_id} to reach {phases}")
        return self.row(local_id)

    def notes_seen(self, local_id: int) -> list[str]:
        """The sentences the person was shown for this task, in order, without repeats."""
        words: list[str] = []
        for task in self.seen:
            text = task_note_text(task) if task.local_id == local_id else None
            if text and (not words or words[-1] != text):
                words.append(text)
        return words

    async def close(self) -> None:
        await self.runner.stop()
        await self.client.aclose()


def failure_words(task: Task) -> str:
    """What the person reads about a finished task that did not succeed: its explanation's detail."""
    return explain_failure(task).detail


def is_sentence(text: str | None) -> bool:
    return bool(text) and text is not None and len(text.split()) >= 4 and text.rstrip().endswith((".", ")"))
