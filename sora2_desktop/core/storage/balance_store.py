"""BalanceStore: the `balance_readings` table, the key's balance as read from the service over time."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import NamedTuple

from sora2_desktop.core.storage.database import Database
from sora2_desktop.core.storage.task_rows import from_text, to_text

# A reading equal to the last one stored is kept only this long after it: the spend view needs a reading in each
# day the app ran, not one per finished task, and the table stays a few rows a day.
KEEP_SAME_VALUE_EVERY = timedelta(hours=1)
# Below a hundredth of a cent two readings are the same balance (floats from JSON).
_SAME_USD = 1e-6


class BalanceReading(NamedTuple):
    read_at: datetime  # UTC
    balance_usd: float


class BalanceStore:
    """On the task store's connection (TaskStore.balances). `record` keeps a reading only when the balance moved,
    or an hour after the last one stored, so the table stays small however often the balance is read."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._last: BalanceReading | None = None
        self._last_loaded = False

    def record(self, reading: BalanceReading) -> bool:
        """Store `reading` if it is worth keeping; True when it was written. A non-finite amount is never kept."""
        if not math.isfinite(reading.balance_usd):
            return False
        last = self.latest()
        if (
            last is not None
            and abs(last.balance_usd - reading.balance_usd) < _SAME_USD
            and reading.read_at - last.read_at < KEEP_SAME_VALUE_EVERY
        ):
            return False
        self._db.execute(
            "INSERT INTO balance_readings (read_at, balance_usd) VALUES (?, ?)",
            (to_text(reading.read_at), reading.balance_usd),
        )
        self._last = reading
        return True

    def latest(self) -> BalanceReading | None:
        if not self._last_loaded:
            row = self._db.execute(
                "SELECT read_at, balance_usd FROM balance_readings ORDER BY read_at DESC LIMIT 1"
            ).fetchone()
            self._last = _reading(row) if row is not None else None
            self._last_loaded = True
        return self._last

    def readings(self, since: datetime | None = None) -> list[BalanceReading]:
        """Every stored reading (at or after `since`), oldest first."""
        if since is None:
            rows = self._db.execute("SELECT read_at, balance_usd FROM balance_readings ORDER BY read_at")
        else:
            rows = self._db.execute(
                "SELECT read_at, balance_usd FROM balance_readings WHERE read_at >= ? ORDER BY read_at",
                (to_text(since),),
            )
        return [_reading(row) for row in rows]


def _reading(row: tuple[str, float]) -> BalanceReading:
    read_at = from_text(row[0])
    assert read_at is not None  # the column is NOT NULL
    return BalanceReading(read_at, float(row[1]))
