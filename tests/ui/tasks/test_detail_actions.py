"""TaskDetail: says a refusal once, and offers Retry now / Cancel for the waits that can be ended."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.tasks.connection_state import ConnectionState
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase
from sora2_desktop.ui.tasks.detail import TaskDetail
from sora2_desktop.ui.tasks.task_wording import connection_words, state_text

REQUEST = GenerationRequest(prompt="A quiet street after rain")


def make(phase: TaskPhase, **changes: object) -> Task:
    return Task(REQUEST, datetime.now(UTC), phase, local_id=7).with_(**changes)


def test_a_refusal_is_said_once(qtbot: QtBot) -> None:
    detail = TaskDetail()
    qtbot.addWidget(detail)
    detail.show_task(make(TaskPhase.REJECTED, error_message="Insufficient credits"))
    assert detail.text().count("Insufficient credits") == 1
    assert "action:cancel" not in detail.text()  # finished: nothing to cancel


def test_a_not_sent_task_offers_retry_and_cancel(qtbot: QtBot) -> None:
    detail = TaskDetail()
    qtbot.addWidget(detail)
    waiting = make(TaskPhase.QUEUED, note=TaskNote.WAITING_FOR_NETWORK)
    assert state_text(waiting) == "Not sent — waiting for the network"
    detail.show_task(waiting)
    assert "action:retry" in detail.text() and "action:cancel" in detail.text()
    with qtbot.waitSignal(detail.retry_requested) as retry:
        detail._label.linkActivated.emit("action:retry")
    with qtbot.waitSignal(detail.cancel_requested) as cancel:
        detail._label.linkActivated.emit("action:cancel")
    assert retry.args == [7] and cancel.args == [7]
    detail.show_task(make(TaskPhase.PENDING))
    assert "action:retry" not in detail.text() and "action:cancel" in detail.text()


def test_the_connection_words_follow_real_answers() -> None:
    base = "https://api.example"
    assert connection_words(ConnectionState.UNKNOWN, base) == "https://api.example — not contacted yet"
    assert connection_words(ConnectionState.CONNECTED, base) == "Connected to https://api.example"
    assert "refused" in connection_words(ConnectionState.KEY_REFUSED, base)
    assert "Cannot reach" in connection_words(ConnectionState.UNREACHABLE, base)
    assert state_text(make(TaskPhase.CANCELLED)) == "Cancelled"
