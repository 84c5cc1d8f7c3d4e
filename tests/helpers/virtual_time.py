"""run_in_virtual_time: an asyncio loop whose clock jumps to the next timer instead of waiting for it."""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class _JumpingSelector(selectors.DefaultSelector):
    """Asked to block for `timeout` seconds with nothing ready, moves the loop's clock on by `timeout` instead."""

    def __init__(self, loop_clock: VirtualTimeLoop) -> None:
        super().__init__()
        self._loop_clock = loop_clock

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready: list[tuple[selectors.SelectorKey, int]] = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:
            # A real loop would sleep for ever here; in a test that is a hang, so say so at once.
            raise RuntimeError("virtual-time loop has nothing scheduled: the code under test waits for ever")
        self._loop_clock.now += timeout
        return []


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """`loop.time()` starts at 0 and only moves when every task is waiting on a timer: a 120 s backoff or a poll
    due in an hour takes no wall-clock time, and the times a test records are exact, whatever the machine's load."""

    def __init__(self) -> None:
        self.now = 0.0
        super().__init__(selector=_JumpingSelector(self))

    def time(self) -> float:
        return self.now


def run_in_virtual_time(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs `main()` to completion on a fresh VirtualTimeLoop, then closes the loop."""
    with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
        return runner.run(main())
