"""Result link expiry: the service keeps result URLs for 15 days; when a link runs out, the sweep that records
the ones that did at start-up, and how long a link has left in words."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.storage.download_store import DownloadStore
from sora2_desktop.core.tasks.task import Task

log = logging.getLogger(__name__)

RESULT_URL_TTL = timedelta(days=15)  # API.md, "result URLs: valid for 15 days"
# Left unfinished or failed by an earlier run: taken up again at start-up while the link lives.
RESUMABLE = (DownloadState.PENDING, DownloadState.DOWNLOADING, DownloadState.FAILED)


def expires_at_for(task: Task, now: datetime) -> datetime:
    """When the task's result URLs stop working: 15 days after the service finished it (or after `now`)."""
    return (task.completed_at or now) + RESULT_URL_TTL


def has_expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and now >= expires_at


def seconds_left(expires_at: datetime | None, now: datetime) -> float:
    """How long the link still lives; infinite when its expiry is not known."""
    return math.inf if expires_at is None else max(0.0, (expires_at - now).total_seconds())


def expired(record: Download) -> Download:
    """`record` as it is once its link has run out."""
    return record.with_(state=DownloadState.EXPIRED, problem=DownloadProblem.EXPIRED, problem_detail=None)


def sweep_expired(downloads: DownloadStore, now: datetime) -> list[Download]:
    """Record EXPIRED, in one transaction, every result whose link ran out before its video was saved: the
    links of old successes that never got a record (loaded bare: an old history has thousands) and the records
    an earlier run left unfinished or failed. Returns those records whose link still lives, to resume."""
    settled: list[Download] = []
    for result in downloads.results_without_records(completed_by=now - RESULT_URL_TTL):
        expires_at = result.completed_at + RESULT_URL_TTL
        for index, url in enumerate(result.result_urls):
            settled.append(expired(Download(result.local_id, index, url, expires_at=expires_at)))
    resumable: list[Download] = []
    for record in downloads.in_states(RESUMABLE):
        if has_expired(record.expires_at, now):
            settled.append(expired(record).with_(legacy_error=None))
        else:
            resumable.append(record)
    if settled:
        # One thread writes this database, so every task read above is still there.
        downloads.upsert_many(settled)
        log.info("%d result link(s) had expired before their video was saved", len(settled))
    return resumable


def time_left_text(expires_at: datetime | None, now: datetime) -> str:
    """What the task list shows beside a result: "Link valid 14 more days", "… 5 more hours", "Link expired"."""
    if expires_at is None:
        return ""
    left = expires_at - now
    if left <= timedelta(0):
        return QCoreApplication.translate("ResultDownloader", "Link expired")
    if left >= timedelta(days=2):
        return QCoreApplication.translate("ResultDownloader", "Link valid {0} more days").format(left.days)
    # Plurals only: each unit is used from 2 up, and under 2 minutes there is no number at all.
    hours = int(left.total_seconds() // 3600)
    if hours >= 2:
        return QCoreApplication.translate("ResultDownloader", "Link valid {0} more hours").format(hours)
    minutes = int(left.total_seconds() // 60)
    if minutes >= 2:
        return QCoreApplication.translate("ResultDownloader", "Link valid {0} more minutes").format(minutes)
    return QCoreApplication.translate("ResultDownloader", "Link expires in a moment")
