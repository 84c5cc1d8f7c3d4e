"""Empty states: an empty list or pane says what to do next, centred and muted, and steps aside for content."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.palette import muted_text_color
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.tasks.filter_proxy import StateFilter
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_list import TaskListView


def make_task(local_id: int) -> Task:
    return Task(
        request=GenerationRequest(prompt=f"A harbour at dawn, take {local_id}"),
        created_at=datetime(2026, 1, 9, tzinfo=UTC),
        phase=TaskPhase.PROCESSING,
        local_id=local_id,
        task_id=f"task_{local_id}",
    )


def test_an_empty_task_list_says_how_to_make_the_first_take_and_steps_aside_for_rows(qtbot: QtBot) -> None:
    model = TaskTableModel()
    view = TaskListView(model)
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    empty = view.empty_state
    assert empty.isVisible() and "No tasks yet" in empty.text() and "Ctrl+Enter" in empty.text()
    assert empty.geometry() == view.table.viewport().rect()  # over the whole list, the text centred in it
    assert empty.palette().color(empty.foregroundRole()) == muted_text_color(view.table.palette())  # as painted
    model.set_tasks([make_task(1)])
    assert empty.isHidden()
    view.state_combo.setCurrentIndex(view.state_combo.findData(StateFilter.FAILED))
    assert empty.isVisible() and "No task matches" in empty.text()
    view.state_combo.setCurrentIndex(view.state_combo.findData(StateFilter.ALL))
    assert empty.isHidden()
    view.resize(900, 500)
    model.set_tasks([])
    qtbot.waitUntil(lambda: empty.geometry() == view.table.viewport().rect())  # follows the list's size
    assert empty.isVisible() and "No tasks yet" in empty.text()


def test_the_result_pane_asks_for_a_take_when_none_is_selected(qtbot: QtBot) -> None:
    pane = ResultPane()
    qtbot.addWidget(pane)
    pane.show_task(make_task(1))
    assert "Select a take" not in pane.player.message_text()
    pane.show_task(None)
    assert "Select a take" in pane.player.message_text()
