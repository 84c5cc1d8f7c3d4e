"""Time text: one clock format for a task's elapsed time and a player's position."""

from __future__ import annotations

from sora2_desktop.ui.common.time_text import format_clock, format_elapsed


def test_format_elapsed() -> None:
    assert format_elapsed(0) == "0:00"
    assert format_elapsed(161.9) == "2:41"  # whole seconds that have passed, never rounded up
    assert format_elapsed(3761) == "1:02:41"
    assert format_elapsed(-5) == "0:00"


def test_format_clock() -> None:
    assert format_clock(3400) == "0:03"
    assert format_clock(65_000) == "1:05"
    assert format_clock(3_723_000) == "1:02:03"
    assert format_clock(-40) == "0:00"
    assert format_clock(161_999) == format_elapsed(161.999)  # a player and the task list read alike
