"""Download problems: every fault becomes a code with its fact, and every code has words made when shown."""

from __future__ import annotations

import errno
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sora2_desktop.api import DownloadError, RateLimitedError, TransientError
from sora2_desktop.api.errors import DownloadFault
from sora2_desktop.core.results.disk_guard import TooLarge
from sora2_desktop.core.results.download_faults import Fault, classify
from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.results.download_wording import download_problem_text
from sora2_desktop.core.results.files import NotAVideoError

RECORD = Download(7, 0, "https://r2.apixo.ai/a.mp4", path=Path("/videos/clip.mp4"), state=DownloadState.FAILED)


@pytest.mark.parametrize("problem", list(DownloadProblem))
def test_every_problem_has_words(qapp: object, problem: DownloadProblem) -> None:
    words = download_problem_text(RECORD.with_(problem=problem, problem_detail="503"))
    assert words and words.endswith(".") and "{" not in words


def test_the_facts_are_put_into_the_words(qapp: object) -> None:
    def words(problem: DownloadProblem, detail: str | None = None, **changes: object) -> str:
        return download_problem_text(RECORD.with_(problem=problem, problem_detail=detail, **changes)) or ""

    assert words(DownloadProblem.SERVER_ERROR, "503") == (
        "The file server had a problem (HTTP 503); the download will be tried again."
    )
    assert "answered with text/html instead" in words(DownloadProblem.NOT_A_VIDEO, "text/html")
    assert "answered with no type instead" in words(DownloadProblem.NOT_A_VIDEO)
    assert words(DownloadProblem.CANNOT_SAVE, "ENOSPC") == (
        f"Could not save the video in {Path('/videos')}: {os.strerror(errno.ENOSPC)}."
    )
    assert words(DownloadProblem.CANNOT_SAVE, "PermissionError").endswith(": PermissionError.")
    expires_at = datetime(2026, 1, 9, 12, 0, tzinfo=UTC)
    shown = expires_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert words(DownloadProblem.EXPIRED, expires_at=expires_at) == (
        f"The link expired on {shown}; the video can no longer be fetched."
    )


def test_nothing_wrong_has_no_words_and_older_words_show_as_they_are(qapp: object) -> None:
    assert download_problem_text(RECORD) is None
    older = RECORD.with_(legacy_error="Die Verbindung brach ab.")
    assert download_problem_text(older) == "Die Verbindung brach ab."
    coded = older.with_(problem=DownloadProblem.EMPTY)  # a code, once there is one, wins
    assert download_problem_text(coded) == "The file server sent an empty file; the download will be tried again."


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (NotAVideoError("x.mp4"), Fault(DownloadProblem.NOT_AN_MP4)),
        (ConnectionResetError(), Fault(DownloadProblem.CONNECTION_BROKE, retry=True)),
        (TimeoutError(), Fault(DownloadProblem.CONNECTION_BROKE, retry=True)),
        (RateLimitedError(retry_after=4), Fault(DownloadProblem.RATE_LIMITED, retry=True, retry_after=4)),
        (
            DownloadError("x", retryable=True, status_code=503, fault=DownloadFault.SERVER_ERROR),
            Fault(DownloadProblem.SERVER_ERROR, "503", retry=True),
        ),
        (
            DownloadError("x", retryable=False, status_code=404, fault=DownloadFault.GONE),
            Fault(DownloadProblem.GONE, "404"),
        ),
        (
            DownloadError("x", retryable=False, status_code=200, fault=DownloadFault.NOT_A_VIDEO, detail="text/html"),
            Fault(DownloadProblem.NOT_A_VIDEO, "text/html"),
        ),
        (DownloadError("x", retryable=False), Fault(DownloadProblem.BAD_LINK)),
        (TransientError("x"), Fault(DownloadProblem.INTERRUPTED, retry=True)),
        (RuntimeError("loop gone"), Fault(DownloadProblem.INTERRUPTED, retry=True, unforeseen=True)),
        (OSError(errno.ENOSPC, "No space left on device"), Fault(DownloadProblem.DISK_FULL, "/dl", pause=True)),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), Fault(DownloadProblem.DISK_FULL, "/dl", pause=True)),
        (PermissionError(errno.EACCES, "Permission denied"), Fault(DownloadProblem.NO_PERMISSION, "/dl", pause=True)),
        (OSError(errno.EROFS, "Read-only file system"), Fault(DownloadProblem.NO_PERMISSION, "/dl", pause=True)),
        (OSError(errno.EIO, "I/O error"), Fault(DownloadProblem.CANNOT_SAVE, "EIO", retry=True)),
        (TooLarge(1024), Fault(DownloadProblem.TOO_LARGE, "1024")),
        (ValueError("a bug"), Fault(DownloadProblem.UNEXPECTED, retry=True, unforeseen=True)),
    ],
)
def test_each_fault_while_fetching_becomes_a_problem(error: Exception, fault: Fault) -> None:
    assert classify(error, Path("/dl")) == fault


def test_the_cap_and_a_pause_are_said_in_one_sentence() -> None:
    capped = Download(1, 0, "https://x/v.mp4", problem=DownloadProblem.TOO_LARGE, problem_detail=str(4 * 1024**3))
    assert download_problem_text(capped) == "The file server sent more than 4 GB; stopped."
    full = Download(1, 0, "https://x/v.mp4", problem=DownloadProblem.DISK_FULL, problem_detail="/dl")
    assert download_problem_text(full) == (
        "Downloads are paused: the disk holding /dl is nearly full. They resume by themselves once space is free."
    )
    denied = Download(1, 0, "https://x/v.mp4", problem=DownloadProblem.NO_PERMISSION, problem_detail="/dl")
    assert "may not write in /dl" in (download_problem_text(denied) or "")


def test_every_client_fault_has_a_problem_of_the_same_name() -> None:
    for fault in DownloadFault:
        assert DownloadProblem(fault.value).name == fault.name
