"""The main window end to end: type, generate, and follow tasks to their end against the stand-in over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from tests.e2e.conftest import AppUnderTest
from tests.helpers.storage import S3Server
from tests.helpers.wait import wait_until

PROMPT = "A lighthouse on a rocky cliff at golden hour, slow dolly in"


def type_prompt(qtbot: Any, app: AppUnderTest, text: str = PROMPT) -> None:
    editor = app.window.form.prompt_editor.editor()
    editor.setFocus()
    qtbot.keyClicks(editor, text)
    assert app.window.form.prompt_editor.text() == text


def press_generate(qtbot: Any, app: AppUnderTest) -> None:
    qtbot.keyClick(app.window.form.prompt_editor.editor(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def submitted_bodies(app: AppUnderTest) -> list[dict[str, Any]]:
    return [
        json.loads(r.body)
        for r in app.sim.requests
        if r.origin == "api" and r.method == "POST" and r.path.startswith("/api/v1/generateTask")
    ]


def test_text_to_video_goes_pending_processing_success(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    type_prompt(qtbot, app)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1, what="a row for the new task")
        local_id = app.row_task().local_id
        assert local_id is not None
        await wait_until(lambda: app.stored(local_id).phase == TaskPhase.SUCCESS, what="success")
        # The views hear of a change on the next turn of the loop (coalesced per frame), after the store has it.
        await wait_until(lambda: app.phases[local_id][-1:] == [TaskPhase.SUCCESS], what="the table told of success")
        phases = app.phases[local_id]
        assert phases[-3:] == [TaskPhase.PENDING, TaskPhase.PROCESSING, TaskPhase.SUCCESS], phases
        done = app.stored(local_id)
        assert done.result_urls and done.result_urls[0].startswith(app.sim.cdn_base)
        assert app.row_task().phase == TaskPhase.SUCCESS  # the table shows it too

    run_async(scenario())
    (body,) = submitted_bodies(app)
    assert body["input"]["prompt"] == PROMPT and body["input"]["mode"] == "text-to-video"
    # The key went to the API with every request, and nowhere else.
    assert all(
        r.headers.get("authorization") == "Bearer e2e-key-0123456789" for r in app.sim.requests if r.origin == "api"
    )


def test_takes_submit_several_tasks_in_one_click(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    type_prompt(qtbot, app)
    app.window.form._takes.setValue(3)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 3)
        await wait_until(lambda: all(app.row_task(r).phase == TaskPhase.SUCCESS for r in range(3)))

    run_async(scenario())
    assert len({app.row_task(r).batch_id for r in range(3)}) == 1
    assert len(submitted_bodies(app)) == 3


def test_image_to_video_with_an_uploaded_file_and_a_url(
    qtbot: Any,
    make_app: Callable[..., AppUnderTest],
    run_async: Any,
    s3_server: S3Server,
    tmp_path: Path,
) -> None:
    app = make_app()
    bucket = s3_server.create_bucket()
    settings = app.session.settings
    settings.s3_endpoint = s3_server.endpoint_url
    settings.s3_bucket = bucket
    settings.s3_region = s3_server.region
    settings.s3_access_key_id = s3_server.access_key
    app.session.secrets.save_secret("s3_secret_access_key", s3_server.secret_key)

    local = tmp_path / "reference.png"
    image = QImage(64, 36, QImage.Format.Format_RGB32)
    image.fill(0x3366AA)
    assert image.save(str(local), "PNG")
    # The URL image: a second picture already on the (loopback) image host, reachable by a presigned link.
    url_image = tmp_path / "second.png"
    image.fill(0xAA6633)
    assert image.save(str(url_image), "PNG")

    async def upload_url_image() -> str:
        from sora2_desktop.core.images.check import check_local_image

        host = app.session._image_host()
        assert host is not None
        return await host.upload(check_local_image(url_image))

    url = run_async(upload_url_image())
    form = app.window.form
    form.load_request(GenerationRequest(prompt=PROMPT, mode=Mode.IMAGE_TO_VIDEO))
    assert form.image_picker.add_source(str(local))
    assert form.image_picker.add_source(url)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1, what="the task row")
        local_id = app.row_task().local_id
        assert local_id is not None
        await wait_until(lambda: app.stored(local_id).phase.is_final, what="a final state")
        assert app.stored(local_id).phase == TaskPhase.SUCCESS, app.stored(local_id)

    run_async(scenario())
    (body,) = submitted_bodies(app)
    urls = body["input"]["image_urls"]
    assert len(urls) == 2 and urls[1] == url
    assert urls[0].startswith(s3_server.endpoint_url) and bucket in urls[0]
    assert body["input"]["mode"] == "image-to-video"


def test_content_violation_is_explained_in_the_row(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    app.sim.faults.inject("content_violation", message="Depicts a real public figure")
    type_prompt(qtbot, app)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1)
        await wait_until(lambda: app.row_task().phase == TaskPhase.FAILED, what="failed")

    run_async(scenario())
    task = app.row_task()
    assert task.fail_code == "CONTENT_VIOLATION"
    detail_cell = app.window.model.index(0, app.window.model.COL_DETAIL).data()
    assert "real public figure" in detail_cell
    app.window.task_list.select_task(task.local_id)  # type: ignore[arg-type]
    assert "rephrase" in app.window.detail.text().lower() or "describe" in app.window.detail.text().lower()
    assert app.window.form.prompt_editor.text() == PROMPT  # nothing the person typed is lost


def test_insufficient_credits_is_shown_verbatim_beside_the_form(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    app.sim.faults.inject("insufficient_credits")
    type_prompt(qtbot, app)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 1)
        await wait_until(lambda: app.row_task().phase == TaskPhase.REJECTED, what="rejected")
        await wait_until(lambda: "Insufficient credits" in app.window.form.field_error("general"))

    run_async(scenario())
    assert app.row_task().error_message == "Insufficient credits"
    assert app.window.form.prompt_editor.text() == PROMPT


def test_401_pauses_polling_asks_for_the_key_and_resumes(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any, sim_factory: Any
) -> None:
    from sora2_desktop.sim import SimServer

    strict = SimServer(speed=100.0, require_key="the-right-key").start()
    try:
        app = make_app(key="a-wrong-key", sim=strict)
        asked: list[str] = []
        app.session.auth_required.connect(asked.append)
        type_prompt(qtbot, app)
        press_generate(qtbot, app)

        async def scenario() -> None:
            await wait_until(lambda: bool(asked), what="the key to be asked for")
            assert app.session.polling_paused
            assert app.row_task().phase == TaskPhase.QUEUED  # not created, not charged, not dropped
            # The app opened Settings at the key by itself; the person replaces the key there and presses OK.
            dialogs = [d for d in app.window.findChildren(SettingsDialog) if d.isVisible()]
            assert len(dialogs) == 1 and dialogs[0].current_tab() == "account"
            dialog, edit = dialogs[0], dialogs[0].account_page.api_key_edit
            assert edit.text() == "a-wrong-key"
            qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(edit, "the-right-key")
            assert edit.text() == "the-right-key"
            sent_before_ok = len(app.sim.requests)
            qtbot.mouseClick(dialog.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
            assert not dialog.isVisible()
            await wait_until(lambda: app.row_task().phase == TaskPhase.SUCCESS, what="success after the new key")
            # The running session took the new key: every request since OK carries it, none the refused one.
            since_ok = [r for r in app.sim.requests_snapshot()[sent_before_ok:] if r.origin == "api"]
            assert since_ok and all(r.headers.get("authorization") == "Bearer the-right-key" for r in since_ok)

        run_async(scenario())
    finally:
        strict.stop()


def test_a_429_storm_delays_but_never_drops_tasks(
    qtbot: Any, make_app: Callable[..., AppUnderTest], run_async: Any
) -> None:
    app = make_app()
    app.sim.faults.inject("rate_limit", count=25, retry_after=0)
    type_prompt(qtbot, app)
    app.window.form._takes.setValue(2)
    press_generate(qtbot, app)

    async def scenario() -> None:
        await wait_until(lambda: app.window.model.rowCount() == 2)
        await wait_until(
            lambda: all(app.row_task(r).phase == TaskPhase.SUCCESS for r in range(2)), timeout=60, what="both done"
        )
        # Both videos saved too: the window is not closed on a download still holding its connection.
        await wait_until(
            lambda: all(app.session.local_video(app.row_task(r)) is not None for r in range(2)),
            timeout=60,
            what="both saved",
        )

    run_async(scenario())
    refused = [r for r in app.sim.requests if r.origin == "api"]
    assert len(refused) >= 25 + 2  # the storm really happened, and was ridden out
    assert len(submitted_bodies(app)) >= 2
