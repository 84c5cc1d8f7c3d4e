"""ComposeController: the form's values go to Session.submit as they are; core's field errors come back at their
fields, the form is busy meanwhile, added URLs are checked once, and a refusal of the last batch shows beside it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from sora2_desktop.api import FieldError, GenerationRequest, Mode
from sora2_desktop.core.images.resolver import ImageSource
from sora2_desktop.core.tasks.submission import SubmitResult
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.compose.compose_controller import ComposeController
from sora2_desktop.ui.compose.generation_form import GenerationForm
from tests.helpers.wait import wait_until

PROMPT = "A lantern festival over a river at dusk"


class FakeSession(QObject):
    """Session's compose operations: `answer` is what submit returns once `release` is set."""

    task_changed = Signal(Task)

    def __init__(self) -> None:
        super().__init__()
        self.active = True
        self.answer = SubmitResult()
        self.release = asyncio.Event()
        self.submits: list[tuple[GenerationRequest, list[ImageSource], int]] = []
        self.checked: list[str] = []
        self.bad_urls: dict[str, str] = {}

    async def submit(self, request: GenerationRequest, images: Sequence[ImageSource], takes: int) -> SubmitResult:
        self.submits.append((request, list(images), takes))
        await self.release.wait()
        return self.answer

    async def check_image_url(self, url: str) -> str | None:
        self.checked.append(url)
        return self.bad_urls.get(url)


def task(batch: str, phase: TaskPhase = TaskPhase.PENDING, words: str | None = None) -> Task:
    now = datetime.now(UTC)
    return Task(GenerationRequest(prompt=PROMPT), now, phase, local_id=1, batch_id=batch, error_message=words)


@pytest.fixture
def parts(qtbot: QtBot, run_async: Any) -> tuple[FakeSession, GenerationForm, ComposeController]:
    session = FakeSession()
    form = GenerationForm()
    qtbot.addWidget(form)
    controller = ComposeController(session, form)  # type: ignore[arg-type]
    form.prompt_editor.set_text(PROMPT)
    return session, form, controller


def test_the_form_is_busy_until_core_answers_and_its_errors_land_at_their_fields(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, controller = parts
    session.answer = SubmitResult(errors=[FieldError("callback_url", "Give a public https:// address.")])

    async def scenario() -> None:
        controller.generate()
        await wait_until(lambda: bool(session.submits), what="the submit")
        assert form.is_busy()
        controller.generate()  # a second click while busy sends nothing more
        session.release.set()
        await wait_until(lambda: not form.is_busy(), what="the answer")

    run_async(scenario())
    assert session.submits == [(GenerationRequest(prompt=PROMPT), [], 1)]
    assert form.field_error("callback_url") == "Give a public https:// address."
    assert form.prompt_editor.text() == PROMPT  # nothing typed is lost


def test_images_go_to_core_as_listed_and_the_takes_as_chosen(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, controller = parts
    form.load_request(GenerationRequest(prompt=PROMPT, mode=Mode.IMAGE_TO_VIDEO))
    form.image_picker.add_source("https://example.com/a.png")
    session.answer = SubmitResult(tasks=[task("b1"), task("b1")])
    messages: list[str] = []
    controller.status_message.connect(lambda text, _ms: messages.append(text))
    session.release.set()

    async def scenario() -> None:
        controller.generate()
        await wait_until(lambda: bool(messages), what="the status message")

    run_async(scenario())
    ((request, images, takes),) = session.submits
    assert request.mode == Mode.IMAGE_TO_VIDEO and request.image_urls == ()
    assert images == [ImageSource("https://example.com/a.png", False)] and takes == 1
    assert messages == ["Submitted 2 task(s)."]


def test_nothing_is_sent_without_a_connection(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, controller = parts
    session.active = False
    controller.generate()
    run_async(asyncio.sleep(0.05))
    assert session.submits == [] and not form.is_busy()


def test_an_added_url_is_checked_once_and_a_bad_one_explained(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, _controller = parts
    bad = "https://example.com/page.png"
    session.bad_urls[bad] = "It is a web page, not an image."
    form.load_request(GenerationRequest(prompt=PROMPT, mode=Mode.IMAGE_TO_VIDEO))
    form.image_picker.add_source("https://example.com/good.png")
    form.image_picker.add_source(bad)

    async def scenario() -> None:
        await wait_until(lambda: "web page" in form.field_error("image_urls"), what="the reason at the images")

    run_async(scenario())
    assert session.checked == ["https://example.com/good.png", bad]
    form.image_picker.remove_selected()  # the bad one, last added
    form.image_picker.add_source(bad)  # fixed at its end, perhaps: asked again
    run_async(wait_until(lambda: session.checked.count(bad) == 2, what="the second check"))
    assert session.checked.count("https://example.com/good.png") == 1


def test_a_refusal_of_the_last_batch_shows_beside_the_form(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, controller = parts
    session.answer = SubmitResult(tasks=[task("mine")])
    session.release.set()

    async def scenario() -> None:
        controller.generate()
        await wait_until(lambda: not form.is_busy() and bool(session.submits), what="the submit")

    run_async(scenario())
    session.task_changed.emit(task("older", TaskPhase.REJECTED, "Not this one"))
    assert form.field_error("") == ""
    session.task_changed.emit(task("mine", TaskPhase.REJECTED, "Insufficient credits"))
    assert form.field_error("") == "Insufficient credits"


def test_a_refused_batch_is_told_once_and_never_counted_as_submitted(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, controller = parts
    # One take already refused by the time submit returns, two still on their way.
    session.answer = SubmitResult(tasks=[task("mine", TaskPhase.REJECTED, "Insufficient credits"), task("mine")])
    session.release.set()
    messages: list[str] = []
    controller.status_message.connect(lambda text, _ms: messages.append(text))

    async def scenario() -> None:
        controller.generate()
        await wait_until(lambda: not form.is_busy() and bool(session.submits), what="the submit")

    run_async(scenario())
    assert messages == ["Submitted 1 task(s)."]  # the refused take is not counted
    for _take in range(3):
        session.task_changed.emit(task("mine", TaskPhase.REJECTED, "Insufficient credits"))
    assert form.field_error("") == "Insufficient credits"  # once, not once per take
    assert messages[1:] == ["The service refused the submit: Insufficient credits"]
