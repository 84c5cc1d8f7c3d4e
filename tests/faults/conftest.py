"""Fixtures the fault cases share: a fresh task store and a scriptable hostile loopback server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sora2_desktop.core.storage.task_store import TaskStore
from tests.helpers.hostile_server import HostileServer


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TaskStore]:
    s = TaskStore(tmp_path / "tasks.sqlite3")
    yield s
    s.close()


@pytest.fixture
def server() -> Iterator[HostileServer]:
    s = HostileServer().start()
    yield s
    s.stop()
