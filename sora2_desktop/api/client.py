"""ApixoClient: the async HTTP client for the APIXO Sora 2 service (submit, ask a status, fetch a result)."""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from sora2_desktop.api.answer_errors import envelope_code, error_for_answer
from sora2_desktop.api.base_url import base_url_problem, explain_base_url_problem
from sora2_desktop.api.bounded_json import (
    ACCEPT_ENCODING,
    AnswerTooDeep,
    AnswerTooLarge,
    AnswerUndecodable,
    loads_bounded,
    read_capped,
)
from sora2_desktop.api.download import stream_to_file
from sora2_desktop.api.errors import (
    ApiError,
    DownloadError,
    InvalidRequestError,
    ProtocolError,
    TransientError,
)
from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.api.request import GenerationRequest
from sora2_desktop.api.secret import ApiKey
from sora2_desktop.api.status import MalformedStatus, TaskStatus

log = logging.getLogger(__name__)

BALANCE_PATH = "/api/v1/apikeys/current-balance"
MAX_REDIRECTS = 5
# Long service messages are cut so a misbehaving proxy cannot fill the form with a page of HTML.
MAX_SERVICE_MESSAGE_CHARS = 1000

_REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_JSON_ACCEPT = {"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING}
_DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


class ApixoClient:
    """Talks to the APIXO Sora 2 service: `submit`, `status`, `download`. One instance for the app's life.

    It never retries on its own. Every fault is raised at once as an `ApiError` whose `retryable` says whether
    trying again can help (and `RateLimitedError.retry_after` says when); the app's poll scheduler owns
    retries, backoff and the shared rate limit, and a hidden retry here would spend the key's quota twice
    and hide 429s from it.

    The key is sent only to the base URL's origin (scheme, host, port): result files on a CDN and redirects
    to any other origin are fetched without it. Redirects are followed here, hop by hop, for that reason.
    `timeout` applies to every request (connect, each read, each write), also on an `http` client passed in.
    """

    def __init__(
        self,
        base_url: str,
        api_key: ApiKey,
        *,
        http: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url
        self.api_key = api_key
        self._timeout = httpx.Timeout(timeout)
        self._owns_http = http is None
        if http is None:
            http = httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)
        self._http = http

    # -- configuration -------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        self._base_url, self._origin = _checked_base_url(value)

    @property
    def api_key(self) -> ApiKey:
        return self._api_key

    @api_key.setter
    def api_key(self, value: ApiKey) -> None:
        if not isinstance(value, ApiKey):
            # A bare str would work until the first repr of this object or a log line with it in.
            raise TypeError("api_key must be an ApiKey")
        self._api_key = value

    def __repr__(self) -> str:
        return f"ApixoClient(base_url={self._base_url!r})"

    async def aclose(self) -> None:
        """Close the connection pool if this client created it (a passed-in one belongs to the caller)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> ApixoClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # -- the protocol --------------------------------------------------------------------------------------

    async def submit(self, request: GenerationRequest, spec: ModelSpec) -> str:
        """Create a task of `spec`'s model; return its taskId.

        A request that breaks the service's rules raises InvalidRequestError with `field_errors` and no
        network call is made.
        """
        # Kept as a guard of the wire, although the app's submission service (core/tasks/submission.py) has
        # already checked every request it sends and shows the errors at the form's fields: this client is
        # meant to stand alone (api/ knows nothing of the app), a re-run sends a stored request that an older
        # version may have written under other rules, and the check costs microseconds against a round trip
        # that the service would refuse anyway (the runner turns this error into a REJECTED row with its words).
        field_errors = request.validate(spec)
        if field_errors:
            raise InvalidRequestError(
                " ".join(problem.message for problem in field_errors),
                status_code=None,
                field_errors=field_errors,
                request_sent=False,
            )
        data = await self._call("POST", spec.submit_path, json=request.to_payload(spec))
        task_id = data.get("taskId") if isinstance(data, dict) else None
        if not isinstance(task_id, str) or not task_id.strip():
            raise ProtocolError(
                "The service accepted the request but sent no task id; the task cannot be followed.",
            )
        return task_id

    async def status(self, task_id: str, spec: ModelSpec) -> TaskStatus:
        """Ask where a task of `spec`'s model is; the answer keeps every field the service sent (`TaskStatus.raw`)."""
        if not task_id.strip():
            raise ValueError("task_id is empty")
        data = await self._call("GET", spec.status_path, params={"taskId": task_id})
        if not isinstance(data, dict):
            raise ProtocolError("The service's status answer held no task data.")
        problem: str | None = None
        try:
            status = TaskStatus.from_data(data)
        except MalformedStatus as exc:
            problem = f"The service's status answer was refused: {exc}."
        except ValueError:
            problem = "The service's status answer named no task."
        if problem is not None:  # raised out here so that no parser exception rides along as its context
            raise ProtocolError(problem)
        if status.task_id != task_id:
            raise ProtocolError("The service answered about a different task than the one asked for.")
        return status

    async def balance(self) -> float:
        """The key's remaining balance in US dollars. An answer that is not a finite number raises
        ProtocolError: a guessed figure would be worse than "balance unknown"."""
        data = await self._call("GET", BALANCE_PATH)
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise ProtocolError("The service's balance answer held no amount.")
        try:
            amount = float(data)
        except ValueError:
            raise ProtocolError("The service's balance answer was not a number.") from None
        if not math.isfinite(amount):
            raise ProtocolError("The service's balance answer was not a number.")
        return amount

    async def download(
        self,
        url: str,
        dest: Path,
        *,
        progress: Callable[[int, int | None], None] | None = None,
        expect_content_type_prefix: str | None = "video/",
    ) -> Path:
        """Stream a result file to `dest` (via `dest.part`, resuming one an earlier try left); return `dest`.

        Raises DownloadError (see its `retryable`) or RateLimitedError; the key goes along only when `url` is
        on the API's own origin.
        """
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            parsed = None
        if parsed is None or parsed.scheme not in _DEFAULT_PORTS or not parsed.host:
            raise DownloadError("The result link is not a web address this app can fetch.", retryable=False)
        log.debug("download %s%s -> %s", parsed.host, parsed.path, dest.name)
        return await stream_to_file(
            lambda headers: self._open_stream(url, headers),
            dest,
            progress=progress,
            expect_content_type_prefix=expect_content_type_prefix,
        )

    # -- HTTP ----------------------------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one API request; return the envelope's `data` or raise the ApiError its code stands for."""
        failure: ApiError
        try:
            response = await self._send(
                method, self._base_url + path, json=json, params=params, headers=_JSON_ACCEPT, stream=True
            )
            try:
                body = await read_capped(response)
            finally:
                await response.aclose()
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # No connection, so not one byte of the request left: resending is safe even for a submit.
            failure, kind = (
                TransientError(
                    "Could not connect to the service; check the network. The request will be tried again.",
                    request_sent=False,
                ),
                type(exc).__name__,
            )
        except httpx.TimeoutException as exc:
            failure, kind = (
                TransientError("The service did not answer in time; the request will be tried again."),
                type(exc).__name__,
            )
        except (httpx.DecodingError, AnswerUndecodable) as exc:
            failure, kind = (
                ProtocolError("The service's answer could not be decoded; a proxy may be in the way."),
                type(exc).__name__,
            )
        except AnswerTooLarge:
            failure, kind = (
                ProtocolError("The service's answer was far larger than any real answer; it was not read."),
                "AnswerTooLarge",
            )
        except httpx.RequestError as exc:
            failure, kind = (
                TransientError("The connection to the service broke; the request will be tried again."),
                type(exc).__name__,
            )
        else:
            return self._read_envelope(method, path, response, body)
        # Only the exception's type is logged and nothing is chained: the httpx exception holds the request,
        # headers and all, and its text is not ours to vouch for.
        log.info("%s %s failed: %s", method, path, kind)
        raise failure

    def _read_envelope(self, method: str, path: str, response: httpx.Response, content: bytes) -> Any:
        http_status = response.status_code
        too_deep = False
        try:
            body = loads_bounded(content)
        except AnswerTooDeep:
            body, too_deep = None, True
        except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
            body = None
        if too_deep:  # raised out here so that no parser exception rides along as its context
            raise ProtocolError(
                "The service sent an answer nested far deeper than any real answer; it was not read.",
                status_code=http_status,
            )
        envelope = body if isinstance(body, dict) else None
        code = envelope_code(envelope)
        log.debug("%s %s -> HTTP %d, code %s", method, path, http_status, code)
        # The envelope's code counts as much as the HTTP status: the service may say 401 inside an HTTP 200.
        if code is not None and not 200 <= code < 300:
            error_code: int | None = code
        elif not 200 <= http_status < 300:
            error_code = http_status
        else:
            error_code = None
        if error_code is not None:
            message = self._service_message(envelope)
            raise error_for_answer(error_code, message, response.headers.get("retry-after"))
        if envelope is None:
            raise ProtocolError(
                "The service sent an answer this app cannot read (not the documented JSON); "
                "a proxy or an outage may be in the way.",
                status_code=http_status,
            )
        if "data" not in envelope:
            raise ProtocolError("The service's answer had no data.", status_code=http_status)
        return envelope["data"]

    def _service_message(self, envelope: dict[str, Any] | None) -> str:
        message = envelope.get("message") if envelope is not None else None
        if not isinstance(message, str):
            return ""
        message = message.strip()[:MAX_SERVICE_MESSAGE_CHARS]
        secret = self._api_key.reveal()
        # A service that echoes the key it refused must not put it on screen or into a log through us.
        if secret and secret in message:
            message = message.replace(secret, "<hidden>")
        return message

    async def _send(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        """Send, following redirects here so that each hop gets the key only if it is on the API's origin."""
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                request = self._http.build_request(
                    method, url, json=json, params=params, headers=headers, timeout=self._timeout
                )
            except httpx.InvalidURL:
                raise ProtocolError("The service redirected to an address that is not valid.") from None
            if _origin(request.url) == self._origin and self._api_key:
                request.headers["Authorization"] = f"Bearer {self._api_key.reveal()}"
            else:
                # A caller-supplied client might carry default headers; none of them may take a key elsewhere.
                request.headers.pop("Authorization", None)
            response = await self._http.send(request, stream=stream, follow_redirects=False)
            location = response.headers.get("location")
            if response.status_code not in _REDIRECT_STATUSES or not location:
                return response
            await response.aclose()
            try:
                next_url = request.url.join(location)
            except httpx.InvalidURL:
                raise ProtocolError("The service redirected to an address that is not valid.") from None
            if next_url.scheme not in _DEFAULT_PORTS:
                raise ProtocolError("The service redirected to an address that is not a web address.")
            url, params = str(next_url), None
            # As browsers do: 303 always, and 301/302 after a POST, turn into a GET without the body.
            if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                method, json = "GET", None
        raise ProtocolError("The service redirected too many times.")

    @contextlib.asynccontextmanager
    async def _open_stream(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[httpx.Response]:
        try:
            response = await self._send("GET", url, headers=headers, stream=True)
        except ProtocolError as error:
            raise DownloadError(error.user_message, retryable=False) from None
        try:
            yield response
        finally:
            await response.aclose()


def _origin(url: httpx.URL) -> Origin:
    scheme = url.scheme.lower()
    return scheme, url.host.lower(), url.port or _DEFAULT_PORTS.get(scheme, 0)


def _checked_base_url(value: str) -> tuple[str, Origin]:
    """The base URL minus any trailing slash, and its origin; ValueError unless base_url_problem allows it."""
    problem = base_url_problem(value)
    if problem is not None:
        raise ValueError(explain_base_url_problem(problem))
    url = httpx.URL(value.strip())
    return str(url).rstrip("/"), _origin(url)
