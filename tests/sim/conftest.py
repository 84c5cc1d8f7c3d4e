"""Fixtures for the stand-in's own tests: an httpx client aimed at the `sim` fixture's API origin."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.sim import ManualSim
from tests.helpers.sim_protocol import KEY


@pytest.fixture
def api(sim: ManualSim) -> Iterator[httpx.Client]:
    # trust_env=False: a proxy from the environment must never see loopback test traffic.
    with httpx.Client(
        base_url=sim.api_base, headers={"Authorization": f"Bearer {KEY}"}, trust_env=False, verify=False, timeout=10
    ) as client:
        yield client


@pytest.fixture
def web() -> Iterator[httpx.Client]:
    """A plain client for CDN URLs and key-less calls (verify=False: no CA bundle to load for loopback http)."""
    with httpx.Client(trust_env=False, verify=False, timeout=10) as client:
        yield client
