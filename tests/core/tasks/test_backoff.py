"""Backoff: exponential growth from the base, the cap, full-jitter bounds, Retry-After as a floor, and no memory."""

from __future__ import annotations

import random

import pytest

from sora2_desktop.core.tasks.backoff import Backoff


def highest(base_s: float = 2.0, cap_s: float = 120.0) -> Backoff:
    return Backoff(base_s=base_s, cap_s=cap_s, rand=lambda: 1.0)


def lowest(base_s: float = 2.0, cap_s: float = 120.0) -> Backoff:
    return Backoff(base_s=base_s, cap_s=cap_s, rand=lambda: 0.0)


def test_the_ceiling_doubles_with_each_attempt_from_the_base() -> None:
    assert [highest().delay(attempt) for attempt in range(1, 7)] == [2.0, 4.0, 8.0, 16.0, 32.0, 64.0]
    assert [highest(base_s=0.5).delay(attempt) for attempt in range(1, 4)] == [0.5, 1.0, 2.0]


def test_attempt_zero_or_below_counts_as_the_first_retry() -> None:
    assert highest().delay(0) == highest().delay(-3) == highest().delay(1) == 2.0


def test_the_cap_bounds_every_later_attempt() -> None:
    assert [highest().delay(attempt) for attempt in (7, 8, 20, 64)] == [120.0] * 4
    assert [lowest().delay(attempt) for attempt in (7, 8, 20, 64)] == [60.0] * 4
    assert highest(base_s=5.0, cap_s=7.0).delay(2) == 7.0  # a cap that is no power of two of the base


def test_the_cap_holds_for_any_attempt_number() -> None:
    assert highest().delay(1025) == 120.0
    assert highest().delay(100_000) == 120.0


@pytest.mark.parametrize("attempt", [1, 2, 3, 5, 8, 30])
def test_full_jitter_stays_between_half_the_ceiling_and_the_ceiling_and_uses_that_range(attempt: int) -> None:
    ceiling = min(120.0, 2.0 * 2 ** (attempt - 1))
    backoff = Backoff(rand=random.Random(attempt).random)
    delays = [backoff.delay(attempt) for _ in range(2000)]
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    # Spread over the whole range, so a thousand tasks hit by one 429 do not come back as one burst.
    assert min(delays) < ceiling * 0.55 and max(delays) > ceiling * 0.95
    assert len(set(delays)) > 1900


def test_retry_after_is_a_floor_not_a_ceiling() -> None:
    assert highest().delay(1, retry_after=30.0) == 30.0  # the service asked for longer than our 2 s
    assert highest().delay(6, retry_after=30.0) == 64.0  # ours is already longer: keep it
    assert highest().delay(6, retry_after=100.0) == 100.0  # past our own curve: the service knows its limit


@pytest.mark.parametrize("retry_after", [300.0, 30 * 86_400.0, float("inf"), 1e308])
def test_retry_after_is_honoured_only_up_to_the_cap_then_the_app_asks_again(retry_after: float) -> None:
    # A Retry-After of 30 days once overflowed Qt's timer inside qasync and stopped all polling.
    assert highest().delay(1, retry_after=retry_after) == 120.0


@pytest.mark.parametrize("retry_after", [None, 0.0, -5.0])
def test_a_missing_or_meaningless_retry_after_is_ignored(retry_after: float | None) -> None:
    assert highest().delay(3, retry_after=retry_after) == 8.0


def test_delay_keeps_no_state_so_a_caller_resets_by_starting_again_at_attempt_one() -> None:
    """The runner counts failures per task and drops the count on success; Backoff itself must not remember."""
    backoff = highest()
    climbed = [backoff.delay(attempt) for attempt in range(1, 12)]
    assert climbed[-1] == 120.0
    assert backoff.delay(1) == 2.0  # after any history, attempt 1 is back at the base
    assert [backoff.delay(attempt) for attempt in range(1, 12)] == climbed
