"""Result link expiry: the service keeps result URLs for 15 days; when a link runs out and how to say so."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from sora2_desktop.core.tasks.task import Task

RESULT_URL_TTL = timedelta(days=15)  # API.md, "result URLs: valid for 15 days"


def expires_at_for(task: Task, now: datetime) -> datetime:
    """When the task's result URLs stop working: 15 days after the service finished it (or after `now`)."""
    return (task.completed_at or now) + RESULT_URL_TTL


def has_expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and now >= expires_at


def expired_message(expires_at: datetime | None) -> str:
    when = expires_at.astimezone().strftime("%Y-%m-%d %H:%M") if expires_at is not None else "?"
    return QCoreApplication.translate(
        "ResultDownloader", "The link expired on {0}; the video can no longer be fetched."
    ).format(when)


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
