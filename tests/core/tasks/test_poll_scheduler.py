"""PollScheduler on a virtual clock: due-time order, replacing and cancelling schedules, pause, concurrency."""

from __future__ import annotations

import asyncio
import logging
import random

import pytest

from sora2_desktop.core.tasks.poll_scheduler import PollScheduler
from tests.helpers.virtual_time import run_in_virtual_time

SETTLE_S = 0.001  # far below any delay these tests use, far above the float error of adding up loop times


def about(seconds: float) -> object:
    """A loop time equal to `seconds` give or take the few settles a test made before scheduling."""
    return pytest.approx(seconds, abs=0.01)


class Recorder:
    """The scheduler's `poll` callback: notes (key, loop time) for each poll, optionally taking `busy_s` to do it."""

    def __init__(self, busy_s: float = 0.0) -> None:
        self.polls: list[tuple[int, float]] = []
        self.busy_s = busy_s
        self.running = 0
        self.most_running = 0

    async def __call__(self, key: int) -> None:
        self.polls.append((key, asyncio.get_running_loop().time()))
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            if self.busy_s:
                await asyncio.sleep(self.busy_s)
        finally:
            self.running -= 1

    @property
    def keys(self) -> list[int]:
        return [key for key, _ in self.polls]


async def until(seconds: float) -> None:
    """Lets the scheduler run until the virtual clock reads `seconds` (an absolute time, not a delay), plus a
    millisecond: virtual time only moves once every task is idle, so whatever was due by then has started."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, seconds - loop.time()) + SETTLE_S)


def test_polls_run_in_order_of_due_time_not_of_scheduling() -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.schedule(1, 3.0)
        scheduler.schedule(2, 1.0)
        scheduler.schedule(3, 2.0)
        scheduler.start()
        await until(10.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.polls == [(2, about(1.0)), (3, about(2.0)), (1, about(3.0))]


def test_nothing_is_polled_before_it_is_due() -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.schedule(1, 5.0)
        scheduler.start()
        await until(4.99)
        assert record.polls == []
        assert scheduler.is_scheduled(1)
        await until(5.0)
        assert record.keys == [1]
        assert not scheduler.is_scheduled(1) and len(scheduler) == 0  # a poll is one-shot until rescheduled
        await scheduler.stop()

    run_in_virtual_time(scenario)


@pytest.mark.parametrize(("first", "second"), [(5.0, 1.0), (1.0, 5.0)], ids=["earlier", "later"])
def test_rescheduling_replaces_the_earlier_schedule(first: float, second: float) -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.start()
        scheduler.schedule(7, first)
        scheduler.schedule(7, second)
        assert len(scheduler) == 1
        await until(20.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.polls == [(7, about(second))]  # once, at the new time; the old entry never fires


def test_cancel_drops_only_that_key() -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        for key in (1, 2, 3):
            scheduler.schedule(key, float(key))
        scheduler.cancel(2)
        scheduler.cancel(99)  # unknown keys are fine: a task may finish between its poll and its cancel
        assert not scheduler.is_scheduled(2) and len(scheduler) == 2
        scheduler.start()
        await until(10.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.keys == [1, 3]


def test_cancelled_then_scheduled_again_is_polled_once_at_the_new_time() -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.start()
        scheduler.schedule(1, 2.0)
        scheduler.cancel(1)
        scheduler.schedule(1, 4.0)
        await until(10.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.polls == [(1, about(4.0))]


def test_zero_and_negative_delays_are_due_now_and_keep_their_order() -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.schedule(1, 1.0)
        scheduler.schedule(2, 0.0)
        scheduler.schedule(3, -30.0)  # overdue (a long pause) counts as now, not as 30 s ago ahead of others
        scheduler.start()
        await until(0.0)
        assert record.polls == [(2, 0.0), (3, 0.0)]
        await until(2.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.keys == [2, 3, 1]


def test_an_earlier_key_scheduled_while_waiting_wakes_the_scheduler() -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.schedule(1, 100.0)
        scheduler.start()
        await until(10.0)  # the scheduler is now asleep until t=100
        scheduler.schedule(2, 1.0)
        await until(12.0)
        assert record.polls == [(2, about(11.0))]
        await until(100.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.polls == [(2, about(11.0)), (1, about(100.0))]


def test_a_poll_that_reschedules_itself_repeats_as_time_moves() -> None:
    polls: list[float] = []
    scheduler: PollScheduler

    async def poll(key: int) -> None:
        polls.append(asyncio.get_running_loop().time())
        scheduler.schedule(key, 10.0)  # what the runner does after each status answer

    async def scenario() -> None:
        nonlocal scheduler
        scheduler = PollScheduler(poll)
        scheduler.schedule(1, 0.0)
        scheduler.start()
        await until(35.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert polls == [0.0, about(10.0), about(20.0), about(30.0)]


def test_an_empty_scheduler_sleeps_until_something_is_scheduled() -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.start()
        await until(50.0)
        scheduler.schedule(1, 5.0)
        await until(60.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.polls == [(1, about(55.0))]


def test_a_thousand_keys_are_each_polled_once_in_due_order_within_the_concurrency_bound() -> None:
    rng = random.Random(8)
    due = {key: round(rng.uniform(0, 300), 3) for key in range(1000)}
    record = Recorder(busy_s=0.5)  # a status request takes time, so polls overlap

    async def scenario() -> None:
        scheduler = PollScheduler(record, concurrency=32)
        for key, delay in due.items():
            scheduler.schedule(key, delay)
        assert len(scheduler) == 1000
        scheduler.start()
        await until(400.0)
        assert len(scheduler) == 0
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert sorted(record.keys) == sorted(due)  # every key, exactly once
    assert record.keys == sorted(due, key=lambda k: (due[k], k))  # started in order of due time
    assert all(started >= due[key] - 1e-9 for key, started in record.polls)  # none early
    assert 1 < record.most_running <= 32


def test_concurrency_bound_delays_polls_rather_than_dropping_them() -> None:
    record = Recorder(busy_s=10.0)

    async def scenario() -> None:
        scheduler = PollScheduler(record, concurrency=2)
        for key in range(5):
            scheduler.schedule(key, 0.0)
        scheduler.start()
        await until(100.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.most_running == 2
    assert record.polls == [(0, 0.0), (1, 0.0), (2, 10.0), (3, 10.0), (4, 20.0)]


def test_pause_holds_every_poll_and_resume_runs_the_overdue_ones() -> None:
    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.schedule(1, 1.0)
        scheduler.schedule(2, 5.0)
        scheduler.start()
        await until(0.5)
        scheduler.pause()
        assert scheduler.paused
        await until(30.0)
        assert record.polls == []  # a refused key stops all polling, however overdue
        assert len(scheduler) == 2
        scheduler.resume()
        assert not scheduler.paused
        await until(30.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.polls == [(1, about(30.0)), (2, about(30.0))]


def test_a_failing_poll_is_logged_and_neither_stops_the_scheduler_nor_keeps_its_slot(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[int] = []

    async def poll(key: int) -> None:
        seen.append(key)
        if key == 1:
            raise ValueError("a bug in one poll")

    async def scenario() -> None:
        scheduler = PollScheduler(poll, concurrency=1)
        scheduler.schedule(1, 1.0)
        scheduler.schedule(2, 2.0)
        scheduler.schedule(3, 3.0)
        scheduler.start()
        await until(5.0)
        await scheduler.stop()

    with caplog.at_level(logging.ERROR, logger="sora2_desktop.core.tasks.poll_scheduler"):
        run_in_virtual_time(scenario)
    assert seen == [1, 2, 3]
    assert [r.getMessage() for r in caplog.records] == ["poll of task 1 failed unexpectedly"]


def test_stop_cancels_polls_in_flight_and_nothing_runs_after_it() -> None:
    record = Recorder(busy_s=60.0)
    finished: list[int] = []

    async def poll(key: int) -> None:
        await record(key)
        finished.append(key)

    async def scenario() -> None:
        scheduler = PollScheduler(poll)
        scheduler.schedule(1, 0.0)
        scheduler.schedule(2, 5.0)
        scheduler.start()
        await until(1.0)
        assert record.running == 1
        await scheduler.stop()
        await until(120.0)

    run_in_virtual_time(scenario)
    assert record.keys == [1] and finished == [] and record.running == 0


def test_a_poll_that_raised_is_asked_about_again_later_not_dropped() -> None:
    seen: list[int] = []

    async def poll(key: int) -> None:
        seen.append(key)
        if len(seen) == 1:
            raise RecursionError("one hostile answer")

    async def scenario() -> PollScheduler:
        scheduler = PollScheduler(poll, concurrency=1, error_delay_s=10.0)
        scheduler.schedule(1, 1.0)
        scheduler.start()
        await until(15.0)
        await scheduler.stop()
        return scheduler

    scheduler = run_in_virtual_time(scenario)
    assert seen == [1, 1]
    assert scheduler.unexpected_faults == 1


@pytest.mark.parametrize("delay", [30 * 86_400.0, float("inf"), float("nan"), 1e308])
def test_a_wild_delay_is_bounded_so_no_timer_overflows_and_the_task_is_still_polled(delay: float) -> None:
    from sora2_desktop.core.tasks.poll_scheduler import MAX_SCHEDULE_DELAY_S

    record = Recorder()

    async def scenario() -> None:
        scheduler = PollScheduler(record)
        scheduler.start()
        scheduler.schedule(1, delay)
        due = scheduler.due_in(1)
        assert due is not None and due <= MAX_SCHEDULE_DELAY_S
        await until(MAX_SCHEDULE_DELAY_S + 1.0)
        await scheduler.stop()

    run_in_virtual_time(scenario)
    assert record.keys == [1]
