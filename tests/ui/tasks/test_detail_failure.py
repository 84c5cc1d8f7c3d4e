"""TaskDetail on a failed task: which part the service blamed, and the explanation that says what to change."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.tasks.detail import TaskDetail

IMAGE_REQUEST = GenerationRequest(
    prompt="A red fox runs through snow", mode=Mode.IMAGE_TO_VIDEO, image_urls=("https://img.example/fox.png",)
)


def failed(code: str) -> Task:
    return Task(IMAGE_REQUEST, datetime.now(UTC), TaskPhase.FAILED, local_id=4, task_id="task_4", fail_code=code)


def test_the_detail_names_the_part_and_what_to_change(qtbot: QtBot) -> None:
    detail = TaskDetail()
    qtbot.addWidget(detail)
    detail.show_task(failed("InputImageSensitiveContentDetected"))
    text = detail.text()
    assert "What failed" in text and "the reference image" in text
    assert "The reference image was flagged: change the image, not the prompt." in text
    detail.show_task(failed("InputOutputSensitiveContentDetected"))
    assert "the result (after it was made)" in detail.text()
    assert "rephrase the prompt; the image was fine." in detail.text()


def test_an_unknown_code_has_no_part_row(qtbot: QtBot) -> None:
    detail = TaskDetail()
    qtbot.addWidget(detail)
    detail.show_task(failed("GPU_MELTED"))
    assert "What failed" not in detail.text() and "GPU_MELTED" in detail.text()
