"""The resumable download against httpx.MockTransport: resume, restart, refusals, cut bodies, progress."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from sora2_desktop.api import ApiKey, ApixoClient, DownloadError, RateLimitedError
from sora2_desktop.api.download import part_path

URL = "https://r2.apixo.ai/videos/task_1.mp4"
CLIP = bytes(range(251)) * 40  # 10,040 bytes; a prime period, so a misplaced byte shows
Handler = Callable[[httpx.Request], httpx.Response]


def fetch(
    handler: Handler,
    dest: Path,
    *,
    progress: list[tuple[int, int | None]] | None = None,
    expect: str | None = "video/",
) -> Path:
    async def main() -> Path:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = ApixoClient("https://api.apixo.ai", ApiKey("sk-x"), http=http)
            report = progress.append if progress is not None else None
            return await client.download(
                URL,
                dest,
                progress=(lambda done, total: report((done, total))) if report else None,
                expect_content_type_prefix=expect,
            )

    return asyncio.run(main())


def failure(handler: Handler, dest: Path) -> DownloadError:
    with pytest.raises(DownloadError) as info:
        fetch(handler, dest)
    return info.value


def cdn(
    data: bytes = CLIP, *, content_type: str = "video/mp4", honour_range: bool = True
) -> tuple[Handler, list[httpx.Request]]:
    """A CDN that serves `data`, honouring `Range: bytes=N-` like the real one (or ignoring it)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"Content-Type": content_type, "Accept-Ranges": "bytes"}
        match = re.fullmatch(r"bytes=(\d+)-", request.headers.get("range", ""))
        if match and honour_range:
            start = int(match.group(1))
            if start >= len(data):
                return httpx.Response(416, headers={"Content-Range": f"bytes */{len(data)}"})
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            return httpx.Response(206, content=data[start:], headers=headers)
        return httpx.Response(200, content=data, headers=headers)

    return handler, seen


def test_fresh_download_lands_whole_with_progress(tmp_path: Path) -> None:
    handler, seen = cdn()
    progress: list[tuple[int, int | None]] = []
    dest = tmp_path / "library" / "clip.mp4"  # the folder does not exist yet
    assert fetch(handler, dest, progress=progress) == dest
    assert dest.read_bytes() == CLIP
    assert not part_path(dest).exists()
    assert "range" not in seen[0].headers
    assert seen[0].headers["accept-encoding"] == "identity"
    assert progress[0] == (0, len(CLIP))
    assert progress[-1] == (len(CLIP), len(CLIP))
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_resume_appends_from_the_part_file(tmp_path: Path) -> None:
    handler, seen = cdn()
    dest = tmp_path / "clip.mp4"
    part_path(dest).write_bytes(CLIP[:4000])
    progress: list[tuple[int, int | None]] = []
    fetch(handler, dest, progress=progress)
    assert seen[0].headers["range"] == "bytes=4000-"
    assert dest.read_bytes() == CLIP
    assert progress[0] == (4000, len(CLIP))


def test_a_server_that_ignores_range_restarts_from_zero(tmp_path: Path) -> None:
    handler, seen = cdn(honour_range=False)
    dest = tmp_path / "clip.mp4"
    part_path(dest).write_bytes(b"stale bytes from another file")
    fetch(handler, dest)
    assert seen[0].headers["range"] == "bytes=29-"
    assert dest.read_bytes() == CLIP


def test_416_for_a_complete_part_finishes_without_a_body(tmp_path: Path) -> None:
    handler, seen = cdn()
    dest = tmp_path / "clip.mp4"
    part_path(dest).write_bytes(CLIP)
    progress: list[tuple[int, int | None]] = []
    fetch(handler, dest, progress=progress)
    assert len(seen) == 1
    assert dest.read_bytes() == CLIP
    assert progress == [(len(CLIP), len(CLIP))]


def test_416_for_a_part_longer_than_the_file_restarts(tmp_path: Path) -> None:
    handler, seen = cdn()
    dest = tmp_path / "clip.mp4"
    part_path(dest).write_bytes(CLIP + b"junk")
    fetch(handler, dest)
    assert [r.headers.get("range") for r in seen] == [f"bytes={len(CLIP) + 4}-", None]
    assert dest.read_bytes() == CLIP


