"""HttpPool: one client, made by whichever thread asks first (a worker at start-up), never twice."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from sora2_desktop.core.runtime.http_pool import HttpPool

ROOT = Path(__file__).resolve().parents[3]


def test_a_pool_made_ahead_in_a_worker_is_the_one_the_loop_gets() -> None:
    pool = HttpPool()
    worker = threading.Thread(target=pool.warm)
    worker.start()
    worker.join()
    client = pool.client()
    assert pool.client() is client and not client.is_closed
    asyncio.run(pool.aclose())
    assert client.is_closed


def test_threads_asking_at_once_share_one_client() -> None:
    pool = HttpPool()
    made: list[object] = []
    threads = [threading.Thread(target=lambda: made.append(pool.client())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in made}) == 1
    asyncio.run(pool.aclose())


def test_closing_a_pool_never_made_makes_none() -> None:
    pool = HttpPool()
    asyncio.run(pool.aclose())
    assert pool._client is None


def test_a_warmed_pool_imports_nothing_at_its_first_request() -> None:
    # A fresh interpreter: this one has imported the HTTP stack's first-request modules long ago.
    script = textwrap.dedent(
        """
        import asyncio, http.server, sys, threading
        from sora2_desktop.core.runtime.http_pool import HttpPool

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        pool = HttpPool()
        worker = threading.Thread(target=pool.warm)
        worker.start()
        worker.join()

        async def first_request() -> set[str]:
            before = set(sys.modules)
            await pool.client().head(f"http://127.0.0.1:{server.server_port}/")
            imported = set(sys.modules) - before
            await pool.aclose()
            return imported

        print(" ".join(sorted(asyncio.run(first_request()))))
        server.shutdown()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    stack = ("httpx", "httpcore", "anyio", "sniffio", "h11")
    assert [name for name in done.stdout.split() if name.split(".")[0] in stack] == []
