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
    FAILED = "failed"  # gave up; `problem` says why
    EXPIRED = "expired"  # the URL's 15 days ran out before the file was saved

    @property
    def is_pending(self) -> bool:
        """Still to be (re)started by the downloader, e.g. after a restart."""
        return self in (DownloadState.PENDING, DownloadState.DOWNLOADING)


class DownloadProblem(enum.StrEnum):
    """Why a download waits to retry or gave up. Stored as this code with the fact it names in
    `Download.problem_detail`; download_wording.download_problem_text makes the words when they are shown.
    The first nine are api.DownloadFault's, value for value."""

    TIMED_OUT = "timed_out"  # the file server stopped sending in time; resumes
    CONNECTION_BROKE = "connection_broke"  # resumes
    CUT_SHORT = "cut_short"  # fewer bytes than announced; resumes
    EMPTY = "empty"  # an empty body; tried again
    BAD_RESUME = "bad_resume"  # the server keeps answering resume requests wrongly; tried again
    SERVER_ERROR = "server_error"  # detail: the HTTP status; tried again
    GONE = "gone"  # 401/403/404/410 before the link's date (detail: the HTTP status)
    REFUSED = "refused"  # another refusal (detail: the HTTP status)
    NOT_A_VIDEO = "not_a_video"  # the link answered with another type (detail: that type, if it named one)
    NOT_AN_MP4 = "not_an_mp4"  # the bytes arrived but are not an MP4 video
    BAD_LINK = "bad_link"  # the link is not something this app will fetch
    RATE_LIMITED = "rate_limited"  # the file server answered 429; tried again
    INTERRUPTED = "interrupted"  # a fault inside the HTTP stack; tried a few times
    CANNOT_SAVE = "cannot_save"  # the folder is gone, read-only or full (detail: the OS's errno name, e.g. ENOSPC)
    EXPIRED = "expired"  # the link's 15 days ran out (when: `expires_at`)
    UNEXPECTED = "unexpected"  # a fault this app did not foresee (the log has it); tried again with backoff
    TOO_LARGE = "too_large"  # the server sent more than the size cap (detail: the cap in bytes); not resumed
    DISK_FULL = "disk_full"  # too little free space (detail: the folder); every download waits for space
    NO_PERMISSION = "no_permission"  # the folder may not be written (detail: the folder); every download waits


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
    problem: DownloadProblem | None = None  # why it waits to retry or gave up; None when nothing is wrong
    problem_detail: str | None = None  # the fact `problem` names (an HTTP status, a content type, an errno name)
    # The words a version from before problem codes stored; shown as they are while `problem` is None, and
    # dropped by the downloader's next write.
    legacy_error: str | None = None

    def with_(self, **changes: object) -> Download:
        return replace(self, **changes)  # type: ignore[arg-type]
