"""ManualSim: the stand-in service on a clock the test moves, started on loopback."""

from __future__ import annotations

from typing import Any

from sora2_desktop.sim import ManualClock, SimServer


class ManualSim(SimServer):
    """A SimServer whose `clock` is a ManualClock: `sim.clock.advance(240)` moves every task on by 240 s."""

    clock: ManualClock


def start_manual_sim(**options: Any) -> ManualSim:
    options.setdefault("clock", ManualClock())
    return ManualSim(**options).start()
