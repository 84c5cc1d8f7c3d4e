"""The stand-in speaks API.md: envelopes, task life cycle, validation, keys, limits, callbacks, image checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.helpers.sim import ManualSim
from tests.helpers.sim_protocol import KEY, PNG, STATUS, SUBMIT, body, loopback_site, result_url, status, submit


def test_task_runs_pending_processing_success_and_cdn_serves_the_clip(
    sim: ManualSim, api: httpx.Client, web: httpx.Client
) -> None:
    answer = api.post(SUBMIT, json=body())
    assert answer.status_code == 200
    envelope = answer.json()
    assert (envelope["code"], envelope["message"]) == (200, "success")
    task_id = envelope["data"]["taskId"]
    assert re.fullmatch(r"task_[0-9a-f]{8,}", task_id)

    first = status(api, task_id)
    assert first["state"] == "pending"
    assert first["taskId"] == task_id
    assert first["createTime"] == round(sim.clock() * 1000)
    assert first["resultJson"] == "" and first["completeTime"] is None

    sim.clock.advance(16)
    assert status(api, task_id)["state"] == "processing"
    sim.clock.advance(300)
    done = status(api, task_id)
    assert done["state"] == "success"
    assert isinstance(done["resultJson"], str)  # a JSON document inside a string, as API.md says
    assert done["costTime"] == done["completeTime"] - done["createTime"]
    assert 180_000 <= done["costTime"] <= 300_000

    url = result_url(done)
    assert url == f"{sim.cdn_base}/videos/{task_id}.mp4"
    video = web.get(url)
    assert video.status_code == 200
    assert video.headers["content-type"] == "video/mp4"
    assert video.content == sim.video(task_id) and video.content[4:8] == b"ftyp"  # the task's own MP4


@pytest.mark.parametrize(("duration", "low", "high"), [(10, 18.0, 30.0), (15, 24.0, 36.0)])
def test_speed_scales_generation_time(
    sim_factory: Callable[..., ManualSim], duration: int, low: float, high: float
) -> None:
    fast = sim_factory(speed=10)
    with httpx.Client(
        base_url=fast.api_base, headers={"Authorization": "Bearer k"}, verify=False, trust_env=False
    ) as api:
        ids = [submit(api, body(duration=duration)) for _ in range(12)]
        fast.clock.advance(low - 0.01)
        assert all(status(api, i)["state"] in ("pending", "processing") for i in ids)
        fast.clock.advance(high - low + 0.02)
        assert all(status(api, i)["state"] == "success" for i in ids)


def test_finish_all_ends_every_running_task_now(sim: ManualSim, api: httpx.Client) -> None:
    ids = [submit(api, body(duration=d)) for d in (10, 15)]
    sim.finish_all()
    assert [status(api, i)["state"] for i in ids] == ["success", "success"]
    assert all(status(api, i)["costTime"] == 0 for i in ids)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        target = payload
        *parents, last = path.split(".")
        for part in parents:
            target = target[part]
        if value is _DELETE:
            target.pop(last, None)
        else:
            target[last] = value

    return change


_DELETE = object()
INVALID = [
    (_set("input.prompt", _DELETE), "prompt"),
    (_set("input.prompt", ""), "prompt"),
    (_set("input.prompt", "   "), "prompt"),
    (_set("input.prompt", "x" * 10_001), "10000"),
    (_set("input.mode", "video-to-video"), "mode"),
    (_set("input.duration", 12), "duration"),
    (_set("input.duration", "10"), "duration"),
    (_set("input.aspect_ratio", "square"), "aspect_ratio"),
    (_set("provider", "cheap"), "provider"),
    (_set("input.mode", "image-to-video"), "image_urls"),
    (_set("request_type", "webhook"), "request_type"),
    (_set("request_type", "callback"), "callback_url"),
    (_set("input", _DELETE), "input"),
]


@pytest.mark.parametrize(("change", "word"), INVALID)
def test_invalid_submits_answer_400_with_a_message(
    api: httpx.Client, change: Callable[[dict[str, Any]], None], word: str
) -> None:
    payload = body()
    change(payload)
    answer = api.post(SUBMIT, json=payload)
    assert answer.status_code == 400
    assert answer.json()["code"] == 400
    assert word in answer.json()["message"]
    assert answer.json()["data"] is None


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_bad_json_answers_400(api: httpx.Client, raw: bytes) -> None:
    answer = api.post(SUBMIT, content=raw, headers={"Content-Type": "application/json"})
    assert (answer.status_code, answer.json()["code"]) == (400, 400)


def test_prompt_of_exactly_10000_chars_and_defaults_are_accepted(sim: ManualSim, api: httpx.Client) -> None:
    payload = {"input": {"mode": "text-to-video", "prompt": "y" * 10_000, "duration": 15}}
    task = sim.service.task(submit(api, payload))
    assert task is not None
    assert task.body["input"]["aspect_ratio"] == "landscape" and task.body["provider"] == "auto"


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic dXNlcjpwdw==", "test-key"])
@pytest.mark.parametrize("path", [SUBMIT, STATUS + "?taskId=task_00000000"])
def test_missing_or_empty_key_answers_401(sim: ManualSim, header: str | None, path: str, web: httpx.Client) -> None:
    headers = {} if header is None else {"Authorization": header}
    method = "POST" if path == SUBMIT else "GET"
    answer = web.request(method, sim.api_base + path, json=body(), headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (401, 401)


def test_require_key_accepts_only_that_key(sim_factory: Callable[..., ManualSim], web: httpx.Client) -> None:
    strict = sim_factory(require_key="right-key")
    url = strict.api_base + SUBMIT
    wrong = web.post(url, json=body(), headers={"Authorization": "Bearer wrong"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, 401)
    right = web.post(url, json=body(), headers={"Authorization": "Bearer right-key"})
    assert right.status_code == 200


def test_status_of_unknown_missing_or_foreign_task_answers_400(
    sim: ManualSim, api: httpx.Client, web: httpx.Client
) -> None:
    assert api.get(STATUS, params={"taskId": "task_deadbeef"}).json()["code"] == 400
    assert api.get(STATUS).status_code == 400
    task_id = submit(api)
    other = web.get(
        sim.api_base + STATUS,
        params={"taskId": task_id},
        headers={"Authorization": "Bearer other"},
    )
    assert (other.status_code, other.json()["code"]) == (400, 400)
    assert "not found" in other.json()["message"].lower()


def test_unknown_route_404_and_wrong_method_405(api: httpx.Client) -> None:
    assert api.get("/api/v1/nothing").status_code == 404
    assert api.get(SUBMIT).status_code == 405
    assert api.post(STATUS).status_code == 405


def test_rate_limit_per_key_answers_429_until_the_minute_passes(
    sim_factory: Callable[..., ManualSim], web: httpx.Client
) -> None:
    limited = sim_factory(rate_limit_per_minute=3)
    with httpx.Client(
        base_url=limited.api_base, headers={"Authorization": "Bearer a"}, trust_env=False, verify=False
    ) as api:
        task_id = submit(api)
        assert [api.get(STATUS, params={"taskId": task_id}).status_code for _ in range(2)] == [200, 200]
        refused = api.get(STATUS, params={"taskId": task_id})
        assert (refused.status_code, refused.json()["code"]) == (429, 429)
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        other_key = web.post(limited.api_base + SUBMIT, json=body(), headers={"Authorization": "Bearer b"})
        assert other_key.status_code == 200
        limited.clock.advance(60)
        assert api.get(STATUS, params={"taskId": task_id}).status_code == 200


def test_running_task_limit_answers_429_until_tasks_finish(sim_factory: Callable[..., ManualSim]) -> None:
    small = sim_factory(max_running_tasks=2)
    with httpx.Client(
        base_url=small.api_base, headers={"Authorization": "Bearer a"}, trust_env=False, verify=False
    ) as api:
        submit(api)
        submit(api)
        refused = api.post(SUBMIT, json=body())
        assert (refused.status_code, refused.json()["code"]) == (429, 429)
        assert "running" in refused.json()["message"]
        assert refused.headers["retry-after"]
        small.finish_all()
        submit(api)


def test_callback_mode_posts_the_status_envelope_to_a_loopback_url(sim: ManualSim, api: httpx.Client) -> None:
    with loopback_site({"/hook": (200, "text/plain", b"ok")}) as site:
        payload = body() | {"request_type": "callback", "callback_url": f"{site.base}/hook"}
        task_id = submit(api, payload)
        sim.clock.advance(400)
        assert site.arrived.wait(5)
        method, path, sent = site.received[0]
        assert (method, path) == ("POST", "/hook")
        envelope = httpx.Response(200, content=sent).json()
        assert envelope["code"] == 200
        assert envelope["data"]["taskId"] == task_id and envelope["data"]["state"] == "success"


def test_callback_to_a_public_url_is_never_sent(sim: ManualSim, api: httpx.Client) -> None:
    submit(api, body() | {"request_type": "callback", "callback_url": "https://example.com/hook"})
    sim.finish_all()
    assert sim.callbacks == []


def test_image_to_video_fetches_loopback_images_and_fails_bad_ones(sim: ManualSim, api: httpx.Client) -> None:
    routes = {"/ok.png": (200, "image/png", PNG), "/page.html": (200, "text/html", b"<html></html>")}
    with loopback_site(routes) as site:
        urls = [
            f"{site.base}/ok.png",
            f"{site.base}/page.html",
            f"{site.base}/gone.png",
            "https://img.invalid/a.png",
        ]
        ids = [submit(api, body(mode="image-to-video", image_urls=[u])) for u in urls]
        sim.finish_all()
        results = [status(api, i) for i in ids]
        assert [p for _, p, _ in site.received] == ["/ok.png", "/page.html", "/gone.png"]
    assert results[0]["state"] == "success"
    for url, result in zip(urls[1:], results[1:], strict=True):
        assert (result["state"], result["failCode"]) == ("failed", "INVALID_IMAGE_URL")
        assert url in result["failMsg"]


def test_public_image_hosts_are_assumed_fine(sim: ManualSim, api: httpx.Client) -> None:
    task_id = submit(api, body(mode="image-to-video", image_urls=["https://images.example.com/cat.webp"]))
    sim.finish_all()
    assert status(api, task_id)["state"] == "success"


def test_requests_log_records_origin_method_path_headers_and_body(
    sim: ManualSim, api: httpx.Client, web: httpx.Client
) -> None:
    payload = body()
    task_id = submit(api, payload)
    sim.finish_all()
    url = result_url(status(api, task_id))
    web.get(url)
    api.get("/_sim/requests")  # control calls are not logged
    api_first, api_second, cdn = sim.requests
    assert (api_first.origin, api_first.method, api_first.path) == ("api", "POST", SUBMIT)
    assert api_first.headers["authorization"] == f"Bearer {KEY}"
    assert httpx.Response(200, content=api_first.body).json() == payload
    assert api_second.path == f"{STATUS}?taskId={task_id}"
    assert (cdn.origin, cdn.method) == ("cdn", "GET") and "authorization" not in cdn.headers
    assert all(name == name.lower() for r in sim.requests for name in r.headers)
    assert api_first.time == sim.clock()
    sim.clear_requests()
    assert sim.requests == []


def test_control_endpoints_work_over_http(sim: ManualSim, api: httpx.Client) -> None:
    assert api.post("/_sim/faults", json={"kind": "auth_in_body", "count": 1}).status_code == 200
    assert api.post("/_sim/faults", json={"kind": "no_such_fault"}).status_code == 400
    assert api.post(SUBMIT, json=body()).json()["code"] == 401
    task_id = submit(api)
    assert api.post("/_sim/finish_all").status_code == 200
    assert status(api, task_id)["state"] == "success"
    logged = api.get("/_sim/requests").json()
    assert [r["origin"] for r in logged] == ["api"] * 3
    assert logged[0]["headers"]["authorization"] == f"Bearer {KEY}"
    assert api.delete("/_sim/requests").status_code == 200 and sim.requests == []
