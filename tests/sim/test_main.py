"""`python -m sora2_desktop.sim` starts a real server process whose first output line is its API base URL."""

from __future__ import annotations

import select
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.sim_protocol import SUBMIT, body, result_url, status


@pytest.fixture
def sim_process() -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    args = [sys.executable, "-m", "sora2_desktop.sim", "--speed", "100000", "--require-key", "cli-key"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "the stand-in printed nothing within 20 s"
        api_base = proc.stdout.readline().strip()
        cdn_line = proc.stdout.readline().strip()
        yield proc, api_base, cdn_line
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()  # wait() leaves them open: each would be a ResourceWarning when collected


def test_cli_serves_submit_status_and_result(
    sim_process: tuple[subprocess.Popen[str], str, str], web: httpx.Client
) -> None:
    proc, api_base, cdn_line = sim_process
    assert api_base.startswith("http://127.0.0.1:") and api_base.count(" ") == 0
    assert cdn_line.startswith("CDN: http://127.0.0.1:")
    headers = {"Authorization": "Bearer cli-key"}
    with httpx.Client(base_url=api_base, headers=headers, trust_env=False, verify=False, timeout=10) as api:
        assert web.post(api_base + SUBMIT, json=body()).status_code == 401
        answer = api.post(SUBMIT, json=body())
        assert answer.status_code == 200
        assert api.post("/_sim/finish_all").status_code == 200
        done = status(api, answer.json()["data"]["taskId"])
        assert done["state"] == "success"
        video = web.get(result_url(done))
        assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    proc.terminate()
    assert proc.wait(timeout=10) == 0
