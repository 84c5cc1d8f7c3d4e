"""The result controller and a take's in and out marks: the stored marks reach the player when the take is
shown, and a person's marks go to session.projects.set_in_out for the take on screen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.results.in_out import InOut
from sora2_desktop.ui.results.result_controller import ResultController
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from tests.ui.results.demo_player import DEMO_CLIP


class FakeProjects:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None, int | None]] = []
        self.gone = False  # the take was removed: set_in_out finds nothing

    def set_in_out(self, local_id: int, in_ms: int | None, out_ms: int | None) -> Task | None:
        self.calls.append((local_id, in_ms, out_ms))
        return None if self.gone else TAKE


class FakeSession(QObject):
    """What the controller asks of a Session here; the rest of Session is not reached by these tests."""

    download_changed = Signal(object)
    poster_ready = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        self.projects = FakeProjects()

    def local_video(self, task: Task) -> Path | None:
        return Path(DEMO_CLIP)

    def downloads_for(self, task: Task) -> list[Any]:
        return []


NOW = datetime.now(UTC)
TAKE = Task(
    request=GenerationRequest(prompt="a fox"),
    created_at=NOW,
    phase=TaskPhase.SUCCESS,
    task_id="task_1",
    result_urls=("https://cdn.example/clip.mp4",),
    completed_at=NOW,
    local_id=7,
    in_ms=420,
    out_ms=2020,
)


Rig = tuple[ResultController, ResultPane, FakeSession]


@pytest.fixture
def rig(qtbot: QtBot) -> Iterator[Rig]:
    window = QWidget()
    qtbot.addWidget(window)
    pane = ResultPane(window)
    session = FakeSession()
    controller = ResultController(session, TaskTableModel(), pane, window)  # type: ignore[arg-type]
    yield controller, pane, session
    pane.player.clear()


def test_a_shown_take_brings_its_marks_without_storing_them(
    rig: Rig,
) -> None:
    controller, pane, session = rig
    controller.show_task(TAKE)
    assert pane.player.in_out() == InOut(420, 2020) == pane.player.seek_slider.marks()
    controller.task_changed(replace(TAKE, rating=3))  # the same take again (another change): marks stay
    assert pane.player.in_out() == InOut(420, 2020)
    assert session.projects.calls == []


def test_a_take_without_marks_shows_none(rig: Rig) -> None:
    controller, pane, _session = rig
    controller.show_task(replace(TAKE, local_id=8, in_ms=None, out_ms=None))
    assert pane.player.in_out() == InOut()


def test_a_persons_marks_are_stored_on_the_take(rig: Rig) -> None:
    controller, pane, session = rig
    controller.show_task(TAKE)
    pane.player.clear_out()
    pane.player.clear_in()
    assert session.projects.calls == [(7, 420, None), (7, None, None)]


def test_marks_on_a_removed_take_say_so(qtbot: QtBot, rig: Rig) -> None:
    controller, pane, session = rig
    controller.show_task(TAKE)
    session.projects.gone = True
    with qtbot.waitSignal(controller.status_message) as said:
        pane.player.clear_in_out()
    assert "removed" in said.args[0]
