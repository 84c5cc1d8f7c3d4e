"""Disk guard: the size cap and free-space checks around a download's writes, and which OS errors pause them."""

from __future__ import annotations

import errno
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sora2_desktop.core.results.download_record import DownloadProblem

log = logging.getLogger(__name__)

DEFAULT_SIZE_CAP = 4 * 1024**3  # no result video comes near this; an endless body stops here
MARGIN_BYTES = 200 * 1024**2  # what a download leaves free on the disk…
MARGIN_SHARE = 0.02  # …or this share of the disk, whichever is less (small disks keep working)
CHECK_EVERY_BYTES = 4 * 1024**2  # a statvfs per few MB: microseconds, against seconds of writing


class Usage(Protocol):
    @property
    def total(self) -> int: ...
    @property
    def free(self) -> int: ...


DiskUsage = Callable[[Path], Usage]

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


class TooLarge(Exception):
    """The file server sent (or announced) more than the cap."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"over the size cap of {cap} bytes")
        self.cap = cap


class SaveBlocked(Exception):
    """The download folder cannot take more bytes now (full, or not writable): every download waits."""

    def __init__(self, problem: DownloadProblem, folder: Path, need: int = 0) -> None:
        super().__init__(f"{problem} in {folder}")
        self.problem = problem
        self.folder = folder
        self.need = need  # bytes still to come, when the server said how many


def margin(total: int) -> int:
    return min(MARGIN_BYTES, int(total * MARGIN_SHARE))


def blocked_by(error: OSError) -> DownloadProblem | None:
    """DISK_FULL or NO_PERMISSION for the errors that pause every download; None for any other."""
    if error.errno in _FULL:
        return DownloadProblem.DISK_FULL
    if error.errno in _DENIED:
        return DownloadProblem.NO_PERMISSION
    return None


def probe(folder: Path, need: int = 0, disk_usage: DiskUsage = shutil.disk_usage) -> DownloadProblem | None:
    """Blocking (a mkdir, a temporary file, a statvfs): None when `folder` takes `need` more bytes and keeps its
    margin; else why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".space-check-"):
            pass  # as root, os.access says yes to anything: only a real file tells
        usage = disk_usage(folder)
    except OSError as error:
        return blocked_by(error) or DownloadProblem.NO_PERMISSION
    if usage.free - need < margin(usage.total):
        return DownloadProblem.DISK_FULL
    return None


class WriteGuard:
    """Called with every progress report of one download (bytes on disk, announced total): raises TooLarge past
    the cap and SaveBlocked when the free space drops under the margin (checked every few MB)."""

    def __init__(self, folder: Path, cap: int, disk_usage: DiskUsage) -> None:
        self._folder = folder
        self._cap = cap
        self._disk_usage = disk_usage
        self._next_check = 0

    def __call__(self, done: int, total: int | None) -> None:
        if done > self._cap or (total is not None and total > self._cap):
            raise TooLarge(self._cap)
        if done < self._next_check:
            return
        self._next_check = done + CHECK_EVERY_BYTES
        try:
            # The folder is made with the first write, after this first check: ask about the disk it will be on.
            usage = self._disk_usage(_nearest_existing(self._folder))
        except OSError as error:
            raise SaveBlocked(blocked_by(error) or DownloadProblem.NO_PERMISSION, self._folder) from None
        need = max(0, total - done) if total is not None else 0
        if usage.free - need < margin(usage.total):
            log.info("download paused: %d bytes free in the download folder, %d to come", usage.free, need)
            raise SaveBlocked(DownloadProblem.DISK_FULL, self._folder, need)


def _nearest_existing(folder: Path) -> Path:
    """`folder`, or the closest of its parents that exists: the same file system the folder will be made on."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate
    return folder
