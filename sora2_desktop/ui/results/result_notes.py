"""The words the task list shows for a finished task's downloads: progress, saved, failed, and the link's expiry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.download_wording import download_problem_text
from sora2_desktop.core.results.expiry import time_left_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResultNotes", text)


def result_note(downloads: Sequence[Download], now: datetime) -> str:
    if not downloads:
        return ""
    expiry = min((d.expires_at for d in downloads if d.expires_at is not None), default=None)
    left = time_left_text(expiry, now)
    running = [d for d in downloads if d.state.is_pending]
    if running:
        done = sum(d.bytes_done for d in running)
        total = sum(d.bytes_total or 0 for d in running)
        if total > 0:
            return _tr("Downloading… {0}%").format(min(100, done * 100 // total))
        note = next((text for d in running if (text := download_problem_text(d))), None)
        return note or _tr("Downloading…")
    failed = [d for d in downloads if d.state == DownloadState.FAILED]
    if failed:
        return _tr("Not saved: {0}").format(download_problem_text(failed[0]) or _tr("download failed")) + (
            f" · {left}" if left else ""
        )
    if any(d.state == DownloadState.EXPIRED for d in downloads):
        return _tr("Link expired before the video was saved")
    if all(d.path is not None and d.path.is_file() for d in downloads):
        return _tr("Saved") + (f" · {left}" if left and expiry is not None and expiry > now else "")
    return _tr("File missing: download again") + (f" · {left}" if left else "")
