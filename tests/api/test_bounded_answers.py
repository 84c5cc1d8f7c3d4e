"""Bounded answers: JSON depth, result URL count, long service texts; parsing refuses or cuts, never raises wild."""

from __future__ import annotations

import json

import pytest

from sora2_desktop.api.bounded_json import MAX_JSON_DEPTH, AnswerTooDeep, check_depth, loads_bounded
from sora2_desktop.api.status import (
    MAX_RESULT_URLS,
    MAX_STATE_CHARS,
    MAX_TEXT_CHARS,
    MalformedStatus,
    TaskStatus,
    cut_text,
)


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_json_up_to_the_depth_limit_is_read() -> None:
    assert loads_bounded(nested(MAX_JSON_DEPTH)) is not None


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 999, 10_000, 200_000])
def test_json_deeper_than_the_limit_is_refused_as_a_value_error(levels: int) -> None:
    with pytest.raises(AnswerTooDeep):
        loads_bounded(nested(levels))
    assert issubclass(AnswerTooDeep, ValueError)  # callers treat it as "not sane JSON"


def test_the_depth_check_walks_wide_documents_without_recursion() -> None:
    check_depth({"a": [[{"b": 1}] * 1000] * 10})
    with pytest.raises(AnswerTooDeep):
        check_depth(json.loads('{"x": ' + nested(MAX_JSON_DEPTH) + "}"))


def status(**extra: object) -> TaskStatus:
    return TaskStatus.from_data({"taskId": "t1", "state": "success", **extra})


def urls(count: int) -> str:
    return json.dumps({"resultUrls": [f"https://cdn.example/{n}.mp4" for n in range(count)]})


def test_up_to_16_result_urls_are_kept() -> None:
    assert len(status(resultJson=urls(MAX_RESULT_URLS)).result_urls) == MAX_RESULT_URLS


@pytest.mark.parametrize("count", [MAX_RESULT_URLS + 1, 5_000])
def test_more_result_urls_make_the_answer_malformed(count: int) -> None:
    with pytest.raises(MalformedStatus):
        status(resultJson=urls(count))


def test_a_pages_long_result_url_makes_the_answer_malformed() -> None:
    with pytest.raises(MalformedStatus):
        status(resultJson=json.dumps({"resultUrls": ["https://cdn.example/" + "a" * 10_000]}))


def test_long_service_texts_are_cut_with_an_ellipsis_not_refused() -> None:
    parsed = TaskStatus.from_data(
        {"taskId": "t1", "state": "s" * 10_000, "failCode": "C" * 9_000, "failMsg": "m" * 10**6}
    )
    assert len(parsed.raw_state) == MAX_STATE_CHARS and parsed.raw_state.endswith("…")
    assert parsed.fail_message is not None and len(parsed.fail_message) == MAX_TEXT_CHARS
    assert parsed.fail_code is not None and len(parsed.fail_code) <= 2 * MAX_STATE_CHARS


def test_cut_text_leaves_short_text_alone() -> None:
    assert cut_text("Insufficient credits") == "Insufficient credits"
