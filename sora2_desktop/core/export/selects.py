"""Selects on disk: each chosen take's file copied (or hard-linked) into the export folder under its conformed
name, with its sidecar; progress by bytes, cancellable, nothing overwritten, never a half-written file."""

from __future__ import annotations

import enum
import errno
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sora2_desktop.core.results.files import SIDECAR_SUFFIX

# Bytes per kernel copy call: large enough that the copy runs at the disk's speed, small enough that progress
# moves and a cancel is heard within a fraction of a second.
CHUNK_BYTES = 32 * 1024 * 1024
COMPARE_BYTES = 4 * 1024 * 1024
PART_SUFFIX = ".part"
MAX_CLASH_NUMBER = 1000
# A hard link cannot be made here (another file system, or one without links): the file is copied instead.
_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EACCES, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}
# copy_file_range / sendfile not possible between these two files: fall back to the next way.
_NO_FAST_COPY = {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF}

Progress = Callable[[int, int], None]  # (bytes done, bytes in all), called from the worker thread


class Placement(enum.StrEnum):
    """How a take's file reached the export folder."""

    COPIED = "copied"
    LINKED = "linked"  # a hard link: no bytes copied, the same file under a second name
    ALREADY_THERE = "already_there"  # a file with the same bytes already had the name: left as it is
    FAILED = "failed"  # `problem` holds the system's reason


class CopyCancelled(Exception):
    """The person cancelled: the file under way was removed, the `kept` ones before it stay."""

    def __init__(self, kept: int = 0) -> None:
        super().__init__(f"cancelled after {kept} files")
        self.kept = kept


@dataclass(frozen=True)
class CopyJob:
    source: Path  # the take's file as downloaded
    stem: str  # its conformed name without the suffix ("Trailer_SH010_T03_16x9")


@dataclass(frozen=True)
class CopyOutcome:
    job: CopyJob
    target: Path | None  # where it is now (None when it failed)
    placement: Placement
    size: int = 0
    # The conformed name was taken (by a file with other bytes, or another take of this export): the name used
    # instead got a clash number, "Trailer_SH010_T03_16x9 (2).mp4".
    renamed: bool = False
    link_problem: str | None = None  # asked to link but copied: the errno name (EXDEV: another file system)
    problem: str | None = None  # FAILED: the errno name (ENOSPC), or the error's text


