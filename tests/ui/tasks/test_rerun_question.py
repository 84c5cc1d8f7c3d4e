"""Re-run asks first: flagged input (sent unchanged it is flagged again), a cost above the known balance, and the
usual spending question with this re-run's estimate and the balance after it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.account.estimate import Estimate, estimate_click
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common import confirm
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_actions import TaskActions
from tests.helpers.models import spec

B = QMessageBox.StandardButton
REQUEST = GenerationRequest(prompt="A red fox runs through snow")


class Answers:
    """The person at every question: records it and answers as told."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answer = B.No

    def __call__(self, box: QMessageBox) -> int:
        self.asked.append(f"{box.text()} | {box.informativeText()}")
        return self.answer


@dataclass
class FakeAccount:
    balance_usd: float | None = None

    def estimate(self, request: GenerationRequest, takes: int) -> Estimate:
        return estimate_click(spec(request.model), request.duration, takes, self.balance_usd)


@dataclass
class FakeSession:
    settings: AppSettings
    account: FakeAccount = field(default_factory=FakeAccount)
    active: bool = True
    demo: bool = False
    reruns: list[tuple[Task, int | None]] = field(default_factory=list)

    def rerun(self, task: Task, duration: int | None = None) -> list[Task]:
        self.reruns.append((task, duration))
        return []


class FakeEditor:
    def focus_editor(self) -> None:
        pass


@dataclass
class FakeForm:
    loaded: list[GenerationRequest] = field(default_factory=list)
    prompt_editor: FakeEditor = field(default_factory=FakeEditor)

    def load_request(self, request: GenerationRequest) -> None:
        self.loaded.append(request)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    made = Answers()
    monkeypatch.setattr(confirm, "runner", made)
    return made


@pytest.fixture
def session(tmp_path: Path) -> FakeSession:
    return FakeSession(AppSettings(Profile.from_dir(tmp_path / "profile").ensure()))


@pytest.fixture
def form() -> FakeForm:
    return FakeForm()


@pytest.fixture
def actions(qapp: object, session: FakeSession, form: FakeForm) -> TaskActions:
    return TaskActions(session, form, TaskTableModel())  # type: ignore[arg-type]


def failed(code: str | None, *, image: bool = False) -> Task:
    request = (
        REQUEST
        if not image
        else GenerationRequest(
            prompt=REQUEST.prompt, mode=Mode.IMAGE_TO_VIDEO, image_urls=("https://img.example/fox.png",)
        )
    )
    return Task(request, datetime.now(UTC), TaskPhase.FAILED, local_id=3, task_id="task_3", fail_code=code)


def test_a_flagged_task_asks_first_and_no_sends_nothing(
    actions: TaskActions, session: FakeSession, form: FakeForm, answers: Answers
) -> None:
    session.settings.confirm_rerun = False  # "Don't ask again" for spending does not cover flagged input
    actions.rerun(failed("CONTENT_VIOLATION"))
    assert len(answers.asked) == 1
    assert answers.asked[0].startswith(
        "The service flagged this prompt; sending it unchanged will be flagged again and may be charged. Re-run anyway?"
    )
    assert "Edit in the form" in answers.asked[0] and "≈$0.15" in answers.asked[0]
    assert session.reruns == [] and form.loaded == []
    actions.rerun(failed("CONTENT_VIOLATION"), 15)  # longer, but the same prompt: asked too
    assert len(answers.asked) == 2 and session.reruns == []


def test_edit_in_the_form_loads_the_task_instead(
    actions: TaskActions, session: FakeSession, form: FakeForm, answers: Answers
) -> None:
    answers.answer = B.Open
    task = failed("InputImageSensitiveContentDetected", image=True)
    actions.rerun(task)
    assert answers.asked[0].startswith("The service flagged this image;")
    assert form.loaded == [task.request] and session.reruns == []


def test_re_run_anyway_sends_it_asking_once(actions: TaskActions, session: FakeSession, answers: Answers) -> None:
    answers.answer = B.Yes
    task = failed("sensitive_content", image=True)
    actions.rerun(task)
    assert len(answers.asked) == 1 and answers.asked[0].startswith("The service flagged this prompt or image;")
    assert session.reruns == [(task, None)]


@pytest.mark.parametrize("code", ["GENERATION_FAILED", "GPU_MELTED", None])
def test_other_failures_ask_only_the_spending_question(
    actions: TaskActions, session: FakeSession, answers: Answers, code: str | None
) -> None:
    session.account.balance_usd = 10.0
    actions.rerun(failed(code))
    assert len(answers.asked) == 1 and "flagged" not in answers.asked[0]
    assert answers.asked[0].endswith("Estimated ≈$0.15 · leaves ≈$9.85.")
    assert session.reruns == []  # answered No


def test_the_spending_question_says_when_the_balance_is_unknown(
    actions: TaskActions, session: FakeSession, answers: Answers
) -> None:
    answers.answer = B.Yes
    done = failed(None).with_(phase=TaskPhase.SUCCESS)
    actions.rerun(done)
    assert answers.asked[0].endswith("Estimated ≈$0.15; balance unknown.")
    assert session.reruns == [(done, None)]


@pytest.mark.parametrize("demo", [False, True])
def test_a_re_run_above_the_known_balance_asks_every_time(
    actions: TaskActions, session: FakeSession, answers: Answers, demo: bool
) -> None:
    session.settings.confirm_rerun = False
    session.demo = demo
    session.account.balance_usd = 0.10
    done = failed(None).with_(phase=TaskPhase.SUCCESS)
    actions.rerun(done)
    assert answers.asked == [
        "This re-run is estimated at ≈$0.15; the key's balance is $0.10. Submit anyway? | The service refuses a "
        "task the balance cannot pay for; prices are your estimates (Settings)."
    ]
    assert session.reruns == []
    answers.answer = B.Yes
    actions.rerun(done)
    assert session.reruns == [(done, None)]
