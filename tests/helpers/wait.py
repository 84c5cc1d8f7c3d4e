"""wait_until: poll a condition on the running loop instead of sleeping a fixed time (and a blocking twin)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def wait_until(predicate: Callable[[], bool | Awaitable[bool]], timeout: float = 20.0, what: str = "") -> None:
    """Polls `predicate` every 10 ms on the running loop; fails with `what` after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = predicate()
        if not isinstance(result, bool) and result is not None:
            result = await result  # type: ignore[misc]
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        await asyncio.sleep(0.01)


def wait_until_blocking(predicate: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """wait_until for tests with no event loop to yield to (the app runs in a child process): polls every 50 ms,
    sleeping in between, and fails with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.05)
