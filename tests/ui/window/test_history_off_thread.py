"""The window built in stages (the app) has its history read by a worker thread once it is whole: 10,000 tasks held
the GUI thread 0.4-0.7 s read on it (issue 13). The rows arrive a turn or two later; a change heard meanwhile is
not lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.session import Session
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from tests.helpers.sim import ManualSim
from tests.ui.window.test_window_stages import staged

NOW = datetime.now(UTC)


def stored_history(profile: Profile, count: int) -> list[int]:
    with TaskStore(profile.database_path) as store:
        made = store.add_all(
            [
                Task(
                    request=GenerationRequest(prompt=f"A lighthouse in fog, take {n}"),
                    created_at=NOW - timedelta(minutes=count - n),
                    phase=TaskPhase.FAILED,
                    fail_message="the sample's",
                )
                for n in range(count)
            ]
        )
    return [task.local_id or 0 for task in reversed(made)]  # newest first, as the list shows them


def test_the_staged_window_reads_the_history_off_the_gui_thread_and_keeps_what_it_heard_meanwhile(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = stored_history(profile, 30)
    readers: list[str] = []
    real_read = TaskStore.all_in_worker_thread

    def read(store: TaskStore) -> list[Task]:
        readers.append(threading.current_thread().name)
        return real_read(store)

    monkeypatch.setattr(TaskStore, "all_in_worker_thread", read)
    # The GUI thread's own read of the whole history must not be what fills the list.
    monkeypatch.setattr(Session, "tasks", lambda _self: pytest.fail("the history was read on the GUI thread"))
    window = staged(qtbot, profile, sim, sessions)
    while not window.stages.built("activity"):
        QCoreApplication.processEvents()
    assert window.model.loading and window.model.rowCount() == 0  # the activity is built; its rows are coming
    # Not read before the window is whole: the read's Python would stretch the stages' turns.
    assert not window.stages.complete and not readers
    qtbot.waitUntil(lambda: not window.model.loading, timeout=10_000)
    assert window.stages.complete
    assert readers and readers[0] != threading.main_thread().name
    assert [window.model.task_at(row).local_id for row in range(window.model.rowCount())] == ids
    qtbot.waitUntil(lambda: window.stages.complete, timeout=10_000)
    # Read again (as when demo mode ends), and a change heard before that read lands: the newest task finished.
    window.load_history()
    newest = window.model.task_at(0).with_(phase=TaskPhase.SUCCESS, fail_message="")
    window._on_task_changed(newest)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=10_000)
    assert len(readers) == 2
    assert [window.model.task_at(row).local_id for row in range(window.model.rowCount())] == ids
    assert window.model.task_at(0).phase == TaskPhase.SUCCESS  # laid over the read, which still had it failed
    window.close()
