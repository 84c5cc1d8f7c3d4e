"""ApixoClient over real loopback HTTP against the stand-in: happy path, every fault, where the key goes."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from sora2_desktop.api import (
    ApiError,
    ApiKey,
    ApixoClient,
    AuthError,
    DownloadError,
    GenerationRequest,
    InvalidRequestError,
    Mode,
    ProtocolError,
    RateLimitedError,
    TaskState,
    TaskStatus,
    TransientError,
)
from sora2_desktop.api.download import part_path
from sora2_desktop.sim import blob_bytes
from tests.helpers.models import SORA_2

if TYPE_CHECKING:
    from tests.helpers.sim import ManualSim

KEY = "sk-sim-4c2e9a71-SECRET-must-not-leak"
REQUEST = GenerationRequest(prompt="A paper boat drifts down a rain gutter, macro, soft diffused light")
T = TypeVar("T")


def talk(sim: ManualSim, action: Callable[[ApixoClient], Awaitable[T]], *, key: str = KEY, timeout: float = 10.0) -> T:
    """Run `action` with a fresh client pointed at the stand-in (one event loop per call, as a test needs)."""

    async def main() -> T:
        async with ApixoClient(sim.api_base, ApiKey(key), timeout=timeout) as client:
            return await action(client)

    return asyncio.run(main())


def fails(sim: ManualSim, action: Callable[[ApixoClient], Awaitable[Any]], **options: Any) -> ApiError:
    with pytest.raises(ApiError) as info:
        talk(sim, action, **options)
    error = info.value
    for text in ("".join(traceback.format_exception(error)), str(error), repr(error), repr(vars(error))):
        assert KEY not in text
    assert error.__cause__ is None and error.__context__ is None
    return error


def submit(client: ApixoClient) -> Awaitable[str]:
    return client.submit(REQUEST, SORA_2)


def submitted_and_finished(sim: ManualSim) -> TaskStatus:
    async def action(client: ApixoClient) -> TaskStatus:
        task_id = await client.submit(REQUEST, SORA_2)
        sim.finish_all()
        return await client.status(task_id, SORA_2)

    return talk(sim, action)


def served_clip(sim: ManualSim) -> bytes:
    """The demo video of the one task the test made, as the stand-in serves it."""
    (task,) = sim.service.tasks()
    return sim.video(task)


def assert_key_only_on_the_api(sim: ManualSim) -> None:
    requests = sim.requests_snapshot()
    api = [r for r in requests if r.origin == "api"]
    cdn = [r for r in requests if r.origin == "cdn"]
    assert all(r.headers.get("authorization") == f"Bearer {KEY}" for r in api), [r.path for r in api]
    assert not [r.path for r in cdn if "authorization" in r.headers]


# --- the happy path -----------------------------------------------------------------------------------------


def test_submit_poll_and_download_byte_identical(sim: ManualSim, tmp_path: Path) -> None:
    dest = tmp_path / "library" / "boat.mp4"
    progress: list[tuple[int, int | None]] = []

    async def action(client: ApixoClient) -> list[TaskStatus]:
        task_id = await client.submit(REQUEST, SORA_2)
        seen = [await client.status(task_id, SORA_2)]
        # Follow the service's own advice: first look after 180 s, then every 10 s, until the task ends.
        sim.clock.advance(180)
        seen.append(await client.status(task_id, SORA_2))
        while not seen[-1].state.is_final:
            sim.clock.advance(10)
            seen.append(await client.status(task_id, SORA_2))
        (url,) = seen[-1].result_urls
        await client.download(url, dest, progress=lambda done, total: progress.append((done, total)))
        return seen

    seen = talk(sim, action)
    assert seen[0].state is TaskState.PENDING
    assert all(status.state in (TaskState.PENDING, TaskState.PROCESSING) for status in seen[:-1])
    final = seen[-1]
    assert final.state is TaskState.SUCCESS
    assert final.result_urls[0].startswith(sim.cdn_base)
    assert final.create_time is not None and final.complete_time is not None
    assert final.cost_time_ms is not None and 180_000 <= final.cost_time_ms <= 300_000
    assert "param" in final.raw  # a field the client does not model is kept
    clip = served_clip(sim)
    assert dest.read_bytes() == clip
    assert progress[-1] == (len(clip), len(clip))
    assert not part_path(dest).exists()
    assert_key_only_on_the_api(sim)
    assert [r.origin for r in sim.requests_snapshot()][-1] == "cdn"


def test_finish_all_then_download(sim: ManualSim, tmp_path: Path) -> None:
    status = submitted_and_finished(sim)
    assert status.state is TaskState.SUCCESS
    talk(sim, lambda client: client.download(status.result_urls[0], tmp_path / "clip.mp4"))
    assert (tmp_path / "clip.mp4").read_bytes() == served_clip(sim)
    assert_key_only_on_the_api(sim)


# --- every error class --------------------------------------------------------------------------------------


def test_400_invalid_parameters_from_the_service(sim: ManualSim, monkeypatch: pytest.MonkeyPatch) -> None:
    # The service's rules are the client's, so only a request that slipped past local checks reaches it.
    monkeypatch.setattr(GenerationRequest, "validate", lambda self, spec, images=True: [])
    error = fails(sim, lambda client: client.submit(GenerationRequest(prompt="p", duration=12), SORA_2))
    assert isinstance(error, InvalidRequestError)
    assert error.status_code == 400
    assert error.service_message == "input.duration must be one of 10, 15 (got 12)"


def test_400_for_an_unknown_task(sim: ManualSim) -> None:
    error = fails(sim, lambda client: client.status("task_000000000000", SORA_2))
    assert isinstance(error, InvalidRequestError)
    assert error.service_message == "Task not found: task_000000000000"


def test_insufficient_credits_verbatim(sim: ManualSim) -> None:
    sim.faults.inject("insufficient_credits")
    error = fails(sim, submit)
    assert isinstance(error, InvalidRequestError)
    assert error.status_code == 400
    assert str(error) == error.service_message == "Insufficient credits"
    assert not error.retryable


def test_401_for_a_wrong_key(sim_factory: Callable[..., ManualSim]) -> None:
    guarded = sim_factory(require_key="sk-the-right-one")
    error = fails(guarded, submit)
    assert isinstance(error, AuthError)
    assert error.status_code == 401 and not error.retryable
    assert error.user_message == "The API key was refused. Check it in Settings → API key."


def test_401_for_no_key(sim: ManualSim) -> None:
    error = fails(sim, submit, key="")
    assert isinstance(error, AuthError)
    assert "authorization" not in sim.requests_snapshot()[-1].headers


def test_401_inside_an_http_200(sim: ManualSim) -> None:
    sim.faults.inject("auth_in_body")
    error = fails(sim, submit)
    assert isinstance(error, AuthError)
    assert error.status_code == 401


@pytest.mark.parametrize(("retry_after", "expected"), [(7, 7.0), (2.5, 2.5)])
def test_429_with_retry_after(sim: ManualSim, retry_after: float, expected: float) -> None:
    sim.faults.inject("rate_limit", retry_after=retry_after)
    error = fails(sim, submit)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == expected and error.retryable


def test_429_from_the_running_rate_limit(sim_factory: Callable[..., ManualSim]) -> None:
    limited = sim_factory(rate_limit_per_minute=2)

    async def action(client: ApixoClient) -> None:
        for _ in range(3):
            await client.submit(REQUEST, SORA_2)

    error = fails(limited, action)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after is not None and 1 <= error.retry_after <= 60


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_transient(sim: ManualSim, status: int) -> None:
    sim.faults.inject("server_error", status=status)
    error = fails(sim, submit)
    assert isinstance(error, TransientError)
    assert error.status_code == status and error.retryable


def test_a_slow_service_times_out_as_transient(sim: ManualSim) -> None:
    sim.faults.inject("slow", seconds=1.5)
    error = fails(sim, submit, timeout=0.3)
    assert isinstance(error, TransientError)
    assert "did not answer in time" in error.user_message


def test_a_dropped_connection_is_transient(sim: ManualSim) -> None:
    sim.faults.inject("drop")
    error = fails(sim, lambda client: client.status("task_1", SORA_2))
    assert isinstance(error, TransientError) and error.retryable
    assert error.status_code is None


def test_a_refused_connection_was_never_sent(sim: ManualSim) -> None:
    sim.stop()  # nothing listens on the port any more
    error = fails(sim, submit)
    assert isinstance(error, TransientError) and error.retryable
    assert not error.request_sent


def test_a_submit_lost_after_the_service_took_it_may_have_been_sent(sim: ManualSim) -> None:
    sim.faults.inject("drop", processed=True)
    error = fails(sim, submit)
    assert isinstance(error, TransientError)
    assert error.request_sent
    assert len(sim.service.tasks()) == 1  # why: resending would have made (and charged) a second task


def test_malformed_json_is_a_protocol_error(sim: ManualSim) -> None:
    sim.faults.inject("malformed")
    error = fails(sim, submit)
    assert isinstance(error, ProtocolError) and error.retryable


def test_the_client_does_not_retry_on_its_own(sim: ManualSim) -> None:
    sim.faults.inject("server_error")
    fails(sim, submit)
    assert len([r for r in sim.requests_snapshot() if r.origin == "api"]) == 1


# --- failed tasks -------------------------------------------------------------------------------------------


def test_content_violation_is_a_failed_status(sim: ManualSim) -> None:
    sim.faults.inject("content_violation")
    status = submitted_and_finished(sim)
    assert status.state is TaskState.FAILED
    assert status.fail_code == "CONTENT_VIOLATION"
    assert status.fail_message and "safety" in status.fail_message
    assert status.result_urls == ()


def test_invalid_image_url_is_a_failed_status(sim: ManualSim) -> None:
    image = "https://images.example.invalid/reference.png"
    request = GenerationRequest(prompt="The statue turns", mode=Mode.IMAGE_TO_VIDEO, image_urls=(image,))

    async def action(client: ApixoClient) -> TaskStatus:
        task_id = await client.submit(request, SORA_2)
        sim.finish_all()
        return await client.status(task_id, SORA_2)

    status = talk(sim, action)
    assert status.state is TaskState.FAILED
    assert status.fail_code == "INVALID_IMAGE_URL"
    assert status.fail_message and image in status.fail_message


def test_an_unknown_fail_code_comes_through(sim: ManualSim) -> None:
    sim.faults.inject("unknown_fail", code="GPU_ON_FIRE", message="The renderer gave up.")
    status = submitted_and_finished(sim)
    assert (status.state, status.fail_code, status.fail_message) == (
        TaskState.FAILED,
        "GPU_ON_FIRE",
        "The renderer gave up.",
    )


# --- downloads ----------------------------------------------------------------------------------------------


def test_a_cut_download_is_retryable_and_resumes_byte_identical(sim: ManualSim, tmp_path: Path) -> None:
    url = submitted_and_finished(sim).result_urls[0]
    dest = tmp_path / "clip.mp4"
    cut = len(served_clip(sim)) // 3
    sim.faults.inject("truncate_download", after_bytes=cut)
    error = fails(sim, lambda client: client.download(url, dest))
    assert isinstance(error, DownloadError) and error.retryable
    assert not dest.exists()
    kept = part_path(dest).stat().st_size
    assert kept == cut  # everything that arrived before the cut is on disk

    talk(sim, lambda client: client.download(url, dest))
    assert dest.read_bytes() == served_clip(sim)
    assert not part_path(dest).exists()
    downloads = [r for r in sim.requests_snapshot() if r.origin == "cdn"]
    assert [r.headers.get("range") for r in downloads] == [None, f"bytes={kept}-"]
    assert_key_only_on_the_api(sim)


def test_a_large_file_streams_and_resumes(sim: ManualSim, tmp_path: Path) -> None:
    size = 3_000_000
    url = f"{sim.cdn_base}/blob/{size}.mp4"
    dest = tmp_path / "big.mp4"
    sim.faults.inject("truncate_download", after_bytes=1_234_567)
    with pytest.raises(DownloadError):
        talk(sim, lambda client: client.download(url, dest))
    progress: list[tuple[int, int | None]] = []
    talk(sim, lambda client: client.download(url, dest, progress=lambda d, t: progress.append((d, t))))
    assert progress[0] == (1_234_567, size)
    assert dest.read_bytes() == blob_bytes(0, size)


def test_an_answer_that_is_not_a_video_is_refused(sim: ManualSim, tmp_path: Path) -> None:
    sim.faults.inject("not_video")
    url = submitted_and_finished(sim).result_urls[0]
    dest = tmp_path / "clip.mp4"
    error = fails(sim, lambda client: client.download(url, dest))
    assert isinstance(error, DownloadError) and not error.retryable
    assert "text/html" in error.user_message
    assert list(tmp_path.iterdir()) == []


def test_a_hostile_result_name_cannot_choose_where_the_file_goes(sim: ManualSim, tmp_path: Path) -> None:
    sim.faults.inject("evil_name")
    url = submitted_and_finished(sim).result_urls[0]
    assert "..%2F" in url
    folder = tmp_path / "library"
    talk(sim, lambda client: client.download(url, folder / "clip.mp4"))
    assert [p.name for p in tmp_path.rglob("*")] == ["library", "clip.mp4"]
    assert (folder / "clip.mp4").read_bytes() == served_clip(sim)


def test_an_expired_result_link_is_not_retryable(sim: ManualSim, tmp_path: Path) -> None:
    url = submitted_and_finished(sim).result_urls[0]
    sim.clock.advance(16 * 24 * 3600)
    error = fails(sim, lambda client: client.download(url, tmp_path / "clip.mp4"))
    assert isinstance(error, DownloadError) and not error.retryable
    assert error.status_code == 404 and "15 days" in error.user_message


def test_a_dropped_cdn_connection_is_retryable(sim: ManualSim, tmp_path: Path) -> None:
    url = submitted_and_finished(sim).result_urls[0]
    sim.faults.inject("drop", origin="cdn")
    error = fails(sim, lambda client: client.download(url, tmp_path / "clip.mp4"))
    assert isinstance(error, DownloadError) and error.retryable


# --- the key ------------------------------------------------------------------------------------------------


def test_the_key_reaches_the_api_only_and_no_log(
    sim: ManualSim, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for kind in ("rate_limit", "server_error", "drop", "malformed", "auth_in_body", "insufficient_credits"):
        sim.faults.inject(kind)
        with pytest.raises(ApiError):
            talk(sim, submit)
    status = submitted_and_finished(sim)
    sim.faults.inject("truncate_download", after_bytes=1000)
    with pytest.raises(DownloadError):
        talk(sim, lambda client: client.download(status.result_urls[0], tmp_path / "clip.mp4"))
    talk(sim, lambda client: client.download(status.result_urls[0], tmp_path / "clip.mp4"))

    origins = {r.origin for r in sim.requests_snapshot()}
    assert origins == {"api", "cdn"}
    assert_key_only_on_the_api(sim)
    assert caplog.records
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert KEY not in repr(record.args)
