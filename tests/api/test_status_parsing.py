"""TaskStatus.from_data: the documented answers, and every odd one the service might send without crashing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from sora2_desktop.api import TaskState, TaskStatus

URL = "https://r2.apixo.ai/video.mp4"


def success_data(**changes: Any) -> dict[str, Any]:
    """The success answer exactly as API.md shows it."""
    data: dict[str, Any] = {
        "taskId": "task_12345678",
        "state": "success",
        "resultJson": json.dumps({"resultUrls": [URL]}),
        "createTime": 1767965610929,
        "completeTime": 1767965652317,
        "costTime": 41388,
    }
    data.update(changes)
    return data


def test_success_with_result_json_as_a_string() -> None:
    status = TaskStatus.from_data(success_data())
    assert status.task_id == "task_12345678"
    assert status.state is TaskState.SUCCESS
    assert status.state.is_final
    assert status.raw_state == "success"
    assert status.result_urls == (URL,)
    assert status.fail_code is None and status.fail_message is None
    assert status.create_time == datetime(2026, 1, 9, 13, 33, 30, 929000, tzinfo=UTC)
    assert status.complete_time == datetime.fromtimestamp(1767965652.317, tz=UTC)
    assert status.cost_time_ms == 41388


def test_success_with_result_json_as_an_object() -> None:
    other = "https://r2.apixo.ai/second.mp4"
    status = TaskStatus.from_data(success_data(resultJson={"resultUrls": [URL, other]}))
    assert status.result_urls == (URL, other)


@pytest.mark.parametrize(
    "result_json",
    [
        pytest.param("", id="empty"),
        pytest.param(None, id="null"),
        pytest.param("{not json", id="broken-json"),
        pytest.param('["a list"]', id="not-an-object"),
        pytest.param('{"resultUrls": "https://r2.apixo.ai/video.mp4"}', id="urls-not-a-list"),
        pytest.param('{"other": 1}', id="no-urls"),
    ],
)
def test_unusable_result_json_gives_no_urls_and_no_crash(result_json: Any) -> None:
    assert TaskStatus.from_data(success_data(resultJson=result_json)).result_urls == ()


def test_result_urls_drop_entries_that_are_not_text() -> None:
    status = TaskStatus.from_data(success_data(resultJson=json.dumps({"resultUrls": [URL, 7, None, ""]})))
    assert status.result_urls == (URL,)


def test_failed_with_fail_code_and_message() -> None:
    status = TaskStatus.from_data(
        {
            "taskId": "task_1",
            "state": "failed",
            "resultJson": "",
            "failCode": "CONTENT_VIOLATION",
            "failMsg": "The prompt was flagged.",
            "createTime": 1767965610929,
        }
    )
    assert status.state is TaskState.FAILED
    assert status.state.is_final
    assert status.fail_code == "CONTENT_VIOLATION"
    assert status.fail_message == "The prompt was flagged."
    assert status.result_urls == ()
    assert status.complete_time is None


def test_unknown_fail_code_is_kept_as_it_came() -> None:
    data = {"taskId": "t", "state": "failed", "failCode": "RENDER_TIMEOUT", "failMsg": ""}
    status = TaskStatus.from_data(data)
    assert status.fail_code == "RENDER_TIMEOUT"
    assert status.fail_message is None


@pytest.mark.parametrize(
    ("raw_state", "state"),
    [
        ("pending", TaskState.PENDING),
        ("processing", TaskState.PROCESSING),
        ("SUCCESS", TaskState.SUCCESS),
        ("queued", TaskState.UNKNOWN),
        ("", TaskState.UNKNOWN),
        (None, TaskState.UNKNOWN),
    ],
)
def test_states_known_and_unknown(raw_state: Any, state: TaskState) -> None:
    status = TaskStatus.from_data({"taskId": "t", "state": raw_state})
    assert status.state is state
    assert status.raw_state == (raw_state or "")


def test_unknown_state_is_not_final_and_keeps_its_name() -> None:
    status = TaskStatus.from_data({"taskId": "t", "state": "queued"})
    assert status.state is TaskState.UNKNOWN
    assert not status.state.is_final
    assert status.raw_state == "queued"


def test_unknown_fields_are_kept_in_raw() -> None:
    data = success_data(param='{"input": {}}', progress=0.5, newField={"nested": [1, 2]})
    status = TaskStatus.from_data(data)
    assert status.raw == data
    assert status.raw["newField"] == {"nested": [1, 2]}
    # A copy: changing the service's dict afterwards must not change the parsed answer.
    data["progress"] = 0.9
    assert status.raw["progress"] == 0.5


@pytest.mark.parametrize(
    "bad_time",
    [
        pytest.param("yesterday", id="text"),
        pytest.param(-5, id="negative"),
        pytest.param(0, id="zero"),
        pytest.param(10**20, id="year-out-of-range"),
        pytest.param(float("nan"), id="nan"),
        pytest.param(float("inf"), id="infinity"),
        pytest.param(True, id="bool"),
        pytest.param([1767965610929], id="list"),
        pytest.param("١٧٦٧٩٦٥٦١٠٩٢٩", id="non-ascii-digits"),
        pytest.param("²", id="superscript"),
    ],
)
def test_bad_times_become_none(bad_time: Any) -> None:
    status = TaskStatus.from_data(success_data(createTime=bad_time, completeTime=bad_time, costTime=bad_time))
    assert status.create_time is None
    assert status.complete_time is None
    if bad_time != 0:  # zero milliseconds is an odd but possible processing time
        assert status.cost_time_ms is None


def test_times_as_digit_strings_are_read() -> None:
    status = TaskStatus.from_data(success_data(createTime="1767965610929", costTime="41388"))
    assert status.create_time == datetime(2026, 1, 9, 13, 33, 30, 929000, tzinfo=UTC)
    assert status.cost_time_ms == 41388


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"state": "success"}, id="missing"),
        pytest.param({"taskId": "", "state": "success"}, id="empty"),
        pytest.param({"taskId": None, "state": "success"}, id="null"),
        pytest.param({"taskId": 12345678, "state": "success"}, id="number"),
    ],
)
def test_missing_task_id_raises_value_error(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="taskId"):
        TaskStatus.from_data(data)
