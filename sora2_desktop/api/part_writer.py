"""PartWriter: a download's `.part` file written by a thread of its own, chunk after chunk in the order given, so the
event loop hands the chunks over and goes back to its frames instead of waiting for the disk (issue 13)."""

from __future__ import annotations

import asyncio
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import BinaryIO

# Chunks are handed over together, this many bytes at a time: one hand-over per chunk as it came (64 KiB from httpcore)
# took 35-45 % of a download's throughput and 5 MB more memory (benchmarks/download_throughput.py), each a trip
# through the thread pool and the interpreter's lock.
BATCH_BYTES = 512 * 1024
# Bytes handed over and not yet written, at most: past this the loop awaits the oldest write, so a disk slower than
# the network holds the download back (memory stays small) rather than the frames.
MAX_QUEUED_BYTES = 1024 * 1024

_thread: ThreadPoolExecutor | None = None


def _writer_thread() -> ThreadPoolExecutor:
    """One thread for every download, started once: a thread started per download held the loop until it ran
    (sampled in benchmarks/tasks_in_flight.py); the chunks of each file still go in the order given."""
    global _thread
    if _thread is None:
        _thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="part-writer")
    return _thread


class PartWriter:
    """`write()` gathers chunks and hands them to the writer thread a batch at a time (awaiting only when the queue
    is full); `flush()` hands over the rest and awaits every write. The first write that fails is raised by the
    `write()` or `flush()` that comes to it, and no chunk after it is written: the file never holds bytes past a gap,
    so its size stays the offset a resume asks from."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._thread = _writer_thread()
        self._gathered: list[bytes] = []
        self._gathered_bytes = 0
        self._queued: deque[tuple[Future[None], int]] = deque()
        self._queued_bytes = 0
        self._failed = False  # set by the writer thread; read there only

    async def write(self, chunk: bytes) -> None:
        self._collect_done()
        self._gathered.append(chunk)
        self._gathered_bytes += len(chunk)
        if self._gathered_bytes >= BATCH_BYTES:
            self._hand_over()
        while self._queued_bytes > MAX_QUEUED_BYTES:
            await self._settle_oldest()

    async def flush(self) -> None:
        """Every chunk handed over is in the file (or the first failed write is raised)."""
        self._hand_over()
        while self._queued:
            await self._settle_oldest()

    def close(self) -> None:
        """Before the file closes: chunks not yet written (a flush cut short by a second cancel) are written and
        waited for here, so the file is never closed under a write and keeps what was received."""
        self._hand_over()
        if self._queued:
            wait([done for done, _size in self._queued])
            self._queued.clear()

    def _hand_over(self) -> None:
        if self._gathered:
            batch, self._gathered = self._gathered, []
            self._queued.append((self._thread.submit(self._write, batch), self._gathered_bytes))
            self._queued_bytes += self._gathered_bytes
            self._gathered_bytes = 0

    def _write(self, batch: list[bytes]) -> None:  # on the writer thread
        if self._failed:
            return
        try:
            self._file.write(b"".join(batch) if len(batch) > 1 else batch[0])
        except BaseException:
            self._failed = True
            raise

    def _collect_done(self) -> None:
        """Drops the writes already done from the front of the queue; raises the first that failed."""
        while self._queued and self._queued[0][0].done():
            done, size = self._queued.popleft()
            self._queued_bytes -= size
            done.result()

    async def _settle_oldest(self) -> None:
        done, size = self._queued[0]
        # Shielded: a cancel here must not cancel the write itself (the chunks after it would leave a gap).
        await asyncio.shield(asyncio.wrap_future(done))
        if self._queued and self._queued[0][0] is done:  # a cancel during the await leaves it for close()
            self._queued.popleft()
            self._queued_bytes -= size
