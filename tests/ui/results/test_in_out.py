"""In and out marks: never backwards, carried in a signal with -1 for none, read sanely from a stored take."""

from __future__ import annotations

from sora2_desktop.ui.results.in_out import NONE, InOut


def test_set_both_in_order() -> None:
    marks = InOut().with_in(400).with_out(2000)
    assert marks == InOut(400, 2000)
    assert marks.as_signal() == (400, 2000)


def test_an_in_after_the_out_drops_the_out() -> None:
    assert InOut(400, 2000).with_in(3000) == InOut(3000, None)


def test_an_out_before_the_in_drops_the_in() -> None:
    assert InOut(400, 2000).with_out(100) == InOut(None, 100)


def test_in_and_out_on_one_frame_is_a_one_frame_range() -> None:
    assert InOut(400, None).with_out(400) == InOut(400, 400)


def test_clearing() -> None:
    assert InOut(400, 2000).with_in(None) == InOut(None, 2000)
    assert InOut(400, 2000).with_out(None) == InOut(400, None)
    assert InOut().as_signal() == (NONE, NONE) == (-1, -1)


def test_from_task() -> None:
    assert InOut.from_task(None, None) == InOut()
    assert InOut.from_task(40, 1000) == InOut(40, 1000)
    assert InOut.from_task(-1, 1000) == InOut(None, 1000)
    assert InOut.from_task(1000, 40) == InOut(1000, None)  # a backwards pair: the in wins
