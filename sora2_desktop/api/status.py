"""TaskStatus: the service's answer to a status query, parsed; tolerant of states, fields, codes it lacks."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sora2_desktop.api.bounded_json import AnswerTooDeep, loads_bounded


class TaskState(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    SUCCESS = "success"
    FAILED = "failed"
    # A state the service added after this client was written: shown as-is and polled on, never a crash.
    UNKNOWN = "unknown"

    @property
    def is_final(self) -> bool:
        return self in (TaskState.SUCCESS, TaskState.FAILED)


# Bounds on what one answer can make the app hold and show. A task has one video per take; 16 is generous.
MAX_RESULT_URLS = 16
MAX_URL_CHARS = 4096
MAX_STATE_CHARS = 64
# Service text (failMsg, failCode) is cut, not refused: the person still reads the start of what it said.
MAX_TEXT_CHARS = 4000
_CUT_MARK = "…"


class MalformedStatus(ValueError):
    """The answer breaks a bound no honest answer comes near (too many result URLs, a URL pages long)."""


def cut_text(value: str, limit: int = MAX_TEXT_CHARS) -> str:
    """`value` cut to `limit` characters, ending in an ellipsis when something was left out."""
    return value if len(value) <= limit else value[: limit - 1] + _CUT_MARK


@dataclass(frozen=True)
class TaskStatus:
    task_id: str
    state: TaskState
    raw_state: str
    result_urls: tuple[str, ...] = ()
    fail_code: str | None = None
    fail_message: str | None = None
    create_time: datetime | None = None
    complete_time: datetime | None = None
    cost_time_ms: int | None = None
    # Every field of `data` as it came, so nothing the service says is lost even when we do not model it.
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TaskStatus:
        """Parse the envelope's `data` object. Raises ValueError only when there is no task id at all."""
        task_id = data.get("taskId")
        if not isinstance(task_id, str) or not task_id:
            raise ValueError("status answer has no taskId")
        if len(task_id) > MAX_URL_CHARS:
            raise MalformedStatus("its task id is pages long")
        raw_state = cut_text(str(data.get("state") or ""), MAX_STATE_CHARS)
        try:
            state = TaskState(raw_state.lower())
        except ValueError:
            state = TaskState.UNKNOWN
        fail_code = data.get("failCode")
        fail_message = data.get("failMsg")
        return cls(
            task_id=task_id,
            state=state,
            raw_state=raw_state,
            result_urls=_result_urls(data.get("resultJson")),
            fail_code=cut_text(str(fail_code), MAX_STATE_CHARS * 2) if fail_code not in (None, "") else None,
            fail_message=cut_text(str(fail_message)) if fail_message not in (None, "") else None,
            create_time=_from_millis(data.get("createTime")),
            complete_time=_from_millis(data.get("completeTime")),
            cost_time_ms=_duration_or_none(data.get("costTime")),
            raw=dict(data),
        )


def _result_urls(result_json: Any) -> tuple[str, ...]:
    """`resultJson` is a JSON document inside a string; some answers may already send it as an object."""
    if result_json in (None, ""):
        return ()
    document: Any = result_json
    if isinstance(result_json, str):
        if len(result_json) > MAX_RESULT_URLS * MAX_URL_CHARS * 2:
            raise MalformedStatus("its result list is far larger than any real one")
        try:
            document = loads_bounded(result_json)
        except AnswerTooDeep:
            raise MalformedStatus("its result list is nested far too deep") from None
        except ValueError:
            return ()
    if not isinstance(document, dict):
        return ()
    urls = document.get("resultUrls") or []
    if not isinstance(urls, list):
        return ()
    found = [u for u in urls if isinstance(u, str) and u]
    if len(found) > MAX_RESULT_URLS:
        raise MalformedStatus(f"it lists {len(found)} result files, more than {MAX_RESULT_URLS}")
    if any(len(u) > MAX_URL_CHARS for u in found):
        raise MalformedStatus("a result link is pages long")
    return tuple(found)


# Past a signed 64-bit integer SQLite refuses the value; no real time or duration comes near it.
_INT64_MAX = 2**63 - 1


def _int_or_none(value: Any) -> int | None:
    number: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        # Python's json module accepts NaN and Infinity; int() of either raises instead of returning.
        number = int(value) if math.isfinite(value) else None
    # isdigit() alone accepts "²", which int() then refuses.
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value)
    if number is None or abs(number) > _INT64_MAX:
        return None
    return number


def _duration_or_none(value: Any) -> int | None:
    millis = _int_or_none(value)
    return millis if millis is not None and millis >= 0 else None


def _from_millis(value: Any) -> datetime | None:
    millis = _int_or_none(value)
    if millis is None or millis <= 0:
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
