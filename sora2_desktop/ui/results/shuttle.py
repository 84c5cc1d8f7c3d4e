"""Shuttle: the J/K/L state an editor's hands expect, as a signed speed. Pure; the transport plays it.

L plays forward; each further L doubles the speed up to 8×. J is the same backwards. The other key while moving
turns round at 1× (as in Premiere and Resolve) rather than slowing down, so a person always knows where a press
leads. K stops and forgets the speed.
"""

from __future__ import annotations

MAX_SPEED = 8


class Shuttle:
    """Speed 0 is stopped; +1, +2, +4, +8 forward; -1 … -8 backward."""

    def __init__(self) -> None:
        self.speed = 0

    def forward(self) -> int:
        """L."""
        self.speed = min(self.speed * 2, MAX_SPEED) if self.speed > 0 else 1
        return self.speed

    def backward(self) -> int:
        """J."""
        self.speed = max(self.speed * 2, -MAX_SPEED) if self.speed < 0 else -1
        return self.speed

    def stop(self) -> int:
        """K, a pause from anywhere, the end of the clip."""
        self.speed = 0
        return self.speed

    def play(self) -> int:
        """Space from stopped: forward at 1×."""
        self.speed = 1
        return self.speed

    @property
    def moving(self) -> bool:
        return self.speed != 0
