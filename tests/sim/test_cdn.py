"""The CDN origin serves results like a real CDN: types, lengths, byte ranges, 404s, expiry, and big blobs."""

from __future__ import annotations

import httpx
import pytest

from sora2_desktop.sim import blob_bytes
from tests.helpers.sim import ManualSim
from tests.helpers.sim_protocol import result_url, status, submit


@pytest.fixture
def video_url(sim: ManualSim, api: httpx.Client) -> str:
    task_id = submit(api)
    sim.finish_all()
    return result_url(status(api, task_id))


@pytest.fixture
def clip(sim: ManualSim, video_url: str) -> bytes:
    """The task's own demo video, as the stand-in built it (the bytes every answer must come from)."""
    return sim.video(video_url.rsplit("/", 1)[-1].removesuffix(".mp4"))


def test_cdn_is_a_different_origin(sim: ManualSim, video_url: str) -> None:
    assert sim.cdn_base != sim.api_base and video_url.startswith(sim.cdn_base + "/videos/")


def test_full_download_has_type_length_and_accept_ranges(video_url: str, clip: bytes, web: httpx.Client) -> None:
    answer = web.get(video_url)
    assert answer.status_code == 200 and answer.content == clip
    assert answer.headers["content-type"] == "video/mp4"
    assert answer.headers["content-length"] == str(len(clip))
    assert answer.headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize(
    ("spec", "first", "last"),
    [("bytes=1000-", 1000, None), ("bytes=10-19", 10, 19), ("bytes=-100", -100, None)],
)
def test_range_requests_answer_206_with_the_right_bytes(
    video_url: str, clip: bytes, spec: str, first: int, last: int | None, web: httpx.Client
) -> None:
    size = len(clip)
    answer = web.get(video_url, headers={"Range": spec})
    expected = clip[first : None if last is None else last + 1]
    assert answer.status_code == 206
    assert answer.content == expected
    start = first % size
    assert answer.headers["content-range"] == f"bytes {start}-{start + len(expected) - 1}/{size}"
    assert answer.headers["content-length"] == str(len(expected))


def test_range_past_the_end_answers_416(video_url: str, clip: bytes, web: httpx.Client) -> None:
    answer = web.get(video_url, headers={"Range": f"bytes={len(clip)}-"})
    assert answer.status_code == 416 and answer.headers["content-range"] == f"bytes */{len(clip)}"


def test_head_gives_headers_only(video_url: str, clip: bytes, web: httpx.Client) -> None:
    answer = web.head(video_url)
    assert answer.status_code == 200 and answer.headers["content-length"] == str(len(clip)) and not answer.content


def test_unknown_unfinished_and_expired_results_are_404(
    sim: ManualSim, api: httpx.Client, video_url: str, web: httpx.Client
) -> None:
    assert web.get(f"{sim.cdn_base}/videos/task_00000000.mp4").status_code == 404
    running = submit(api)
    assert web.get(f"{sim.cdn_base}/videos/{running}.mp4").status_code == 404
    sim.clock.advance(14 * 24 * 3600)
    assert web.get(video_url).status_code == 200
    sim.clock.advance(2 * 24 * 3600)  # result URLs live 15 days
    assert web.get(video_url).status_code == 404


def test_blob_streams_n_deterministic_bytes_with_ranges(sim: ManualSim, web: httpx.Client) -> None:
    size = 3 * 1024 * 1024 + 7
    url = f"{sim.cdn_base}/blob/{size}.mp4"
    whole = web.get(url)
    assert whole.headers["content-length"] == str(size) and whole.content == blob_bytes(0, size)
    assert whole.content[:3] == b"\x00\x01\x02" and whole.content[251] == 0
    part = web.get(url, headers={"Range": "bytes=1000000-"})
    assert part.status_code == 206 and part.content == blob_bytes(1_000_000, size - 1_000_000)


def test_big_blob_streams_without_trouble(sim: ManualSim, web: httpx.Client) -> None:
    size = 64 * 1024 * 1024
    received = 0
    with web.stream("GET", f"{sim.cdn_base}/blob/{size}.mp4") as answer:
        for chunk in answer.iter_bytes():
            received += len(chunk)
    assert received == size
