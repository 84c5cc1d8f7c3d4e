"""The APIXO Sora 2 protocol: typed requests and statuses, errors, and an async httpx client. No Qt here."""

from sora2_desktop.api.client import ApixoClient
from sora2_desktop.api.errors import (
    ApiError,
    AuthError,
    DownloadError,
    InvalidRequestError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    TransientError,
)
from sora2_desktop.api.request import (
    MAX_IMAGE_BYTES,
    MAX_PROMPT_CHARS,
    AspectRatio,
    FieldError,
    GenerationRequest,
    Mode,
    Provider,
    RequestType,
)
from sora2_desktop.api.secret import ApiKey
from sora2_desktop.api.status import TaskState, TaskStatus

__all__ = [
    "MAX_IMAGE_BYTES",
    "MAX_PROMPT_CHARS",
    "ApiError",
    "ApiKey",
    "ApixoClient",
    "AspectRatio",
    "AuthError",
    "DownloadError",
    "FieldError",
    "GenerationRequest",
    "InvalidRequestError",
    "Mode",
    "NotFoundError",
    "ProtocolError",
    "Provider",
    "RateLimitedError",
    "RequestType",
    "TaskState",
    "TaskStatus",
    "TransientError",
]
