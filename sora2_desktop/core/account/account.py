"""Account: the key's balance as last read from the service, and the cost estimate of a click against it."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from sora2_desktop.core.account.estimate import Estimate, estimate_click
from sora2_desktop.core.tasks.task import Task, TaskPhase

if TYPE_CHECKING:  # imported where used: the window's first stage (the composer's cost) needs none of them
    import asyncio  # where used: the composer is on screen before asyncio's import (app.py)

    from sora2_desktop.api import GenerationRequest
    from sora2_desktop.core.account.spend import SpendSummary
    from sora2_desktop.core.catalogue.catalogue_service import CatalogueService
    from sora2_desktop.core.storage.balance_store import BalanceReading, BalanceStore
    from sora2_desktop.core.tasks.rate_limiter import RateLimiter

log = logging.getLogger(__name__)

# At most one balance read this often: a burst of 50 finishing tasks is one read, not 50 requests on the key.
READ_EVERY_S = 5.0
# A read asked for waits this long first, so the submits of a batch (which the service debits) go out before it.
SETTLE_S = 0.5


class BalanceSource(Protocol):
    """What the account reads from: ApixoClient.balance (a fake in tests)."""

    async def balance(self) -> float: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Account(QObject):
    """`balance()` is None until the service has answered with a number ("balance unknown").

    Reads happen in the background while the session is connected (`attach`): at once, after a submit batch,
    after a task is accepted or ends; never more often than `min_interval_s`. A fault leaves the last figure
    and marks it `stale`; an answer that is not an amount makes the balance unknown. A refused key is the
    runner's to report: nothing is asked of the person from here."""

    balance_changed = Signal()  # balance(), read_at() or stale moved, or the balance became unknown

    def __init__(
        self,
        models: CatalogueService,
        parent: QObject | None = None,
        *,
        min_interval_s: float = READ_EVERY_S,
        settle_s: float = SETTLE_S,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        super().__init__(parent)
        self._models = models
        self._min_interval_s = min_interval_s
        self._settle_s = settle_s
        self._now = now
        self._balance: float | None = None
        self._read_at: datetime | None = None
        self._stale = False
        self._client: BalanceSource | None = None
        self._limiter: RateLimiter | None = None
        self._store: BalanceStore | None = None
        self._wanted = False  # a read was asked for and has not started yet
        self._job: asyncio.Task[None] | None = None
        self._last_read_started = -math.inf  # loop time
        self.reads = 0  # balance requests sent: a figure for tests and benchmarks

    # -- what the window shows --------------------------------------------------------------------------------

    def balance(self) -> float | None:
        return self._balance

    def read_at(self) -> datetime | None:
        """When the balance shown was read (UTC); None before the first answer."""
        return self._read_at

    @property
    def stale(self) -> bool:
        """True after a read failed: `balance()` is the figure of `read_at()`, perhaps no longer true."""
        return self._stale

    @property
    def reading(self) -> bool:
        """True while a read is scheduled or under way."""
        return self._job is not None and not self._job.done()

    def estimate(self, request: GenerationRequest, takes: int) -> Estimate:
        """This click's cost by the request's model's price, against the last balance read."""
        spec = self._models.current().spec_for(request.model)
        return estimate_click(spec, request.duration, takes, self._balance)

    def readings(self) -> list[BalanceReading]:
        """The stored readings of the connected history (demo mode: the demo's), oldest first."""
        return self._store.readings() if self._store is not None else []

    def spend(self, tasks: Iterable[Task], tz: tzinfo | None = None) -> SpendSummary:
        """Estimates per local day of `tasks`, beside the balance readings of each day."""
        from sora2_desktop.core.account.spend import summarize_spend

        return summarize_spend(tasks, self.readings(), tz)

    # -- connecting -------------------------------------------------------------------------------------------

    def follow(self, submitted: SignalInstance, changed: SignalInstance) -> None:
        """Read after each submit batch (`submitted`) and when a task is accepted or ends (`changed`)."""
        submitted.connect(self.request_read)
        changed.connect(self._on_task_changed)

    def attach(self, client: BalanceSource, limiter: RateLimiter, store: BalanceStore | None) -> None:
        """The session connected: read from `client` under the key's `limiter`, keep readings in `store`."""
        self._client, self._limiter, self._store = client, limiter, store
        self.request_read()

    async def detach(self) -> None:
        """The session disconnects (or closes): no read after this; the figure belonged to that connection."""
        import asyncio

        self._client = self._limiter = self._store = None
        self._wanted = False
        job, self._job = self._job, None
        if job is not None and not job.done():
            job.cancel()
            await asyncio.gather(job, return_exceptions=True)
        if self._balance is not None or self._read_at is not None or self._stale:
            self._balance, self._read_at, self._stale = None, None, False
            self.balance_changed.emit()

    def request_read(self, *_: object) -> None:
        """Read soon: requests within `min_interval_s` of the last read become one read after it."""
        import asyncio

        if self._client is None:
            return
        self._wanted = True
        if self._job is None or self._job.done():
            self._job = asyncio.get_event_loop().create_task(self._read_when_due())

    def _on_task_changed(self, task: Task) -> None:
        # Accepted (the service debits it: its first PENDING, before any poll) or ended.
        if task.phase.is_final or (task.phase == TaskPhase.PENDING and task.polls == 0):
            self.request_read()

    # -- reading ----------------------------------------------------------------------------------------------

    async def _read_when_due(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        while self._wanted and self._client is not None:
            await asyncio.sleep(max(self._settle_s, self._last_read_started + self._min_interval_s - loop.time()))
            if self._client is None or self._limiter is None:
                return
            self._wanted = False  # asks from here on get one more read, after the interval
            await self._limiter.acquire()
            client = self._client
            if client is None:
                return
            self._last_read_started = loop.time()
            self.reads += 1
            await self._read(client)

    async def _read(self, client: BalanceSource) -> None:
        from sora2_desktop.api.errors import ApiError, InvalidRequestError, ProtocolError
        from sora2_desktop.core.storage.balance_store import BalanceReading

        try:
            amount = await client.balance()
        except (ProtocolError, InvalidRequestError) as err:
            # Not an amount, or the service will not say (no such route): a guess would be worse than "unknown".
            log.info("balance unknown: %s", err.user_message)
            if client is self._client:
                self._set(None, self._now(), stale=False)
            return
        except ApiError as err:
            # Offline, a service fault, a refused key, 429: the last figure stays, marked as not current.
            log.info("balance not read: %s", err.user_message)
            if client is self._client:
                self._set(self._balance, self._read_at, stale=True)
            return
        except Exception:
            log.warning("balance read failed unexpectedly", exc_info=True)
            if client is self._client:
                self._set(self._balance, self._read_at, stale=True)
            return
        if client is not self._client:
            return  # detached while the answer was on its way
        read_at = self._now()
        if self._store is not None:
            self._store.record(BalanceReading(read_at, amount))
        self._set(amount, read_at, stale=False)

    def _set(self, balance: float | None, read_at: datetime | None, *, stale: bool) -> None:
        if (balance, read_at, stale) == (self._balance, self._read_at, self._stale):
            return
        self._balance, self._read_at, self._stale = balance, read_at, stale
        self.balance_changed.emit()
