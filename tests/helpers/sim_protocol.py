"""Small helpers shared by the stand-in's tests: request bodies, submit/status calls, a loopback web server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

KEY = "test-key"
SUBMIT = "/api/v1/generateTask/sora-2"
STATUS = "/api/v1/statusTask/sora-2"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def body(**input_fields: Any) -> dict[str, Any]:
    """A valid text-to-video submit body; keyword arguments override `input` fields."""
    fields: dict[str, Any] = {"mode": "text-to-video", "prompt": "a slow dolly in", "duration": 10}
    fields.update(input_fields)
    return {"request_type": "async", "provider": "auto", "input": fields}


def submit(api: httpx.Client, payload: dict[str, Any] | None = None) -> str:
    answer = api.post(SUBMIT, json=payload or body())
    assert answer.status_code == 200, answer.text
    return str(answer.json()["data"]["taskId"])


def status(api: httpx.Client, task_id: str) -> dict[str, Any]:
    answer = api.get(STATUS, params={"taskId": task_id})
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


def result_url(data: dict[str, Any]) -> str:
    return str(json.loads(data["resultJson"])["resultUrls"][0])


@dataclass
class Site:
    """A loopback web server for images and callbacks: `routes` maps a path to (status, content type, body)."""

    base: str = ""
    routes: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    received: list[tuple[str, str, bytes]] = field(default_factory=list)  # (method, path, body)
    arrived: threading.Event = field(default_factory=threading.Event)


@contextmanager
def loopback_site(routes: dict[str, tuple[int, str, bytes]] | None = None) -> Iterator[Site]:
    site = Site(routes=dict(routes or {}))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            site.received.append((self.command, self.path, self.rfile.read(length) if length else b""))
            status_code, ctype, payload = site.routes.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status_code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            site.arrived.set()

        do_POST = do_GET

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
