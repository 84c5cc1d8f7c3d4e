"""Backoff: how long to wait before retrying after a 429 or a network fault (exponential, full jitter)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Full jitter (AWS architecture blog): spreads retries of many tasks so they do not return as one burst."""

    base_s: float = 2.0
    cap_s: float = 120.0
    rand: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt` (1 = first retry). The service's Retry-After is a floor."""
        # The exponent stops growing long before the cap matters; unbounded, 2.0**1024 overflows a float.
        ceiling = min(self.cap_s, self.base_s * (2.0 ** min(max(0, attempt - 1), 60)))
        wait = ceiling / 2 + self.rand() * ceiling / 2
        if retry_after is not None and retry_after > 0:
            wait = max(wait, retry_after)
        return wait
