"""Download wording: a download's problem in words for a person, made when shown; the database keeps the code."""

from __future__ import annotations

import errno
import os

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.results.download_record import Download, DownloadProblem

# lupdate finds strings by the name `translate(context, text)`; the alias keeps call sites short.
_translate = QCoreApplication.translate


def download_problem_text(download: Download) -> str | None:
    """Why `download` waits to retry or gave up; None when nothing is wrong. A record written before problem
    codes shows the words it stored."""
    problem = download.problem
    if problem is None:
        return download.legacy_error or None
    if problem == DownloadProblem.EXPIRED:
        expires_at = download.expires_at
        when = expires_at.astimezone().strftime("%Y-%m-%d %H:%M") if expires_at is not None else "?"
        return _translate("DownloadProblem", "The link expired on {0}; the video can no longer be fetched.").format(
            when
        )
    if problem == DownloadProblem.CANNOT_SAVE:
        folder = str(download.path.parent) if download.path is not None else _translate("DownloadProblem", "the folder")
        return _translate("DownloadProblem", "Could not save the video in {0}: {1}.").format(
            folder, _os_reason(download.problem_detail)
        )
    if problem == DownloadProblem.TOO_LARGE:
        return _translate("DownloadProblem", "The file server sent more than {0}; stopped.").format(
            size_text(int(download.problem_detail or 0))
        )
    if problem in (DownloadProblem.DISK_FULL, DownloadProblem.NO_PERMISSION):
        return pause_text(problem, download.problem_detail or "?")
    if problem == DownloadProblem.NOT_A_VIDEO:
        shown = download.problem_detail or _translate("DownloadProblem", "no type")
        return _translate(
            "DownloadProblem", "The result link answered with {0} instead of a video; the file was not saved."
        ).format(shown)
    return _WORDS[problem]().format(download.problem_detail or "?")


# Made on each call, so they follow the translator installed at the time.
_WORDS = {
    DownloadProblem.TIMED_OUT: lambda: _translate(
        "DownloadProblem",
        "The file server stopped sending data in time; the download will resume from where it stopped.",
    ),
    DownloadProblem.CONNECTION_BROKE: lambda: _translate(
        "DownloadProblem", "The connection to the file server broke; the download will resume from where it stopped."
    ),
    DownloadProblem.CUT_SHORT: lambda: _translate(
        "DownloadProblem",
        "The file server stopped before the end of the file; the download will resume from where it stopped.",
    ),
    DownloadProblem.EMPTY: lambda: _translate(
        "DownloadProblem", "The file server sent an empty file; the download will be tried again."
    ),
    DownloadProblem.BAD_RESUME: lambda: _translate(
        "DownloadProblem", "The file server keeps answering resume requests wrongly; the download will be tried again."
    ),
    DownloadProblem.SERVER_ERROR: lambda: _translate(
        "DownloadProblem", "The file server had a problem (HTTP {0}); the download will be tried again."
    ),
    DownloadProblem.GONE: lambda: _translate(
        "DownloadProblem", "The result file is no longer available (HTTP {0}); result links expire after 15 days."
    ),
    DownloadProblem.REFUSED: lambda: _translate("DownloadProblem", "The file server refused the download (HTTP {0})."),
    DownloadProblem.NOT_AN_MP4: lambda: _translate(
        "DownloadProblem", "The service sent something that is not an MP4 video."
    ),
    DownloadProblem.BAD_LINK: lambda: _translate(
        "DownloadProblem", "The result link is not a web address this app can fetch."
    ),
    DownloadProblem.RATE_LIMITED: lambda: _translate(
        "DownloadProblem", "The file server is rate-limiting downloads; waiting before trying again."
    ),
    DownloadProblem.INTERRUPTED: lambda: _translate("DownloadProblem", "The download was interrupted; it will resume."),
    DownloadProblem.UNEXPECTED: lambda: _translate(
        "DownloadProblem", "The download stopped on an unexpected error; try downloading it again."
    ),
}


def pause_text(problem: DownloadProblem, folder: str) -> str:
    """The one sentence shown while every download waits for the folder `folder`."""
    if problem == DownloadProblem.DISK_FULL:
        return _translate(
            "DownloadProblem",
            "Downloads are paused: the disk holding {0} is nearly full. They resume by themselves once space is free.",
        ).format(folder)
    return _translate(
        "DownloadProblem",
        "Downloads are paused: this app may not write in {0}. They resume by themselves once it can.",
    ).format(folder)


def size_text(size: int) -> str:
    """4294967296 → "4 GB": binary units, the way file managers count."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} B"


def _os_reason(name: str | None) -> str:
    """The system's words for an errno name ("ENOSPC" → "No space left on device"); other text as it is."""
    number = getattr(errno, name or "", None)
    if isinstance(number, int):
        return os.strerror(number)
    return name or _translate("DownloadProblem", "unknown reason")
