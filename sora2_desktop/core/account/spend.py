"""Spend: what the takes of each local day were expected to cost, beside what the key's balance did that day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, tzinfo
from itertools import pairwise

from sora2_desktop.core.storage.balance_store import BalanceReading
from sora2_desktop.core.tasks.task import Task, TaskPhase


@dataclass(frozen=True)
class SpendDay:
    """One local day (or, for the total row, every day: `day` None).

    `estimated_usd` sums the estimates the takes were submitted with; takes from before the app estimated
    (older rows) are counted in `not_estimated`, never as $0. The balance figures come from the readings
    of that day only: `charged_usd` sums its falls (what the service took, as far as the readings saw),
    `topped_up_usd` its rises; both None when the day has fewer than two readings to compare."""

    day: date | None
    takes: int = 0
    estimated_usd: float = 0.0
    not_estimated: int = 0
    charged_usd: float | None = None
    topped_up_usd: float | None = None
    # The seam for projects: once a task names its project, rows are made per (day, project) and this says which.
    project: str | None = None

    @property
    def balance_change_usd(self) -> float | None:
        """Last reading minus first reading of the day."""
        if self.charged_usd is None or self.topped_up_usd is None:
            return None
        return self.topped_up_usd - self.charged_usd


@dataclass(frozen=True)
class SpendSummary:
    days: tuple[SpendDay, ...]  # newest day first; only days with a take or a reading
    total: SpendDay


def summarize_spend(
    tasks: Iterable[Task], readings: Iterable[BalanceReading], tz: tzinfo | None = None
) -> SpendSummary:
    """Group by the local day (`tz`, else the system's zone) of each task's `created_at` and each reading's time."""
    takes: dict[date, list[Task]] = {}
    for task in filter(_may_cost, tasks):
        takes.setdefault(task.created_at.astimezone(tz).date(), []).append(task)
    by_day: dict[date, list[BalanceReading]] = {}
    for reading in sorted(readings, key=lambda r: r.read_at):
        by_day.setdefault(reading.read_at.astimezone(tz).date(), []).append(reading)

    days = tuple(_day(day, takes.get(day, []), by_day.get(day, [])) for day in sorted(takes.keys() | by_day.keys()))
    days = days[::-1]
    return SpendSummary(days, _total(days))


def _may_cost(task: Task) -> bool:
    """Takes the service refused, or that were cancelled before it made them, cost nothing and are left out."""
    if task.phase == TaskPhase.REJECTED:
        return False
    return not (task.phase == TaskPhase.CANCELLED and task.task_id is None)


def _day(day: date, tasks: list[Task], readings: list[BalanceReading]) -> SpendDay:
    estimates = [task.cost_estimate_usd for task in tasks if task.cost_estimate_usd is not None]
    charged = topped_up = None
    if len(readings) >= 2:
        charged = topped_up = 0.0
        for before, after in pairwise(readings):
            step = after.balance_usd - before.balance_usd
            if step < 0:
                charged -= step
            else:
                topped_up += step
    return SpendDay(
        day,
        takes=len(tasks),
        estimated_usd=sum(estimates),
        not_estimated=len(tasks) - len(estimates),
        charged_usd=charged,
        topped_up_usd=topped_up,
    )


def _total(days: tuple[SpendDay, ...]) -> SpendDay:
    compared = [day for day in days if day.charged_usd is not None]
    return SpendDay(
        None,
        takes=sum(day.takes for day in days),
        estimated_usd=sum(day.estimated_usd for day in days),
        not_estimated=sum(day.not_estimated for day in days),
        charged_usd=sum(day.charged_usd or 0.0 for day in compared) if compared else None,
        topped_up_usd=sum(day.topped_up_usd or 0.0 for day in compared) if compared else None,
    )
