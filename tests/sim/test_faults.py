"""Every fault kind of FaultPlan does what its name says, once per count, on the origin it is aimed at."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from sora2_desktop.sim import FAULT_KINDS, FaultPlan
from tests.helpers.sim import ManualSim
from tests.helpers.sim_protocol import STATUS, SUBMIT, body, result_url, status, submit


def _finished(sim: ManualSim, api: httpx.Client, payload: dict[str, object] | None = None) -> dict[str, object]:
    task_id = submit(api, payload)
    sim.finish_all()
    return status(api, task_id)


def test_rate_limit_answers_429_with_retry_after_for_count_requests(sim: ManualSim, api: httpx.Client) -> None:
    sim.faults.inject("rate_limit", count=2, retry_after=7)
    for _ in range(2):
        answer = api.post(SUBMIT, json=body())
        assert (answer.status_code, answer.json()["code"], answer.headers["retry-after"]) == (429, 429, "7")
    assert api.post(SUBMIT, json=body()).status_code == 200
    sim.faults.inject("rate_limit")
    assert api.post(SUBMIT, json=body()).headers["retry-after"] == "1"
    assert sim.service.tasks().__len__() == 1  # a refused request creates nothing


@pytest.mark.parametrize("code", [500, 502, 503])
def test_server_error_answers_the_given_status(sim: ManualSim, api: httpx.Client, code: int) -> None:
    sim.faults.inject("server_error", status=code)
    answer = api.post(SUBMIT, json=body())
    assert answer.status_code == code
    assert api.post(SUBMIT, json=body()).status_code == 200


def test_slow_delays_the_answer(sim: ManualSim, api: httpx.Client) -> None:
    sim.faults.inject("slow", seconds=0.3)
    started = time.monotonic()
    assert api.post(SUBMIT, json=body()).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_closes_the_connection_without_an_answer(sim: ManualSim, api: httpx.Client) -> None:
    sim.faults.inject("drop")
    with pytest.raises(httpx.TransportError):
        api.post(SUBMIT, json=body())
    assert sim.service.tasks() == []  # by default the dropped request was never handled
    sim.faults.inject("drop", processed=True)
    with pytest.raises(httpx.TransportError):
        api.post(SUBMIT, json=body())
    assert len(sim.service.tasks()) == 1  # handled (and charged), but the answer was lost
    assert api.post(SUBMIT, json=body()).status_code == 200


def test_malformed_answers_200_with_a_body_that_is_not_json(sim: ManualSim, api: httpx.Client) -> None:
    sim.faults.inject("malformed")
    answer = api.post(SUBMIT, json=body())
    assert answer.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.content)


def test_auth_in_body_answers_http_200_with_code_401(sim: ManualSim, api: httpx.Client) -> None:
    sim.faults.inject("auth_in_body")
    answer = api.get(STATUS, params={"taskId": "task_00000000"})
    assert (answer.status_code, answer.json()["code"]) == (200, 401)


def test_insufficient_credits_hits_the_next_valid_submit(sim: ManualSim, api: httpx.Client) -> None:
    sim.faults.inject("insufficient_credits")
    assert api.get(STATUS, params={"taskId": "task_00000000"}).status_code == 400  # not a submit: not used up
    answer = api.post(SUBMIT, json=body())
    assert (answer.status_code, answer.json()["code"], answer.json()["message"]) == (
        400,
        400,
        "Insufficient credits",
    )
    assert api.post(SUBMIT, json=body()).status_code == 200


@pytest.mark.parametrize(
    ("kind", "params", "code"),
    [
        ("content_violation", {}, "CONTENT_VIOLATION"),
        ("invalid_image_url", {}, "INVALID_IMAGE_URL"),
        ("unknown_fail", {}, "RENDER_TIMEOUT"),
        ("unknown_fail", {"code": "GPU_MELTED"}, "GPU_MELTED"),
    ],
)
def test_task_failures_end_the_next_task_failed(
    sim: ManualSim, api: httpx.Client, kind: str, params: dict[str, str], code: str
) -> None:
    sim.faults.inject(kind, **params)
    failed = _finished(sim, api)
    assert (failed["state"], failed["failCode"]) == ("failed", code)
    assert failed["failMsg"]
    assert failed["resultJson"] == ""
    assert _finished(sim, api)["state"] == "success"


def test_invalid_image_url_fault_names_the_url(sim: ManualSim, api: httpx.Client) -> None:
    sim.faults.inject("invalid_image_url")
    url = "https://images.example.com/cat.png"
    failed = _finished(sim, api, body(mode="image-to-video", image_urls=[url]))
    assert failed["failCode"] == "INVALID_IMAGE_URL" and url in str(failed["failMsg"])


def test_early_failures_come_soon_after_pending(sim: ManualSim, api: httpx.Client) -> None:
    sim.faults.inject("content_violation")
    task_id = submit(api)
    sim.clock.advance(46)  # pending ≤ 15 s, the safety check ≤ 30 s more
    assert status(api, task_id)["state"] == "failed"


def test_truncate_download_promises_everything_and_sends_part(
    sim: ManualSim, api: httpx.Client, web: httpx.Client
) -> None:
    done = _finished(sim, api)
    url, clip = result_url(done), sim.video(str(done["taskId"]))
    sim.faults.inject("truncate_download", after_bytes=1000)
    received = bytearray()
    with pytest.raises(httpx.TransportError), web.stream("GET", url) as answer:
        assert answer.headers["content-length"] == str(len(clip))
        for chunk in answer.iter_raw():
            received += chunk
    assert bytes(received) == clip[:1000]
    assert web.get(url).content == clip
    sim.faults.inject("truncate_download")  # default: half
    with pytest.raises(httpx.TransportError):
        web.get(url)


def test_not_video_serves_html_at_the_result_url(sim: ManualSim, api: httpx.Client, web: httpx.Client) -> None:
    sim.faults.inject("not_video")
    answer = web.get(result_url(_finished(sim, api)))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")


def test_evil_name_ends_the_result_url_in_a_traversal_name(
    sim: ManualSim, api: httpx.Client, web: httpx.Client
) -> None:
    sim.faults.inject("evil_name")
    done = _finished(sim, api)
    url = result_url(done)
    assert url.endswith("/..%2F..%2Fevil.mp4")
    answer = web.get(url)
    assert answer.status_code == 200 and answer.content == sim.video(str(done["taskId"]))


def test_request_faults_aim_at_the_api_unless_told_otherwise(
    sim: ManualSim, api: httpx.Client, web: httpx.Client
) -> None:
    url = result_url(_finished(sim, api))
    sim.faults.inject("server_error", status=503)
    assert web.get(url).status_code == 200  # the CDN is untouched…
    assert api.post(SUBMIT, json=body()).status_code == 503  # …the API takes it
    sim.faults.inject("rate_limit", origin="cdn")
    assert api.post(SUBMIT, json=body()).status_code == 200
    assert web.get(url).status_code == 429
    sim.faults.inject("server_error", count=2, origin="any")
    assert web.get(url).status_code == 500
    assert api.post(SUBMIT, json=body()).status_code == 500


def test_plan_rejects_unknown_kinds_and_clears() -> None:
    plan = FaultPlan()
    with pytest.raises(ValueError):
        plan.inject("gremlins")
    with pytest.raises(ValueError):
        plan.inject("slow")  # needs seconds
    for kind in FAULT_KINDS:
        plan.inject(kind, 3, seconds=1)
    assert plan.remaining() == 3 * len(FAULT_KINDS)
    assert plan.take("rate_limit", "api") is not None and plan.remaining("rate_limit") == 2
    plan.clear()
    assert plan.remaining() == 0 and plan.take("rate_limit", "api") is None
