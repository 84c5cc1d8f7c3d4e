"""What the window's tests share: a fresh profile, and the sessions a test makes, closed after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.session import Session
from tests.helpers.keychain import MemoryKeyring
from tests.helpers.sim import ManualSim


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.from_dir(tmp_path / "profile").ensure()


@pytest.fixture
def sessions(
    profile: Profile, memory_keyring: MemoryKeyring, sim: ManualSim, run_async: Any
) -> Iterator[list[Session]]:
    made: list[Session] = []
    yield made
    for session in made:
        run_async(session.aclose())
