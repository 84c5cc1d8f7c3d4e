"""A hostile file server on loopback for the download fault cases: good files with Range, endless bodies,
gzip bombs, broken gzip, HTML instead of video, and 500 forever."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import re
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

CHUNK = 64 * 1024


def mp4_bytes(size: int, seed: int = 1) -> bytes:
    """`size` bytes that open with an ISO BMFF `ftyp` box (what the downloader checks), the rest a pattern."""
    head = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    body = bytes((index * seed + index // 251) % 256 for index in range(size - len(head)))
    return head + body


@dataclass
class HostileServer:
    """GET /good/<name>: the file registered under <name> (Range honoured); /endless, /gzip-bomb, /bad-gzip,
    /html, /error: the hostile answers. `hits` counts requests per path."""

    files: dict[str, bytes] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    ranges: list[int] = field(default_factory=list)  # the first byte each /good/ or /nolength/ GET asked for
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            path = head.split(" ", 2)[1]
            self.hits[path] += 1
            await self._answer(path, head, writer)
        with contextlib.suppress(ConnectionError):
            writer.close()
            await writer.wait_closed()

    async def _answer(self, path: str, head: str, writer: asyncio.StreamWriter) -> None:
        if path.startswith(("/good/", "/nolength/")):
            kind, name = path[1:].split("/", 1)
            self.ranges.append(await _send_file(self.files[name], head, writer, sized=kind == "good"))
        elif path == "/endless":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n")
            writer.write(mp4_bytes(CHUNK))
            while True:  # until the client hangs up
                writer.write(b"\x00" * CHUNK)
                await writer.drain()
        elif path == "/gzip-bomb":
            body = gzip.compress(mp4_bytes(64) + b"\x00" * (8 * 1024 * 1024), 9)
            await _send(writer, 200, body, "video/mp4", "Content-Encoding: gzip\r\n")
        elif path == "/bad-gzip":
            await _send(
                writer, 200, b"\x1f\x8b\x08\x00not gzip at all" * 100, "video/mp4", "Content-Encoding: gzip\r\n"
            )
        elif path == "/html":
            await _send(writer, 200, b"<html>log in first</html>", "text/html; charset=utf-8")
        else:
            await _send(writer, 500, b"oops", "text/plain")


async def _send(
    writer: asyncio.StreamWriter, status: int, body: bytes, kind: str, extra: str = "", *, sized: bool = True
) -> None:
    reason = {200: "OK", 206: "Partial Content", 500: "Internal Server Error"}.get(status, "X")
    length = f"Content-Length: {len(body)}\r\n" if sized else ""
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n{length}{extra}Connection: close\r\n\r\n"
    writer.write(head.encode("latin-1"))
    for begin in range(0, len(body), CHUNK):
        writer.write(body[begin : begin + CHUNK])
        await writer.drain()


async def _send_file(data: bytes, head: str, writer: asyncio.StreamWriter, *, sized: bool) -> int:
    """The file from the asked byte on (206) or whole (200); without Content-Length when not `sized`."""
    match = re.search(r"(?im)^range:\s*bytes=(\d+)-", head)
    start = int(match.group(1)) if match else 0
    if not match:
        await _send(writer, 200, data, "video/mp4", sized=sized)
    else:
        extra = f"Content-Range: bytes {start}-{len(data) - 1}/{len(data)}\r\n"
        await _send(writer, 206, data[start:], "video/mp4", extra, sized=sized)
    return start


@asynccontextmanager
async def hostile_server() -> AsyncIterator[HostileServer]:
    server = HostileServer()
    listener = await asyncio.start_server(server._handle, "127.0.0.1", 0)
    server.port = listener.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        listener.close()
        # Endless senders end when the client hangs up; the listener waits for none of them.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(listener.wait_closed(), 2)


# -- a downloader rig over the hostile server ----------------------------------------------------------------


@dataclass
class Disk:
    """An injectable `shutil.disk_usage` for the download folder: `free` is what the test says."""

    total: int = 10 * 1024**3
    free: int = 5 * 1024**3
    denied: bool = False  # the folder may not be read or written: asking raises EACCES

    def __call__(self, folder: object) -> Usage:
        if self.denied:
            raise PermissionError(13, "Permission denied", str(folder))
        return Usage(self.total, self.total - self.free, self.free)


@dataclass(frozen=True)
class Usage:
    total: int
    used: int
    free: int
