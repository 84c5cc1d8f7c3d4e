"""Tests for the task list view: filters, selection and the row actions' signals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.tasks.filter_proxy import StateFilter
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_list import TaskListView

NOW = datetime(2026, 1, 9, 12, 0, 0, tzinfo=UTC)


def make_task(local_id: int, phase: TaskPhase, *, prompt: str = "", duration: int = 10, **changes: object) -> Task:
    submitted = phase not in (TaskPhase.QUEUED, TaskPhase.SUBMITTING)
    task = Task(
        request=GenerationRequest(
            prompt=prompt or f"Slow dolly in on a lighthouse, take {local_id}", duration=duration
        ),
        created_at=NOW - timedelta(minutes=5),
        phase=phase,
        local_id=local_id,
        task_id=f"task_{local_id:08d}" if submitted else None,
        submitted_at=NOW - timedelta(minutes=3) if submitted else None,
    )
    return task.with_(**changes) if changes else task


@pytest.fixture
def model(qapp: object) -> TaskTableModel:
    model = TaskTableModel(now=lambda: NOW)
    model.set_tasks(
        [
            make_task(4, TaskPhase.SUBMITTING, prompt="Neon city at night, handheld"),
            make_task(3, TaskPhase.FAILED, fail_code="CONTENT_VIOLATION", duration=15),
            make_task(2, TaskPhase.SUCCESS, result_urls=("https://r2.apixo.ai/a.mp4",)),
            make_task(1, TaskPhase.PROCESSING, prompt="Aerial view of a glacier at golden hour"),
        ]
    )
    return model


@pytest.fixture
def view(qtbot, model: TaskTableModel) -> TaskListView:
    widget = TaskListView(model)
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    return widget


def shown_ids(view: TaskListView) -> list[int]:
    proxy = view.proxy
    return [proxy.data(proxy.index(row, 0), TaskTableModel.LocalIdRole) for row in range(proxy.rowCount())]


def test_actions_emit_the_selected_task(qtbot, view: TaskListView) -> None:
    assert view.select_task(2)
    task = view.current_task()
    assert task is not None and task.local_id == 2
    with qtbot.waitSignal(view.load_requested) as load:
        view.load_action.trigger()
    assert load.args == [task]
    with qtbot.waitSignal(view.rerun_requested) as rerun:
        view.rerun_action.trigger()
    assert rerun.args == [task, None]
    with qtbot.waitSignal(view.rerun_requested) as longer:
        view.rerun_longer_action.trigger()
    assert longer.args == [task, 15]
    with qtbot.waitSignal(view.remove_requested) as remove:
        view.remove_action.trigger()
    assert remove.args == [task]


def test_copy_actions_use_the_clipboard(qtbot, view: TaskListView) -> None:
    view.select_task(2)
    with qtbot.waitSignal(view.status_message):
        view.copy_task_id_action.trigger()
    assert QGuiApplication.clipboard().text() == "task_00000002"
    view.copy_prompt_action.trigger()
    assert QGuiApplication.clipboard().text() == "Slow dolly in on a lighthouse, take 2"


def test_actions_that_make_no_sense_are_disabled(view: TaskListView) -> None:
    actions = (view.copy_task_id_action, view.load_action, view.rerun_action, view.remove_action)
    assert not any(action.isEnabled() for action in actions)  # nothing selected
    view.select_task(4)  # submitting: no task id yet, but every wait can be ended
    assert not view.copy_task_id_action.isEnabled()
    assert view.remove_action.isEnabled() and view.cancel_action.isEnabled()
    assert view.load_action.isEnabled() and view.rerun_action.isEnabled()
    view.select_task(3)  # already 15 s long
    assert not view.rerun_longer_action.isEnabled()
    assert view.copy_task_id_action.isEnabled() and view.remove_action.isEnabled()


def test_shortcuts_are_shown_and_scoped_to_the_table(view: TaskListView) -> None:
    copy = view.copy_task_id_action
    assert copy.shortcut() == QKeySequence("Ctrl+Shift+C")
    assert view.remove_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Delete)
    for action in (copy, view.remove_action):
        assert action.isShortcutVisibleInContextMenu()
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
        assert action in view.table.actions()


def test_state_filter_and_search_narrow_the_rows(qtbot, view: TaskListView) -> None:
    assert shown_ids(view) == [4, 3, 2, 1]
    view.state_combo.setCurrentIndex(view.state_combo.findData(StateFilter.RUNNING))
    assert shown_ids(view) == [4, 1]
    view.state_combo.setCurrentIndex(view.state_combo.findData(StateFilter.ALL))
    view.search_edit.setText("GOLDEN hour")
    qtbot.waitUntil(lambda: shown_ids(view) == [1])  # after the typing pause
    view.search_edit.setText("task_00000003")
    view.apply_search()
    assert shown_ids(view) == [3]
    view.search_edit.clear()
    view.apply_search()
    assert shown_ids(view) == [4, 3, 2, 1]


def test_current_task_follows_selection_and_updates_not_ticks(qtbot, view: TaskListView, model: TaskTableModel) -> None:
    seen: list[Task | None] = []
    view.current_task_changed.connect(seen.append)
    view.select_task(1)
    assert [t.local_id if t else None for t in seen] == [1]
    model.tick()
    assert len(seen) == 1  # the clock moved; the task did not
    updated = make_task(1, TaskPhase.SUCCESS)
    model.upsert(updated)
    assert seen[-1] is updated
    model.upsert(make_task(5, TaskPhase.QUEUED))  # a new row on top keeps the selection on task 1
    current = view.current_task()
    assert current is not None and current.local_id == 1
    model.remove(1)  # the selection moves to a neighbour, as Qt does, and the pane hears about it
    assert seen[-1] is view.current_task() and seen[-1] is not None and seen[-1].local_id != 1
    view.table.clearSelection()
    assert seen[-1] is None


def test_focus_search_selects_the_text_to_type_over(qtbot, view: TaskListView) -> None:
    view.search_edit.setText("fox")
    view.table.setFocus()
    view.focus_search()
    qtbot.waitUntil(view.search_edit.hasFocus)
    assert view.search_edit.selectedText() == "fox"


def test_a_column_click_sorts_and_the_third_click_brings_back_newest_first(qtbot, view: TaskListView) -> None:
    header = view.table.horizontalHeader()
    assert shown_ids(view) == [4, 3, 2, 1]  # nothing sorted at first: newest first
    sections = header.sectionViewportPosition(TaskTableModel.COL_PROMPT) + 5
    clicks = []
    for _ in range(3):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(sections, 5))
        clicks.append(shown_ids(view))
    # Prompts: "Aerial…" (1), "Neon…" (4), "Slow dolly… take 2/3" (2, 3); a tie falls back to age.
    assert clicks == [[1, 4, 2, 3], [3, 2, 4, 1], [4, 3, 2, 1]]
    view.table.sortByColumn(TaskTableModel.COL_STATE, Qt.SortOrder.AscendingOrder)
    phases = [view.proxy.task_at(row).phase for row in range(view.proxy.rowCount())]  # type: ignore[union-attr]
    assert phases == sorted(phases, key=list(TaskPhase).index)


def test_search_matches_the_settings_too(view: TaskListView) -> None:
    view.search_edit.setText("15 s")
    view.apply_search()
    assert shown_ids(view) == [3]  # the 15-second task
    view.search_edit.setText("sora 2 text")  # the model's title and the mode spelt out
    view.apply_search()
    assert shown_ids(view) == [4, 3, 2, 1]
