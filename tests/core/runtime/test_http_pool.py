"""HttpPool: one client, made by whichever thread asks first (a worker at start-up), never twice."""

from __future__ import annotations

import asyncio
import threading

from sora2_desktop.core.runtime.http_pool import HttpPool


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
