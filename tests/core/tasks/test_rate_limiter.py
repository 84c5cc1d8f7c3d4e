"""RateLimiter's token bucket on a virtual clock: the burst, the refill, the rate over any window, queue order."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from tests.helpers.virtual_time import run_in_virtual_time


def on_loop_clock(rate_per_minute: float, burst: int) -> RateLimiter:
    """A limiter whose clock and sleep are the running (virtual-time) loop's, as in the app."""
    return RateLimiter(rate_per_minute, burst, clock=asyncio.get_running_loop().time)


async def acquire_times(limiter: RateLimiter, count: int) -> list[float]:
    """Acquires `count` tokens one after another; returns the loop time at which each was granted."""
    loop = asyncio.get_running_loop()
    granted = []
    for _ in range(count):
        await limiter.acquire()
        granted.append(loop.time())
    return granted


class FakeClock:
    """A clock that moves only when told to, and a `sleep` that moves it (noting each wait) instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_full_bucket_grants_the_burst_at_once_then_waits_one_token_time() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate_per_minute=60, burst=5, clock=clock, sleep=clock.sleep)

    async def scenario() -> None:
        for _ in range(5):
            await limiter.acquire()
        assert clock.slept == [] and limiter.waited_s == 0.0
        await limiter.acquire()
        await limiter.acquire()

    asyncio.run(scenario())
    assert clock.slept == [pytest.approx(1.0), pytest.approx(1.0)]  # 60 a minute: one token a second
    assert limiter.waited_s == pytest.approx(2.0)


def test_tokens_refill_with_time_but_never_beyond_the_burst() -> None:
    clock = FakeClock()
    # 4 a second and times in quarter seconds: exact in binary, so "no wait" means exactly no wait.
    limiter = RateLimiter(rate_per_minute=240, burst=8, clock=clock, sleep=clock.sleep)

    async def drain(count: int) -> None:
        for _ in range(count):
            await limiter.acquire()

    async def scenario() -> None:
        await drain(8)
        clock.now += 0.75  # three tokens back
        await drain(3)
        assert clock.slept == []
        await drain(1)
        assert clock.slept == [0.25]
        clock.now += 3600.0  # an idle hour refills to the burst, not to 14,400
        clock.slept.clear()
        await drain(8)
        assert clock.slept == []
        await drain(1)
        assert clock.slept == [0.25]

    asyncio.run(scenario())


@pytest.mark.parametrize(("rate_per_minute", "burst"), [(60, 1), (600, 10), (9_000, 100)])
def test_grants_never_exceed_burst_plus_rate_over_any_window(rate_per_minute: float, burst: int) -> None:
    rate_per_s = rate_per_minute / 60.0

    async def worker(limiter: RateLimiter, granted: list[float], count: int) -> None:
        granted.extend(await acquire_times(limiter, count))

    async def scenario() -> list[float]:
        limiter = on_loop_clock(rate_per_minute, burst)
        granted: list[float] = []
        # Eight callers at once, as the runner's polls and submits are, each asking for many tokens.
        await asyncio.gather(*(worker(limiter, granted, 3 * burst + 20) for _ in range(8)))
        return sorted(granted)

    granted = run_in_virtual_time(scenario)
    assert len(granted) == 8 * (3 * burst + 20)
    for first, last in itertools.combinations(range(len(granted)), 2):
        window = granted[last] - granted[first]
        assert last - first + 1 <= burst + rate_per_s * window + 1e-6, (first, last, window)
    # ...and the limiter is not simply slow: past the burst it runs at the rate it was given.
    assert granted[-1] == pytest.approx((len(granted) - burst) / rate_per_s, rel=1e-6)


def test_concurrent_waiters_are_served_in_the_order_they_arrived() -> None:
    async def scenario() -> tuple[list[int], list[float]]:
        limiter = on_loop_clock(rate_per_minute=60, burst=1)
        loop = asyncio.get_running_loop()
        order: list[int] = []
        times: list[float] = []

        async def caller(number: int) -> None:
            await limiter.acquire()
            order.append(number)
            times.append(loop.time())

        callers = []
        for number in range(6):
            callers.append(asyncio.create_task(caller(number)))
            await asyncio.sleep(0.25)  # each arrives a little after the one before, while the first waits
        await asyncio.gather(*callers)
        return order, times

    order, times = run_in_virtual_time(scenario)
    assert order == [0, 1, 2, 3, 4, 5]
    assert times == [pytest.approx(t) for t in (0.0, 1.0, 2.0, 3.0, 4.0, 5.0)]  # one a second, none doubled up


def test_a_cancelled_waiter_gives_its_place_to_the_next_without_spending_a_token() -> None:
    async def scenario() -> list[float]:
        limiter = on_loop_clock(rate_per_minute=60, burst=1)
        await limiter.acquire()  # the bucket is empty now
        impatient = asyncio.create_task(limiter.acquire())
        await asyncio.sleep(0.5)
        impatient.cancel()  # e.g. a poll stopped because its task was removed
        with pytest.raises(asyncio.CancelledError):
            await impatient
        return await acquire_times(limiter, 2)

    granted = run_in_virtual_time(scenario)
    assert granted == [pytest.approx(1.0), pytest.approx(2.0)]
