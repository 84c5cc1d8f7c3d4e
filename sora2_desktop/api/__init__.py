"""The APIXO protocol: models as data, typed requests and statuses, errors, and an async httpx client. No Qt."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Each name is imported from its module when first asked for: importing one module of this package (the key's
# rules, say) does not import the others, and the client with httpx (~0.1 s) only comes with what sends requests.
# The window's first paint needs none of them.
_MODULES = {
    "ApixoClient": "client",
    **dict.fromkeys(
        (
            "ApiError",
            "AuthError",
            "DownloadError",
            "InvalidRequestError",
            "NotFoundError",
            "ProtocolError",
            "RateLimitedError",
            "TransientError",
        ),
        "errors",
    ),
    **dict.fromkeys(("ModelSpec", "Price", "SpecError"), "model_spec"),
    **dict.fromkeys(("FieldError", "GenerationRequest", "Mode", "RequestType"), "request"),
    "ApiKey": "secret",
    **dict.fromkeys(("TaskState", "TaskStatus"), "status"),
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value


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
