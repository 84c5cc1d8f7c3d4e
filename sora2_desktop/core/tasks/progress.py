"""Expected progress: how long a task has run and how far along it probably is, from the service's typical time."""

from __future__ import annotations

from datetime import datetime

from sora2_desktop.core.tasks.task import Task, TaskPhase

# The service's typical generation time (API.md) is 3–5 min for a 10 s video and 4–6 min for 15 s; the midpoint
# is what the progress bar expects, so a task on schedule reaches the cap at about the time it usually finishes.
EXPECTED_SECONDS: dict[int, float] = {10: 240.0, 15: 300.0}
# A duration the table does not know is given the longer time: a bar that runs slow beats one stuck at the cap.
_FALLBACK_DURATION = 15
# Below 1.0 until the service says success: a bar that sits full while still running would be a lie.
PROGRESS_CAP = 0.95


def expected_total_s(duration: int, time_scale: float = 1.0) -> float:
    """Typical seconds from submit to done for a video of `duration` seconds (demo mode scales the clock)."""
    return EXPECTED_SECONDS.get(duration, EXPECTED_SECONDS[_FALLBACK_DURATION]) * time_scale


def seconds_between(start: datetime, end: datetime) -> float:
    """Seconds from `start` to `end`, never negative."""
    # timestamp() reads naive datetimes as local time and aware ones by their zone: mixed inputs still agree.
    return max(0.0, end.timestamp() - start.timestamp())


def expected_progress(task: Task, now: datetime, time_scale: float = 1.0) -> float:
    """0..1 against the typical time for the task's duration; 1.0 only once it succeeded."""
    if task.phase == TaskPhase.SUCCESS:
        return 1.0
    if task.phase.is_final or task.submitted_at is None:
        return 0.0
    expected = expected_total_s(task.request.duration, time_scale)
    return min(seconds_between(task.submitted_at, now) / expected, PROGRESS_CAP)


def elapsed_seconds(task: Task, now: datetime) -> float | None:
    """Since submit (since created while still local); the total once final; None when unknowable."""
    if task.phase.is_final:
        end = task.completed_at or task.updated_at
        if task.submitted_at is None or end is None:
            return None
        return seconds_between(task.submitted_at, end)
    return seconds_between(task.submitted_at or task.created_at, now)


def percent(fraction: float) -> int:
    """A progress fraction as the whole percentage a person reads (0–100)."""
    return round(max(0.0, min(1.0, fraction)) * 100)
