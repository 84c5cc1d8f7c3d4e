"""Money and work are hard to lose: spending asks first (not in demo mode), removing is undoable, demo apart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from sora2_desktop.api import ApiKey
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.common import confirm
from tests.e2e.conftest import AppUnderTest
from tests.e2e.test_generate_flow import press_generate, type_prompt
from tests.helpers.wait import wait_until


class Answers:
    """Stands in for the person at the confirmation: records each question and answers as told."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answer = QMessageBox.StandardButton.Cancel
        self.dont_ask_again = False

    def __call__(self, box: QMessageBox) -> int:
        self.asked.append(f"{box.text()} | {box.informativeText()}")
        box.checkBox().setChecked(self.dont_ask_again)
        return self.answer


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[Answers]:
    made = Answers()
    monkeypatch.setattr(confirm, "runner", made)
    yield made


def asking(app: AppUnderTest) -> AppUnderTest:
    """The app as a person has it: both questions asked (make_app turns them off for the other tests)."""
    app.session.settings.reset("confirm_takes")
    app.session.settings.reset("confirm_rerun")
    return app


def test_several_takes_ask_before_spending_and_cancel_sends_nothing(
    qtbot: Any, make_app: Callable[..., AppUnderTest], answers: Answers
) -> None:
    app = asking(make_app())
    type_prompt(qtbot, app)
    app.window.form._takes.setValue(3)
    press_generate(qtbot, app)
    assert len(answers.asked) == 1
    assert (
        "Submit 3 takes × 10 s of Sora 2, estimated at ≈$0.45?" in answers.asked[0]
        and "provider auto" in answers.asked[0]
    )
    assert app.window.model.rowCount() == 0 and app.session.tasks() == []


def test_rerun_asks_and_dont_ask_again_is_remembered(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any, answers: Answers
) -> None:
    app = asking(make_app())
    type_prompt(qtbot, app)
    press_generate(qtbot, app)  # one take: no question

    async def first() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1)

    run_async(first())
    assert answers.asked == []
    task = app.row_task()
    assert task.local_id is not None and app.window.task_list.select_task(task.local_id)
    app.window.task_list.rerun_longer_action.trigger()
    assert "Submit 1 take × 15 s of Sora 2?" in answers.asked[0]
    assert app.window.model.rowCount() == 1  # cancelled: nothing spent
    answers.answer = QMessageBox.StandardButton.Yes
    answers.dont_ask_again = True
    app.window.task_list.rerun_action.trigger()
    assert app.session.settings.confirm_rerun is False
    app.window.task_list.rerun_action.trigger()  # not asked again
    assert len(answers.asked) == 2
    assert len(app.session.tasks()) == 3
    app.session.settings.reset("confirm_rerun")  # how the question comes back
    assert app.session.settings.confirm_rerun is True


def test_remove_then_undo_brings_the_row_back_and_it_is_still_followed(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    type_prompt(qtbot, app)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1 and app.row_task().phase == TaskPhase.PENDING)
        local_id = app.row_task().local_id
        assert local_id is not None and app.window.task_list.select_task(local_id)
        app.window.task_list.remove_action.trigger()
        assert app.window.model.rowCount() == 0
        await wait_until(lambda: app.stored(local_id).phase != TaskPhase.PENDING, what="polled while hidden")
        assert app.window.model.rowCount() == 0  # changes while hidden do not bring the row back
        assert app.window.task_actions.undo_remove()
        assert app.window.model.rowCount() == 1
        await wait_until(lambda: app.row_task().phase == TaskPhase.SUCCESS, what="followed to its end")
        assert "Connected to" in app.window.connection_label.text()  # from real answers, not at activation
        # Let its download finish: nothing is left mid-connection when the app closes.
        await wait_until(lambda: app.session.local_video(app.row_task()) is not None, what="the video saved")

    run_async(scenario())


def test_remove_of_a_running_task_forgets_it_after_the_undo_window(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    app.window.task_actions.removals.window_ms = 100
    type_prompt(qtbot, app)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1 and app.row_task().phase == TaskPhase.PENDING)
        local_id = app.row_task().local_id
        assert local_id is not None and app.window.task_list.select_task(local_id)
        app.window.task_list.remove_action.trigger()
        await wait_until(lambda: app.session.tasks() == [], what="gone from the store")
        runner = app.session._runner
        assert runner is not None and runner.live_count == 0
        assert not runner._scheduler.is_scheduled(local_id)

    run_async(scenario())


def test_demo_tasks_stay_out_of_the_real_history_and_a_key_leaves_demo_mode(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any, answers: Answers
) -> None:
    app = make_app(key=None, activate=False)

    async def scenario() -> None:
        app.window.activate(demo=True)
        assert app.session.demo and app.window.enter_key_button.isVisible()
        asking(app)
        type_prompt(qtbot, app)
        app.window.form._takes.setValue(2)
        app.window.generate_action.trigger()  # nothing is charged in demo mode: no question
        await wait_until(lambda: app.window.model.rowCount() == 2, what="the demo tasks")
        assert answers.asked == []
        demo_db = app.profile.root / "demo" / "tasks.sqlite3"
        assert demo_db.is_file()
        with TaskStore(app.profile.database_path) as real:
            assert real.count() == 0
        # Entering a key in Settings leaves demo mode for the real service and its (empty) history.
        app.session.secrets.save_api_key(ApiKey("real-key-0123456789"))
        app.window._on_key_changed(ApiKey("real-key-0123456789"))
        await wait_until(lambda: app.session.active and not app.session.demo, what="the real service")
        assert app.window.model.rowCount() == 0 and app.session.tasks() == []
        assert not app.window.enter_key_button.isVisible()

    run_async(scenario())
