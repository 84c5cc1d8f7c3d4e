"""Expected progress: the one expected-time formula, the cap below success, and elapsed time by phase."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.tasks.progress import (
    PROGRESS_CAP,
    elapsed_seconds,
    expected_progress,
    expected_total_s,
    percent,
    seconds_between,
)
from sora2_desktop.core.tasks.task import Task, TaskPhase

NOW = datetime(2026, 1, 9, 12, 0, 0, tzinfo=UTC)


def task(phase: TaskPhase, *, duration: int = 10, submitted_s_ago: float | None = 60.0, **changes: object) -> Task:
    made = Task(
        request=GenerationRequest(prompt="A lighthouse at dusk", duration=duration),
        created_at=NOW - timedelta(seconds=600),
        phase=phase,
        local_id=1,
        submitted_at=None if submitted_s_ago is None else NOW - timedelta(seconds=submitted_s_ago),
    )
    return made.with_(**changes) if changes else made


def test_expected_time_is_the_midpoint_of_the_services_range() -> None:
    assert expected_total_s(10) == 240.0  # API.md: 3–5 min for a 10 s video
    assert expected_total_s(15) == 300.0  # 4–6 min for 15 s
    assert expected_total_s(12) == 300.0  # a duration the table does not know gets the longer time
    assert expected_total_s(10, time_scale=0.1) == pytest.approx(24.0)  # demo mode's fast clock


def test_progress_follows_the_clock_against_the_expected_time() -> None:
    assert expected_progress(task(TaskPhase.PROCESSING, submitted_s_ago=60), NOW) == pytest.approx(60 / 240)
    assert expected_progress(task(TaskPhase.PENDING, duration=15, submitted_s_ago=150), NOW) == pytest.approx(0.5)
    scaled = task(TaskPhase.PROCESSING, submitted_s_ago=12)
    assert expected_progress(scaled, NOW, time_scale=0.1) == pytest.approx(0.5)


def test_progress_stays_below_full_until_success() -> None:
    late = task(TaskPhase.PROCESSING, submitted_s_ago=3600)
    assert expected_progress(late, NOW) == PROGRESS_CAP < 1.0
    assert expected_progress(late.with_(phase=TaskPhase.SUCCESS), NOW) == 1.0


def test_no_progress_before_submit_or_after_failing() -> None:
    assert expected_progress(task(TaskPhase.SUBMITTING, submitted_s_ago=None), NOW) == 0.0
    assert expected_progress(task(TaskPhase.QUEUED, submitted_s_ago=None), NOW) == 0.0
    for phase in (TaskPhase.FAILED, TaskPhase.REJECTED, TaskPhase.SUBMIT_UNKNOWN):
        assert expected_progress(task(phase, submitted_s_ago=120), NOW) == 0.0


def test_elapsed_runs_from_submit_or_from_creation_while_local() -> None:
    assert elapsed_seconds(task(TaskPhase.PROCESSING, submitted_s_ago=161), NOW) == pytest.approx(161)
    assert elapsed_seconds(task(TaskPhase.SUBMITTING, submitted_s_ago=None), NOW) == pytest.approx(600)


def test_elapsed_of_a_finished_task_is_its_total_and_unknown_without_an_end() -> None:
    done = task(TaskPhase.SUCCESS, submitted_s_ago=300, completed_at=NOW - timedelta(seconds=140))
    assert elapsed_seconds(done, NOW + timedelta(hours=5)) == pytest.approx(160)
    updated = task(TaskPhase.FAILED, submitted_s_ago=300, updated_at=NOW - timedelta(seconds=100))
    assert elapsed_seconds(updated, NOW) == pytest.approx(200)
    assert elapsed_seconds(task(TaskPhase.FAILED, submitted_s_ago=300), NOW) is None
    never_sent = task(TaskPhase.REJECTED, submitted_s_ago=None, updated_at=NOW)
    assert elapsed_seconds(never_sent, NOW) is None


def test_seconds_between_never_goes_negative_and_mixes_zones() -> None:
    assert seconds_between(NOW, NOW - timedelta(seconds=5)) == 0.0
    local = NOW.astimezone(datetime.now().astimezone().tzinfo)
    assert seconds_between(local, NOW + timedelta(seconds=7)) == pytest.approx(7)


def test_percent_is_whole_and_bounded() -> None:
    assert [percent(x) for x in (0.0, 0.537, 0.95, 1.0)] == [0, 54, 95, 100]
    assert percent(-0.2) == 0 and percent(1.7) == 100
