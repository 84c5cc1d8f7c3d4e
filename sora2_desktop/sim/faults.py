"""FaultPlan: a thread-safe queue of faults the stand-in will act out on its next requests or tasks."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

Origin = Literal["api", "cdn"]

# Faults that replace (or delay) the answer to the next matching HTTP request(s).
REQUEST_KINDS = ("rate_limit", "server_error", "slow", "drop", "malformed", "auth_in_body")
# Faults consumed by the next valid submit(s).
SUBMIT_KINDS = ("insufficient_credits",)
# Faults that decide how the next submitted task(s) end.
TASK_FAIL_KINDS = ("content_violation", "invalid_image_url", "unknown_fail")
TASK_RESULT_KINDS = ("not_video", "evil_name")
# Faults consumed by the next CDN download(s).
DOWNLOAD_KINDS = ("truncate_download",)

KINDS: tuple[str, ...] = REQUEST_KINDS + SUBMIT_KINDS + TASK_FAIL_KINDS + TASK_RESULT_KINDS + DOWNLOAD_KINDS
_ORIGINS = ("api", "cdn", "any")


@dataclass
class Fault:
    kind: str
    remaining: int
    params: dict[str, Any] = field(default_factory=dict)

    def matches(self, kind: str, origin: Origin | None) -> bool:
        if self.kind != kind or self.remaining <= 0:
            return False
        if origin is None or kind not in REQUEST_KINDS:
            return True
        wanted = self.params.get("origin", "api")
        return wanted in ("any", origin)


class FaultPlan:
    """Faults are consumed first-in first-out per kind; each matching request or task uses up one count."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(self, kind: str, count: int = 1, **params: Any) -> None:
        """Queue `count` occurrences of `kind`. Raises ValueError for unknown kinds so typos fail loudly."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known kinds: {', '.join(KINDS)}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"fault count must be a positive integer, not {count!r}")
        origin = params.get("origin", "api")
        if origin not in _ORIGINS:
            raise ValueError(f"fault origin must be one of {', '.join(_ORIGINS)}, not {origin!r}")
        if kind == "slow" and not isinstance(params.get("seconds"), int | float):
            raise ValueError("the slow fault needs seconds=<number>")
        with self._lock:
            self._faults.append(Fault(kind, count, dict(params)))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, kind: str, origin: Origin | None = None) -> dict[str, Any] | None:
        """Use up one occurrence of `kind` (for request kinds: one aimed at `origin`); its params, or None."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(kind, origin):
                    fault.remaining -= 1
                    params = dict(fault.params)
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return params
        return None

    def take_first(self, kinds: tuple[str, ...], origin: Origin | None = None) -> tuple[str, dict[str, Any]] | None:
        """Use up the earliest-injected fault among `kinds`: a request or task acts out one per group."""
        with self._lock:
            for fault in self._faults:
                if any(fault.matches(kind, origin) for kind in kinds):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault.kind, dict(fault.params)
        return None

    def remaining(self, kind: str | None = None) -> int:
        """How many occurrences are still queued (of `kind`, or of all): lets tests check a fault fired."""
        with self._lock:
            return sum(f.remaining for f in self._faults if kind is None or f.kind == kind)

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{"kind": f.kind, "remaining": f.remaining, **f.params} for f in self._faults]
