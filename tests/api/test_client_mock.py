"""ApixoClient against httpx.MockTransport: envelope → error mapping, where the key may go, base-URL rules."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from sora2_desktop.api import (
    ApiError,
    ApiKey,
    ApixoClient,
    AuthError,
    DownloadError,
    GenerationRequest,
    InvalidRequestError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    TaskState,
    TransientError,
)
from sora2_desktop.api.errors import PolicyRefusedError
from tests.helpers.models import SORA_2

API = "https://api.apixo.ai"
CDN = "https://r2.apixo.ai"
KEY = "sk-live-7f3a9c-SECRET-do-not-leak"
GOOD = GenerationRequest(prompt="A lighthouse at golden hour, slow dolly in")

T = TypeVar("T")
Handler = Callable[[httpx.Request], httpx.Response]


def exchange(handler: Handler, action: Callable[[ApixoClient], Awaitable[T]], **client_args: Any) -> T:
    """Run `action` on a client whose every request goes to `handler`."""

    async def main() -> T:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = ApixoClient(API, ApiKey(KEY), http=http, **client_args)
            return await action(client)

    return asyncio.run(main())


def assert_key_absent(error: BaseException) -> None:
    """Nothing a crash report could print about `error` (its chain included) may hold the key."""
    texts = ["".join(traceback.format_exception(error)), repr(error), str(error)]
    seen: BaseException | None = error
    while seen is not None:
        texts += [repr(seen), str(seen), repr(vars(seen))]
        seen = seen.__cause__ or seen.__context__
    for text in texts:
        assert KEY not in text


def raised(handler: Handler, action: Callable[[ApixoClient], Awaitable[Any]]) -> ApiError:
    with pytest.raises(ApiError) as info:
        exchange(handler, action)
    assert_key_absent(info.value)
    return info.value


def envelope(code: int, message: str, data: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "data": data}


def answer(status: int = 200, body: Any = None, *, text: str | None = None, **headers: str) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return handler


def submit(client: ApixoClient) -> Awaitable[str]:
    return client.submit(GOOD, SORA_2)


def status(client: ApixoClient) -> Awaitable[Any]:
    return client.status("task_1", SORA_2)


# --- success ------------------------------------------------------------------------------------------------


def test_submit_posts_the_payload_with_the_key_and_returns_the_task_id() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=envelope(200, "success", {"taskId": "task_12345678"}))

    assert exchange(handler, submit) == "task_12345678"
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == "https://api.apixo.ai/api/v1/generateTask/sora-2"
    assert request.headers["authorization"] == f"Bearer {KEY}"

    assert json.loads(request.content) == GOOD.to_payload(SORA_2)


def test_status_gets_by_task_id_and_parses_the_answer() -> None:
    seen: list[httpx.Request] = []
    data = {
        "taskId": "task_1",
        "state": "success",
        "resultJson": '{"resultUrls":["https://r2.apixo.ai/video.mp4"]}',
        "costTime": 41388,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"code": 200, "message": "success", "data": data})

    result = exchange(handler, status)
    assert result.state is TaskState.SUCCESS
    assert result.result_urls == ("https://r2.apixo.ai/video.mp4",)
    assert seen[0].method == "GET"
    assert seen[0].url.path == "/api/v1/statusTask/sora-2"
    assert seen[0].url.params["taskId"] == "task_1"


def test_code_as_a_digit_string_is_read() -> None:
    body = {"code": "200", "message": "success", "data": {"taskId": "task_9"}}
    assert exchange(answer(200, body), submit) == "task_9"


def test_base_url_with_a_path_prefix_and_trailing_slash() -> None:
    seen: list[str] = []

    async def action(client: ApixoClient) -> str:
        client.base_url = "https://proxy.example.com/apixo/"
        return await client.submit(GOOD, SORA_2)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"code": 200, "data": {"taskId": "t"}})

    exchange(handler, action)
    assert seen == ["https://proxy.example.com/apixo/api/v1/generateTask/sora-2"]


# --- validation before the network --------------------------------------------------------------------------


def test_invalid_request_is_refused_without_a_network_call() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    error = raised(handler, lambda client: client.submit(GenerationRequest(prompt="", duration=12), SORA_2))
    assert isinstance(error, InvalidRequestError)
    assert error.status_code is None
    assert [e.field for e in error.field_errors] == ["prompt", "duration"]
    assert "Write a prompt" in error.user_message and "10 or 15" in error.user_message
    assert not error.retryable
    assert not error.request_sent


# --- every error the envelope or the HTTP status can carry -------------------------------------------------


@pytest.mark.parametrize(
    ("handler", "error_type", "status_code"),
    [
        pytest.param(answer(400, envelope(400, "Invalid prompt")), InvalidRequestError, 400, id="400"),
        pytest.param(answer(200, envelope(400, "Bad prompt")), InvalidRequestError, 400, id="400-in-body"),
        pytest.param(answer(404, envelope(404, "Not found")), NotFoundError, 404, id="404"),
        pytest.param(answer(200, envelope(400, "Task not found: t1")), NotFoundError, 400, id="400-not-found"),
        pytest.param(answer(422, text="nope"), InvalidRequestError, 422, id="422-not-json"),
        pytest.param(answer(401, envelope(401, "Unauthorized")), AuthError, 401, id="401"),
        pytest.param(answer(200, envelope(401, "Unauthorized")), AuthError, 401, id="401-in-body"),
        # An HTML "Forbidden" page names no key: one refused request (policy), not a reason to stop polling.
        pytest.param(answer(403, text="<h1>Forbidden</h1>"), PolicyRefusedError, 403, id="403-html"),
        pytest.param(answer(429, envelope(429, "Rate limit")), RateLimitedError, 429, id="429"),
        pytest.param(answer(200, envelope(429, "Rate limit")), RateLimitedError, 429, id="429-in-body"),
        pytest.param(answer(500, envelope(500, "Internal error")), TransientError, 500, id="500"),
        pytest.param(answer(502, text="<html>Bad gateway</html>"), TransientError, 502, id="502-html"),
        pytest.param(answer(200, envelope(503, "Busy")), TransientError, 503, id="503-in-body"),
        pytest.param(answer(408, text=""), TransientError, 408, id="408"),
        pytest.param(answer(200, text="<html>captive portal</html>"), ProtocolError, 200, id="html"),
        pytest.param(answer(200, text='{"code": 200, "mess'), ProtocolError, 200, id="cut-json"),
        pytest.param(answer(200, [1, 2]), ProtocolError, 200, id="json-list"),
        pytest.param(answer(200, {"code": 200, "message": "ok"}), ProtocolError, 200, id="no-data"),
        pytest.param(answer(204, text=""), ProtocolError, 204, id="204-empty"),
        pytest.param(answer(200, envelope(302, "moved")), ProtocolError, 302, id="odd-code"),
    ],
)
def test_error_mapping(handler: Handler, error_type: type[ApiError], status_code: int) -> None:
    for action in (submit, status):
        error = raised(handler, action)
        assert type(error) is error_type
        assert error.status_code == status_code
        assert error.user_message
        assert error.retryable is (error_type in (RateLimitedError, TransientError, ProtocolError))
        assert error.request_sent


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(None, id="null"),
        pytest.param({}, id="no-task-id"),
        pytest.param({"taskId": ""}, id="empty-task-id"),
        pytest.param({"taskId": 12}, id="number-task-id"),
        pytest.param("task_1", id="data-is-a-string"),
    ],
)
def test_submit_without_a_usable_task_id_is_a_protocol_error(data: Any) -> None:
    assert isinstance(raised(answer(200, envelope(200, "success", data)), submit), ProtocolError)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(None, id="null"),
        pytest.param({"state": "success"}, id="no-task-id"),
        pytest.param({"taskId": "task_other", "state": "success"}, id="other-task"),
        pytest.param(["task_1"], id="list"),
    ],
)
def test_status_without_a_usable_task_is_a_protocol_error(data: Any) -> None:
    assert isinstance(raised(answer(200, envelope(200, "success", data)), status), ProtocolError)


def test_service_message_is_kept_verbatim() -> None:
    error = raised(answer(400, envelope(400, "Insufficient credits")), submit)
    assert isinstance(error, InvalidRequestError)
    assert error.service_message == "Insufficient credits"
    assert str(error) == error.user_message == "Insufficient credits"
    assert not error.retryable


def test_a_key_echoed_in_the_service_message_is_hidden() -> None:
    error = raised(answer(400, envelope(400, f"Key {KEY} has no credits")), submit)
    assert isinstance(error, InvalidRequestError)
    assert error.service_message == "Key <hidden> has no credits"


def test_retry_after_in_seconds() -> None:
    error = raised(answer(429, envelope(429, "Rate limit"), **{"Retry-After": "7"}), submit)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 7.0


def test_retry_after_as_an_http_date() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    error = raised(answer(429, envelope(429, "Rate limit"), **{"Retry-After": when}), submit)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after is not None and 100 <= error.retry_after <= 121


@pytest.mark.parametrize("header", [None, "soon", "-3", "nan"])
def test_retry_after_absent_or_unreadable(header: str | None) -> None:
    headers = {"Retry-After": header} if header is not None else {}
    error = raised(answer(429, envelope(429, "Rate limit"), **headers), submit)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == (0.0 if header == "-3" else None)


@pytest.mark.parametrize(
    ("exception", "request_sent"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), False),
        (httpx.ConnectTimeout("timed out"), False),
        (httpx.PoolTimeout("timed out"), False),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), True),
        (httpx.WriteError("[Errno 32] Broken pipe"), True),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), True),
        (httpx.ReadTimeout("timed out"), True),
    ],
)
def test_network_faults_are_transient_and_carry_no_request(exception: httpx.RequestError, request_sent: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        # The real exceptions hold the request, Authorization header included.
        exception.request = request
        raise exception

    error = raised(handler, submit)
    assert type(error) is TransientError
    assert error.retryable
    assert error.__cause__ is None and error.__context__ is None
    assert "Errno" not in error.user_message
    # Only a request that certainly never left may be resent without risking a second (charged) task.
    assert error.request_sent is request_sent


def test_timeout_has_its_own_sentence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    assert "did not answer in time" in raised(handler, status).user_message


# --- where the key may go -----------------------------------------------------------------------------------


def test_empty_key_sends_no_authorization_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=envelope(200, "success", {"taskId": "t"}))

    async def action(client: ApixoClient) -> str:
        client.api_key = ApiKey("   ")
        return await client.submit(GOOD, SORA_2)

    exchange(handler, action)
    assert "authorization" not in seen[0].headers


def test_a_replaced_key_is_used_from_the_next_request_on() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(200, json=envelope(200, "success", {"taskId": "t"}))

    async def action(client: ApixoClient) -> None:
        await client.submit(GOOD, SORA_2)
        client.api_key = ApiKey("sk-new")
        await client.submit(GOOD, SORA_2)

    exchange(handler, action)
    assert seen == [f"Bearer {KEY}", "Bearer sk-new"]


def test_api_key_must_be_an_api_key() -> None:
    client = ApixoClient(API, ApiKey(KEY), http=httpx.AsyncClient())
    with pytest.raises(TypeError):
        client.api_key = KEY  # type: ignore[assignment]
    assert KEY not in repr(client) and KEY not in str(client)
    asyncio.run(client._http.aclose())


VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8


def video(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=VIDEO, headers={"Content-Type": "video/mp4"})


@pytest.mark.parametrize(
    ("url", "gets_key"),
    [
        pytest.param(f"{CDN}/video.mp4", False, id="cdn"),
        pytest.param(f"{API}/files/video.mp4", True, id="api-origin"),
        pytest.param("https://api.apixo.ai:443/files/video.mp4", True, id="api-origin-explicit-port"),
        pytest.param("https://API.APIXO.AI/files/video.mp4", True, id="api-origin-upper-case"),
        pytest.param("http://api.apixo.ai/files/video.mp4", False, id="api-host-plain-http"),
        pytest.param("https://api.apixo.ai:8443/files/video.mp4", False, id="api-host-other-port"),
        pytest.param("https://api.apixo.ai.evil.com/video.mp4", False, id="look-alike-host"),
    ],
)
def test_download_sends_the_key_only_to_the_api_origin(url: str, gets_key: bool, tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return video(request)

    exchange(handler, lambda client: client.download(url, tmp_path / "clip.mp4"))
    assert ("authorization" in seen[0].headers) is gets_key
    assert (tmp_path / "clip.mp4").read_bytes() == VIDEO


def test_redirect_from_the_api_to_a_cdn_drops_the_key(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.apixo.ai":
            if request.url.path == "/files/a.mp4":
                return httpx.Response(302, headers={"Location": "/files/b.mp4"})
            return httpx.Response(307, headers={"Location": f"{CDN}/signed/b.mp4?sig=1"})
        return video(request)

    exchange(handler, lambda client: client.download(f"{API}/files/a.mp4", tmp_path / "clip.mp4"))
    assert [str(r.url) for r in seen] == [
        f"{API}/files/a.mp4",
        f"{API}/files/b.mp4",
        f"{CDN}/signed/b.mp4?sig=1",
    ]
    assert [("authorization" in r.headers) for r in seen] == [True, True, False]
    assert (tmp_path / "clip.mp4").read_bytes() == VIDEO


def test_api_redirect_elsewhere_drops_the_key_and_turns_post_into_get() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.apixo.ai":
            return httpx.Response(302, headers={"Location": "https://elsewhere.example.com/x"})
        return httpx.Response(200, json=envelope(200, "success", {"taskId": "t"}))

    exchange(handler, submit)
    assert [r.method for r in seen] == ["POST", "GET"]
    assert "authorization" not in seen[1].headers
    assert seen[1].content == b""


def test_a_callers_default_authorization_header_never_leaves_the_api_origin(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return video(request)

    async def main() -> None:
        transport = httpx.MockTransport(handler)
        async with httpx.AsyncClient(transport=transport, headers={"Authorization": f"Bearer {KEY}"}) as http:
            client = ApixoClient(API, ApiKey(KEY), http=http)
            await client.download(f"{CDN}/video.mp4", tmp_path / "clip.mp4")

    asyncio.run(main())
    assert "authorization" not in seen[0].headers


def test_endless_redirects_end_in_an_error(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": str(request.url)})

    error = raised(handler, lambda client: client.download(f"{CDN}/loop.mp4", tmp_path / "clip.mp4"))
    assert isinstance(error, DownloadError) and not error.retryable
    assert isinstance(raised(handler, submit), ProtocolError)


def test_redirect_to_another_scheme_is_refused() -> None:
    error = raised(answer(302, None, Location="file:///etc/passwd"), submit)
    assert isinstance(error, ProtocolError)


@pytest.mark.parametrize("url", ["ftp://r2.apixo.ai/video.mp4", "video.mp4", "", "https://"])
def test_download_refuses_what_is_not_a_web_address(url: str, tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    error = raised(handler, lambda client: client.download(url, tmp_path / "clip.mp4"))
    assert isinstance(error, DownloadError) and not error.retryable


def test_the_key_is_in_no_log_record(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    handlers: list[Handler] = [
        answer(200, envelope(200, "success", {"taskId": "t"})),
        answer(401, envelope(401, f"Bad key {KEY}")),
        answer(200, text="<html>"),
        answer(500, text="oops"),
    ]
    for handler in handlers:
        with contextlib.suppress(ApiError):
            exchange(handler, submit)

    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"refused {request.headers}", request=request)

    with pytest.raises(TransientError):
        exchange(broken, submit)
    exchange(video, lambda client: client.download(f"{API}/video.mp4", tmp_path / "clip.mp4"))
    assert caplog.records, "the client is expected to log something at DEBUG"
    for record in caplog.records:
        assert KEY not in record.getMessage()


# --- the base URL -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://api.apixo.ai", "https://api.apixo.ai"),
        ("https://api.apixo.ai/", "https://api.apixo.ai"),
        (" https://proxy.example.com/apixo/ ", "https://proxy.example.com/apixo"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.8.9.10:80", "http://127.8.9.10"),  # httpx drops a default port
        ("http://localhost:9000/", "http://localhost:9000"),
        ("http://[::1]:9000", "http://[::1]:9000"),
    ],
)
def test_base_url_accepted(url: str, kept: str) -> None:
    client = ApixoClient(url, ApiKey(KEY))
    assert client.base_url == kept
    asyncio.run(client.aclose())


@pytest.mark.parametrize(
    "url",
    [
        "http://api.apixo.ai",
        "http://10.0.0.5:8000",
        "http://192.168.1.2",
        "http://localhost.evil.com",
        "http://127.0.0.1.nip.io",
        "ftp://api.apixo.ai",
        "api.apixo.ai",
        "",
        "https://",
        "https://user:hunter2@api.apixo.ai",
        "https://api.apixo.ai/?key=1",
    ],
)
def test_base_url_refused(url: str) -> None:
    with pytest.raises(ValueError) as info:
        ApixoClient(url, ApiKey(KEY))
    assert "hunter2" not in str(info.value)


def test_a_created_http_client_is_closed_and_a_passed_one_is_not() -> None:
    async def main() -> tuple[bool, bool]:
        own = ApixoClient(API, ApiKey(KEY))
        await own.aclose()
        async with httpx.AsyncClient() as http:
            borrowed = ApixoClient(API, ApiKey(KEY), http=http)
            await borrowed.aclose()
            return own._http.is_closed, http.is_closed

    assert asyncio.run(main()) == (True, False)
