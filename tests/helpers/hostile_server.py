"""HostileServer: a loopback HTTP server speaking the APIXO protocol whose answers a test scripts one by one."""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

SUBMIT_PATH = "/api/v1/generateTask/sora-2"
STATUS_PATH = "/api/v1/statusTask/sora-2"
# How long a "hang" answer holds the request at most (a test releases it sooner, or the client times out).
HANG_S = 30.0
# A header name (never sent) that makes the answer go without Content-Length, ended by closing the connection.
NO_LENGTH = "X-Test-No-Length"


@dataclass(frozen=True)
class Answer:
    """One scripted answer. `action`: "answer" sends it; "drop" closes the connection without a byte; "hang"
    reads the request, then says nothing until released (the client's read timeout fires), then answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    action: Literal["answer", "drop", "hang"] = "answer"

    @staticmethod
    def json(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
        return Answer(status, json.dumps(document).encode(), {"Content-Type": "application/json", **(headers or {})})

    @staticmethod
    def envelope(code: int, message: str, data: Any = None, **kw: Any) -> Answer:
        return Answer.json({"code": code, "message": message, "data": data}, **kw)

    @staticmethod
    def raw(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
        return Answer(status, body, dict(headers or {}))

    @staticmethod
    def drop() -> Answer:
        return Answer(action="drop")

    @staticmethod
    def hang(then: Answer | None = None) -> Answer:
        then = then or Answer()
        return Answer(then.status, then.body, then.headers, action="hang")


def status_data(task_id: str, state: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"taskId": task_id, "state": state, **extra}
    if state == "success" and "resultJson" not in extra:
        data["resultJson"] = json.dumps({"resultUrls": [f"https://cdn.example/{task_id}.mp4"]})
    return data


class HostileServer:
    """Without a script a task walks pending → processing → success, one state per poll; `script_submit` and
    `script_status(task_id, …)` queue answers that replace the next ones; `forget(task_id)` answers 404 for it
    from then on. `submits` counts the POSTs that arrived, `polls` the status queries per taskId."""

    def __init__(self, port: int = 0) -> None:
        self._lock = threading.Lock()
        self._submit_script: deque[Answer] = deque()
        self._status_scripts: dict[str, deque[Answer]] = {}
        self._forgotten: set[str] = set()
        self._held: dict[str, str] = {}
        self._released = threading.Event()
        self.submits = 0
        self.polls: Counter[str] = Counter()  # status queries answered by the normal walk
        self.queries: Counter[str] = Counter()  # every status query that arrived, per taskId
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ----------------------------------------------------------------------------------------

    def start(self) -> HostileServer:
        server = ThreadingHTTPServer(("127.0.0.1", self._port), _make_handler(self))
        server.daemon_threads = True
        server.handle_error = lambda request, address: None  # type: ignore[method-assign]  (clients hang up)
        self._server = server
        self._port = server.server_address[1]
        self._released.clear()
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True, name="hostile")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (new connections are refused); the port is kept for a `start()` again."""
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def release(self) -> None:
        """Let every hanging answer go out now."""
        self._released.set()

    # -- scripting -----------------------------------------------------------------------------------------

    def script_submit(self, *answers: Answer) -> None:
        with self._lock:
            self._submit_script.extend(answers)

    def script_status(self, task_id: str, *answers: Answer) -> None:
        with self._lock:
            self._status_scripts.setdefault(task_id, deque()).extend(answers)

    def hold(self, task_id: str, state: str | None) -> None:
        """Answer `state` for `task_id` on every query until hold(task_id, None)."""
        with self._lock:
            if state is None:
                self._held.pop(task_id, None)
            else:
                self._held[task_id] = state

    def forget(self, task_id: str) -> None:
        with self._lock:
            self._forgotten.add(task_id)

    # -- answering (server threads) ------------------------------------------------------------------------

    def answer_submit(self) -> Answer:
        with self._lock:
            self.submits += 1
            task_id = f"task_{self.submits:04d}"
            if self._submit_script:
                return self._submit_script.popleft()
        return Answer.envelope(200, "success", {"taskId": task_id})

    def answer_status(self, task_id: str) -> Answer:
        with self._lock:
            self.queries[task_id] += 1
            script = self._status_scripts.get(task_id)
            if script:
                return script.popleft()
            if task_id in self._held:
                return Answer.envelope(200, "success", status_data(task_id, self._held[task_id]))
            if task_id in self._forgotten:
                return Answer.envelope(404, f"Task not found: {task_id}", status=404)
            n = self.polls[task_id]
            self.polls[task_id] += 1
        state = ("pending", "processing", "success")[min(n, 2)]
        return Answer.envelope(200, "success", status_data(task_id, state))

    def wait_released(self) -> None:
        self._released.wait(HANG_S)


def _make_handler(owner: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if urlsplit(self.path).path != SUBMIT_PATH:
                self._send(Answer.envelope(404, "no such route", status=404))
                return
            self._send(owner.answer_submit())

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            task_id = (parse_qs(parts.query).get("taskId") or [""])[0]
            if parts.path != STATUS_PATH or not task_id:
                self._send(Answer.envelope(404, "no such route", status=404))
                return
            self._send(owner.answer_status(task_id))

        def _send(self, answer: Answer) -> None:
            if answer.action == "drop":
                self.close_connection = True
                return
            if answer.action == "hang":
                owner.wait_released()
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    if name != NO_LENGTH:
                        self.send_header(name, value)
                if NO_LENGTH in answer.headers:
                    # The body's end is the connection's end: the client cannot know the size beforehand.
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except OSError:
                self.close_connection = True  # the client stopped reading (a capped body): expected here

    return Handler
