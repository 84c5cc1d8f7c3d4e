"""Backoff: how long to wait before retrying after a 429 or a network fault (exponential, full jitter)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

# The longest any retry waits, whatever a server says: past it the app simply asks again. It also keeps every
# timer far below the 24.8 days that overflow Qt's millisecond timers (which qasync uses for call_later).
MAX_RETRY_WAIT_S = 120.0


def bounded_wait(seconds: float, cap: float = MAX_RETRY_WAIT_S) -> float:
    """`seconds` as a safe timer delay: between 0 and `cap`; NaN and infinities become `cap`."""
    if not math.isfinite(seconds):
        return cap
    return min(cap, max(0.0, seconds))


@dataclass
class Backoff:
    """Full jitter (AWS architecture blog): spreads retries of many tasks so they do not return as one burst."""

    base_s: float = 2.0
    cap_s: float = 120.0
    rand: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt` (1 = first retry). The service's Retry-After is a floor,
        honoured up to `cap_s` (a Retry-After of 30 days means "ask again in 2 minutes" here)."""
        # The exponent stops growing long before the cap matters; unbounded, 2.0**1024 overflows a float.
        ceiling = min(self.cap_s, self.base_s * (2.0 ** min(max(0, attempt - 1), 60)))
        wait = ceiling / 2 + self.rand() * ceiling / 2
        if retry_after is not None and retry_after > 0:
            wait = max(wait, retry_after)
        return bounded_wait(wait, self.cap_s)
