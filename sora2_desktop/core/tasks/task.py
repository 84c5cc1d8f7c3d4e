"""Task: one generation as the app tracks it, from the local draft to the service's final answer."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.projects.source_frame import SourceFrame


class TaskPhase(enum.StrEnum):
    """Where a task is. The first four are local (before or around the submit call); the rest mirror the service."""

    QUEUED = "queued"  # waiting locally: the key already has 1,000 tasks running
    SUBMITTING = "submitting"  # row written, submit request on its way
    SUBMIT_UNKNOWN = (
        "submit_unknown"  # the submit's answer was lost: it may or may not be charged; never resent blindly
    )
    REJECTED = "rejected"  # the service refused the submit (400): `error_message` holds its words
    PENDING = "pending"
    PROCESSING = "processing"
    SUCCESS = "success"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the service answered with a state this app does not know; still polled
    # The person stopped it: no more submits or polls. The service has no cancel call, so a task it already
    # created may still finish there (its taskId is kept when known).
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (
            TaskPhase.SUCCESS,
            TaskPhase.FAILED,
            TaskPhase.REJECTED,
            TaskPhase.SUBMIT_UNKNOWN,
            TaskPhase.CANCELLED,
        )

    @property
    def is_polled(self) -> bool:
        return self in (TaskPhase.PENDING, TaskPhase.PROCESSING, TaskPhase.UNKNOWN)


class TaskNote(enum.StrEnum):
    """What the app has to say about a task beyond its phase. Stored (or only emitted) as this code with the
    fact it names in `Task.note_detail`; failure_text.task_note_text makes the words when they are shown."""

    WAITING_FOR_KEY = "waiting_for_key"  # QUEUED: the service refused the key; sent once a key is given
    WAITING_FOR_SLOT = "waiting_for_slot"  # QUEUED: the key's running limit is reached (detail: the limit)
    RATE_LIMITED = "rate_limited"  # the service answered 429; the request is retried
    NO_CONNECTION = "no_connection"  # no connection could be made: nothing was sent
    CONNECTION_LOST = "connection_lost"  # the connection broke or timed out with the request on its way
    SERVICE_ERROR = "service_error"  # the service had a fault (detail: the HTTP status or envelope code)
    BAD_ANSWER = "bad_answer"  # the answer was not the documented one (detail: the HTTP status, if any)
    SERVICE_REFUSED = "service_refused"  # a status query was refused (detail: the service's words)
    SUBMIT_LOST = "submit_lost"  # SUBMIT_UNKNOWN at start-up: the app stopped before the submit's answer
    # QUEUED: the submit found no connection, so nothing was sent (never charged); resent with backoff.
    WAITING_FOR_NETWORK = "waiting_for_network"
    UNEXPECTED_FAULT = "unexpected_fault"  # a fault the app did not foresee (detail: its type name); retried
    TASK_NOT_FOUND = "task_not_found"  # the service says it does not know the task (yet); asked again
    TASK_FORGOTTEN = "task_forgotten"  # FAILED: "not found" lasted too long (detail: the minutes waited)
    CANCELLED_IN_FLIGHT = "cancelled_in_flight"  # CANCELLED while its submit was on the wire: may exist there
    SUBMIT_REFUSED = "submit_refused"  # REJECTED with a status that has its own advice (detail: 402, 403 or 404)


@dataclass(frozen=True)
class Task:
    request: GenerationRequest
    created_at: datetime
    phase: TaskPhase = TaskPhase.SUBMITTING
    local_id: int | None = None  # the SQLite row id: this app's name for a task; None until stored
    batch_id: str | None = None  # the takes submitted together in one click share it
    task_id: str | None = None  # the service's taskId (never the local id)
    submitted_at: datetime | None = None
    next_poll_at: datetime | None = None
    polls: int = 0
    raw_state: str | None = None
    result_urls: tuple[str, ...] = ()
    fail_code: str | None = None
    fail_message: str | None = None
    # The service's own words when it refused the submit (REJECTED), verbatim. Rows written before notes were
    # codes may hold the app's words here instead; task_note_text shows those as they are.
    error_message: str | None = None
    service_created_at: datetime | None = None
    completed_at: datetime | None = None
    cost_time_ms: int | None = None
    chosen: bool = False  # the take a person picked among the takes of its batch (Compare); one per batch
    note: TaskNote | None = None  # why it waits, what is retried, or what was lost; None when nothing
    note_detail: str | None = None  # the fact `note` names (an HTTP status, the service's words, a limit)
    catalogue_version: str | None = None  # the model catalogue the request was judged by; None before there was one
    cost_estimate_usd: float | None = None  # what the app expected this take to cost when it was submitted
    # A take of a shot (core/projects/): its shot, number within the shot (T01 = 1) and the prompt version it was
    # made from; None for a task made outside any shot.
    shot_id: int | None = None
    take_number: int | None = None
    version_id: int | None = None
    # The editor's review, a person's alone (TaskStore.update never writes these: only ProjectService does).
    mark: TakeMark | None = None
    rating: int = 0  # 0-5 stars
    review_note: str = ""
    in_ms: int | None = None  # in and out marks on the take, in milliseconds from its start
    out_ms: int | None = None
    # Where its start image came from when that was a frame of another take ("from SH020 T03 at 00:00:04:12").
    source_frame: SourceFrame | None = None
    updated_at: datetime | None = field(default=None, compare=False)

    @property
    def circled(self) -> bool:
        """A keeper. A take picked in Compare before marks existed (`chosen`) is one too."""
        return self.mark == TakeMark.CIRCLED or (self.mark is None and self.chosen)

    def with_(self, **changes: object) -> Task:
        return replace(self, **changes)  # type: ignore[arg-type]
