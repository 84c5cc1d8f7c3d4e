"""The service's contract moves under a running window: the refresh reads the stand-in's published catalogue,
the compose form offers what the later page allows, and a submit with it passes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sora2_desktop.core.tasks.task import TaskPhase
from tests.e2e.conftest import AppUnderTest
from tests.e2e.test_generate_flow import press_generate, submitted_bodies, type_prompt
from tests.helpers.wait import wait_until


def test_the_window_follows_the_later_contract_and_its_submit_passes(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    form = app.window.form
    assert form._duration.values() == [10, 15]  # the shipped Sora 2 page
    assert form.values().duration == 10

    # The service publishes its later page; the app reads it after its first paint (as app.py starts it).
    app.sim.set_contract("later")
    app.session.models.set_index_override(app.sim.models_index_url)
    assert app.session.models.refresh_if_due()

    run_async(wait_until(lambda: form._duration.values() == [4, 8, 12], what="the form's durations from the refresh"))
    # Told once, in one line, in the status bar.
    assert app.window.statusBar().currentMessage() == (
        "Sora 2 now offers 4, 8 and 12 s; takes only the official provider; takes exactly one image"
    )
    # The draft's 10 s is gone: the nearest allowed value (the shorter on a tie), with a note at the field.
    assert form.values().duration == 8
    assert form.field_note("duration")
    assert form.values().provider == "official"
    # The refresh carried no key: the catalogue is public.
    docs = [r for r in app.sim.requests if r.origin == "docs"]
    assert docs and all("authorization" not in r.headers for r in docs)

    type_prompt(qtbot, app)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1, what="the task row")
        await wait_until(lambda: app.row_task().phase == TaskPhase.SUCCESS, timeout=30, what="the task to succeed")

    run_async(scenario())
    (sent,) = submitted_bodies(app)
    assert sent["input"]["duration"] == 8 and sent["provider"] == "official"
    task = app.row_task()
    assert task.catalogue_version == app.session.models.current().version
    assert "+live-" in task.catalogue_version
