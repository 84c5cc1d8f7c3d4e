"""The service refuses a value the app's catalogue still offers: its 400 lands at the control it names, the whole
draft stays, and the refresh offered there brings the form to what the service takes now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton

from sora2_desktop.core.tasks.task import TaskPhase
from tests.e2e.conftest import AppUnderTest
from tests.e2e.test_generate_flow import PROMPT, press_generate, submitted_bodies, type_prompt
from tests.helpers.wait import wait_until


def test_a_refused_duration_lands_at_its_control_and_the_offered_refresh_fixes_the_form(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    form = app.window.form
    # The service moved to its later page; this app has not read it yet and still offers 10 and 15 s.
    app.sim.set_contract("later")
    app.session.models.set_index_override(app.sim.models_index_url)
    type_prompt(qtbot, app)
    form._delivery.set_value("callback")
    form._callback.setText("https://hooks.example.com/sora")
    form._delivery.set_value("async")
    draft = form.values()
    assert draft.duration == 10
    press_generate(qtbot, app)

    refusal = "input.duration must be one of 4, 8, 12 (got 10)"
    run_async(wait_until(lambda: form.field_error("duration") != "", what="the refusal at the duration"))
    assert form.field_error("duration") == refusal
    assert form.field_error("") == ""  # not the general label: the control it names
    assert app.row_task().phase == TaskPhase.REJECTED
    assert form.values() == draft  # nothing typed or chosen is lost, hidden choices included
    assert form.prompt_editor.text() == PROMPT

    refresh = next(b for b in form.findChildren(QPushButton) if b.text() == "Refresh the model list")
    assert refresh.isVisible()
    refresh.click()
    outcome = "Model list refreshed: Sora 2 now offers 4, 8 and 12 s"
    run_async(wait_until(lambda: outcome in _outcome_text(app), what="the refresh's outcome beside the refusal"))
    assert form._duration.values() == [4, 8, 12]
    assert form.values().duration == 8
    assert form.field_note("duration") == "10 s is no longer offered for Sora 2; set to 8 s."
    assert form.prompt_editor.text() == PROMPT

    press_generate(qtbot, app)

    async def passes() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 2, what="the second task's row")
        await wait_until(lambda: app.row_task(0).phase == TaskPhase.SUCCESS, timeout=30, what="the second task")

    run_async(passes())
    refused, sent = submitted_bodies(app)
    assert refused["input"]["duration"] == 10 and sent["input"]["duration"] == 8
    assert sent["provider"] == "official"


def _outcome_text(app: AppUnderTest) -> str:
    return "\n".join(label.text() for label in app.window.form.findChildren(QLabel) if label.isVisible())
