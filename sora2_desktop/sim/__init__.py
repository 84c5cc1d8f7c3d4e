"""A local stand-in of the APIXO Sora 2 service (same protocol, demo videos) for demo mode and tests."""

from sora2_desktop.sim.faults import KINDS as FAULT_KINDS
from sora2_desktop.sim.faults import FaultPlan
from sora2_desktop.sim.handlers import blob_bytes
from sora2_desktop.sim.server import RecordedRequest, SimServer
from sora2_desktop.sim.service import ManualClock, SimService, SimTask

__all__ = [
    "FAULT_KINDS",
    "FaultPlan",
    "ManualClock",
    "RecordedRequest",
    "SimServer",
    "SimService",
    "SimTask",
    "blob_bytes",
]
