"""How a start connects once its window is whole (app.py `_connect`): with the keychain's key only after the HTTP pool
is made (connecting takes the pool's lock, which the GUI thread would wait on), and a key gone from the keychain
brings the welcome page without waiting for the pool (issue 13)."""

from __future__ import annotations

import asyncio
from typing import Any

from sora2_desktop.api import ApiKey
from sora2_desktop.app import _connect

KEY = ApiKey("sk-stored-0123456789")


class Window:
    """What `_connect` asks of the main window, recorded in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def activate(self, *, demo: bool = False) -> None:
        self.calls.append(("activate", demo))

    def key_answered(self, key: ApiKey | None) -> None:
        self.calls.append(("key_answered", key))


def connect_while_the_pool_is_made(*, demo: bool, key: ApiKey | None) -> tuple[list[Any], list[Any]]:
    """The window's calls while the pool is still being made, and after it is."""

    async def run() -> tuple[list[Any], list[Any]]:
        window, loop = Window(), asyncio.get_running_loop()
        pool: asyncio.Future[None] = loop.create_future()
        answer: asyncio.Future[ApiKey | None] = loop.create_future()
        answer.set_result(key)
        connecting = asyncio.ensure_future(_connect(window, demo=demo, key=None if demo else answer, pool=pool))  # type: ignore[arg-type]
        for _ in range(5):
            await asyncio.sleep(0)
        before = list(window.calls)
        pool.set_result(None)
        await asyncio.wait_for(connecting, 5)
        return before, window.calls

    return asyncio.run(run())


def test_a_stored_key_connects_only_once_the_pool_is_made() -> None:
    before, after = connect_while_the_pool_is_made(demo=False, key=KEY)
    assert before == []
    assert after == [("key_answered", KEY)]


def test_a_key_gone_from_the_keychain_brings_the_welcome_page_without_waiting_for_the_pool() -> None:
    before, after = connect_while_the_pool_is_made(demo=False, key=None)
    assert before == [("key_answered", None)]
    assert after == before


def test_demo_mode_connects_once_the_pool_is_made() -> None:
    before, after = connect_while_the_pool_is_made(demo=True, key=None)
    assert before == []
    assert after == [("activate", True)]


def test_no_pool_coming_connects_with_what_the_keychain_said() -> None:
    async def run() -> list[Any]:
        window = Window()
        answer: asyncio.Future[ApiKey | None] = asyncio.get_running_loop().create_future()
        answer.set_result(KEY)
        await _connect(window, demo=False, key=answer, pool=None)  # type: ignore[arg-type]
        return window.calls

    assert asyncio.run(run()) == [("key_answered", KEY)]
