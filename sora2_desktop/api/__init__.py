"""The APIXO Sora 2 protocol: typed requests and statuses, errors, and an async httpx client. No Qt here."""

from sora2_desktop.api.errors import (
    ApiError,
    AuthError,
    InvalidRequestError,
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
    "AspectRatio",
    "AuthError",
    "FieldError",
    "GenerationRequest",
    "InvalidRequestError",
    "Mode",
    "Provider",
    "ProtocolError",
    "RateLimitedError",
    "RequestType",
    "TaskState",
    "TaskStatus",
    "TransientError",
]
