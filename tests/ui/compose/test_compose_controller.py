"""ComposeController: the form's values go to Session.submit as they are; core's field errors come back at their
fields, the form is busy meanwhile, added URLs are checked once, and a refusal of the last batch shows beside it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QRadioButton, QSpinBox
from pytestqt.qtbot import QtBot

from sora2_desktop.api import FieldError, GenerationRequest, Mode
from sora2_desktop.api.model_spec import Price
from sora2_desktop.core.account.estimate import Estimate, estimate_click
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue, shipped_catalogue
from sora2_desktop.core.catalogue.catalogue_service import RefreshReport
from sora2_desktop.core.images.resolver import ImageSource
from sora2_desktop.core.tasks.submission import SubmitResult
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common import confirm
from sora2_desktop.ui.compose.compose_controller import ComposeController
from sora2_desktop.ui.compose.generation_form import GenerationForm
from tests.helpers.wait import wait_until

PROMPT = "A lantern festival over a river at dusk"


class FakeModels(QObject):
    """Session.models: the catalogue, and a refresh that answers `report` (and moves to `after`, if given)."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.catalogue = shipped_catalogue()
        self.report = RefreshReport()
        self.after: ModelCatalogue | None = None
        self.refreshes = 0

    def current(self) -> ModelCatalogue:
        return self.catalogue

    def move_to(self, catalogue: ModelCatalogue) -> None:
        self.catalogue = catalogue
        self.changed.emit()

    async def refresh_now(self) -> RefreshReport:
        self.refreshes += 1
        if self.after is not None:
            self.move_to(self.after)
        return self.report


class FakeAccount(QObject):
    """Session.account: a balance the test sets, and the estimate by the catalogue's prices."""

    balance_changed = Signal()

    def __init__(self, models: FakeModels) -> None:
        super().__init__()
        self._models = models
        self.amount: float | None = None

    def balance(self) -> float | None:
        return self.amount

    def set_balance(self, amount: float | None) -> None:
        self.amount = amount
        self.balance_changed.emit()

    def estimate(self, request: GenerationRequest, takes: int) -> Estimate:
        return estimate_click(self._models.current().spec_for(request.model), request.duration, takes, self.amount)


class FakeSettings(QObject):
    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.confirm_takes = True
        self.poll_interval_s = 10.0
        self.callback_poll_interval_s = 0.0  # "as often as any task"


class FakeSession(QObject):
    """Session's compose operations: `answer` is what submit returns once `release` is set."""

    task_changed = Signal(Task)

    def __init__(self) -> None:
        super().__init__()
        self.active = True
        self.demo = False
        self.models = FakeModels()
        self.account = FakeAccount(self.models)
        self.settings = FakeSettings()
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


def task(
    batch: str, phase: TaskPhase = TaskPhase.PENDING, words: str | None = None, request: GenerationRequest | None = None
) -> Task:
    now = datetime.now(UTC)
    made = request or GenerationRequest(prompt=PROMPT)
    return Task(made, now, phase, local_id=1, batch_id=batch, error_message=words)


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


# -- the click's cost, the balance, a refusal at its field, the catalogue under the form ---------------------


def generate_text(form: GenerationForm) -> str:
    return next(b for b in form.findChildren(QPushButton) if b.text().startswith("&Generate")).text()


def test_generate_shows_the_estimate_and_what_the_balance_would_be_after(
    parts: tuple[FakeSession, GenerationForm, ComposeController],
) -> None:
    session, form, _controller = parts
    assert generate_text(form) == "&Generate  ≈$0.15"  # Sora 2 at $0.15 a video; the balance is not known yet
    session.account.set_balance(24.85)
    assert generate_text(form) == "&Generate  ≈$0.15 · leaves ≈$24.70"
    form.findChild(QSpinBox).setValue(3)  # every draft change moves it
    assert generate_text(form) == "&Generate  ≈$0.45 · leaves ≈$24.40"
    form.load_request(GenerationRequest(prompt=PROMPT, model="sora-2-pro", duration=12, provider="official"))
    assert generate_text(form) == "&Generate  ≈$10.80 · leaves ≈$14.05"  # 3 × 12 s × $0.30
    tip = next(b for b in form.findChildren(QPushButton) if b.text().startswith("&Generate")).toolTip()
    assert "$0.30 per second" in tip and "$24.85" in tip
    cheaper = shipped_catalogue().with_prices({"sora-2-pro": Price("second", 0.1)})
    session.models.move_to(cheaper)  # a price edited in Settings
    assert generate_text(form) == "&Generate  ≈$3.60 · leaves ≈$21.25"


def answer_with(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[tuple[str, str]]:
    """Answer every spending question with `button`; each one asked as (its text, its default button's text)."""
    asked: list[tuple[str, str]] = []

    def runner(box: QMessageBox) -> int:
        default = box.defaultButton()
        asked.append((box.text(), default.text() if default is not None else ""))
        return button

    monkeypatch.setattr(confirm, "runner", runner)
    return asked


@pytest.mark.parametrize("demo", [False, True])
def test_a_click_above_the_balance_asks_first_and_no_sends_nothing(
    parts: tuple[FakeSession, GenerationForm, ComposeController],
    run_async: Any,
    monkeypatch: pytest.MonkeyPatch,
    demo: bool,
) -> None:
    session, form, controller = parts
    session.demo = demo  # the stand-in keeps a balance too: asked in demo mode as well
    session.account.set_balance(0.40)
    form.findChild(QSpinBox).setValue(3)
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.No)
    controller.generate()
    run_async(asyncio.sleep(0.05))
    assert asked == [("This click is estimated at ≈$0.45; the key's balance is $0.40. Submit anyway?", "Don't submit")]
    assert session.submits == [] and not form.is_busy()
    assert form.prompt_editor.text() == PROMPT

    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Yes)
    session.release.set()
    controller.generate()
    run_async(wait_until(lambda: bool(session.submits), what="the submit"))
    assert len(asked) == 1  # the over-balance question was the one question: no second "3 takes?" after it
    assert session.submits[0][2] == 3


