"""MainWindow's wiring: the history from Session.tasks(), the task list's actions through TaskActions, the draft kept
across a restart, and no ui module reaching through the session into its parts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import sora2_desktop.ui
from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.session import Session
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.window.main_window import MainWindow
from tests.helpers.keychain import MemoryKeyring

OLD = GenerationRequest(prompt="An old lighthouse in fog", aspect_ratio="portrait", duration=15)
NEW = GenerationRequest(prompt="A new harbour at dawn")


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    """A profile whose history holds two finished tasks, written before the app starts."""
    made = Profile.from_dir(tmp_path / "profile").ensure()
    with TaskStore(made.database_path) as store:
        for request in (OLD, NEW):
            store.add(Task(request=request, created_at=datetime.now(UTC), phase=TaskPhase.SUCCESS, batch_id="b"))
    return made


@pytest.fixture
def window(qtbot: QtBot, profile: Profile, memory_keyring: MemoryKeyring, run_async: Any) -> Iterator[MainWindow]:
    session = Session(profile, AppSettings(profile), SecretStore())
    made = MainWindow(session)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()
    run_async(session.aclose())


def select(window: MainWindow, request: GenerationRequest) -> Task:
    row = next(r for r in range(window.model.rowCount()) if window.model.task_at(r).request == request)
    task = window.model.task_at(row)
    assert task.local_id is not None and window.task_list.select_task(task.local_id)
    return task


def test_the_history_comes_from_the_session(window: MainWindow) -> None:
    assert [window.model.task_at(r).request for r in range(window.model.rowCount())] == [NEW, OLD]


def test_load_puts_a_tasks_settings_into_the_form(window: MainWindow) -> None:
    select(window, OLD)
    window.task_list.load_action.trigger()
    assert window.form.request() == OLD


def test_remove_hides_the_row_at_once_and_forgets_the_task_after_the_undo_window(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.task_actions.removals.window_ms = 50
    select(window, OLD)
    window.task_list.remove_action.trigger()
    assert window.model.rowCount() == 1
    assert not window.undo_bar.isHidden() and "Removed 1 task" in window.undo_bar.label.text()
    assert len(window.session.tasks()) == 2  # still in the store while it can be undone
    qtbot.waitUntil(lambda: [t.request for t in window.session.tasks()] == [NEW])
    assert window.undo_bar.isHidden() and not window.task_list.undo_remove_action.isEnabled()


def test_ctrl_z_in_the_task_list_brings_a_removed_task_back(qtbot: QtBot, window: MainWindow) -> None:
    window.stack.setCurrentWidget(window.splitter)  # the list as an active session shows it
    select(window, OLD)
    table = window.task_list.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert window.model.rowCount() == 1
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [window.model.task_at(r).request for r in range(window.model.rowCount())] == [NEW, OLD]
    assert window.undo_bar.isHidden()
    window.close()  # nothing is pending: closing forgets nothing
    assert len(window.session.tasks()) == 2


def test_the_undo_bar_and_the_edit_menu_undo_a_removal(window: MainWindow) -> None:
    select(window, OLD)
    window.task_list.remove_action.trigger()
    assert window.task_list.undo_remove_action.isEnabled()
    window.undo_bar.undo_button.click()
    assert window.model.rowCount() == 2
    select(window, NEW)
    window.task_list.remove_action.trigger()
    window.task_list.undo_remove_action.trigger()  # Edit → Undo remove is this same action
    assert window.model.rowCount() == 2


def test_closing_the_window_forgets_what_waits_for_its_undo_window(window: MainWindow) -> None:
    select(window, OLD)
    window.task_list.remove_action.trigger()
    window.close()
    assert [t.request for t in window.session.tasks()] == [NEW]


def test_every_task_can_be_removed_and_unfinished_ones_cancelled(window: MainWindow) -> None:
    select(window, OLD)  # finished: nothing to cancel
    assert window.task_list.remove_action.isEnabled() and not window.task_list.cancel_action.isEnabled()
    assert window.task_list.cancel_action in window.menuBar().actions()[3].menu().actions()


def test_rerun_without_a_connection_stores_nothing(window: MainWindow) -> None:
    select(window, OLD)
    window.task_list.rerun_action.trigger()
    assert len(window.session.tasks()) == 2


def test_the_draft_survives_a_restart(qtbot: QtBot, window: MainWindow, profile: Profile, run_async: Any) -> None:
    window.form.load_request(OLD)
    window.close()  # saves the draft
    session = Session(profile, AppSettings(profile), SecretStore())
    again = MainWindow(session)
    qtbot.addWidget(again)
    try:
        assert again.form.request() == OLD
    finally:
        again.close()
        run_async(session.aclose())


def test_no_ui_module_reaches_into_the_sessions_parts() -> None:
    parts = re.compile(r"session\.(_?store|_?runner|_?downloader|_?posters|_?client|_?images|_?http)\b")
    root = Path(sora2_desktop.ui.__file__).parent
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if parts.search(line)
    ]
    assert found == []
