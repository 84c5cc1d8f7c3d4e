"""Tests for the task table model, its filter proxy and the failure wording they show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon

from sora2_desktop.api import GenerationRequest, Mode
from sora2_desktop.core.tasks.failure_text import NO_FAILURE, explain_failure
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.palette import Tone, error_color, text_color
from sora2_desktop.ui.tasks.filter_proxy import StateFilter, TaskFilterProxy
from sora2_desktop.ui.tasks.marks import picked_icon, state_icon
from sora2_desktop.ui.tasks.table_model import TaskTableModel

NOW = datetime(2026, 1, 9, 12, 0, 0, tzinfo=UTC)
M = TaskTableModel
PHASES = list(TaskPhase)


def make_task(local_id: int, phase: TaskPhase = TaskPhase.PROCESSING, **changes: object) -> Task:
    request_keys = ("prompt", "mode", "duration", "aspect_ratio", "image_urls")
    request_fields = {key: changes.pop(key) for key in request_keys if key in changes}
    request_fields.setdefault("prompt", f"A red fox runs through snow, take {local_id}")
    request = GenerationRequest(**request_fields)  # type: ignore[arg-type]
    submitted = None if phase in (TaskPhase.QUEUED, TaskPhase.SUBMITTING) else NOW - timedelta(seconds=161)
    task = Task(
        request=request,
        created_at=NOW - timedelta(seconds=200),
        phase=phase,
        local_id=local_id,
        task_id=f"task_{local_id:08d}" if submitted else None,
        submitted_at=submitted,
    )
    return task.with_(**changes) if changes else task


def many_tasks(count: int) -> list[Task]:
    """Newest first, every phase represented."""
    return [make_task(i, PHASES[i % len(PHASES)]) for i in range(count, 0, -1)]


@pytest.fixture
def model(qapp: object) -> TaskTableModel:
    return TaskTableModel(now=lambda: NOW)


def cell(model: TaskTableModel, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return model.data(model.index(row, column), role)


def record_changes(model: TaskTableModel) -> list[tuple[int, int, int, int]]:
    changes: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda tl, br, _roles=(): changes.append((tl.row(), br.row(), tl.column(), br.column())))
    return changes


def exercise(model: TaskTableModel, proxy: TaskFilterProxy | None = None) -> None:
    """Every kind of change, while a model tester is connected and re-checks after each."""
    model.upsert(make_task(5, TaskPhase.SUCCESS, result_urls=("https://r2.apixo.ai/v.mp4",)))
    model.upsert(make_task(1000, TaskPhase.PENDING))
    model.upsert(make_task(6, TaskPhase.FAILED, fail_code="CONTENT_VIOLATION"))
    model.remove(150)
    model.remove(1)
    model.remove(1000)
    model.tick()
    if proxy is not None:
        proxy.set_search_text("fox take 1")
        proxy.set_state_filter(StateFilter.FAILED)
        proxy.set_search_text("")
    model.set_tasks(many_tasks(180))


def test_model_passes_the_model_tester(qtmodeltester, model: TaskTableModel) -> None:
    model.set_tasks(many_tasks(200))
    qtmodeltester.check(model, force_py=True)
    exercise(model)


def test_proxy_passes_the_model_tester(qtmodeltester, model: TaskTableModel) -> None:
    model.set_tasks(many_tasks(200))
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_state_filter(StateFilter.RUNNING)
    qtmodeltester.check(proxy, force_py=True)
    exercise(model, proxy)


def test_set_tasks_keeps_newest_first_and_maps_ids(model: TaskTableModel) -> None:
    model.set_tasks([make_task(3), make_task(2), make_task(1)])
    assert [model.task_at(row).local_id for row in range(3)] == [3, 2, 1]
    assert [model.row_of(i) for i in (3, 2, 1)] == [0, 1, 2]
    assert cell(model, 0, M.COL_PROMPT, M.LocalIdRole) == 3
    assert model.row_of(99) is None
    with pytest.raises(IndexError):
        model.task_at(3)


def test_upsert_existing_task_changes_only_its_row(model: TaskTableModel) -> None:
    model.set_tasks(many_tasks(20))
    changes = record_changes(model)
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, _last: inserted.append(first))
    row = model.upsert(make_task(7, TaskPhase.FAILED, fail_code="CONTENT_VIOLATION"))
    assert row == model.row_of(7) == 13
    assert changes == [(13, 13, 0, M.COLUMN_COUNT - 1)]
    assert inserted == []
    assert model.task_at(13).phase == TaskPhase.FAILED


def test_upsert_new_task_goes_on_top_and_ids_stay_mapped(model: TaskTableModel) -> None:
    model.set_tasks(many_tasks(5))
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    assert model.upsert(make_task(6, TaskPhase.SUBMITTING)) == 0
    assert inserted == [(0, 0)]
    assert [model.task_at(row).local_id for row in range(6)] == [6, 5, 4, 3, 2, 1]
    assert all(model.task_at(model.row_of(i) or 0).local_id == i for i in range(1, 7))
    with pytest.raises(ValueError):
        model.upsert(make_task(1).with_(local_id=None))


def test_remove_keeps_every_remaining_id_mapped(model: TaskTableModel) -> None:
    model.set_tasks(many_tasks(10))
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    assert model.remove(4) is True
    assert removed == [(6, 6)]
    assert model.remove(4) is False
    assert model.rowCount() == 9
    for local_id in (1, 2, 3, 5, 6, 7, 8, 9, 10):
        assert model.task_at(model.row_of(local_id) or 0).local_id == local_id
    model.upsert(make_task(11))
    assert model.row_of(11) == 0 and model.row_of(1) == 9


def test_tick_is_one_signal_over_the_clock_columns_of_the_unfinished_rows_span(model: TaskTableModel) -> None:
    phases = [TaskPhase.PROCESSING, TaskPhase.PENDING, TaskPhase.SUCCESS, TaskPhase.QUEUED, TaskPhase.FAILED]
    model.set_tasks([make_task(10 - i, phase) for i, phase in enumerate(phases)])
    changes = record_changes(model)
    model.tick()
    # Rows 0, 1 and 3 run: one signal for all, however finished rows interleave (not one per run of rows).
    assert changes == [(0, 3, M.COL_ELAPSED, M.COL_PROGRESS)]
    model.upsert(make_task(10, TaskPhase.SUCCESS))
    changes.clear()
    model.tick()
    assert changes == [(1, 3, M.COL_ELAPSED, M.COL_PROGRESS)]
    for local_id in (9, 7):
        model.upsert(make_task(local_id, TaskPhase.SUCCESS))
    changes.clear()
    model.tick()
    assert changes == []  # nothing runs: nothing to tell


def test_tick_with_running_rows_spread_among_finished_ones_is_still_one_signal(model: TaskTableModel) -> None:
    model.set_tasks([make_task(1000 - i, TaskPhase.PROCESSING if i % 2 else TaskPhase.SUCCESS) for i in range(1000)])
    changes = record_changes(model)
    model.tick()
    assert changes == [(1, 999, M.COL_ELAPSED, M.COL_PROGRESS)]


def test_display_text_for_settings_state_and_clocks(model: TaskTableModel) -> None:
    model.set_tasks(
        [
            make_task(4, TaskPhase.UNKNOWN, raw_state="throttled"),
            make_task(3, TaskPhase.PROCESSING, mode=Mode.IMAGE_TO_VIDEO, duration=15,
                      aspect_ratio="portrait", image_urls=("https://img.example/a.png",)),
            make_task(2, TaskPhase.SUBMITTING),
            make_task(1, TaskPhase.SUCCESS, completed_at=NOW - timedelta(seconds=1),
                      result_urls=("https://r/1.mp4", "https://r/2.mp4")),
        ]
    )  # fmt: skip
    assert cell(model, 0, M.COL_STATE) == 'Unknown state "throttled"'
    assert cell(model, 1, M.COL_SETTINGS) == "Sora 2 · I2V · 15 s · portrait"
    assert cell(model, 2, M.COL_SETTINGS) == "Sora 2 · T2V · 10 s · landscape"
    assert cell(model, 2, M.COL_STATE) == "Submitting…"
    assert cell(model, 1, M.COL_ELAPSED) == "2:41"
    assert cell(model, 3, M.COL_ELAPSED) == "2:40"  # final: the total, not a running clock
    assert cell(model, 3, M.COL_DETAIL) == "2 videos"
    assert cell(model, 3, M.COL_PROGRESS, M.ProgressRole) == 1.0
    assert cell(model, 2, M.COL_PROGRESS, M.ProgressRole) == 0.0
    # 161 s into a 15 s video expected to take 300 s.
    assert cell(model, 1, M.COL_PROGRESS, M.ProgressRole) == pytest.approx(161 / 300)
    assert cell(model, 1, M.COL_PROGRESS) == "54%"
    assert cell(model, 0, M.COL_STATE, Qt.ItemDataRole.DecorationRole) is not None
    assert "task_00000004" in str(cell(model, 0, M.COL_STATE, Qt.ItemDataRole.ToolTipRole))


def test_progress_is_capped_until_success() -> None:
    clock = [NOW]
    model = TaskTableModel(now=lambda: clock[0])
    model.set_tasks([make_task(1, TaskPhase.PROCESSING)])
    clock[0] = NOW + timedelta(hours=1)
    assert cell(model, 0, M.COL_PROGRESS, M.ProgressRole) == 0.95
    assert cell(model, 0, M.COL_ELAPSED) == "1:02:41"
    model.upsert(make_task(1, TaskPhase.SUCCESS))
    assert cell(model, 0, M.COL_PROGRESS, M.ProgressRole) == 1.0
    assert cell(model, 0, M.COL_DETAIL) == "1 video"


def test_a_picked_take_carries_the_picked_mark(model: TaskTableModel) -> None:
    model.set_tasks([make_task(2, TaskPhase.SUCCESS, chosen=True), make_task(1, TaskPhase.SUCCESS)])
    assert cell(model, 0, M.COL_STATE) == "Done · Circled"
    assert cell(model, 1, M.COL_STATE) == "Done"
    assert "You circled this take" in str(cell(model, 0, M.COL_STATE, Qt.ItemDataRole.ToolTipRole))
    assert "circled" not in str(cell(model, 1, M.COL_STATE, Qt.ItemDataRole.ToolTipRole)).lower()
    picked_mark = cell(model, 0, M.COL_STATE, Qt.ItemDataRole.DecorationRole)
    done_dot = cell(model, 1, M.COL_STATE, Qt.ItemDataRole.DecorationRole)
    assert isinstance(picked_mark, QIcon) and isinstance(done_dot, QIcon)
    assert (
        picked_mark.cacheKey()
        == picked_icon().cacheKey()
        != done_dot.cacheKey()
        == state_icon(TaskPhase.SUCCESS).cacheKey()
    )
    # Picking happens after the task is done: the row follows the update.
    model.upsert(make_task(1, TaskPhase.SUCCESS, chosen=True))
    assert cell(model, 1, M.COL_STATE) == "Done · Circled"


def test_trouble_is_tinted_in_the_same_error_colour_as_field_errors(model: TaskTableModel) -> None:
    model.set_tasks(
        [
            make_task(3, TaskPhase.SUBMIT_UNKNOWN),
            make_task(2, TaskPhase.FAILED, fail_code="CONTENT_VIOLATION"),
            make_task(1, TaskPhase.PROCESSING),
        ]
    )
    palette = QGuiApplication.palette()
    assert cell(model, 1, M.COL_STATE, Qt.ItemDataRole.ForegroundRole) == error_color(palette)
    assert cell(model, 1, M.COL_DETAIL, Qt.ItemDataRole.ForegroundRole) == error_color(palette)
    assert cell(model, 0, M.COL_STATE, Qt.ItemDataRole.ForegroundRole) == text_color(Tone.WARNING, palette)
    assert cell(model, 1, M.COL_PROMPT, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(model, 2, M.COL_STATE, Qt.ItemDataRole.ForegroundRole) is None


def test_prompt_cell_is_one_line_and_tooltip_is_whole(model: TaskTableModel) -> None:
    prompt = "Aerial view\n\nover   <misty> hills, " + "slow dolly in " * 500
    model.set_tasks([make_task(1, prompt=prompt)])
    shown = str(cell(model, 0, M.COL_PROMPT))
    assert "\n" not in shown and shown.startswith("Aerial view over <misty> hills") and len(shown) <= 240
    tooltip = str(cell(model, 0, M.COL_PROMPT, Qt.ItemDataRole.ToolTipRole))
    assert "&lt;misty&gt;" in tooltip and tooltip.count("slow dolly in") == 500


def test_proxy_filters_by_state_and_search_in_order(model: TaskTableModel) -> None:
    model.set_tasks(
        [
            make_task(5, TaskPhase.FAILED, fail_code="CONTENT_VIOLATION", fail_message="Real person detected"),
            make_task(4, TaskPhase.SUCCESS, prompt="Golden hour beach, handheld"),
            make_task(3, TaskPhase.REJECTED, error_message="Insufficient credits"),
            make_task(2, TaskPhase.PROCESSING, prompt="Orbiting shot of a GOLDEN statue"),
            make_task(1, TaskPhase.QUEUED),
        ]
    )
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)

    def ids() -> list[int | None]:
        return [proxy.data(proxy.index(row, 0), M.LocalIdRole) for row in range(proxy.rowCount())]

    assert ids() == [5, 4, 3, 2, 1]
    proxy.set_state_filter(StateFilter.RUNNING)
    assert ids() == [2, 1]
    proxy.set_state_filter(StateFilter.DONE)
    assert ids() == [4]
    proxy.set_state_filter(StateFilter.FAILED)
    assert ids() == [5, 3]
    proxy.set_state_filter(StateFilter.ALL)
    proxy.set_search_text("golden")
    assert ids() == [4, 2]
    proxy.set_search_text("  HANDHELD   beach ")
    assert ids() == [4]
    proxy.set_search_text("task_00000002")
    assert ids() == [2]
    proxy.set_search_text("real person")
    assert ids() == [5]
    proxy.set_search_text("insufficient")
    assert ids() == [3]
    proxy.set_search_text("")
    proxy.set_state_filter(StateFilter.RUNNING)
    model.upsert(make_task(2, TaskPhase.SUCCESS))  # a finished task leaves the Running view by itself
    assert ids() == [1]
    assert proxy.task_at(0) == model.task_at(4)


def test_ten_thousand_tasks_load(model: TaskTableModel) -> None:
    model.set_tasks(many_tasks(10_000))
    assert model.rowCount() == 10_000
    assert model.row_of(1) == 9_999
    model.tick()


# -- failure wording ---------------------------------------------------------------------------------------


def test_content_violation_names_the_guideline_and_how_to_rephrase() -> None:
    said = explain_failure(make_task(1, TaskPhase.FAILED, fail_code="CONTENT_VIOLATION", fail_message="Violence"))
    assert "Violence" in said.summary and "Violence" in said.detail
    assert "real people" in said.detail and "copyrighted" in said.detail and "neutral" in said.detail
    assert "reference image" not in said.detail  # a text-to-video task has no image to blame
    plain = explain_failure(make_task(2, TaskPhase.FAILED, fail_code="CONTENT_VIOLATION"))
    assert "safety guidelines" in plain.summary
    image_task = make_task(3, TaskPhase.FAILED, fail_code="CONTENT_VIOLATION",
                           mode=Mode.IMAGE_TO_VIDEO, image_urls=("https://img.example/a.png",))  # fmt: skip
    assert "check the reference image" in explain_failure(image_task).detail


def test_invalid_image_url_says_which_image() -> None:
    urls = ("https://img.example/a.png", "https://img.example/b.webp")
    named = make_task(1, TaskPhase.FAILED, fail_code="INVALID_IMAGE_URL", mode=Mode.IMAGE_TO_VIDEO,
                      image_urls=urls, fail_message="Cannot fetch https://img.example/b.webp.")  # fmt: skip
    said = explain_failure(named)
    assert "https://img.example/b.webp" in said.summary and "a.png" not in said.summary
    assert "public" in said.detail and "login" in said.detail and "10 MB" in said.detail
    unnamed = named.with_(fail_message=None)
    listed = explain_failure(unnamed).detail
    assert urls[0] in listed and urls[1] in listed


def test_unknown_code_is_shown_as_it_came() -> None:
    said = explain_failure(make_task(1, TaskPhase.FAILED, fail_code="GPU_MELTED", fail_message="try later"))
    assert said.summary == "GPU_MELTED: try later"
    assert "task_00000001" in said.detail


def test_rejection_is_verbatim_with_a_top_up_hint_for_credits() -> None:
    said = explain_failure(make_task(1, TaskPhase.REJECTED, error_message="Insufficient credits"))
    assert said.summary == "Insufficient credits"
    assert "Top up your APIXO balance" in said.detail
    other = explain_failure(make_task(2, TaskPhase.REJECTED, error_message="Prompt too long"))
    assert other.summary == "Prompt too long" and "balance" not in other.detail


def test_submit_unknown_warns_about_charges_and_no_resend() -> None:
    said = explain_failure(make_task(1, TaskPhase.SUBMIT_UNKNOWN))
    assert said.detail.startswith(
        "The submit's answer was lost on the way; the task may or may not have been created and charged. "
        "It was not resent automatically: check your APIXO dashboard, then re-run if needed."
    )
    assert explain_failure(make_task(2, TaskPhase.PROCESSING)) == NO_FAILURE


def test_changes_heard_while_the_history_is_read_are_laid_over_what_the_read_brings(model: TaskTableModel) -> None:
    model.begin_loading()
    assert model.loading
    # Heard during the read: a new take, a change to an old task, a removal. Each shows at once.
    model.upsert(make_task(11, TaskPhase.SUBMITTING))
    model.upsert(make_task(3, TaskPhase.SUCCESS))
    model.remove(5)  # not shown yet: nothing to drop now, but the read may bring it
    assert [model.task_at(row).local_id for row in range(model.rowCount())] == [3, 11]  # each new one on top
    # The read predates them all: task 3 still processing, task 5 still there, task 11 unknown.
    model.finish_loading(many_tasks(10))
    assert not model.loading
    ids = [model.task_at(row).local_id for row in range(model.rowCount())]
    assert ids == [11, 10, 9, 8, 7, 6, 4, 3, 2, 1]
    assert model.task_at(model.row_of(3) or 0).phase == TaskPhase.SUCCESS
    # Loaded, a change is applied once, as always.
    model.upsert(make_task(3, TaskPhase.FAILED))
    assert model.task_at(model.row_of(3) or 0).phase == TaskPhase.FAILED


def test_set_tasks_keeps_the_newest_of_a_repeated_id_and_ticks_only_unfinished_rows(model: TaskTableModel) -> None:
    newer, older = make_task(2, TaskPhase.SUCCESS), make_task(2, TaskPhase.PROCESSING)
    model.set_tasks([make_task(3, TaskPhase.PENDING), newer, make_task(1, TaskPhase.FAILED), older])
    assert [model.task_at(row).local_id for row in range(model.rowCount())] == [3, 2, 1]
    assert model.task_at(1).phase is TaskPhase.SUCCESS  # the first (newest) of id 2
    assert [model.row_of(i) for i in (3, 2, 1)] == [0, 1, 2]
    ticked: list[int] = []
    model.dataChanged.connect(lambda first, last, _roles: ticked.extend(range(first.row(), last.row() + 1)))
    model.tick()
    assert set(ticked) == {0}  # task 3 is pending; 2 and 1 are final
    with pytest.raises(ValueError):
        model.set_tasks([make_task(4).with_(local_id=None)])
