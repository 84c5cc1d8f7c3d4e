"""Which ApiError an answer's code means: the one place the service's codes (HTTP or envelope) become faults."""

from __future__ import annotations

import re
from typing import Any

from sora2_desktop.api.errors import (
    ApiError,
    AuthError,
    BalanceTooLowError,
    InvalidRequestError,
    NotFoundError,
    PolicyRefusedError,
    ProtocolError,
    RateLimitedError,
    TransientError,
    parse_retry_after,
)

# A 403 whose words are about the key (not a policy refusal of this one request) is a key problem like 401.
_ABOUT_THE_KEY = re.compile(
    r"\b(api[\s_-]?key|apikey|key|token|bearer|credentials?)\b|unauthori[sz]|authenticat", re.IGNORECASE
)
_NOT_FOUND = re.compile(r"\bnot\s+found\b|\bunknown\s+task\b|\bno\s+such\s+task\b", re.IGNORECASE)


def error_for_answer(code: int, message: str, retry_after: str | None) -> ApiError:
    if code == 429:
        return RateLimitedError(parse_retry_after(retry_after))
    if code == 401 or (code == 403 and _ABOUT_THE_KEY.search(message)):
        return AuthError(status_code=code)
    if code == 402:
        return BalanceTooLowError(message)
    if code == 403:
        # The service documents 403 as "refused by policy": one request refused, not the key. Treating it as a
        # bad key would pause every task and ask for a key that is fine.
        return PolicyRefusedError(message)
    if code == 503:
        return TransientError(
            "The service is unavailable (HTTP 503); the request will be tried again.", status_code=code
        )
    if code in (408, 425) or 500 <= code < 600:
        return TransientError(f"The service failed (HTTP {code}); the request will be tried again.", status_code=code)
    if code == 404 or (code == 400 and _NOT_FOUND.search(message)):
        # "Task not found": the service forgot the task (or the stand-in restarted); the runner gives up later.
        return NotFoundError(message or "The service does not know this task.", status_code=code)
    if 400 <= code < 500:
        return InvalidRequestError(message or f"The service refused the request (code {code}).", status_code=code)
    return ProtocolError(f"The service answered with an unexpected code {code}.", status_code=code)


def envelope_code(envelope: dict[str, Any] | None) -> int | None:
    if envelope is None:
        return None
    code = envelope.get("code")
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().isascii() and code.strip().isdigit():
        return int(code)
    return None
