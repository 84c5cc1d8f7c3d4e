"""A shot panel over the real ProjectService (on a TaskStore in a temporary folder), shown, with a session
stand-in carrying only what the panel reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.projects.shot_panel import ShotPanel

PROMPTS = ("A lighthouse in fog", "A harbour at dawn", "Gulls over the pier")


class FakeSession(QObject):
    task_changed = Signal(Task)

    def __init__(self, store: TaskStore) -> None:
        super().__init__()
        self.store = store
        self.projects = ProjectService(lambda: store, self.task_changed.emit, parent=self)
        self.settings = SimpleNamespace(download_dir="/tmp/videos")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[FakeSession]:
    """One project with three shots, SH010 to SH030, each with its own prompt."""
    with TaskStore(tmp_path / "tasks.sqlite") as store:
        made = FakeSession(store)
        project = made.projects.current_project()
        first, *_ = made.projects.shots(project.id) or [made.projects.add_shot(project.id)]
        made.projects.save_shot_settings(first.id, {"prompt": PROMPTS[0], "model": "sora-2", "duration": 10})
        for prompt in PROMPTS[1:]:
            made.projects.add_shot(project.id, {"prompt": prompt, "model": "sora-2", "duration": 10})
        made.projects.renumber_shots(project.id)
        yield made


@pytest.fixture
def projects(session: FakeSession) -> ProjectService:
    return session.projects


@pytest.fixture
def panel(qtbot: QtBot, session: FakeSession) -> Iterator[ShotPanel]:
    made = ShotPanel(session)  # type: ignore[arg-type]
    qtbot.addWidget(made)
    made.resize(260, 400)
    made.show()
    qtbot.waitExposed(made)
    made.reload()
    made.view.setFocus()
    yield made


def codes(panel: ShotPanel) -> list[str]:
    return [shot.code for shot in panel.model.shots()]


def prompts(panel: ShotPanel) -> list[Any]:
    return [shot.settings.get("prompt") for shot in panel.model.shots()]
