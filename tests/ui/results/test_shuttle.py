"""The J/K/L shuttle as a state machine: L doubles up to 8×, J the same backwards, K stops, the other key turns."""

from __future__ import annotations

import pytest

from sora2_desktop.ui.results.shuttle import MAX_SPEED, Shuttle


def presses(keys: str) -> list[int]:
    shuttle = Shuttle()
    moves = {"J": shuttle.backward, "K": shuttle.stop, "L": shuttle.forward, " ": shuttle.play}
    return [moves[key]() for key in keys]


def test_starts_stopped() -> None:
    shuttle = Shuttle()
    assert shuttle.speed == 0 and not shuttle.moving


@pytest.mark.parametrize(
    ("keys", "speeds"),
    [
        ("LLLLL", [1, 2, 4, 8, 8]),
        ("JJJJJ", [-1, -2, -4, -8, -8]),
        ("LLK", [1, 2, 0]),
        ("JJK", [-1, -2, 0]),
        ("LLLJ", [1, 2, 4, -1]),  # the other key turns round at 1×
        ("JJL", [-1, -2, 1]),
        ("LKL", [1, 0, 1]),  # K forgets the speed
        ("KKK", [0, 0, 0]),
        (" L", [1, 2]),  # Space plays at 1×; L then speeds up
        ("LL ", [1, 2, 1]),
    ],
)
def test_sequences(keys: str, speeds: list[int]) -> None:
    assert presses(keys) == speeds


def test_moving_follows_speed() -> None:
    shuttle = Shuttle()
    shuttle.backward()
    assert shuttle.moving
    shuttle.stop()
    assert not shuttle.moving


def test_max_speed_is_8() -> None:
    assert MAX_SPEED == 8
