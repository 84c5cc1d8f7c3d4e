"""Errors as types: each says what a person should read and whether retrying can help."""

from __future__ import annotations


class ApiError(Exception):
    """Base of every fault the client reports. `user_message` is safe to show; it never holds the key."""

    retryable: bool = False

    def __init__(self, user_message: str, *, status_code: int | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.status_code = status_code


class InvalidRequestError(ApiError):
    """400: the service refused the request; `service_message` is its text, verbatim (e.g. "Insufficient credits")."""

    def __init__(self, service_message: str, *, status_code: int | None = 400) -> None:
        super().__init__(service_message or "The service refused the request.", status_code=status_code)
        self.service_message = service_message


class AuthError(ApiError):
    """401: the key is missing or wrong. Retrying with the same key cannot help; ask the person for a key."""

    def __init__(self, user_message: str = "", *, status_code: int | None = 401) -> None:
        super().__init__(
            user_message or "The API key was refused. Check it in Settings → API key.", status_code=status_code
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


class DownloadError(ApiError):
    """A result file could not be fetched or is not what it should be (not a video, empty, cut short)."""

    def __init__(self, user_message: str, *, retryable: bool, status_code: int | None = None) -> None:
        super().__init__(user_message, status_code=status_code)
        self.retryable = retryable
