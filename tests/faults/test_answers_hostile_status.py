"""Fault suite: one task's status answers are hostile (huge, deep, broken); it and two others still finish."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from sora2_desktop.api.status import MAX_STATE_CHARS, MAX_TEXT_CHARS
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import TaskNote, TaskPhase
from tests.helpers.hostile_server import NO_LENGTH, Answer, HostileServer, status_data
from tests.helpers.runner_rig import RunnerRig, failure_words, is_sentence

RunAsync = Callable[[Coroutine[Any, Any, Any]], Any]
HOSTILE = "task_0002"  # the second submit to arrive gets the hostile answers; which local task that is varies


def ok(data: Any) -> bytes:
    return json.dumps({"code": 200, "message": "success", "data": data}).encode()


def deep(levels: int) -> bytes:
    return b'{"code": 200, "message": "success", "data": ' + b"[" * levels + b"]" * levels + b"}"


BIG = b"x" * 1_200_000
GZIP_HEADERS = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
HOSTILE_ANSWERS = {
    "nested_10000_deep": Answer.raw(deep(10_000)),
    "nested_100_deep": Answer.raw(deep(100)),
    "body_1_2_MB": Answer.raw(ok(BIG.decode())),
    "body_1_2_MB_without_length": Answer.raw(ok(BIG.decode()), headers={NO_LENGTH: "1"}),
    "failmsg_5_MB": Answer.raw(ok(status_data(HOSTILE, "failed", failMsg="y" * 5_000_000))),
    "5000_result_urls": Answer.raw(
        ok(status_data(HOSTILE, "success", resultJson=json.dumps({"resultUrls": ["https://x.example/v.mp4"] * 5000})))
    ),
    "result_json_deep": Answer.raw(ok(status_data(HOSTILE, "success", resultJson="[" * 5000 + "]" * 5000))),
    "broken_gzip": Answer.raw(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03not gzip at all", headers=GZIP_HEADERS),
    "gzip_bomb_20_MB": Answer.raw(gzip.compress(b" " * 20_000_000, compresslevel=1), headers=GZIP_HEADERS),
    "unknown_encoding": Answer.raw(ok("x"), headers={"Content-Encoding": "snappy-ish"}),
    "not_json": Answer.raw(b"<html><body>captive portal</body></html>", headers={"Content-Type": "text/html"}),
    "json_list": Answer.raw(b"[1, 2, 3]", headers={"Content-Type": "application/json"}),
    "data_is_a_string": Answer.raw(ok("surprise")),
    "other_task_id": Answer.raw(ok(status_data("task_9999", "success"))),
}


@pytest.mark.parametrize("kind", list(HOSTILE_ANSWERS))
def test_a_hostile_status_answer_is_retried_and_never_stops_other_tasks(
    run_async: RunAsync, store: TaskStore, server: HostileServer, kind: str
) -> None:
    async def scenario() -> None:
        # Each hostile answer comes twice, then the task's normal answers resume.
        server.script_status(HOSTILE, HOSTILE_ANSWERS[kind], HOSTILE_ANSWERS[kind])
        rig = RunnerRig(store, server.base_url)
        ids = rig.submit(3)
        for local_id in ids:
            await rig.until(local_id, TaskPhase.SUCCESS)
        hostile = rig.local_id_of(HOSTILE)
        # Refused as a malformed answer, retried like a network fault, and said in a sentence on the row.
        assert any(t.note == TaskNote.BAD_ANSWER for t in rig.seen if t.local_id == hostile)
        assert all(is_sentence(words) for words in rig.notes_seen(hostile))
        assert rig.notes_seen(hostile), "the person saw nothing about the bad answers"
        # Nothing lost or duplicated: three submits, three distinct tasks, each with its one result.
        assert server.submits == 3
        assert sorted(rig.row(i).task_id or "" for i in ids) == ["task_0001", "task_0002", "task_0003"]
        assert all(len(rig.row(i).result_urls) == 1 for i in ids)
        assert rig.runner.unexpected_faults == 0  # each became an ApiError, none escaped as a surprise
        await rig.close()

    run_async(scenario())


def test_long_service_texts_are_cut_for_display_not_refused(
    run_async: RunAsync, store: TaskStore, server: HostileServer
) -> None:
    async def scenario() -> None:
        server.script_status(
            HOSTILE,
            Answer.raw(ok(status_data(HOSTILE, "thinking" * 10_000))),
            Answer.raw(ok(status_data(HOSTILE, "failed", failCode="C" * 10_000, failMsg="m" * 500_000))),
        )
        rig = RunnerRig(store, server.base_url)
        ids = rig.submit(3)
        hostile = None
        for local_id in ids:
            await rig.until(local_id, TaskPhase.SUCCESS, TaskPhase.FAILED)
        hostile = rig.local_id_of(HOSTILE)
        shown_states = [t.raw_state for t in rig.seen if t.local_id == hostile and t.phase == TaskPhase.UNKNOWN]
        assert shown_states and all(len(s or "") <= MAX_STATE_CHARS for s in shown_states)
        failed = rig.row(hostile)
        assert failed.phase == TaskPhase.FAILED
        assert len(failed.fail_message or "") <= MAX_TEXT_CHARS and (failed.fail_message or "").endswith("…")
        assert len(failed.fail_code or "") <= 2 * MAX_STATE_CHARS
        assert failure_words(failed)
        assert [rig.row(i).phase for i in ids if i != hostile] == [TaskPhase.SUCCESS, TaskPhase.SUCCESS]
        assert server.submits == 3
        await rig.close()

    run_async(scenario())
