"""BalanceStore: readings kept when the balance moves or once an hour, read back in order, on the task database."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sora2_desktop.core.storage.balance_store import BalanceReading
from sora2_desktop.core.storage.task_store import TaskStore

T0 = datetime(2026, 3, 2, 14, 2, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "tasks.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[TaskStore]:
    opened = TaskStore(path)
    try:
        yield opened
    finally:
        opened.close()


def test_a_reading_is_kept_when_the_balance_moves_or_an_hour_passed(store: TaskStore) -> None:
    balances = store.balances
    assert balances.latest() is None
    assert balances.record(BalanceReading(T0, 74.87))
    assert not balances.record(BalanceReading(T0 + timedelta(minutes=5), 74.87))  # the same figure: not kept
    assert balances.record(BalanceReading(T0 + timedelta(minutes=6), 74.57))  # it moved
    assert not balances.record(BalanceReading(T0 + timedelta(minutes=59), 74.57))
    assert balances.record(BalanceReading(T0 + timedelta(minutes=66), 74.57))  # an hour after the last kept
    assert not balances.record(BalanceReading(T0 + timedelta(minutes=70), math.nan))
    assert balances.readings() == [
        BalanceReading(T0, 74.87),
        BalanceReading(T0 + timedelta(minutes=6), 74.57),
        BalanceReading(T0 + timedelta(minutes=66), 74.57),
    ]
    assert balances.readings(since=T0 + timedelta(minutes=6)) == balances.readings()[1:]


def test_readings_survive_a_restart_and_the_last_one_still_counts(store: TaskStore, path: Path) -> None:
    store.balances.record(BalanceReading(T0, 20.0))
    store.close()
    with TaskStore(path) as again:
        assert again.balances.latest() == BalanceReading(T0, 20.0)
        assert not again.balances.record(BalanceReading(T0 + timedelta(minutes=1), 20.0))
        assert again.balances.readings() == [BalanceReading(T0, 20.0)]
