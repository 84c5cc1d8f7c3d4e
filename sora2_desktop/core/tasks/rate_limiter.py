"""RateLimiter: one token bucket for every request the app makes with a key, to stay under the service's limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class RateLimiter:
    """Refills `rate_per_minute` tokens a minute up to `burst`. A margin under the service's 10,000/min keeps a
    second app instance or a curl session on the same key from tipping it over."""

    def __init__(
        self,
        rate_per_minute: float = 9_000,
        burst: int = 100,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._rate_per_s = rate_per_minute / 60.0
        self._burst = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._stamp = clock()
        self._lock = asyncio.Lock()
        self.waited_s = 0.0  # total time callers spent waiting: a figure for benchmarks

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate_per_s)
        self._stamp = now

    async def acquire(self) -> None:
        # The lock makes waiters queue in order, so no task starves behind later arrivals.
        async with self._lock:
            self._refill()
            if self._tokens < 1.0:
                wait = (1.0 - self._tokens) / self._rate_per_s
                self.waited_s += wait
                await self._sleep(wait)
                self._refill()
            self._tokens -= 1.0
