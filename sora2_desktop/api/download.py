"""Streaming, resumable download of one result file: a `.part` file, Range resume, checks, atomic rename."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sora2_desktop.api.errors import DownloadError, DownloadFault, RateLimitedError, parse_retry_after
from sora2_desktop.api.headers import int_header
from sora2_desktop.api.part_writer import PartWriter

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
"""Called with (bytes received so far, total size or None when the server does not say); each is in the `.part`
file, or queued for it and written before the download returns or raises."""

if TYPE_CHECKING:
    # httpx is imported by stream_to_file: part_path's callers (file naming, at start-up) do not need it.
    import httpx

    OpenResponse = Callable[[Mapping[str, str]], AbstractAsyncContextManager[httpx.Response]]
    """Opens a streamed GET of the result URL with these extra headers (the client adds auth, redirects)."""

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:(\d+)-(\d+)|\*)\s*/\s*(\d+|\*)\s*$", re.IGNORECASE)


def part_path(dest: Path) -> Path:
    """Where the unfinished bytes of `dest` live until the download completes."""
    return dest.with_name(dest.name + ".part")


class _Restart(Exception):
    """The server's answer does not fit the bytes already on disk: drop them and ask for the whole file."""


async def stream_to_file(
    open_response: OpenResponse,
    dest: Path,
    *,
    progress: Progress | None = None,
    expect_content_type_prefix: str | None = "video/",
) -> Path:
    """Download into `dest`, resuming an earlier `.part`; return `dest` once it holds the complete file.

    Raises DownloadError (`retryable` says whether trying again can help; a cut-short download keeps its
    `.part` so the next try resumes) or RateLimitedError. Two downloads to the same `dest` at once are the
    caller's to prevent.
    """
    import httpx

    dest.parent.mkdir(parents=True, exist_ok=True)
    part = part_path(dest)
    try:
        for _attempt in range(2):
            try:
                await _fetch(open_response, part, progress, expect_content_type_prefix)
                break
            except _Restart as restart:
                log.info("download of %s restarts from zero: %s", dest.name, restart)
                part.unlink(missing_ok=True)
        else:
            raise DownloadError(
                "The file server keeps answering resume requests wrongly; try the download again later.",
                retryable=True,
                fault=DownloadFault.BAD_RESUME,
            )
    except httpx.TimeoutException:
        failure = DownloadError(
            "The file server stopped sending data in time; the download will resume from where it stopped.",
            retryable=True,
            fault=DownloadFault.TIMED_OUT,
        )
    except (httpx.DecodingError, zlib.error):
        # The server compressed although asked not to, and the compressed body is broken: what was decoded
        # may not line up with a resume, so the next try starts from zero.
        part.unlink(missing_ok=True)
        failure = DownloadError(
            "The file server sent a damaged compressed body; the download will be tried again.", retryable=True
        )
    except httpx.TransportError:
        # Only the type is logged: httpx messages are safe today, but nothing from a request goes into text.
        failure = DownloadError(
            "The connection to the file server broke; the download will resume from where it stopped.",
            retryable=True,
            fault=DownloadFault.CONNECTION_BROKE,
        )
    else:
        await asyncio.to_thread(_commit, part, dest)
        return dest
    # Raised outside the except blocks so the httpx exception (which holds the request) is not chained on.
    raise failure


async def _fetch(
    open_response: OpenResponse,
    part: Path,
    progress: Progress | None,
    expect_content_type_prefix: str | None,
) -> None:
    offset = part.stat().st_size if part.exists() else 0
    # identity: Content-Length and Range offsets must count the bytes that land in the file, not gzip bytes.
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    async with open_response(headers) as response:
        status = response.status_code
        if status == 416 and offset:
            total = _content_range(response.headers.get("content-range"))[2]
            if total == offset:
                log.debug("%s was already complete (%d bytes)", part.name, offset)
                if progress is not None:
                    progress(offset, offset)
                return
            raise _Restart(f"416 with the file at {total} bytes while {offset} are on disk")
        _raise_for_status(response, part)
        _check_content_type(response, part, expect_content_type_prefix)
        length = int_header(response.headers.get("content-length"))
        if response.headers.get("content-encoding", "identity").strip().lower() != "identity":
            # The server compressed despite being asked not to: Content-Length counts other bytes than ours.
            length = None
        if status == 206:
            start, _end, total = _content_range(response.headers.get("content-range"))
            if start != offset:
                raise _Restart(f"206 from byte {start} while {offset} are on disk")
            if total is None and length is not None:
                total = offset + length
        else:
            # 200: the server ignored Range (or there was none); what is on disk is replaced.
            offset = 0
            total = length
        received = await _write_body(
            response, part, append=status == 206, offset=offset, total=total, progress=progress
        )
        if length is not None and received < length:
            raise DownloadError(
                f"The file server stopped after {offset + received:,} of {offset + length:,} bytes; "
                "the download will resume from where it stopped.",
                retryable=True,
                fault=DownloadFault.CUT_SHORT,
            )
    if part.stat().st_size == 0:
        part.unlink(missing_ok=True)
        raise DownloadError(
            "The file server sent an empty file; the download will be tried again.",
            retryable=True,
            fault=DownloadFault.EMPTY,
        )


