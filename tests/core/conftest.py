"""What the core tests share: a task store on a fresh file, closed after the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sora2_desktop.core.storage.task_store import TaskStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TaskStore]:
    opened = TaskStore(tmp_path / "tasks.sqlite3")
    try:
        yield opened
    finally:
        opened.close()
