"""Task wording: the words every view shows for a task, made in one place, so the list and the detail agree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase
from sora2_desktop.ui.tasks import task_wording as wording
from sora2_desktop.ui.tasks.detail import TaskDetail
from sora2_desktop.ui.tasks.notifier import TaskNotifier
from sora2_desktop.ui.tasks.table_model import TaskTableModel

NOW = datetime(2026, 1, 9, 12, 0, 0, tzinfo=UTC)


def make_task(phase: TaskPhase = TaskPhase.PROCESSING, **changes: object) -> Task:
    task = Task(
        request=GenerationRequest(prompt="A red fox runs through snow"),
        created_at=NOW - timedelta(minutes=5),
        phase=phase,
        local_id=1,
        task_id="task_00000001",
        submitted_at=NOW - timedelta(minutes=3),
    )
    return task.with_(**changes) if changes else task


def test_every_task_names_its_model_and_the_frame_value_its_model_takes() -> None:
    pro = GenerationRequest(prompt="p", model="sora-2-pro", duration=8, size="1792*1024", provider="official")
    assert wording.settings_text(pro) == "Sora 2 Pro · T2V · 8 s · 1792×1024"
    image = GenerationRequest(prompt="p", model="sora-2-pro", mode=Mode.IMAGE_TO_VIDEO, duration=4, resolution="1080p")
    assert wording.settings_text(image, short=False) == "Sora 2 Pro · image-to-video · 4 s · 1080p"
    # Pro has no watermark option: its flag (always sent as True before) is not claimed as done.
    assert wording.provider_text(pro) == "official"
    # A task stored before models were data reads as Sora 2 (GenerationRequest.from_dict); an unknown model by id.
    old = GenerationRequest.from_dict({"prompt": "p", "duration": 15, "aspect_ratio": "portrait"})
    assert wording.settings_text(old) == "Sora 2 · T2V · 15 s · portrait"
    assert wording.settings_text(GenerationRequest(prompt="p", model="veo-9", size="640*480")) == (
        "veo-9 · T2V · 10 s · 640×480"
    )
    assert "sora 2 pro" in wording.search_text(make_task(request=pro))


def test_the_settings_tooltip_names_the_catalogue_and_the_estimate() -> None:
    lines = wording.settings_tooltip(make_task(catalogue_version="2026-12-03.1", cost_estimate_usd=0.15))
    assert "Model list: 2026-12-03.1" in lines and "Estimate: ≈$0.15" in lines
    assert "Model list" not in wording.settings_tooltip(make_task())


def test_the_spend_question_names_the_model_and_the_estimate() -> None:
    from sora2_desktop.core.account.estimate import Estimate

    pro = GenerationRequest(prompt="p", model="sora-2-pro", duration=8, size="1280*720", provider="official")
    question, details = wording.spend_question(3, pro, Estimate(2.4, 3, 10.0))
    assert question == "Submit 3 takes × 8 s of Sora 2 Pro, estimated at ≈$7.20?"
    assert details.startswith("Sora 2 Pro · text-to-video · 8 s · 1280×720, provider official.")
    assert wording.spend_question(1, GenerationRequest(prompt="p"))[0] == "Submit 1 take × 10 s of Sora 2?"


def test_every_phase_has_its_own_word() -> None:
    words = {phase: wording.phase_word(phase, "throttled") for phase in TaskPhase}
    assert len(set(words.values())) == len(TaskPhase)
    assert words[TaskPhase.SUBMITTING] == "Submitting…"
    assert words[TaskPhase.SUBMIT_UNKNOWN] == "Answer lost"
    assert words[TaskPhase.UNKNOWN] == 'Unknown state "throttled"'


def test_a_picked_take_says_so_in_its_state_and_tooltip() -> None:
    picked = make_task(TaskPhase.SUCCESS, chosen=True)
    assert wording.state_text(picked) == "Done · Circled"
    assert wording.state_text(picked.with_(chosen=False)) == "Done"
    assert wording.state_tooltip(picked).splitlines() == [
        "Done · Circled",
        "You circled this take: a keeper",
        "Task id: task_00000001",
    ]
    assert "circled" not in wording.state_tooltip(picked.with_(chosen=False)).lower()


def test_settings_short_for_the_list_and_spelled_out_for_the_detail() -> None:
    request = GenerationRequest(prompt="p", mode=Mode.IMAGE_TO_VIDEO, duration=15, aspect_ratio="portrait")
    assert wording.settings_text(request) == "Sora 2 · I2V · 15 s · portrait"
    assert wording.settings_text(request, short=False) == "Sora 2 · image-to-video · 15 s · portrait"
    assert wording.provider_text(request) == "auto · watermark removed"
    assert wording.provider_text(GenerationRequest(prompt="p", provider="official", remove_watermark=False)) == (
        "official"
    )


def test_detail_line_by_phase() -> None:
    done = make_task(TaskPhase.SUCCESS, result_urls=("https://r/1.mp4",))
    assert wording.detail_line(done) == "1 video"
    assert wording.detail_line(done.with_(result_urls=("a", "b", "c"))) == "3 videos"
    assert wording.detail_line(done, "Saved · Link valid 14 more days") == "Saved · Link valid 14 more days"
    assert wording.detail_line(make_task(TaskPhase.PROCESSING)) == ""
    assert wording.detail_line(make_task(TaskPhase.QUEUED)) == "Waiting: 1,000 tasks are already running on this key"
    waiting = make_task(TaskPhase.QUEUED, note=TaskNote.WAITING_FOR_KEY)
    assert wording.detail_line(waiting) == "Waiting for a valid API key."
    failed = make_task(TaskPhase.FAILED, fail_code="CONTENT_VIOLATION")
    assert "safety guidelines" in wording.detail_line(failed)
    assert "neutral terms" in (wording.detail_tooltip(failed) or "")
    assert wording.detail_tooltip(make_task(TaskPhase.PROCESSING)) is None


def test_progress_shows_a_percentage_only_once_the_service_has_it() -> None:
    assert wording.progress_text(make_task(TaskPhase.PROCESSING), 0.537) == "54%"
    assert wording.progress_text(make_task(TaskPhase.SUCCESS), 1.0) == "100%"
    assert wording.progress_text(make_task(TaskPhase.SUBMITTING), 0.0) == ""
    assert wording.progress_text(make_task(TaskPhase.FAILED), 0.0) == ""


@pytest.mark.parametrize(
    ("prompt", "limit", "ellipsis", "expected"),
    [
        ("Aerial\n\nview   over hills", 80, True, "Aerial view over hills"),
        ("one two three four", 10, True, "one two t…"),
        ("one two three four", 10, False, "one two th"),
    ],
)
def test_prompt_line(prompt: str, limit: int, ellipsis: bool, expected: str) -> None:
    assert wording.prompt_line(prompt, limit, ellipsis=ellipsis) == expected


def test_search_text_holds_prompt_id_failure_and_note() -> None:
    haystack = wording.search_text(make_task(TaskPhase.PENDING, note=TaskNote.RATE_LIMITED))
    assert "red fox" in haystack and "task_00000001" in haystack and "rate-limited" in haystack
    assert haystack == haystack.casefold()


def test_list_detail_and_notice_use_the_same_words(qtbot) -> None:
    picked = make_task(TaskPhase.SUCCESS, chosen=True, result_urls=("https://r/1.mp4",), cost_time_ms=161_400)
    failed = make_task(TaskPhase.FAILED, fail_code="CONTENT_VIOLATION", local_id=2)
    model = TaskTableModel(now=lambda: NOW)
    model.set_tasks([failed, picked])
    detail = TaskDetail()
    qtbot.addWidget(detail)
    for row, task in ((0, failed), (1, picked)):
        state_cell = model.data(model.index(row, TaskTableModel.COL_STATE), Qt.ItemDataRole.DisplayRole)
        detail.show_task(task)
        assert state_cell == wording.state_text(task) and f"<td>{state_cell}</td>" in detail.text()
    assert "<td>Sora 2 · text-to-video · 10 s · landscape</td>" in detail.text()
    assert "<td>2:41</td>" in detail.text()  # the service's generation time, on the list's clock
    window = QMainWindow()
    qtbot.addWidget(window)
    shown: list[tuple[str, str]] = []
    notifier = TaskNotifier(window, lambda: True, window.windowIcon(), is_active=lambda: False,
                            show=lambda title, body, _icon: shown.append((title, body)))  # fmt: skip
    notifier.task_changed(failed.with_(phase=TaskPhase.PROCESSING))
    notifier.task_changed(failed)
    assert shown == [wording.notice(failed, 80)]
    assert shown[0][1].startswith(wording.detail_line(failed))