def test_within_the_balance_only_the_takes_question_is_asked_and_it_names_the_estimate(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, form, controller = parts
    session.account.set_balance(20.0)
    form.findChild(QSpinBox).setValue(2)
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    controller.generate()
    assert [text for text, _default in asked] == ["Submit 2 takes × 10 s of Sora 2, estimated at ≈$0.30?"]
    assert session.submits == []
    form.findChild(QSpinBox).setValue(1)
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    session.release.set()
    controller.generate()  # one take within the balance: nothing to ask
    run_async(wait_until(lambda: bool(session.submits), what="the submit"))
    assert asked == []


def refuse_last_batch(session: FakeSession, controller: ComposeController, run_async: Any, words: str) -> None:
    session.answer = SubmitResult(tasks=[task("mine")])
    session.release.set()

    async def scenario() -> None:
        controller.generate()
        await wait_until(lambda: bool(session.submits), what="the submit")
        await wait_until(lambda: not controller._form.is_busy(), what="the answer")

    run_async(scenario())
    session.task_changed.emit(task("mine", TaskPhase.REJECTED, words))


def test_a_refusal_naming_a_parameter_lands_at_its_control_and_offers_the_refresh(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, controller = parts
    form.findChild(QSpinBox).setValue(1)
    before = form.values()
    words = "input.duration must be one of 4, 8, 12 (got 10)"
    refuse_last_batch(session, controller, run_async, words)
    assert form.field_error("duration") == words
    assert form.field_error("") == ""
    assert form.values() == before  # the whole draft stays
    refresh = next(b for b in form.findChildren(QPushButton) if b.text() == "Refresh the model list")
    assert refresh.isVisibleTo(form)
    # The offer sits with the message, in the duration's row.
    label = next(lab for lab in form.findChildren(QLabel) if lab.text() == words)
    assert label.parentWidget().isAncestorOf(refresh)
    assert label.parentWidget().isAncestorOf(next(b for b in form.findChildren(QRadioButton) if b.text() == "10 s"))

    # The refresh finds the later contract: the form moves 10 s to 8 s with a note, and says so in one line.
    later = replace(
        shipped_catalogue().default, durations=(4, 8, 12), default_duration=4, providers=("official",),
        default_provider="official",
    )  # fmt: skip
    session.models.after = ModelCatalogue("2026-12-03.1+live", (later, *list(shipped_catalogue())[1:]), "refreshed")
    session.models.report = RefreshReport(changes=["Sora 2 now offers 4, 8 and 12 s"])
    refresh.click()
    outcome = "Model list refreshed: Sora 2 now offers 4, 8 and 12 s"
    run_async(wait_until(lambda: any(lab.text() == outcome for lab in form.findChildren(QLabel)), what="the outcome"))
    assert session.models.refreshes == 1
    assert form.values().duration == 8 and form.values().provider == "official"
    assert form.field_note("duration") == "10 s is no longer offered for Sora 2; set to 8 s."
    assert form.prompt_editor.text() == PROMPT


def test_a_failed_refresh_says_why_in_one_line(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, controller = parts
    refuse_last_batch(session, controller, run_async, "Invalid parameter 'aspect_ratio'")
    assert form.field_error("aspect_ratio") == "Invalid parameter 'aspect_ratio'"
    session.models.report = RefreshReport(problem="the service's model index cannot be reached")
    next(b for b in form.findChildren(QPushButton) if b.text() == "Refresh the model list").click()
    outcome = "The model list could not be refreshed: the service's model index cannot be reached"
    run_async(wait_until(lambda: any(lab.text() == outcome for lab in form.findChildren(QLabel)), what="the outcome"))


def test_a_refusal_naming_no_parameter_stays_general_without_the_offer(
    parts: tuple[FakeSession, GenerationForm, ComposeController], run_async: Any
) -> None:
    session, form, controller = parts
    refuse_last_batch(session, controller, run_async, "Insufficient credits")
    assert form.field_error("") == "Insufficient credits"
    refresh = next(b for b in form.findChildren(QPushButton) if b.text() == "Refresh the model list")
    assert not refresh.isVisibleTo(form)


def test_callback_delivery_says_what_it_is_for_with_the_poll_interval(
    parts: tuple[FakeSession, GenerationForm, ComposeController],
) -> None:
    session, form, _controller = parts
    line = "For a studio server that receives the results; this app still polls every 10 s to show them here."
    label = next(lab for lab in form.findChildren(QLabel) if lab.text() == line)
    assert not label.isVisibleTo(form)
    next(b for b in form.findChildren(QRadioButton) if b.text() == "Callback").click()
    assert label.isVisibleTo(form)
    session.settings.callback_poll_interval_s = 30.0  # the person spaced callback tasks out
    session.settings.changed.emit("callback_poll_interval_s")
    assert label.text() == line.replace("10 s", "30 s")
    session.settings.callback_poll_interval_s = 0.0
    session.settings.poll_interval_s = 20.0
    session.settings.changed.emit("poll_interval_s")
    assert label.text() == line.replace("10 s", "20 s")
