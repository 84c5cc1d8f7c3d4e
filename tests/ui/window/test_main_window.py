"""MainWindow's wiring: the history from Session.tasks(), the task list's actions through TaskActions, the draft kept
across a restart, and no ui module reaching through the session into its parts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

import sora2_desktop.ui
from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.session import Session
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.compose.form_draft import FormValues, to_draft
from sora2_desktop.ui.window.main_window import MainWindow
from tests.helpers.keychain import MemoryKeyring

OLD = GenerationRequest(prompt="An old lighthouse in fog", aspect_ratio="portrait", duration=15)
NEW = GenerationRequest(prompt="A new harbour at dawn")


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    """A profile whose history holds two finished tasks, written before the app starts: the first take of each
    of the shots SH010 (OLD's prompt) and SH020 (NEW's) of the project "Trailer"."""
    made = Profile.from_dir(tmp_path / "profile").ensure()
    with TaskStore(made.database_path) as store:
        projects = ProjectService(lambda: store, lambda _task: None)
        project = projects.rename_project(projects.current_project().id, "Trailer")
        first = projects.shots(project.id)[0]
        projects.save_shot_settings(first.id, to_draft(FormValues.from_request(OLD)))
        second = projects.add_shot(project.id, to_draft(FormValues.from_request(NEW)))
        for request, shot in ((OLD, first), (NEW, second)):
            store.add(
                Task(request=request, created_at=datetime.now(UTC), phase=TaskPhase.SUCCESS, batch_id="b").with_(
                    shot_id=shot.id, take_number=1
                )
            )
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
    window.focus_activity()  # Ctrl+3: the activity tab, the focus in its table
    select(window, OLD)
    table = window.task_list.table
    assert table.hasFocus()
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
    task_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Task")
    assert window.task_list.cancel_action in task_menu.actions()


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


def reopen(qtbot: QtBot, profile: Profile, run_async: Any) -> tuple[MainWindow, Callable[[], None]]:
    session = Session(profile, AppSettings(profile), SecretStore())
    again = MainWindow(session)
    qtbot.addWidget(again)
    again.resize(1400, 860)  # as stored: the offscreen screen (800×600) would fit the stored geometry into it
    again.stack.setCurrentWidget(again.splitter)
    again.show()

    def done() -> None:
        again.close()
        run_async(session.aclose())

    return again, done


def test_the_window_opens_on_the_projects_first_shot_with_its_settings_in_the_composer(window: MainWindow) -> None:
    assert window.shots.project_combo.currentText() == "Trailer"
    assert [shot.code for shot in window.shots.model.shots()] == ["SH010", "SH020"]
    current = window.shots.current_shot()
    assert current is not None and current.code == "SH010"
    assert window.form.request() == OLD
    assert [take.request for take in window.take_strip.model.tasks()] == [OLD]


def test_choosing_a_shot_fills_the_composer_and_what_is_typed_is_saved_to_the_shot(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.stack.setCurrentWidget(window.splitter)
    second = window.shots.model.shots()[1]
    assert window.shots.select_shot(second.id)
    assert window.form.values().prompt == second.settings["prompt"]
    assert window.take_strip.shot_id() == second.id
    editor = window.form.prompt_editor.editor()
    editor.setFocus()
    qtbot.keyClicks(editor, ", wide")
    projects = window.session.projects
    qtbot.waitUntil(lambda: getattr(projects.shot(second.id), "settings", {}).get("prompt", "").endswith(", wide"))
    first = window.shots.model.shots()[0]
    window.shots.select_shot(first.id)
    assert window.form.values().prompt == first.settings["prompt"]  # the other shot's words, not the typed ones


def test_a_new_shot_puts_the_cursor_in_its_empty_prompt(qtbot: QtBot, window: MainWindow) -> None:
    window.stack.setCurrentWidget(window.splitter)
    window.shots.new_shot_action.trigger()
    assert len(window.shots.model.shots()) == 3
    assert window.form.values().prompt == ""
    qtbot.waitUntil(window.form.prompt_editor.editor().hasFocus)


def test_the_window_works_at_its_minimum_which_fits_a_1024_by_700_screen(window: MainWindow) -> None:
    window.stack.setCurrentWidget(window.splitter)
    minimum = window.minimumSize()
    assert minimum.width() <= 1024 and minimum.height() <= 700 - 80  # a task bar and a title bar
    window.resize(minimum)
    # Nothing in the layout asks for more than the minimum: the window really is that small.
    assert window.size() == minimum
    assert window.minimumSizeHint().width() <= minimum.width()
    assert window.minimumSizeHint().height() <= minimum.height()


def test_splitters_columns_shot_and_take_are_where_they_were_after_a_restart(
    qtbot: QtBot, window: MainWindow, profile: Profile, run_async: Any
) -> None:
    window.stack.setCurrentWidget(window.splitter)
    window.resize(1400, 860)
    window.splitter.setSizes([300, 450, 640])
    window.work.setSizes([500, 300])
    window.top.setSizes([400, 600])
    window.task_list.table.horizontalHeader().resizeSection(1, 211)
    sizes, work, top = window.splitter.sizes(), window.work.sizes(), window.top.sizes()
    second = window.shots.model.shots()[1]
    window.shots.select_shot(second.id)
    take = window.session.projects.takes(second.id)[0]
    assert take.local_id is not None and window.take_strip.select_take(take.local_id)
    window.close()

    again, done = reopen(qtbot, profile, run_async)
    try:
        assert again.splitter.sizes() == sizes and again.work.sizes() == work and again.top.sizes() == top
        assert again.task_list.table.horizontalHeader().sectionSize(1) == 211
        current = again.shots.current_shot()
        assert current is not None and current.id == second.id
        shown = again.take_strip.current_take()
        assert shown is not None and shown.local_id == take.local_id
        assert again.results.task() is not None and again.results.task().local_id == take.local_id  # type: ignore[union-attr]
    finally:
        done()


def test_the_shot_lists_context_menu_offers_the_shots_contact_sheet_and_the_export(window: MainWindow) -> None:
    names = [action.objectName() for action in window.shots._menu.actions()]
    assert names[-2:] == ["shot_contact_sheet", "export_selects"]
    assert window.findChild(QAction, "export_selects") in window.shots._menu.actions()