def place_selects(
    jobs: Sequence[CopyJob],
    folder: Path,
    *,
    link: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[CopyOutcome]:
    """Copy (or link) each job's file into `folder` in order; blocking, so run it in a worker thread. A file
    already there with the same bytes is kept; a name held by other bytes is never overwritten: the next free
    "name (2)" is used and the outcome says so. Raises CopyCancelled when `cancel` is set (nothing half-written
    stays); one file's failure is its outcome, the others go on."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [_size(job.source) for job in jobs]
    total = sum(sizes)
    done = 0
    claimed: set[str] = set()
    outcomes: list[CopyOutcome] = []

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    for job, size in zip(jobs, sizes, strict=True):
        if cancel is not None and cancel.is_set():
            raise CopyCancelled(len(outcomes))
        before = done
        try:
            outcome = _place(job, folder, claimed, link, advance, cancel)
        except CopyCancelled:
            raise CopyCancelled(len(outcomes)) from None
        except OSError as err:
            outcome = CopyOutcome(job, None, Placement.FAILED, problem=_reason(err))
        advance(size - (done - before))  # what was not counted by chunks (a link, a skip, a failure)
        outcomes.append(outcome)
    return outcomes


def _place(
    job: CopyJob,
    folder: Path,
    claimed: set[str],
    link: bool,
    advance: Callable[[int], None],
    cancel: threading.Event | None,
) -> CopyOutcome:
    suffix = job.source.suffix or ".mp4"
    size = job.source.stat().st_size
    for number in range(1, MAX_CLASH_NUMBER):
        target = folder / (f"{job.stem}{suffix}" if number == 1 else f"{job.stem} ({number}){suffix}")
        if target.name.casefold() in claimed:
            continue
        renamed = number > 1
        if target.exists() or target.is_symlink():
            if not _same_bytes(job.source, target):
                continue
            claimed.add(target.name.casefold())
            _copy_sidecar(job.source, target)
            return CopyOutcome(job, target, Placement.ALREADY_THERE, size, renamed)
        if target.with_suffix(SIDECAR_SUFFIX).exists():
            continue  # another clip's sidecar: its video may come back, so the name stays its own
        claimed.add(target.name.casefold())
        link_problem = None
        if link:
            try:
                os.link(job.source, target)
            except OSError as err:
                if err.errno not in _NO_LINK:
                    raise
                link_problem = errno.errorcode.get(err.errno or 0, str(err.errno))
            else:
                _copy_sidecar(job.source, target)
                return CopyOutcome(job, target, Placement.LINKED, size, renamed)
        _copy_file(job.source, target, advance, cancel)
        _copy_sidecar(job.source, target)
        return CopyOutcome(job, target, Placement.COPIED, size, renamed, link_problem)
    raise FileExistsError(errno.EEXIST, f"no free name for {job.stem!r}", str(folder))


def _copy_file(source: Path, target: Path, advance: Callable[[int], None], cancel: threading.Event | None) -> None:
    """Bytes to `target.part`, then renamed: the export's name only ever shows a whole file."""
    partial = target.with_name(target.name + PART_SUFFIX)
    try:
        with source.open("rb") as reader, partial.open("wb") as writer:
            _copy_stream(reader.fileno(), writer.fileno(), advance, cancel)
        if target.exists():  # appeared while copying (another program): never replaced
            raise FileExistsError(errno.EEXIST, "appeared during the export", str(target))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _copy_stream(reader: int, writer: int, advance: Callable[[int], None], cancel: threading.Event | None) -> None:
    """In the kernel where it can (copy_file_range, which also clones on btrfs/XFS; sendfile), else through one
    reused buffer; a chunk at a time so a cancel is heard."""
    ways = [way for way in (_copy_range, _send_file) if way is not None] + [_buffered]
    offset = 0
    while True:
        if cancel is not None and cancel.is_set():
            raise CopyCancelled
        try:
            count = ways[0](reader, writer, offset)
        except OSError as err:
            if err.errno not in _NO_FAST_COPY or len(ways) == 1 or offset:
                raise
            ways.pop(0)
            continue
        if count == 0:
            return
        offset += count
        advance(count)


def _kernel_copy_range(reader: int, writer: int, offset: int) -> int:
    return os.copy_file_range(reader, writer, CHUNK_BYTES, offset, offset)


def _kernel_send_file(reader: int, writer: int, offset: int) -> int:
    return os.sendfile(writer, reader, offset, CHUNK_BYTES)


_copy_range: Callable[[int, int, int], int] | None = _kernel_copy_range if hasattr(os, "copy_file_range") else None
# Only Linux's sendfile writes to a file; macOS and the BSDs want a socket.
_send_file: Callable[[int, int, int], int] | None = _kernel_send_file if sys.platform.startswith("linux") else None
_buffer = threading.local()


def _buffered(reader: int, writer: int, offset: int) -> int:
    buffer = getattr(_buffer, "view", None)
    if buffer is None:
        buffer = _buffer.view = memoryview(bytearray(CHUNK_BYTES // 4))
    os.lseek(reader, offset, os.SEEK_SET)
    count = os.readv(reader, [buffer])
    written = 0
    while written < count:
        written += os.write(writer, buffer[written:count])
    return count


def _copy_sidecar(source: Path, target: Path) -> None:
    """The sidecar travels with the video, so an exported clip can be traced back to how it was made."""
    sidecar, copy = source.with_suffix(SIDECAR_SUFFIX), target.with_suffix(SIDECAR_SUFFIX)
    if not sidecar.is_file() or copy.exists():
        return
    partial = copy.with_name(copy.name + PART_SUFFIX)
    try:
        partial.write_bytes(sidecar.read_bytes())
        os.replace(partial, copy)
    finally:
        partial.unlink(missing_ok=True)


def _same_bytes(source: Path, target: Path) -> bool:
    try:
        if os.path.samefile(source, target):
            return True
        if source.stat().st_size != target.stat().st_size:
            return False
        with source.open("rb") as one, target.open("rb") as other:
            while True:
                left, right = one.read(COMPARE_BYTES), other.read(COMPARE_BYTES)
                if left != right:
                    return False
                if not left:
                    return True
    except OSError:
        return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _reason(err: OSError) -> str:
    """The errno name ("ENOSPC"; export_wording says it in words), or the error's text when it has none."""
    return errno.errorcode.get(err.errno or 0) or err.strerror or str(err)
