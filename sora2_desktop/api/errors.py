"""Errors as types: each says what a person should read and whether retrying can help."""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sora2_desktop.api.request import FieldError


class ApiError(Exception):
    """Base of every fault the client reports. `user_message` is safe to show; it never holds the key.

    `request_sent` is False only when the request certainly never reached the service (local validation,
    a refused connection): then resending cannot create a second task or charge twice.
    """

    retryable: bool = False

    def __init__(self, user_message: str, *, status_code: int | None = None, request_sent: bool = True) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.status_code = status_code
        self.request_sent = request_sent


class InvalidRequestError(ApiError):
    """400: the service refused the request; `service_message` is its text verbatim ("Insufficient credits").

    Also raised before any network call when the request breaks the service's rules: then `field_errors`
    lists each broken rule with the form field it belongs to, `service_message` joins their messages and
    `status_code` is None.
    """

    def __init__(
        self,
        service_message: str,
        *,
        status_code: int | None = 400,
        field_errors: Sequence[FieldError] = (),
        request_sent: bool = True,
    ) -> None:
        super().__init__(
            service_message or "The service refused the request.",
            status_code=status_code,
            request_sent=request_sent,
        )
        self.service_message = service_message
        self.field_errors: tuple[FieldError, ...] = tuple(field_errors)


class NotFoundError(InvalidRequestError):
    """404, or a refusal saying "task not found": the service does not know the task (it may have forgotten it).

    Polling goes on for a while (a fresh task may not be visible everywhere yet); the app gives up on a task
    only when this persists."""


class BalanceTooLowError(InvalidRequestError):
    """402: the key's balance cannot pay for this task. Nothing was created; retrying cannot help until the
    person tops up (`service_message` keeps the service's words)."""

    def __init__(self, service_message: str = "", *, status_code: int | None = 402) -> None:
        super().__init__(service_message, status_code=status_code)
        self.user_message = "The key's balance is too low for this task: top up at the APIXO dashboard, then Re-run."


class PolicyRefusedError(InvalidRequestError):
    """403 that is not about the key: the service refused this one request by its policy (the prompt, the
    image, the model for this account). Only this task is refused; the key stays in use."""

    def __init__(self, service_message: str = "", *, status_code: int | None = 403) -> None:
        super().__init__(service_message, status_code=status_code)
        said = f": {service_message}" if service_message else "."
        self.user_message = f"The service refused this request by its policy (not because of the API key){said}"


class AuthError(ApiError):
    """401: the key is missing or wrong. Retrying with the same key cannot help; ask the person for a key."""

    def __init__(self, user_message: str = "", *, status_code: int | None = 401) -> None:
        super().__init__(
            user_message or "The API key was refused. Check it in Settings → API key.",
            status_code=status_code,
        )


class RateLimitedError(ApiError):
    """429: too many requests. Wait (`retry_after` seconds when the service said so) and try again."""

    retryable = True

    def __init__(self, retry_after: float | None = None, *, status_code: int | None = 429) -> None:
        super().__init__("The service is rate-limiting this key; waiting before trying again.", status_code=status_code)
        self.retry_after = retry_after


class TransientError(ApiError):
    """5xx, time-outs, dropped connections: the same request may well succeed a little later."""

    retryable = True


class ProtocolError(ApiError):
    """The answer was not the documented envelope (not JSON, missing fields). Usually a proxy or an outage."""

    retryable = True


class DownloadFault(enum.StrEnum):
    """What went wrong with a result file, for a caller that words it itself (the app, in its own language)."""

    TIMED_OUT = "timed_out"  # the file server stopped sending in time
    CONNECTION_BROKE = "connection_broke"
    CUT_SHORT = "cut_short"  # fewer bytes than the server announced
    EMPTY = "empty"
    BAD_RESUME = "bad_resume"  # the server keeps answering resume requests wrongly
    SERVER_ERROR = "server_error"  # 5xx, 408, 425: `status_code`
    GONE = "gone"  # 401, 403, 404, 410: result links expire after 15 days
    REFUSED = "refused"  # any other refusal: `status_code`
    NOT_A_VIDEO = "not_a_video"  # another content type: `detail` names it, if the server did


class DownloadError(ApiError):
    """A result file could not be fetched or is not what it should be (not a video, empty, cut short).

    `fault` says which, and `detail` holds the fact it names (a content type); None for a link the client
    will not follow at all."""

    def __init__(
        self,
        user_message: str,
        *,
        retryable: bool,
        status_code: int | None = None,
        fault: DownloadFault | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(user_message, status_code=status_code)
        self.retryable = retryable
        self.fault = fault
        self.detail = detail


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (seconds or an HTTP-date); None if absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        # "nan"/"inf" parse as floats but mean nothing to a scheduler.
        return max(0.0, seconds) if math.isfinite(seconds) else None
    from email.utils import parsedate_to_datetime  # only for a Retry-After date: ~5 ms of start-up otherwise

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a zone-less one is read the same way
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
