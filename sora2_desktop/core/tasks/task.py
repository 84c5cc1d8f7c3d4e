"""Task: one generation as the app tracks it, from the local draft to the service's final answer."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from sora2_desktop.api import GenerationRequest


class TaskPhase(enum.StrEnum):
    """Where a task is. The first four are local (before or around the submit call); the rest mirror the service."""

    QUEUED = "queued"  # waiting locally: the key already has 1,000 tasks running
    SUBMITTING = "submitting"  # row written, submit request on its way
    SUBMIT_UNKNOWN = (
        "submit_unknown"  # the submit's answer was lost: it may or may not be charged; never resent blindly
    )
    REJECTED = "rejected"  # the service refused the submit (400/401): `error_message` says why
    PENDING = "pending"
    PROCESSING = "processing"
    SUCCESS = "success"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the service answered with a state this app does not know; still polled

    @property
    def is_final(self) -> bool:
        return self in (TaskPhase.SUCCESS, TaskPhase.FAILED, TaskPhase.REJECTED, TaskPhase.SUBMIT_UNKNOWN)

    @property
    def is_polled(self) -> bool:
        return self in (TaskPhase.PENDING, TaskPhase.PROCESSING, TaskPhase.UNKNOWN)


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
    error_message: str | None = None  # local or submit-time error, in words for a person
    service_created_at: datetime | None = None
    completed_at: datetime | None = None
    cost_time_ms: int | None = None
    updated_at: datetime | None = field(default=None, compare=False)

    def with_(self, **changes: object) -> Task:
        return replace(self, **changes)  # type: ignore[arg-type]
