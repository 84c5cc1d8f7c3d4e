"""The stand-in follows the moving contract: the model index and schemas, the balance and its price table,
Sora 2 Pro, and the switch to the later Sora 2 page (4/8/12 s, official only, one image)."""

from __future__ import annotations

import select
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.helpers.sim import ManualSim
from tests.helpers.sim_protocol import STATUS, SUBMIT, body, status, submit

PRO_SUBMIT = "/api/v1/generateTask/sora-2-pro"
PRO_STATUS = "/api/v1/statusTask/sora-2-pro"
BALANCE = "/api/v1/apikeys/current-balance"
IMAGE = "https://images.example.com/cat.png"


def pro(**input_fields: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"mode": "text-to-video", "prompt": "a slow dolly in", "duration": 8, "size": "1280*720"}
    fields.update(input_fields)
    return {"request_type": "async", "provider": "official", "input": fields}


def refused(api: httpx.Client, path: str, payload: dict[str, Any]) -> str:
    answer = api.post(path, json=payload)
    assert (answer.status_code, answer.json()["code"], answer.json()["data"]) == (400, 400, None), answer.text
    return str(answer.json()["message"])


def balance(api: httpx.Client) -> float:
    answer = api.get(BALANCE)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["code"], answer.json()["message"]) == (200, "success")
    return float(answer.json()["data"])


# --- the published model catalogue --------------------------------------------------------------------------


def test_the_index_needs_no_key_and_names_relative_schemas(sim: ManualSim, web: httpx.Client) -> None:
    assert sim.models_index_url == sim.api_base + "/docs/models/schemas/index.json"
    index = web.get(sim.models_index_url).json()
    assert index["total_models"] == 2
    entries = {entry["model_id"]: entry for entry in index["models"]}
    assert set(entries) == {"sora-2", "sora-2-pro"}
    assert entries["sora-2"]["schema_path"] == "models/schemas/sora-2.json"
    schema = web.get(f"{sim.api_base}/docs/{entries['sora-2']['schema_path']}").json()
    duration = schema["properties"]["input"]["properties"]["duration"]
    assert (duration["enum"], duration["default"]) == ([10, 15], 10)
    assert web.get(sim.api_base + "/docs/models/schemas/nothing.json").status_code == 404


def test_the_schemas_follow_the_contract_switch(sim: ManualSim, web: httpx.Client) -> None:
    url = sim.api_base + "/docs/models/schemas/sora-2.json"
    sim.set_contract("later")
    props = web.get(url).json()["properties"]
    assert props["input"]["properties"]["duration"]["enum"] == [4, 8, 12]
    assert props["provider"]["enum"] == ["official"]
    assert props["input"]["properties"]["image_urls"]["maxItems"] == 1
    assert web.post(sim.api_base + "/_sim/contract", json={"contract": "seed"}).status_code == 200
    assert web.get(url).json()["properties"]["input"]["properties"]["duration"]["enum"] == [10, 15]
    assert web.post(sim.api_base + "/_sim/contract", json={"contract": "someday"}).status_code == 400
    with pytest.raises(ValueError, match="someday"):
        sim.set_contract("someday")


def test_models_index_url_is_none_once_stopped(sim_factory: Callable[..., ManualSim]) -> None:
    other = sim_factory()
    assert other.models_index_url is not None
    other.stop()
    assert other.models_index_url is None


# --- the later Sora 2 page ----------------------------------------------------------------------------------


def test_the_later_contract_refuses_10_s_naming_the_parameter(sim: ManualSim, api: httpx.Client) -> None:
    sim.set_contract("later")
    assert refused(api, SUBMIT, body(duration=10)) == "input.duration must be one of 4, 8, 12 (got 10)"
    assert "provider" in refused(api, SUBMIT, {**body(duration=8), "provider": "auto"})
    two = body(duration=8, mode="image-to-video", image_urls=[IMAGE, IMAGE])
    assert refused(api, SUBMIT, {**two, "provider": "official"}).startswith("input.image_urls must hold exactly one")
    task = sim.service.task(submit(api, {"input": {"mode": "text-to-video", "prompt": "p", "duration": 8}}))
    assert task is not None and task.body["provider"] == "official"  # the later page's only provider
    sim.set_contract("seed")
    submit(api, body(duration=10))


