"""A task the service flagged (a newer-generation code, against the stand-in over HTTP): its detail says which part
was the problem, and Re-run asks first — No sends nothing, Edit in the form loads it, Re-run anyway sends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.common import confirm
from tests.e2e.conftest import AppUnderTest
from tests.e2e.test_generate_flow import PROMPT, press_generate, submitted_bodies, type_prompt
from tests.helpers.wait import wait_until


class Answers:
    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answer = QMessageBox.StandardButton.No

    def __call__(self, box: QMessageBox) -> int:
        self.asked.append(box.text())
        return self.answer


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    made = Answers()
    monkeypatch.setattr(confirm, "runner", made)
    return made


def test_a_flagged_task_explains_the_part_and_its_rerun_asks_first(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any, answers: Answers
) -> None:
    app = make_app()
    app.sim.faults.inject("unknown_fail", code="SensitiveContentDetected", message="Flagged by moderation")
    type_prompt(qtbot, app)
    press_generate(qtbot, app)

    async def failed() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1)
        await wait_until(lambda: app.row_task().phase == TaskPhase.FAILED, what="flagged")

    run_async(failed())
    task = app.row_task()
    assert task.local_id is not None and app.window.task_list.select_task(task.local_id)
    assert "The prompt was flagged" in app.window.detail.text()

    app.window.task_list.rerun_action.trigger()  # No (the default)
    assert len(answers.asked) == 1 and answers.asked[0].startswith("The service flagged this prompt;")
    assert len(submitted_bodies(app)) == 1 and len(app.session.tasks()) == 1  # nothing sent

    app.window.form.prompt_editor.editor().setPlainText("something else entirely")
    answers.answer = QMessageBox.StandardButton.Open  # Edit in the form
    app.window.task_list.rerun_action.trigger()
    assert app.window.form.prompt_editor.text() == PROMPT
    assert len(submitted_bodies(app)) == 1 and len(app.session.tasks()) == 1

    answers.answer = QMessageBox.StandardButton.Yes  # Re-run anyway

    async def resent() -> None:
        app.window.task_list.rerun_action.trigger()
        await wait_until(lambda: len(submitted_bodies(app)) == 2, what="the re-run sent")

    run_async(resent())
    assert len(answers.asked) == 3  # one question each time, no second spending question after it