async def _write_body(
    response: httpx.Response,
    part: Path,
    *,
    append: bool,
    offset: int,
    total: int | None,
    progress: Progress | None,
) -> int:
    """Write the body to `part`; return how many bytes were written."""
    done = offset
    if progress is not None:
        progress(done, total)
    # Chunks are handed to the downloads' writer thread (part_writer.py) as they arrive (no re-chunking buffer)
    # and every one is written before this returns or raises, so bytes received before a cut are kept for the
    # resume. A write into the page cache is well under a millisecond, until the kernel makes the writer wait for
    # a busy disk: that wait is no frame's (issue 13). The fsync runs in a worker thread in _commit.
    # The raw body, inflated here (not by httpx) and held by name: when a write, `progress` (a full disk, the
    # size cap) or a broken gzip stream raises, the response and then the body's generators are closed here,
    # while the loop runs. Dropped mid-stream, the garbage collector would close them, and it cannot await
    # the connection's clean-up.
    if response.is_stream_consumed:  # read whole already (a test's in-memory answer): httpx decoded it
        inflater, chunks = None, _in_memory(response.content)
    else:
        inflater, chunks = _inflater(response.headers.get("content-encoding", "")), response.aiter_raw()
    try:
        with _open_part(part, "ab" if append else "wb") as file:
            writer = PartWriter(file)
            try:
                async for raw in chunks:
                    for chunk in _inflated(inflater, raw):
                        await writer.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
                await writer.flush()
            except BaseException:
                await _keep_received(writer)
                raise
            finally:
                writer.close()
    except BaseException:  # a cancel too: the generators must not be left to the garbage collector
        try:
            await response.aclose()
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]
        raise
    return done - offset


async def _keep_received(writer: PartWriter) -> None:
    """What was received before a cut or a cancel goes into the `.part` all the same (a resume asks from its end);
    a failed write there is already on its way up as the error, or is the lesser one."""
    with contextlib.suppress(Exception):
        await writer.flush()


_INFLATE_STEP = 1024 * 1024  # inflate at most this much at a time: a gzip bomb meets the size cap step by step


def _inflater(encoding: str) -> Any:
    """A zlib decompressor for a gzip or deflate body the server compressed although asked not to; None for
    any other (an unknown encoding is saved as it comes, and the MP4 check refuses it)."""
    name = encoding.strip().lower()
    if name in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib, told apart by the header
    return None


async def _in_memory(content: bytes) -> AsyncIterator[bytes]:
    yield content


def _inflated(inflater: Any, data: bytes) -> Iterator[bytes]:
    if inflater is None:
        yield data
        return
    out = inflater.decompress(data, _INFLATE_STEP)
    while out:
        yield out
        out = inflater.decompress(inflater.unconsumed_tail, _INFLATE_STEP) if inflater.unconsumed_tail else b""


def _open_part(part: Path, mode: str) -> BinaryIO:
    """The `.part` opened for writing; one place, so the fault suite can put a failing file in its stead."""
    return part.open(mode)  # type: ignore[return-value]


def _raise_for_status(response: httpx.Response, part: Path) -> None:
    status = response.status_code
    if status in (200, 206):
        return
    if status == 429:
        raise RateLimitedError(parse_retry_after(response.headers.get("retry-after")))
    if status in (408, 425) or status >= 500:
        raise DownloadError(
            f"The file server had a problem (HTTP {status}); the download will be tried again.",
            retryable=True,
            status_code=status,
            fault=DownloadFault.SERVER_ERROR,
        )
    if status in (401, 403, 404, 410):
        # Result links live 15 days; past that the CDN answers 403 or 404 and no retry brings the file back.
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"The result file is no longer available (HTTP {status}); result links expire after 15 days.",
            retryable=False,
            status_code=status,
            fault=DownloadFault.GONE,
        )
    part.unlink(missing_ok=True)
    raise DownloadError(
        f"The file server refused the download (HTTP {status}).",
        retryable=False,
        status_code=status,
        fault=DownloadFault.REFUSED,
    )


def _check_content_type(response: httpx.Response, part: Path, prefix: str | None) -> None:
    if prefix is None:
        return
    content_type = response.headers.get("content-type", "").strip().lower()
    if content_type.startswith(prefix.lower()):
        return
    # Whatever this is (an HTML error page, JSON), it must not be appended to or renamed into a video file.
    part.unlink(missing_ok=True)
    named = content_type.split(";")[0].strip()
    raise DownloadError(
        f"The result link answered with {named or 'no type'} instead of a video; the file was not saved.",
        retryable=False,
        status_code=response.status_code,
        fault=DownloadFault.NOT_A_VIDEO,
        detail=named or None,
    )


def _content_range(value: str | None) -> tuple[int | None, int | None, int | None]:
    """(first byte, last byte, total) from `Content-Range`; None for each part that is absent or `*`."""
    match = _CONTENT_RANGE.match(value or "")
    if match is None:
        return None, None, None
    first, last, total = match.groups()
    return (
        int(first) if first is not None else None,
        int(last) if last is not None else None,
        int(total) if total not in (None, "*") else None,
    )


def _commit(part: Path, dest: Path) -> None:
    """fsync the finished `.part`, rename it onto `dest` in one step, then fsync the folder (POSIX)."""
    with part.open("rb+") as file:
        os.fsync(file.fileno())
    # os.replace is atomic on one file system: a reader sees the old file or the whole new one, never half.
    os.replace(part, dest)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            directory = os.open(dest.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
