"""Download faults: what went wrong while fetching a result file, as a problem code, and whether to try again."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from sora2_desktop.api import ApiError, DownloadError, RateLimitedError
from sora2_desktop.core.results.disk_guard import SaveBlocked, TooLarge, blocked_by
from sora2_desktop.core.results.download_record import DownloadProblem
from sora2_desktop.core.results.files import NotAVideoError


@dataclass(frozen=True)
class Fault:
    problem: DownloadProblem
    detail: str | None = None  # the fact the problem names (an HTTP status, a content type, an errno name)
    retry: bool = False  # another try may help
    retry_after: float | None = None  # seconds the server asked to wait
    unforeseen: bool = False  # no file, network or API error (a bug, a library's fault): logged with its trace
    pause: bool = False  # the folder is full or not writable: every download waits (detail: the folder)
    need: int = 0  # with `pause`: bytes the download still needs


def classify(error: Exception, folder: Path) -> Fault:
    """The fault `error` stands for, while saving into `folder`. Anything unforeseen is retried with backoff
    like a network fault: one bad answer or bug must not end a download for good."""
    if isinstance(error, TooLarge):
        return Fault(DownloadProblem.TOO_LARGE, str(error.cap))
    if isinstance(error, SaveBlocked):
        return Fault(error.problem, str(error.folder), pause=True, need=error.need)
    if isinstance(error, OSError) and not isinstance(error, ConnectionError | TimeoutError):
        blocked = blocked_by(error)
        if blocked is not None:
            return Fault(blocked, str(folder), pause=True)
    return _classify(error) or Fault(DownloadProblem.UNEXPECTED, retry=True, unforeseen=True)


def _classify(error: Exception) -> Fault | None:
    if isinstance(error, NotAVideoError):
        return Fault(DownloadProblem.NOT_AN_MP4)
    if isinstance(error, ConnectionError | TimeoutError):
        # Socket faults are OSErrors too, but unlike a full disk they pass on their own.
        return Fault(DownloadProblem.CONNECTION_BROKE, retry=True)
    if isinstance(error, ApiError):
        problem, detail = problem_for(error)
        return Fault(problem, detail, retry=error.retryable, retry_after=getattr(error, "retry_after", None))
    if isinstance(error, ExceptionGroup | RuntimeError):
        # Seen: anyio's connect losing its event loop. A few retries cost little; then it is a failure.
        return Fault(DownloadProblem.INTERRUPTED, retry=True, unforeseen=True)
    if isinstance(error, OSError):
        # The folder is gone or the disk fails (full and read-only pause above): tried again with backoff.
        name = errno.errorcode.get(error.errno or 0) or type(error).__name__
        return Fault(DownloadProblem.CANNOT_SAVE, name, retry=True)
    return None


def problem_for(error: ApiError) -> tuple[DownloadProblem, str | None]:
    """The problem code (and its fact) for a fault the client reported while fetching a result file."""
    if isinstance(error, RateLimitedError):
        return DownloadProblem.RATE_LIMITED, None
    if isinstance(error, DownloadError) and error.fault is not None:
        status = None if error.status_code is None else str(error.status_code)
        return DownloadProblem(error.fault.value), error.detail or status  # the codes share their values
    # A DownloadError without a fault is a link the client will not follow.
    return (DownloadProblem.INTERRUPTED if error.retryable else DownloadProblem.BAD_LINK), None
