"""Account: reads the key's balance in the background, under the rate limiter, debounced, and stops on detach."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.api import GenerationRequest
from sora2_desktop.api.errors import AuthError, ProtocolError, TransientError
from sora2_desktop.core.account.account import Account
from sora2_desktop.core.catalogue.catalogue_service import CatalogueService
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from sora2_desktop.core.tasks.task import Task, TaskPhase
from tests.helpers.wait import wait_until

Run = Callable[[Coroutine[Any, Any, Any]], Any]
T0 = datetime(2026, 3, 2, 14, 2, tzinfo=UTC)


class FakeBalance:
    """Answers each balance() with the next of `answers` (a number, or an exception to raise); the last repeats.
    While `gate` is cleared, answers wait for it (a request on the wire)."""

    def __init__(self, *answers: float | Exception) -> None:
        self.answers = list(answers)
        self.calls = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def balance(self) -> float:
        self.calls += 1
        await self.gate.wait()
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def make_account(tmp_path: Path, run_async: Run) -> Iterator[Callable[..., Account]]:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    models = CatalogueService(profile, AppSettings(profile))
    made: list[Account] = []

    def make(**options: Any) -> Account:
        options.setdefault("settle_s", 0.0)
        account = Account(models, now=lambda: T0, **options)
        made.append(account)
        return account

    yield make
    for account in made:
        run_async(account.detach())


def finished(local_id: int) -> Task:
    return Task(GenerationRequest(prompt="x"), T0, phase=TaskPhase.SUCCESS, local_id=local_id, task_id=f"t{local_id}")


def test_a_number_is_the_balance_and_is_stored(make_account: Any, store: TaskStore, run_async: Run, qtbot: Any) -> None:
    account = make_account()
    assert account.balance() is None and account.read_at() is None
    with qtbot.waitSignal(account.balance_changed, timeout=5000):
        account.attach(FakeBalance(74.87), RateLimiter(), store.balances)
    assert account.balance() == 74.87
    assert account.read_at() == T0
    assert not account.stale
    assert [r.balance_usd for r in store.balances.readings()] == [74.87]
    assert [r.balance_usd for r in account.readings()] == [74.87]


def test_an_answer_that_is_not_a_number_makes_the_balance_unknown(make_account: Any, run_async: Run) -> None:
    account = make_account(min_interval_s=0.0)
    client = FakeBalance(10.0, ProtocolError("The service's balance answer was not a number."))
    account.attach(client, RateLimiter(), None)
    run_async(wait_until(lambda: account.balance() == 10.0, what="the first balance"))
    changes: list[float | None] = []
    account.balance_changed.connect(lambda: changes.append(account.balance()))
    account.request_read()
    run_async(wait_until(lambda: changes == [None], what="the balance to become unknown"))
    assert account.balance() is None
    assert account.read_at() == T0  # it was read: the answer just held no amount
    assert not account.stale


@pytest.mark.parametrize("fault", [TransientError("no connection", request_sent=False), AuthError()])
def test_a_failed_read_keeps_the_last_figure_marked_stale(make_account: Any, run_async: Run, fault: Exception) -> None:
    times = iter([T0, datetime(2026, 3, 2, 15, 0, tzinfo=UTC)])
    account = make_account(min_interval_s=0.0)
    account._now = lambda: next(times)
    account.attach(FakeBalance(12.5, fault), RateLimiter(), None)
    run_async(wait_until(lambda: account.balance() == 12.5, what="the first balance"))
    account.request_read()
    run_async(wait_until(lambda: account.stale, what="the stale mark"))
    assert account.balance() == 12.5
    assert account.read_at() == T0  # the time of the figure shown, not of the failed read


def test_a_burst_of_finishing_tasks_is_one_read(make_account: Any, run_async: Run, qtbot: Any) -> None:
    account = make_account(min_interval_s=0.01)
    client = FakeBalance(5.0)
    client.gate.clear()  # the first read stays on the wire while 50 tasks end
    account.attach(client, RateLimiter(), None)
    run_async(wait_until(lambda: client.calls == 1, what="the first read"))
    for local_id in range(50):
        account._on_task_changed(finished(local_id))
    account._on_task_changed(finished(99).with_(phase=TaskPhase.PROCESSING))  # not an end: asks for nothing
    client.gate.set()
    run_async(wait_until(lambda: not account.reading, what="the reads to settle"))
    assert client.calls == 2  # the first, and one for the whole burst


def test_reads_wait_the_interval_and_stop_at_detach(make_account: Any, run_async: Run) -> None:
    account = make_account(min_interval_s=3600.0)
    client = FakeBalance(5.0)
    account.attach(client, RateLimiter(), None)
    run_async(wait_until(lambda: account.balance() == 5.0, what="the first read"))
    account.request_read()
    account._on_task_changed(finished(1))
    assert account.reading  # one read, an hour after the first
    run_async(account.detach())
    assert not account.reading
    assert account.balance() is None  # the figure belonged to that connection
    account.request_read()
    account._on_task_changed(finished(2))
    assert not account.reading
    assert client.calls == 1


def test_an_answer_arriving_after_detach_is_dropped(make_account: Any, run_async: Run) -> None:
    account = make_account()
    client = FakeBalance(5.0)
    client.gate.clear()
    account.attach(client, RateLimiter(), None)
    run_async(wait_until(lambda: client.calls == 1, what="the read on the wire"))
    run_async(account.detach())
    client.gate.set()
    run_async(asyncio.sleep(0))
    assert account.balance() is None and account.read_at() is None


def test_a_read_waits_for_the_rate_limiter(make_account: Any, run_async: Run) -> None:
    released = asyncio.Event()

    async def held_sleep(_seconds: float) -> None:
        await released.wait()

    limiter = RateLimiter(rate_per_minute=60, burst=1, clock=lambda: 0.0, sleep=held_sleep)
    run_async(limiter.acquire())  # the bucket is empty: the next request must wait
    account = make_account()
    client = FakeBalance(5.0)
    account.attach(client, limiter, None)
    run_async(wait_until(lambda: limiter.waited_s > 0, what="the read to queue at the limiter"))
    assert client.calls == 0
    released.set()
    run_async(wait_until(lambda: account.balance() == 5.0, what="the read after the limiter"))


def test_the_estimate_is_the_models_price_against_the_balance(make_account: Any, run_async: Run) -> None:
    account = make_account()
    account.attach(FakeBalance(1.0), RateLimiter(), None)
    run_async(wait_until(lambda: account.balance() == 1.0, what="the balance"))
    estimate = account.estimate(GenerationRequest(prompt="x", model="sora-2-pro", duration=8), takes=2)
    assert estimate.per_take_usd == pytest.approx(0.30 * 8)
    assert estimate.total_usd == pytest.approx(4.80)
    assert estimate.exceeds_balance