def test_206_from_the_wrong_offset_restarts(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if "range" in request.headers:
            return httpx.Response(
                206,
                content=CLIP[10:],
                headers={"Content-Type": "video/mp4", "Content-Range": f"bytes 10-10039/{len(CLIP)}"},
            )
        return httpx.Response(200, content=CLIP, headers={"Content-Type": "video/mp4"})

    dest = tmp_path / "clip.mp4"
    part_path(dest).write_bytes(CLIP[:500])
    fetch(handler, dest)
    assert [r.headers.get("range") for r in seen] == ["bytes=500-", None]
    assert dest.read_bytes() == CLIP


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    handler, _ = cdn()
    dest = tmp_path / "clip.mp4"
    dest.write_bytes(b"an older take")
    fetch(handler, dest)
    assert dest.read_bytes() == CLIP


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/json", ""])
def test_an_answer_that_is_not_a_video_is_refused_and_the_part_removed(tmp_path: Path, content_type: str) -> None:
    handler, _ = cdn(b"<html>Link expired</html>", content_type=content_type)
    dest = tmp_path / "clip.mp4"
    part_path(dest).write_bytes(CLIP[:100])
    error = failure(handler, dest)
    assert not error.retryable
    assert "instead of a video" in error.user_message
    assert not dest.exists() and not part_path(dest).exists()


def test_content_type_check_can_be_turned_off(tmp_path: Path) -> None:
    handler, _ = cdn(b"\x89PNG...", content_type="image/png")
    dest = tmp_path / "still.png"
    fetch(handler, dest, expect=None)
    assert dest.read_bytes() == b"\x89PNG..."


def test_an_empty_body_is_refused(tmp_path: Path) -> None:
    handler, _ = cdn(b"")
    dest = tmp_path / "clip.mp4"
    error = failure(handler, dest)
    assert error.retryable
    assert "empty" in error.user_message
    assert not dest.exists() and not part_path(dest).exists()


def test_a_body_shorter_than_its_content_length_is_kept_for_resume(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=CLIP[:3000], headers={"Content-Type": "video/mp4", "Content-Length": str(len(CLIP))}
        )

    dest = tmp_path / "clip.mp4"
    error = failure(handler, dest)
    assert error.retryable
    assert "3,000 of 10,040" in error.user_message
    assert part_path(dest).read_bytes() == CLIP[:3000]
    assert not dest.exists()


class _BreaksAfter(httpx.AsyncByteStream):
    """A body that sends `data` and then loses the connection, as a real cut does."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._data[:1000]
        yield self._data[1000:2000]
        raise httpx.ReadError("[Errno 104] Connection reset by peer")


def test_a_connection_lost_mid_body_keeps_what_arrived(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "video/mp4", "Content-Length": str(len(CLIP))}
        return httpx.Response(200, stream=_BreaksAfter(CLIP), headers=headers)

    dest = tmp_path / "clip.mp4"
    error = failure(handler, dest)
    assert error.retryable
    assert error.__context__ is None and error.__cause__ is None
    assert part_path(dest).read_bytes() == CLIP[:2000]
    handler2, seen = cdn()
    fetch(handler2, dest)
    assert seen[0].headers["range"] == "bytes=2000-"
    assert dest.read_bytes() == CLIP


def test_a_time_out_is_retryable(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    error = failure(handler, tmp_path / "clip.mp4")
    assert error.retryable and "in time" in error.user_message


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(403, False), (404, False), (410, False), (400, False), (500, True), (503, True), (408, True)],
)
def test_http_errors(tmp_path: Path, status: int, retryable: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text="<html>error</html>", headers={"Content-Type": "text/html"})

    dest = tmp_path / "clip.mp4"
    part_path(dest).write_bytes(CLIP[:10])
    error = failure(handler, dest)
    assert error.retryable is retryable
    assert error.status_code == status
    # A link that is gone will not come back; a server hiccup leaves the part for the next try.
    assert part_path(dest).exists() is retryable


def test_429_carries_retry_after(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "12"})

    with pytest.raises(RateLimitedError) as info:
        fetch(handler, tmp_path / "clip.mp4")
    assert info.value.retry_after == 12.0


def test_cancelling_keeps_the_part_for_later(tmp_path: Path) -> None:
    class _Stalls(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield CLIP[:1500]
            await asyncio.sleep(60)
            yield CLIP[1500:]

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "video/mp4", "Content-Length": str(len(CLIP))}
        return httpx.Response(200, stream=_Stalls(), headers=headers)

    dest = tmp_path / "clip.mp4"

    async def main() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = ApixoClient("https://api.apixo.ai", ApiKey("sk-x"), http=http)
            started = asyncio.Event()
            task = asyncio.create_task(client.download(URL, dest, progress=lambda done, _total: done and started.set()))
            await asyncio.wait_for(started.wait(), 10)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(main())
    assert part_path(dest).read_bytes() == CLIP[:1500]
    assert not dest.exists()
