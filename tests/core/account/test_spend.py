"""Spend per local day: the takes' estimates (older takes "not estimated"), beside the day's balance readings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.account.spend import summarize_spend
from sora2_desktop.core.storage.balance_store import BalanceReading
from sora2_desktop.core.tasks.task import Task, TaskPhase

# Five hours behind UTC: 03:00 UTC on 3 March is still 2 March here.
LOCAL = timezone(timedelta(hours=-5))


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def take(created: datetime, usd: float | None, phase: TaskPhase = TaskPhase.SUCCESS, task_id: str | None = "t") -> Task:
    return Task(GenerationRequest(prompt="x"), created, phase=phase, task_id=task_id, cost_estimate_usd=usd)


def test_estimates_are_summed_per_local_day_newest_first() -> None:
    tasks = [
        take(at(2, 15), 0.15),
        take(at(3, 3), 0.15),  # 22:00 on 2 March, local time
        take(at(2, 16), None),  # made before the app estimated: not counted as $0
        take(at(3, 18), 2.4),
        take(at(3, 19), 2.4, TaskPhase.REJECTED, task_id=None),  # refused: costs nothing
        take(at(3, 20), 2.4, TaskPhase.CANCELLED, task_id=None),  # cancelled before it was sent
        take(at(3, 21), 2.4, TaskPhase.CANCELLED, task_id="t9"),  # made at the service, then not followed
    ]
    summary = summarize_spend(tasks, [], LOCAL)
    assert [day.day for day in summary.days] == [date(2026, 3, 3), date(2026, 3, 2)]
    march_3, march_2 = summary.days
    assert (march_2.takes, march_2.estimated_usd, march_2.not_estimated) == (3, pytest.approx(0.30), 1)
    assert (march_3.takes, march_3.estimated_usd, march_3.not_estimated) == (2, pytest.approx(4.8), 0)
    assert march_3.charged_usd is None and march_3.balance_change_usd is None  # nothing read that day
    total = summary.total
    assert (total.day, total.takes, total.estimated_usd, total.not_estimated) == (None, 5, pytest.approx(5.1), 1)
    assert total.project is None  # the seam for projects: every row says "no project" for now


def test_the_balance_change_of_a_day_splits_charges_from_top_ups() -> None:
    readings = [
        BalanceReading(at(2, 14), 10.0),
        BalanceReading(at(2, 15), 9.7),
        BalanceReading(at(2, 16), 29.7),  # topped up $20
        BalanceReading(at(2, 17), 29.55),
        BalanceReading(at(4, 14), 29.55),  # one reading that day: nothing to compare it with
    ]
    summary = summarize_spend([take(at(2, 14), 0.15)], reversed(readings), LOCAL)
    march_4, march_2 = summary.days
    assert march_2.charged_usd == pytest.approx(0.45)
    assert march_2.topped_up_usd == pytest.approx(20.0)
    assert march_2.balance_change_usd == pytest.approx(19.55)  # last reading minus first
    assert (march_4.takes, march_4.charged_usd) == (0, None)
    assert summary.total.charged_usd == pytest.approx(0.45)
    assert summary.total.topped_up_usd == pytest.approx(20.0)


def test_nothing_to_show_is_an_empty_summary() -> None:
    summary = summarize_spend([], [])
    assert summary.days == ()
    assert (summary.total.takes, summary.total.estimated_usd, summary.total.charged_usd) == (0, 0.0, None)
