"""HTTP handlers of the stand-in: the API origin (protocol + /_sim controls) and the CDN origin (videos)."""

from __future__ import annotations

import functools
import json
import re
import socket
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from sora2_desktop.sim.contract import INDEX_PATH, SCHEMA_PATH, index_document, schema_document
from sora2_desktop.sim.faults import Origin
from sora2_desktop.sim.service import ServiceError
from sora2_desktop.sim.uploads import UPLOADS_PATH, handle_upload

if TYPE_CHECKING:
    from sora2_desktop.sim.server import SimServer

SUBMIT_PATH = "/api/v1/generateTask/sora-2"
STATUS_PATH = "/api/v1/statusTask/sora-2"
SUBMIT_PREFIX, STATUS_PREFIX = "/api/v1/generateTask/", "/api/v1/statusTask/"
BALANCE_PATH = "/api/v1/apikeys/current-balance"
MAX_BODY = 16 * 1024 * 1024
CHUNK = 256 * 1024
_BLOB_PERIOD = 251  # a prime, so the pattern never lines up with chunk or buffer sizes
_BLOB_PATTERN = bytes(range(_BLOB_PERIOD)) * (CHUNK // _BLOB_PERIOD + 2)
_TERMINAL_FAULTS = ("drop", "rate_limit", "server_error", "auth_in_body", "malformed")
_GATEWAY_PAGE = b"<html><body><h1>%d</h1><p>The upstream server is unavailable.</p></body></html>"


def blob_bytes(offset: int, length: int) -> bytes:
    """Bytes [offset, offset+length) of every `/blob/{n}.mp4`: byte i is i % 251, so tests can check data."""
    out = bytearray()
    while length > 0:
        step = min(length, CHUNK)
        start = offset % _BLOB_PERIOD
        out += _BLOB_PATTERN[start : start + step]
        offset += step
        length -= step
    return bytes(out)


def envelope(code: int, message: str, data: Any = None) -> bytes:
    return json.dumps({"code": code, "message": message, "data": data}).encode()


class OriginServer(ThreadingHTTPServer):
    """One listening origin; handler threads are daemons so an open keep-alive socket never blocks stop()."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], sim: SimServer) -> None:
        super().__init__(address, handler)
        self.sim = sim

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-answer is normal here (drop/truncate faults, cancelled downloads)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive connection frees its thread after this
    origin: ClassVar[Origin]

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm plus the client's
        # delayed ACK adds ~40 ms to every answer on loopback.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a test run or the demo app must not fill stderr with access logs

    @property
    def sim(self) -> SimServer:
        assert isinstance(self.server, OriginServer)
        return self.server.sim

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_GET

    def send_response(self, code: int, message: str | None = None) -> None:
        self._answered = True
        super().send_response(code, message)

    def _dispatch(self) -> None:
        self._discard = self._answered = False
        try:
            body = self._read_body()
            path = urlsplit(self.path).path
            if not path.startswith("/_sim/"):
                headers = {k.lower(): v for k, v in self.headers.items()}
                # The published docs live on another host at the service: recorded apart ("docs").
                origin = "docs" if path.startswith("/docs/") else self.origin
                self.sim.record(origin, self.command, self.path, headers, body)
            self.handle_request(path, body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as exc:
            # A bug in the stand-in must not pass for a "drop" fault: say so loudly, and answer if still possible.
            traceback.print_exc()
            self.close_connection = True
            if not self._answered:
                self._discard = False
                self.send(500, envelope(500, f"stand-in error: {type(exc).__name__}: {exc}"))

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = bytearray()
            while len(data) <= MAX_BODY:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
            return bytes(data)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(min(length, MAX_BODY)) if length > 0 else b""

    def handle_request(self, path: str, body: bytes) -> None:
        raise NotImplementedError

    def send(
        self, status: int, body: bytes, ctype: str = "application/json", headers: dict[str, str] | None = None
    ) -> None:
        if self._discard:
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def apply_request_faults(self, then: Callable[[], None] | None = None) -> bool:
        """Act out the next queued request fault for this origin. True when the fault already answered."""
        faults = self.sim.faults
        slow = faults.take("slow", self.origin)
        if slow is not None:
            time.sleep(float(slow["seconds"]))
        taken = faults.take_first(_TERMINAL_FAULTS, self.origin)
        if taken is None:
            return False
        kind, params = taken
        if then is not None and params.get("processed") and kind in ("drop", "malformed", "server_error"):
            # The service did the work but its answer is lost: e.g. a task was created and charged.
            self._discard = True
            then()
            self._discard = False
        if kind == "drop":
            self.close_connection = True
        elif kind == "rate_limit":
            wait = params.get("retry_after", 1)
            header = str(int(wait)) if float(wait).is_integer() else str(wait)
            self.send(429, envelope(429, "Rate limit exceeded"), headers={"Retry-After": header})
        elif kind == "server_error":
            status = int(params.get("status", 500))
            if status == 500:
                self.send(500, envelope(500, "Internal server error"))
            else:  # 502/503 come from a gateway in front of the service: HTML, not the JSON envelope
                self.send(status, _GATEWAY_PAGE % status, "text/html; charset=utf-8")
        elif kind == "auth_in_body":
            self.send(200, envelope(401, "Unauthorized: invalid API key"))
        else:  # malformed
            self.send(200, str(params.get("body", '{"code": 200, "message": "succ')).encode())
        return True


class ApiHandler(_Handler):
    origin = "api"

    def handle_request(self, path: str, body: bytes) -> None:
        if path.startswith(UPLOADS_PATH):
            handle_upload(self, path, body)  # demo mode's image host (uploads.py)
            return
        if path.startswith("/_sim/"):
            self._control(path, body)
            return
        if path.startswith("/docs/"):
            self._docs(path)  # public pages (no key), on the service's web host: no API faults, no rate limit
            return
        route = self._routes().get(path)

        def answer() -> None:
            if route is None:
                self.send(404, envelope(404, f"Not found: {path}"))
            elif self.command != route[0]:
                self.send(
                    405,
                    envelope(405, f"Method {self.command} not allowed on {path}"),
                    headers={"Allow": route[0]},
                )
            else:
                try:
                    key = self.sim.service.authorize(self.headers.get("Authorization"))
                    self.sim.service.count_request(key)
                    route[1](key, body)
                except ServiceError as exc:
                    extra = {"Retry-After": str(int(exc.retry_after))} if exc.retry_after else {}
                    self.send(exc.code, envelope(exc.code, exc.message), headers=extra)

        if not self.apply_request_faults(then=answer):
            answer()

    def _routes(self) -> dict[str, tuple[str, Callable[[str, bytes], None]]]:
        """Each model of the contract now played has its own submit and status route; the balance is per key."""
        routes: dict[str, tuple[str, Callable[[str, bytes], None]]] = {BALANCE_PATH: ("GET", self._balance)}
        for model in self.sim.service.models():
            routes[SUBMIT_PREFIX + model] = ("POST", functools.partial(self._submit, model=model))
            routes[STATUS_PREFIX + model] = ("GET", functools.partial(self._status, model=model))
        return routes

    def _submit(self, key: str, body: bytes, model: str) -> None:
        task = self.sim.service.submit(key, body, model)
        self.send(200, envelope(200, "success", {"taskId": task.task_id}))

    def _status(self, key: str, body: bytes, model: str) -> None:
        task_id = (parse_qs(urlsplit(self.path).query).get("taskId") or [""])[0]
        self.send(200, envelope(200, "success", self.sim.service.status(key, task_id, model)))

    def _balance(self, key: str, body: bytes) -> None:
        self.send(200, envelope(200, "success", self.sim.service.balance(key)))

    def _docs(self, path: str) -> None:
        service = self.sim.service
        models = service.models()
        schemas = {SCHEMA_PATH.format(model=model): rules for model, rules in models.items()}
        if self.command not in ("GET", "HEAD"):
            self.send(405, b"method not allowed", "text/plain", {"Allow": "GET, HEAD"})
        elif path == INDEX_PATH:
            self.send(200, json.dumps(index_document(service.contract)).encode())
        elif path in schemas:
            self.send(200, json.dumps(schema_document(schemas[path])).encode())
        else:
            self.send(404, b"<html><body>404 Not Found</body></html>", "text/html")

    def _control(self, path: str, body: bytes) -> None:
        """Test/demo controls for other processes (curl). Not in the real service; never faulted or logged."""
        sim, verb = self.sim, (self.command, path.rstrip("/"))
        if verb == ("POST", "/_sim/faults"):
            try:
                params = json.loads(body or b"{}")
                kind, count = params.pop("kind", ""), params.pop("count", 1)
                sim.faults.inject(str(kind), count, **params)
            except (ValueError, TypeError, AttributeError) as exc:
                self.send(400, envelope(400, str(exc)))
                return
        elif verb in (("DELETE", "/_sim/faults"), ("POST", "/_sim/faults/clear")):
            sim.faults.clear()
        elif verb == ("POST", "/_sim/finish_all"):
            sim.finish_all()
        elif verb == ("POST", "/_sim/contract"):
            try:
                sim.service.set_contract(str(json.loads(body or b"{}").get("contract", "")))
            except (ValueError, TypeError, AttributeError) as exc:
                self.send(400, envelope(400, str(exc)))
                return
        elif verb in (("DELETE", "/_sim/requests"), ("POST", "/_sim/requests/clear")):
            sim.clear_requests()
        elif verb == ("GET", "/_sim/requests"):
            self.send(200, json.dumps([r.to_json() for r in sim.requests_snapshot()]).encode())
            return
        elif verb == ("GET", "/_sim/tasks"):
            tasks = [sim.service.status_data(t) for t in sim.service.tasks()]
            self.send(200, envelope(200, "success", tasks))
            return
        elif verb != ("GET", "/_sim/faults"):
            self.send(404, envelope(404, f"Unknown control {self.command} {path}"))
            return
        self.send(200, envelope(200, "success", {"faults": sim.faults.snapshot()}))


class CdnHandler(_Handler):
    origin = "cdn"

    def handle_request(self, path: str, body: bytes) -> None:
        if self.apply_request_faults():
            return
        if self.command not in ("GET", "HEAD"):
            self.send(405, b"method not allowed", "text/plain", {"Allow": "GET, HEAD"})
            return
        video = re.fullmatch(r"/videos/(task_[0-9a-f]+)(?:\.mp4|/[^/]+)", path)
        blob = re.fullmatch(r"/blob/(\d{1,12})\.mp4", path)
        if video:
            task = self.sim.service.downloadable(video.group(1))
            if task is None:
                self.send(404, b"<html><body>404 Not Found</body></html>", "text/html")
            elif task.not_video:
                self.send(200, b"<!doctype html><html><body>Link expired or invalid.</body></html>", "text/html")
            else:
                clip = self.sim.video(task)  # its own clip: the asked size, length and model's frame rate
                self._serve(len(clip), lambda start, n: clip[start : start + n])
        elif blob:
            self._serve(int(blob.group(1)), blob_bytes)
        else:
            self.send(404, b"<html><body>404 Not Found</body></html>", "text/html")

    def _serve(self, size: int, read: Callable[[int, int], bytes]) -> None:
        """Stream [start, end] of a `size`-byte file in chunks, honouring `Range: bytes=…` like a real CDN."""
        start, end, status = 0, size - 1, 200
        spec = (self.headers.get("Range") or "").strip()
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", spec)
        if match and match.group(1) + match.group(2):
            first, last = match.groups()
            if first:
                start, end = int(first), min(int(last), size - 1) if last else size - 1
            else:  # suffix range: the last N bytes
                start = max(0, size - int(last))
            if start >= size or start > end:
                self.send(416, b"", "text/plain", {"Content-Range": f"bytes */{size}"})
                return
            status = 206
        length = end - start + 1 if size else 0
        cut = self.sim.faults.take("truncate_download") if self.command == "GET" else None
        limit = length if cut is None else min(length, int(cut.get("after_bytes", length // 2)))
        self.send_response(status)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self.command == "HEAD":
            return
        sent = 0
        while sent < limit:
            step = min(CHUNK, limit - sent)
            self.wfile.write(read(start + sent, step))
            sent += step
        if limit < length:
            self.close_connection = True  # promised Content-Length, delivered less: the client must notice
