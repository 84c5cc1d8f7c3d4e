"""Download: the stored progress of one result file of one task (one row of the `downloads` table)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path


class DownloadState(enum.StrEnum):
    PENDING = "pending"  # known URL, nothing fetched yet
    DOWNLOADING = "downloading"  # a `.part` file exists with `bytes_done` bytes; resumable after a restart
    DONE = "done"  # `path` holds the complete file
    FAILED = "failed"  # gave up; `error` says why in words for a person
    EXPIRED = "expired"  # the URL's 15 days ran out before the file was saved

    @property
    def is_pending(self) -> bool:
        """Still to be (re)started by the downloader, e.g. after a restart."""
        return self in (DownloadState.PENDING, DownloadState.DOWNLOADING)


@dataclass(frozen=True)
class Download:
    local_id: int  # Task.local_id, not the service's taskId
    url_index: int  # position of `url` in Task.result_urls
    url: str
    path: Path | None = None  # the final file (or, while downloading, where it will be)
    bytes_done: int = 0
    bytes_total: int | None = None
    state: DownloadState = DownloadState.PENDING
    expires_at: datetime | None = None
    error: str | None = None

    def with_(self, **changes: object) -> Download:
        return replace(self, **changes)  # type: ignore[arg-type]
