"""Time as the window shows it: one clock format for a task's elapsed time and a player's position."""

from __future__ import annotations


def format_elapsed(seconds: float) -> str:
    """'2:41' under an hour, '1:02:41' past it; negative times read as 0:00."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_clock(ms: int) -> str:
    """A player position in milliseconds, in whole seconds: `3400` -> `0:03`, `3_723_000` -> `1:02:03`."""
    return format_elapsed(max(0, ms) // 1000)
