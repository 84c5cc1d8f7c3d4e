"""The stand-in's image host for demo mode: POST an image to /_sim/uploads, get back a loopback URL that serves it,
which the stand-in's own reference-image checks (images.py) fetch like any other. Not part of the real service."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sora2_desktop.sim.handlers import _Handler

UPLOADS_PATH = "/_sim/uploads"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the service's own limit for a reference image
KEPT_UPLOADS = 64  # a demo session's start images; the oldest go first
_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


def image_type(data: bytes) -> str | None:
    """The image type the first bytes show (PNG, JPEG, WebP), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


class UploadStore:
    """Uploaded images in memory by name (a content hash: the same image twice is one entry). Thread-safe: the
    origin's handler threads put and read."""

    def __init__(self, kept: int = KEPT_UPLOADS) -> None:
        self._kept = kept
        self._images: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.fetched: list[str] = []  # names in the order they were fetched (GET), for tests and the curious

    def put(self, data: bytes, mime: str) -> str:
        name = hashlib.sha256(data).hexdigest()[:32] + _TYPES[mime]
        with self._lock:
            self._images[name] = (data, mime)
            self._images.move_to_end(name)
            while len(self._images) > self._kept:
                self._images.popitem(last=False)
        return name

    def get(self, name: str) -> tuple[bytes, str] | None:
        with self._lock:
            return self._images.get(name)

    def note_fetch(self, name: str) -> None:
        with self._lock:
            self.fetched.append(name)

    def names(self) -> list[str]:
        with self._lock:
            return list(self._images)


def handle_upload(handler: _Handler, path: str, body: bytes) -> None:
    """Answer a request under UPLOADS_PATH: POST/PUT the image's bytes → 201 {"url": …}; GET/HEAD a name → the
    image; anything else → 404/405/413/415 with a word on why."""
    sim = handler.sim
    name = path[len(UPLOADS_PATH) :].strip("/")
    if not name:
        if handler.command not in ("POST", "PUT"):
            handler.send(405, _error("POST the image's bytes here"), headers={"Allow": "POST, PUT"})
            return
        mime = image_type(body)
        if len(body) > MAX_UPLOAD_BYTES:
            handler.send(413, _error("the image is larger than 10 MB"))
        elif mime is None:
            handler.send(415, _error("not a PNG, JPEG or WebP image"))
        else:
            stored = sim.uploads.put(body, mime)
            handler.send(201, json.dumps({"url": f"{sim.uploads_url}/{stored}"}).encode())
        return
    found = sim.uploads.get(name)
    if handler.command not in ("GET", "HEAD"):
        handler.send(405, _error("images are read with GET"), headers={"Allow": "GET, HEAD"})
    elif found is None:
        handler.send(404, _error(f"no uploaded image {name}"))
    else:
        if handler.command == "GET":
            sim.uploads.note_fetch(name)
        handler.send(200, found[0], found[1])


def _error(message: str) -> bytes:
    return json.dumps({"error": message}).encode()
