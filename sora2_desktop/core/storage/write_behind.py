"""WriteBehind: the database's writes that a coroutine can wait for, run in order on a thread with its own
connection, so the GUI thread does not wait for the disk meanwhile."""

from __future__ import annotations

import collections
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from typing import Any, NamedTuple, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

# A commit is a write() into the WAL. On a busy disk (another program copying footage; on the benchmark machine,
# other jobs) that write waited 0.1-1 s for the kernel (benchmarks/README.md): the GUI thread must not be the one
# waiting. The runner's poll answers are the bulk of the writes while tasks are in flight: they come here.


class WriteBehind:
    """One thread, one connection, a queue. `post()` returns at once with a Future of what `then` makes of the
    statement's rows; statements run in the order posted. `drain()` waits until every posted statement is done:
    the database's own (GUI-thread) connection drains before it writes, so the two never write out of order and
    never wait on each other's lock. A write posted with a `key` (a download's task) can be waited for alone:
    `drain_key`, for a reader that must see it."""

    def __init__(self, path: str, pragmas: Sequence[str]) -> None:
        self._path = path
        self._pragmas = list(pragmas)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._idle = threading.Condition()
        self._pending = 0  # posted and not yet done; read and written under `_idle`
        self._keyed: collections.Counter[Hashable] = collections.Counter()  # the same, by key; under `_idle`
        self._thread: threading.Thread | None = None

    def set_pragma(self, statement: str) -> None:
        """A PRAGMA for this connection too (per-connection settings such as wal_autocheckpoint)."""
        self._pragmas.append(statement)
        if self._thread is not None:
            self.post(statement, (), lambda rows: None)

    def post(
        self, sql: str, params: Sequence[object], then: Callable[[list[Any]], T], key: Hashable | None = None
    ) -> Future[T]:
        """Run `sql` on the writer's connection after everything posted before; the Future holds `then(rows)`
        (called on the writer thread: keep it to plain data) or the statement's exception."""
        done: Future[T] = Future()
        done.set_running_or_notify_cancel()  # a write is never dropped: a waiter that gives up cannot cancel it
        with self._idle:
            self._pending += 1
            if key is not None:
                self._keyed[key] += 1
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="database-writer", daemon=True)
            self._thread.start()
        self._jobs.put(_Job(sql, params, then, done, key))
        return done

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def drain(self) -> None:
        """Wait until everything posted is written (at once when nothing is)."""
        if not self._pending:
            return
        with self._idle:
            self._idle.wait_for(lambda: self._pending == 0)

    def drain_key(self, key: Hashable) -> None:
        """Wait until every write posted with `key` is written (at once when none is pending)."""
        if not self._keyed.get(key):
            return
        with self._idle:
            self._idle.wait_for(lambda: not self._keyed.get(key))

    def close(self) -> None:
        """Write what is posted, then close the connection and end the thread."""
        if self._thread is None:
            return
        self._jobs.put(None)
        self._thread.join()
        self._thread = None

    def _run(self) -> None:
        db: sqlite3.Connection | None = None
        failure: Exception | None = None
        try:
            db = sqlite3.connect(self._path, isolation_level=None)
            for pragma in self._pragmas:
                db.execute(pragma)
        except Exception as error:  # every write posted fails with it: none waits forever
            log.warning("the database writer could not open %s: %s", self._path, error)
            failure = error
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    if db is None or failure is not None:
                        raise failure or RuntimeError("no connection")
                    job.done.set_result(job.then(db.execute(job.sql, job.params).fetchall()))
                except Exception as error:  # handed to whoever waits on it
                    job.done.set_exception(error)
                finally:
                    with self._idle:
                        self._pending -= 1
                        if job.key is not None:
                            self._keyed[job.key] -= 1
                            if not self._keyed[job.key]:
                                del self._keyed[job.key]
                        self._idle.notify_all()
        finally:
            if db is not None:
                db.close()


class _Job(NamedTuple):
    sql: str
    params: Sequence[object]
    then: Callable[[list[Any]], Any]
    done: Future[Any]
    key: Hashable | None
