"""The downloader fault rig: a real store, client and ResultDownloader against the hostile loopback server, a
download folder (on a real small tmpfs where the machine allows, else plain) and a faulting `.part` writer."""

from __future__ import annotations

import errno
import gc
import os
import subprocess
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pytest

from sora2_desktop.api import ApiKey, ApixoClient, GenerationRequest
from sora2_desktop.api import download as api_download
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.download_wording import download_problem_text
from sora2_desktop.core.results.downloader import ResultDownloader
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.backoff import Backoff
from sora2_desktop.core.tasks.task import Task, TaskPhase
from tests.faults.download_server import Disk, HostileServer, hostile_server

FAST_RETRY = Backoff(base_s=0.01, cap_s=0.02)
Run = Callable[[Coroutine[Any, Any, None]], None]


class FaultingWriter:
    """Stands in for the `.part` file: while `error` is set, a write raises it once `budget` more bytes went in, the
    ones that fitted written (what a disk that fills, or a folder made read-only, does to a write in progress)."""

    def __init__(self) -> None:
        self.error: int | None = None
        self.budget = 0
        self.on_open: int | None = None  # an errno raised by the open itself
        self.on_fault: Callable[[], None] | None = None  # called as a write fails (the disk is full from then)

    def open(self, part: Path, mode: str) -> IO[bytes]:
        if self.on_open is not None:
            raise OSError(self.on_open, os.strerror(self.on_open), str(part))
        return _Faulting(part.open(mode), self)  # type: ignore[return-value]


class _Faulting:
    def __init__(self, file: IO[bytes], owner: FaultingWriter) -> None:
        self._file, self._owner = file, owner

    def write(self, data: bytes) -> int:
        owner = self._owner
        if owner.error is not None:
            if owner.budget < len(data):
                self._file.write(data[: owner.budget])  # what fits goes in first, as a real file's write does
                owner.budget = 0
                if owner.on_fault is not None:
                    owner.on_fault()
                raise OSError(owner.error, os.strerror(owner.error))
            owner.budget -= len(data)
        return self._file.write(data)

    def __enter__(self) -> _Faulting:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


@dataclass
class Rig:
    server: HostileServer
    store: TaskStore
    client: ApixoClient
    folder: Path
    disk: Disk
    writer: FaultingWriter
    downloaders: list[ResultDownloader] = field(default_factory=list)

    def downloader(self, **options: Any) -> ResultDownloader:
        options.setdefault("backoff", FAST_RETRY)
        options.setdefault("retry_scale", 0.001)  # the pause's 10 s check becomes 10 ms
        options.setdefault("disk_usage", self.disk)
        made = ResultDownloader(self.store, self.client, lambda: self.folder, **options)
        self.downloaders.append(made)
        return made

    def task(self, *urls: str) -> Task:
        now = datetime.now(UTC)
        return self.store.add(
            Task(
                request=GenerationRequest(prompt=f"fault case {len(self.store.all())}"),
                created_at=now,
                phase=TaskPhase.SUCCESS,
                task_id=f"task_{len(self.store.all()):08x}",
                result_urls=urls,
                completed_at=now,
            )
        )

    def record(self, task: Task, index: int = 0) -> Download:
        assert task.local_id is not None
        return self.store.downloads.for_task(task.local_id)[index]

    def saved(self, task: Task) -> bytes | None:
        record = self.record(task)
        if record.state != DownloadState.DONE or record.path is None:
            return None
        return record.path.read_bytes()

    def words(self, task: Task) -> str:
        return download_problem_text(self.record(task)) or ""

    def videos(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir() if p.suffix == ".mp4") if self.folder.exists() else []

    def leftovers(self) -> list[str]:
        """Unfinished files: none may stay beside a saved video."""
        if not self.folder.exists():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.name.endswith((".part", ".download")))


@asynccontextmanager
async def make_rig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: Path | None = None) -> AsyncIterator[Rig]:
    writer = FaultingWriter()
    monkeypatch.setattr(api_download, "_open_part", writer.open)
    async with hostile_server() as server:
        store = TaskStore(tmp_path / "tasks.sqlite3")
        client = ApixoClient(server.url(""), ApiKey("test-key"))
        rig = Rig(server, store, client, folder or tmp_path / "videos", Disk(), writer)
        try:
            yield rig
        finally:
            for downloader in rig.downloaders:
                await downloader.stop()
            rig.downloaders.clear()
            gc.collect()  # the QObject goes on this thread, not an executor's (see tests/core/results)
            await client.aclose()
            store.close()


def mount_small_tmpfs(where: Path, size: str = "4m") -> bool:
    """A real small file system for the download folder, when this machine lets the test mount one (root on
    Linux); False otherwise, and the caller uses the faulting writer instead. Unmounted by `unmount`."""
    if os.name != "posix" or os.geteuid() != 0:
        return False
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, check=False
    )
    return done.returncode == 0


def unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


ENOSPC = errno.ENOSPC
EACCES = errno.EACCES
