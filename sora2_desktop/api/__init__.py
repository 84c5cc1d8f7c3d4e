"""The APIXO protocol: models as data, typed requests and statuses, errors, and an async httpx client. No Qt."""

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
from sora2_desktop.api.model_spec import ModelSpec, Price, SpecError
from sora2_desktop.api.request import (
    FieldError,
    GenerationRequest,
    Mode,
    RequestType,
)
from sora2_desktop.api.secret import ApiKey
from sora2_desktop.api.status import TaskState, TaskStatus

__all__ = [
    "ApiError",
    "ApiKey",
    "ApixoClient",
    "AuthError",
    "DownloadError",
    "FieldError",
    "GenerationRequest",
    "InvalidRequestError",
    "Mode",
    "ModelSpec",
    "NotFoundError",
    "Price",
    "ProtocolError",
    "RateLimitedError",
    "RequestType",
    "SpecError",
    "TaskState",
    "TaskStatus",
    "TransientError",
]
