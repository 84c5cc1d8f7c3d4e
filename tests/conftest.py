"""Shared fixtures: `sim`, a started local stand-in of the APIXO service whose clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sora2_desktop.sim import ManualClock, SimServer


class ManualSim(SimServer):
    """A SimServer whose `clock` is a ManualClock: `sim.clock.advance(240)` moves every task on by 240 s."""

    clock: ManualClock


def _start(**options: Any) -> ManualSim:
    options.setdefault("clock", ManualClock())
    return ManualSim(**options).start()


@pytest.fixture
def sim() -> Iterator[ManualSim]:
    """API at `sim.api_base`, videos at `sim.cdn_base`; any non-empty Bearer key works; speed 1, frozen clock.

    A 10 s task is `pending` for 3-15 s, then `processing`, and ends within 300 s of clock time (15 s: 360 s).
    `sim.clock.advance(s)`, `sim.finish_all()`, `sim.faults.inject(kind, count, **params)`, `sim.requests`.
    """
    server = _start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sim_factory() -> Iterator[Callable[..., ManualSim]]:
    """`sim_factory(require_key="k", rate_limit_per_minute=5, speed=10, ...)`: more stand-ins, stopped after."""
    started: list[ManualSim] = []

    def make(**options: Any) -> ManualSim:
        server = _start(**options)
        started.append(server)
        return server

    try:
        yield make
    finally:
        for server in started:
            server.stop()
