"""MainThreadGC: collects on the GUI thread only; once the start-up has settled, its newest garbage is collected and
what is left is frozen (later full passes skip it), and stopping gives everything back to Python's own collector."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC


class Node:
    def __init__(self) -> None:
        self.other: Any = self


def test_the_settled_start_up_is_frozen_after_its_garbage_is_collected(qapp: object) -> None:
    frozen_before = gc.get_freeze_count()
    collector = MainThreadGC(interval_ms=60_000, freeze_after_s=0.0)
    try:
        assert not gc.isenabled()  # never from whichever thread allocates
        garbage = Node()  # a cycle nobody holds: the pass before the freeze frees it
        gone = weakref.ref(garbage)
        kept = Node()  # alive at the freeze: frozen, skipped by later full passes
        del garbage
        collector.check()
        assert collector.frozen and gone() is None
        assert gc.get_freeze_count() > frozen_before
        assert kept.other is kept
    finally:
        collector.stop()
    assert gc.isenabled() and not collector.frozen
    assert gc.get_freeze_count() == 0


def test_without_a_freeze_time_nothing_is_frozen(qapp: object) -> None:
    collector = MainThreadGC(interval_ms=60_000, freeze_after_s=None)
    try:
        collector.check()
        assert not collector.frozen and gc.get_freeze_count() == 0
    finally:
        collector.stop()
