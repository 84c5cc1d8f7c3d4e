"""PartWriter: the `.part` written off the event loop's thread, in order, a batch of chunks per write, and never past a
failed write."""

from __future__ import annotations

import asyncio
import errno
import os
import threading

import pytest

from sora2_desktop.api import part_writer
from sora2_desktop.api.part_writer import PartWriter


class _Recording:
    """A file that notes which thread wrote each chunk, and can fail at the n-th write."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.chunks: list[bytes] = []
        self.threads: set[int] = set()
        self.attempts = 0
        self.fail_at = fail_at

    def write(self, data: bytes) -> int:
        self.attempts += 1
        if self.attempts == self.fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.threads.add(threading.get_ident())
        self.chunks.append(data)
        return len(data)


def write_all(file: _Recording, chunks: list[bytes]) -> None:
    """Every chunk through one PartWriter, flushed and closed, as a download does."""

    async def main() -> None:
        writer = PartWriter(file)  # type: ignore[arg-type]
        try:
            for chunk in chunks:
                await writer.write(chunk)
            await writer.flush()
        finally:
            writer.close()

    asyncio.run(main())


def test_chunks_are_written_in_order_by_another_thread() -> None:
    file = _Recording()
    chunks = [bytes([n]) * (n + 1) for n in range(200)]
    write_all(file, chunks)
    assert b"".join(file.chunks) == b"".join(chunks)
    assert file.threads and threading.get_ident() not in file.threads


def test_chunks_are_handed_over_and_written_a_batch_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # One write per chunk as it came (64 KiB from httpcore) cost a download 35-45 % of its throughput.
    monkeypatch.setattr(part_writer, "BATCH_BYTES", 1000)
    file = _Recording()
    chunks = [bytes([n % 256]) * 100 for n in range(95)]  # 9,500 bytes: nine batches of ten chunks, then five
    write_all(file, chunks)
    assert [len(written) for written in file.chunks] == [1000] * 9 + [500]
    assert b"".join(file.chunks) == b"".join(chunks)


def test_close_writes_what_was_gathered_but_not_yet_handed_over() -> None:
    file = _Recording()

    async def main() -> None:
        writer = PartWriter(file)  # type: ignore[arg-type]
        await writer.write(b"kept")  # well under a batch: gathered, not yet handed over
        writer.close()  # a flush cut short by a second cancel: what was received still goes into the file

    asyncio.run(main())
    assert file.chunks == [b"kept"]


def test_a_failed_write_is_raised_and_nothing_after_it_is_written(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch and a queue of one chunk: the loop waits on each write, so the failure reaches the write() after it.
    monkeypatch.setattr(part_writer, "BATCH_BYTES", 0)
    monkeypatch.setattr(part_writer, "MAX_QUEUED_BYTES", 0)
    file = _Recording(fail_at=3)
    handed: list[bytes] = []

    async def main() -> None:
        writer = PartWriter(file)  # type: ignore[arg-type]
        try:
            for n in range(10):
                chunk = bytes([n]) * 10
                await writer.write(chunk)
                handed.append(chunk)
            await writer.flush()
        finally:
            writer.close()

    with pytest.raises(OSError) as raised:
        asyncio.run(main())
    assert raised.value.errno == errno.ENOSPC
    assert file.chunks == [bytes([0]) * 10, bytes([1]) * 10]  # no gap: the file ends where the failure began
    assert len(handed) == 2  # the write that failed was the one raised


def test_a_failure_queued_behind_others_stops_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(part_writer, "BATCH_BYTES", 0)  # a write per chunk
    file = _Recording(fail_at=2)

    async def main() -> None:
        writer = PartWriter(file)  # type: ignore[arg-type]
        try:
            for n in range(50):  # all queued at once: well under the queue's bytes
                await writer.write(bytes([n]))
            await writer.flush()
        finally:
            writer.close()

    with pytest.raises(OSError):
        asyncio.run(main())
    assert file.chunks == [bytes([0])]
    assert file.attempts == 2  # the 48 after the failure were never tried


def test_a_cancel_while_flushing_still_writes_every_chunk() -> None:
    gate = threading.Event()
    written: list[bytes] = []

    class _Slow:
        def write(self, data: bytes) -> int:
            gate.wait(10)
            written.append(data)
            return len(data)

    async def main() -> None:
        writer = PartWriter(_Slow())  # type: ignore[arg-type]
        for n in range(5):
            await writer.write(bytes([n]))
        flushing = asyncio.create_task(writer.flush())
        await asyncio.sleep(0)
        flushing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await flushing
        gate.set()
        writer.close()  # waits for what was queued: the file is not closed under a write

    asyncio.run(main())
    assert b"".join(written) == bytes(range(5))
