"""TaskNotifier: one message per task that ends while the window is in the background, and only then."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QMainWindow

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.tasks.notifier import TaskNotifier


def make(qtbot: Any, *, active: bool = False, enabled: bool = True) -> tuple[TaskNotifier, list[tuple[str, str]]]:
    window = QMainWindow()
    qtbot.addWidget(window)
    shown: list[tuple[str, str]] = []
    state = {"active": active, "enabled": enabled}
    notifier = TaskNotifier(
        window,
        lambda: state["enabled"],
        window.windowIcon(),
        is_active=lambda: state["active"],
        show=lambda title, body, _icon: shown.append((title, body)),
    )
    return notifier, shown


def task(phase: TaskPhase, **kw: Any) -> Task:
    return Task(
        request=GenerationRequest(prompt="A fox in fresh snow, slow dolly in"),
        created_at=datetime.now(UTC),
        phase=phase,
        local_id=7,
        **kw,
    )


def test_success_in_the_background_is_announced_once(qtbot: Any) -> None:
    notifier, shown = make(qtbot)
    for phase in (TaskPhase.PENDING, TaskPhase.PROCESSING, TaskPhase.SUCCESS, TaskPhase.SUCCESS):
        notifier.task_changed(task(phase))
    assert shown == [("Video ready", "A fox in fresh snow, slow dolly in")]


def test_failure_says_why(qtbot: Any) -> None:
    notifier, shown = make(qtbot)
    notifier.task_changed(task(TaskPhase.PROCESSING))
    notifier.task_changed(task(TaskPhase.FAILED, fail_code="CONTENT_VIOLATION", fail_message="Depicts violence"))
    ((title, body),) = shown
    assert title == "Generation failed" and "violence" in body.lower()


def test_nothing_when_the_window_is_active_or_notifications_are_off(qtbot: Any) -> None:
    notifier, shown = make(qtbot, active=True)
    notifier.task_changed(task(TaskPhase.PROCESSING))
    notifier.task_changed(task(TaskPhase.SUCCESS))
    quiet, quiet_shown = make(qtbot, enabled=False)
    quiet.task_changed(task(TaskPhase.PROCESSING))
    quiet.task_changed(task(TaskPhase.SUCCESS))
    assert shown == [] and quiet_shown == []


def test_clicking_the_message_brings_up_the_task(qtbot: Any) -> None:
    notifier, _ = make(qtbot)
    notifier.task_changed(task(TaskPhase.PROCESSING))
    notifier.task_changed(task(TaskPhase.SUCCESS))
    with qtbot.waitSignal(notifier.task_activated) as signal:
        notifier._bring_up()
    assert signal.args == [7]


def test_a_task_seen_failing_twice_is_announced_once(qtbot: Any) -> None:
    notifier, shown = make(qtbot)
    notifier.task_changed(task(TaskPhase.SUBMITTING))
    notifier.task_changed(task(TaskPhase.REJECTED, error_message="Insufficient credits"))
    notifier.task_changed(task(TaskPhase.REJECTED, error_message="Insufficient credits"))
    assert len(shown) == 1 and "Insufficient credits" in shown[0][1]
