"""Shared fixtures: `sim` and `sim_factory` (the local stand-in of the service, on a clock the test moves) and
`run_async` (a coroutine on the same qasync loop the app uses). Helpers they use live in tests/helpers/."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

# Headless by default, and PySide6 even where PyQt is installed too (qasync would pick PyQt first).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
# No app a test starts (in this process or as a child) reads the service's model index on the internet.
os.environ["SORA2_MODELS_URL"] = ""

import pytest
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from tests.helpers.sim import ManualSim, start_manual_sim


def _qt_message_between_tests(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's warnings and worse while pytest-qt captures none (between tests), written as Qt's own handler writes
    them; its debug and info lines (FFmpeg's stream dumps) are left out."""
    if kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
        sys.stderr.write(f"{message}\n")


# Installed for the whole run, so pytest-qt's capture, which installs its handler for each test, puts this one back
# after it instead of none. PySide6's message trampoline reads the Python handler once it holds the GIL: a warning
# from a Qt thread (FFmpeg's audio renderer, a player torn down at the test's end) waiting there while pytest-qt
# restored "no handler" called a null handler: the segfault CI hit in tests/e2e/test_results.py, caught under gdb as
# _PyObject_Call(callable=0x0) below QMessageLogger::warning on thread "QFFmpeg::AudioR".
qInstallMessageHandler(_qt_message_between_tests)


@pytest.fixture
def sim() -> Iterator[ManualSim]:
    """API at `sim.api_base`, videos at `sim.cdn_base`; any non-empty Bearer key works; speed 1, frozen clock.

    A 10 s task is `pending` for 3-15 s, then `processing`, and ends within 300 s of clock time (15 s: 360 s).
    `sim.clock.advance(s)`, `sim.finish_all()`, `sim.faults.inject(kind, count, **params)`, `sim.requests`.
    """
    server = start_manual_sim()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sim_factory() -> Iterator[Callable[..., ManualSim]]:
    """`sim_factory(require_key="k", rate_limit_per_minute=5, speed=10, ...)`: more stand-ins, stopped after."""
    started: list[ManualSim] = []

    def make(**options: Any) -> ManualSim:
        server = start_manual_sim(**options)
        started.append(server)
        return server

    try:
        yield make
    finally:
        for server in started:
            server.stop()


T = TypeVar("T")


@pytest.fixture(autouse=True)
def _watchdog(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test stuck inside Qt's C++ holds the GIL, so pytest-timeout's Python timer never runs: faulthandler's
    own C thread dumps every stack and ends the run instead of letting CI hang until its limit."""
    import faulthandler

    marker = request.node.get_closest_marker("timeout")
    seconds = float(marker.args[0]) if marker and marker.args else 300.0
    faulthandler.dump_traceback_later(seconds + 60, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(qapp: Any) -> Iterator[None]:
    """As in the app (MainThreadGC): cycles are collected here, between tests, never from a worker thread."""
    from sora2_desktop.core.runtime.main_thread_gc import MainThreadGC

    collector = MainThreadGC(interval_ms=100)
    try:
        yield
    finally:
        collector.stop()
        gc.collect()


@pytest.fixture
def run_async(qapp: Any) -> Iterator[Callable[[Coroutine[Any, Any, T]], T]]:
    """Runs a test's coroutine on a fresh qasync loop: Qt events and asyncio tasks progress together, as in the app.

    As in the app, the loop stays the running loop for the whole test, not only inside `run(...)`: Qt events that
    pytest-qt or a widget's close process between two runs step the app's background tasks (a download in flight)
    too, and without a running loop those die mid-request and leak their socket. (So a test using it cannot also
    call asyncio.run: a loop is already running.)"""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)

    def run(coro: Coroutine[Any, Any, T]) -> T:
        # Not qasync's run_until_complete: after its loop stops it processes Qt's events "one last time" with no
        # running loop, and a task stepped there (a download's retry timer) dies of "no running event loop" half-way,
        # leaking its socket to a later test's garbage collection. run_forever leaves no such pass; qasync sets and
        # clears the running loop itself around it, and between runs it is set again here.
        future = asyncio.ensure_future(coro, loop=loop)
        future.add_done_callback(lambda _done: loop.stop())
        asyncio.events._set_running_loop(None)
        try:
            loop.run_forever()
        finally:
            asyncio.events._set_running_loop(loop)
        if not future.done():
            future.cancel()
            raise RuntimeError("the event loop stopped before the test's coroutine finished")
        return future.result()

    asyncio.events._set_running_loop(loop)
    try:
        yield run
    finally:
        # What the test left running is cancelled and let unwind (closing its connections) before the loop goes.
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            run(asyncio.wait(pending))
        asyncio.events._set_running_loop(None)
        loop.close()
        asyncio.set_event_loop(None)


from tests.helpers.keychain import memory_keyring  # noqa: E402,F401  (fixtures shared by every folder)
from tests.helpers.storage import s3_server  # noqa: E402,F401
