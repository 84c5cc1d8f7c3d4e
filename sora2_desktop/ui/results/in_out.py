"""In and out marks on a take: the part of it an editor means to use. Pure; the player draws and sets them.

Both are player positions in ms of a frame (the out mark is the last frame included, as in an editor's
timeline). An in mark placed after the out mark (or an out before the in) drops the other one, as Resolve does:
the marks never describe a backwards range.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

NONE = -1  # how a missing mark travels in a Qt signal (int, int)


@dataclass(frozen=True)
class InOut:
    in_ms: int | None = None
    out_ms: int | None = None

    def with_in(self, at: int | None) -> InOut:
        if at is not None and self.out_ms is not None and at > self.out_ms:
            return InOut(at, None)
        return replace(self, in_ms=at)

    def with_out(self, at: int | None) -> InOut:
        if at is not None and self.in_ms is not None and at < self.in_ms:
            return InOut(None, at)
        return replace(self, out_ms=at)

    def as_signal(self) -> tuple[int, int]:
        return (NONE if self.in_ms is None else self.in_ms, NONE if self.out_ms is None else self.out_ms)

    @staticmethod
    def from_task(in_ms: int | None, out_ms: int | None) -> InOut:
        """Marks as stored; a negative one is none, and of a backwards pair (a hand-edited row) the in wins."""
        start = in_ms if in_ms is not None and in_ms >= 0 else None
        end = out_ms if out_ms is not None and out_ms >= 0 else None
        if start is not None and end is not None and end < start:
            end = None
        return InOut(start, end)
