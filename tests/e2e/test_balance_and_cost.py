"""Balance and cost end to end: the stand-in's balance in the status bar, debited by its price table as tasks run,
the Generate button's estimate following the model and duration, and the spend view beside the readings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.account.spend_view import SpendDialog
from tests.e2e.conftest import E2E_KEY, AppUnderTest
from tests.e2e.test_generate_flow import press_generate, type_prompt
from tests.helpers.wait import wait_until


def generate_text(app: AppUnderTest) -> str:
    return app.window.form._generate.text()


def test_the_balance_drops_by_the_price_table_as_tasks_run(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    label = app.window.balance_label
    start = app.sim.service.balance(E2E_KEY)
    run_async(wait_until(lambda: label.text() == "Balance $25.00", what="the stand-in's balance at start"))
    assert start == pytest.approx(25.0)
    assert label.isVisible()
    assert app.session.account.reads == 1  # one read at start, however many signals came

    # The estimate on Generate moves with the model and the duration (shipped prices, as the stand-in's table).
    form = app.window.form
    type_prompt(qtbot, app)
    form._takes.setValue(2)
    run_async(wait_until(lambda: "≈$0.30" in generate_text(app), what="2 × $0.15 on Generate"))
    assert "leaves ≈$24.70" in generate_text(app)
    form.set_values(replace(form.values(), model="sora-2-pro", duration=8))
    run_async(wait_until(lambda: "≈$4.80" in generate_text(app), what="2 × 8 s × $0.30 on Generate"))
    form.set_values(replace(form.values(), duration=4))
    run_async(wait_until(lambda: "≈$2.40" in generate_text(app), what="2 × 4 s × $0.30 on Generate"))
    form.set_values(replace(form.values(), model="sora-2", duration=10))
    run_async(wait_until(lambda: "≈$0.30" in generate_text(app), what="back to Sora 2"))

    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 2, what="two takes")
        await wait_until(
            lambda: all(app.row_task(r).phase == TaskPhase.SUCCESS for r in range(2)), what="both takes done"
        )
        # The stand-in debited $0.15 per accepted take; the window reads it after the takes end.
        await wait_until(lambda: label.text() == "Balance $24.70", what="the debited balance in the window")

    run_async(scenario())
    assert app.sim.service.balance(E2E_KEY) == pytest.approx(24.70)
    assert app.session.account.balance() == pytest.approx(24.70)
    assert all(app.row_task(r).cost_estimate_usd == pytest.approx(0.15) for r in range(2))
    balance_reads = [r for r in app.sim.requests if r.path == "/api/v1/apikeys/current-balance"]
    assert 2 <= len(balance_reads) <= 6  # at start, after the batch and the ends: debounced, not one per signal

    # The spend view: today's estimate beside what the readings saw the balance do.
    app.window.open_spend()
    dialog = app.window.findChild(SpendDialog)
    assert dialog is not None
    model = dialog.model
    total = model.rowCount() - 1
    assert [model.index(total, c).data() for c in range(4)] == ["Total", "2", "≈$0.30", "−$0.30"]
    dialog.close()


def test_the_balance_shows_unknown_when_the_answer_is_not_a_number(
    make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app(activate=False)
    label = app.window.balance_label
    assert not label.isVisible()  # nothing to show before the session is connected
    app.sim.service.set_balance(E2E_KEY, float("nan"))  # the stand-in's answer: "data": NaN, not a number
    app.window.activate()
    run_async(wait_until(lambda: label.text() == "Balance unknown", what="the unknown balance"))
    assert app.session.account.balance() is None