# --- Sora 2 Pro ---------------------------------------------------------------------------------------------


def test_sora_2_pro_runs_on_its_own_routes(sim: ManualSim, api: httpx.Client) -> None:
    answer = api.post(PRO_SUBMIT, json=pro())
    assert answer.status_code == 200, answer.text
    task_id = answer.json()["data"]["taskId"]
    sim.finish_all()
    done = api.get(PRO_STATUS, params={"taskId": task_id})
    assert done.json()["data"]["state"] == "success"
    # Each model has its own status route: a Pro task is unknown on Sora 2's.
    assert api.get(STATUS, params={"taskId": task_id}).status_code == 400
    image = pro(mode="image-to-video", resolution="1080p", image_urls=[IMAGE])
    del image["input"]["size"]
    assert api.post(PRO_SUBMIT, json=image).status_code == 200


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"duration": 10}, "input.duration"),
        ({"size": "1920*1080"}, "input.size"),
        ({"aspect_ratio": "landscape"}, "input.aspect_ratio"),
        ({"prompt": "x" * 5001}, "input.prompt"),
        ({"mode": "image-to-video", "size": None, "resolution": "720p", "image_urls": [IMAGE, IMAGE]}, "image_urls"),
        ({"mode": "image-to-video", "size": None, "resolution": "4k", "image_urls": [IMAGE]}, "input.resolution"),
    ],
)
def test_sora_2_pro_refusals_name_the_parameter(api: httpx.Client, change: dict[str, Any], named: str) -> None:
    payload = pro(**change)
    payload["input"] = {k: v for k, v in payload["input"].items() if v is not None}
    assert named in refused(api, PRO_SUBMIT, payload)


def test_sora_2_pro_takes_the_official_provider_only(api: httpx.Client) -> None:
    assert refused(api, PRO_SUBMIT, {**pro(), "provider": "value"}) == (
        'provider must be one of official (got "value")'
    )


# --- the balance --------------------------------------------------------------------------------------------


def test_the_balance_needs_the_key(sim: ManualSim, web: httpx.Client) -> None:
    answer = web.get(sim.api_base + BALANCE)
    assert (answer.status_code, answer.json()["code"]) == (401, 401)


def test_each_accepted_task_is_debited_by_the_price_table(sim: ManualSim, api: httpx.Client) -> None:
    assert balance(api) == 25.0
    submit(api, body(duration=15))  # Sora 2: per generation
    assert balance(api) == pytest.approx(24.85)
    assert api.post(PRO_SUBMIT, json=pro(duration=12)).status_code == 200  # Sora 2 Pro: per second
    assert balance(api) == pytest.approx(24.85 - 3.60)
    refused(api, SUBMIT, body(duration=7))
    assert balance(api) == pytest.approx(21.25)  # a refused submit costs nothing


def test_a_submit_past_the_balance_is_refused_with_402(sim_factory: Callable[..., ManualSim]) -> None:
    poor = sim_factory(balance_usd=0.20)
    with httpx.Client(base_url=poor.api_base, headers={"Authorization": "Bearer k"}, trust_env=False) as api:
        submit(api)
        answer = api.post(SUBMIT, json=body())
        assert (answer.status_code, answer.json()["code"]) == (402, 402)
        assert "insufficient balance" in answer.json()["message"].lower()
        assert balance(api) == pytest.approx(0.05)
        assert len(poor.service.tasks()) == 1


def test_the_cli_plays_the_later_contract() -> None:
    args = [sys.executable, "-m", "sora2_desktop.sim", "--contract", "later", "--balance", "3"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "the stand-in printed nothing within 20 s"
        api_base = proc.stdout.readline().strip()
        with httpx.Client(base_url=api_base, headers={"Authorization": "Bearer k"}, trust_env=False) as api:
            assert "4, 8, 12" in refused(api, SUBMIT, body(duration=10))
            assert balance(api) == 3.0
            task_id = submit(api, {**body(duration=4), "provider": "official"})
            assert status(api, task_id)["state"] == "pending"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
