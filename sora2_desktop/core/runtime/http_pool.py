"""HttpPool: the app's one HTTP connection pool (API, image checks, downloads), made when first needed or ahead of
that in a worker thread: importing httpx and building its TLS context take ~0.1 s of whichever thread makes it."""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

# What httpcore imports at the first connection, not when httpx is imported: 37-49 ms of whichever thread makes the
# first request, the GUI thread's unless a worker imported them ahead (benchmarks/README.md).
FIRST_REQUEST_MODULES = ("httpcore._backends.anyio", "anyio._backends._asyncio", "sniffio")


class HttpPool:
    def __init__(self) -> None:
        self._client: httpx.AsyncClient | None = None
        self._lock = threading.Lock()  # a worker may be making it while the GUI thread asks for it

    def client(self) -> httpx.AsyncClient:
        """The pool, made now if no one has made it yet. No event loop is bound until the first request."""
        with self._lock:
            if self._client is None:
                import httpx

                self._client = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=False)
            return self._client

    def warm(self) -> None:
        """Make the pool now, on the calling (worker) thread, and import what its first request would, so the
        GUI thread's first request finds both done."""
        self.client()
        for name in FIRST_REQUEST_MODULES:
            importlib.import_module(name)

    async def aclose(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            await client.aclose()
