"""The log's secret filter: a registered key never reaches the log file or stderr, however the record carries it."""

from __future__ import annotations

import importlib.util
import io
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.core.runtime import logging_setup
from sora2_desktop.core.runtime.logging_setup import register_secret, setup_logging

HIDDEN = "<hidden>"
# Keys of several lengths: the shortest the filter accepts, a short token, an APIXO-like key, a long JWT-like one.
KEYS = ["k9Xq", "tok-5d1e0a77b2c3", "sk-apixo-" + "0123456789abcdef" * 2 + "ZZ", "eyJhbGciOi." + "x7Q" * 60]


@dataclass
class AppLog:
    """The app's own log set-up (file and stderr handlers) on a temporary profile, and what each one wrote."""

    path: Path
    stderr: io.StringIO
    handlers: list[logging.Handler]  # the ones setup_logging installed on the root logger
    # A module logger of the app's, as real records come from: the filter must sit on the handlers, not on one logger.
    logger: logging.Logger

    def written(self) -> dict[str, str]:
        for handler in logging.getLogger().handlers:
            handler.flush()
        return {"file": self.path.read_text(encoding="utf-8"), "stderr": self.stderr.getvalue()}


@pytest.fixture
def app_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppLog]:
    # Secrets registered here stay out of every other test: the registry is process-wide by design.
    monkeypatch.setattr(logging_setup, "_known_secrets", set())
    root = logging.getLogger()
    saved_levels = {name: logging.getLogger(name).level for name in ("", "httpx", "httpcore")}
    path = setup_logging(tmp_path / "logs", verbose=True)  # verbose: stderr gets every level, as the file does
    ours = [h for h in root.handlers if getattr(h, "_sora2", False)]
    (stderr_handler,) = [h for h in ours if type(h) is logging.StreamHandler]
    # The handler keeps the stream it found; pytest swaps sys.stderr between phases, so give it one that stays.
    stderr = io.StringIO()
    stderr_handler.setStream(stderr)
    try:
        yield AppLog(path, stderr, ours, logging.getLogger("sora2_desktop.api.client"))
    finally:
        for handler in ours:
            root.removeHandler(handler)
            handler.close()
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)


def assert_hidden(written: dict[str, str], secret: str, expected_records: int = 1) -> None:
    for where, text in written.items():
        assert secret not in text, f"the secret reached {where}:\n{text}"
        # The records were written (with the secret replaced), not dropped: hiding by losing the line is no fix.
        assert text.count(HIDDEN) >= expected_records, f"{where} lacks the redacted record:\n{text}"


@pytest.mark.parametrize("secret", KEYS, ids=lambda key: f"{len(key)}-chars")
def test_a_registered_key_is_hidden_in_message_and_args_of_every_shape(app_log: AppLog, secret: str) -> None:
    register_secret(secret)
    log = app_log.logger
    log.warning(f"sending with key {secret}")  # already in the message
    log.warning("sending with key %s", secret)  # in the args
    log.warning("headers: %r", {"Authorization": secret})  # in the repr of an arg
    log.warning("key %(key)s refused", {"key": secret})  # in a mapping of args
    log.warning("glued:%s.", "abc" + secret + "def")  # no separator around it
    log.error("request failed: %s", PermissionError(f"key {secret} was refused"))  # an exception's str as an arg
    log.error(ValueError(f"bad key {secret}"))  # an exception as the message itself
    assert_hidden(app_log.written(), secret, expected_records=7)


def test_a_bearer_header_is_hidden_even_when_its_key_was_never_registered(app_log: AppLog) -> None:
    app_log.logger.info("GET /status Authorization: Bearer sk-never-registered-42 (retry 2)")
    app_log.logger.info("headers %s", {"authorization": "bearer sk-never-registered-42"})
    written = app_log.written()
    assert_hidden(written, "sk-never-registered-42", expected_records=2)
    assert f"Authorization: Bearer {HIDDEN} (retry 2)" in written["file"]


def test_only_the_secret_is_cut_the_rest_of_the_line_stays(app_log: AppLog) -> None:
    register_secret(KEYS[2])
    app_log.logger.warning("task 41 submit refused with key %s (HTTP 401)", KEYS[2])
    text = app_log.written()["file"]
    assert f"task 41 submit refused with key {HIDDEN} (HTTP 401)" in text
    assert "WARNING sora2_desktop.api.client" in text


def test_each_handler_hides_the_key_on_its_own(app_log: AppLog) -> None:
    """Records are shared between handlers: one handler cleaning a record must not be what protects the other."""
    secret = KEYS[1]
    register_secret(secret)
    assert len(app_log.handlers) == 2
    for handler in app_log.handlers:
        record = app_log.logger.makeRecord(app_log.logger.name, logging.WARNING, __file__, 1, "key %s", (secret,), None)
        handler.handle(record)
    assert_hidden(app_log.written(), secret)


def test_a_key_registered_after_set_up_is_hidden_too(app_log: AppLog) -> None:
    """The person saves a new key in Settings while the app runs: its log lines are cleaned from then on."""
    new_key = "sk-apixo-saved-later-0123456789"
    app_log.logger.info("started")
    register_secret(new_key)
    app_log.logger.info("now using %s", new_key)
    assert_hidden(app_log.written(), new_key)


def log_from_a_line_that_holds_the_key(tmp_path: Path, secret: str) -> Callable[[logging.Logger], None]:
    """A caller whose own source line carries the key, so `stack_info` (the source of each frame) shows it."""
    module_path = tmp_path / "caller_with_key.py"
    module_path.write_text(
        f"def call(log):\n    log.warning('checking the connection', stack_info=True) or 'APIXO_API_KEY={secret}'\n",
        encoding="utf-8",
    )
    spec = importlib.util.spec_from_file_location("caller_with_key", module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    call: Callable[[logging.Logger], None] = module.call
    return call


def raise_and_log_with_exc_info(log: logging.Logger, secret: str) -> None:
    try:
        try:
            raise ConnectionError(f"proxy refused Authorization {secret}")
        except ConnectionError as cause:
            raise RuntimeError("submit failed") from cause  # the secret sits in the chained cause
    except RuntimeError:
        log.exception("request failed")


@pytest.mark.parametrize("source", ["exc_info", "stack_info"])
def test_a_registered_key_is_hidden_in_tracebacks_and_stacks(app_log: AppLog, tmp_path: Path, source: str) -> None:
    secret = KEYS[2]
    register_secret(secret)
    if source == "exc_info":
        raise_and_log_with_exc_info(app_log.logger, secret)
    else:
        log_from_a_line_that_holds_the_key(tmp_path, secret)(app_log.logger)
    written = app_log.written()
    # The traceback or stack itself must still be there: dropping it would hide the secret and the bug with it.
    assert ("ConnectionError" if source == "exc_info" else "Stack (most recent call last)") in written["file"]
    assert_hidden(written, secret, expected_records=1)


def test_a_secret_that_begins_another_does_not_leave_the_longer_ones_tail(app_log: AppLog) -> None:
    """Two keys where one is a prefix of the other (an old key and its longer successor): the longer goes whole."""
    short, long = "sk-apixo-0123", "sk-apixo-0123-and-a-longer-tail-9876"
    register_secret(short)
    register_secret(long)
    app_log.logger.warning("keys %s and %s", long, short)
    text = app_log.written()["file"]
    assert "and-a-longer-tail" not in text and short not in text
    assert f"keys {HIDDEN} and {HIDDEN}" in text


def test_a_traceback_already_formatted_by_another_handler_is_cleaned_too(app_log: AppLog) -> None:
    """A record whose exc_text was filled before our filters ran (another handler formatted it first)."""
    secret = KEYS[1]
    register_secret(secret)
    try:
        raise ValueError(f"bad key {secret}")
    except ValueError:
        record = app_log.logger.makeRecord(
            app_log.logger.name, logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    record.exc_text = logging.Formatter().formatException(record.exc_info)  # type: ignore[arg-type]
    for handler in app_log.handlers:
        handler.handle(record)
    written = app_log.written()
    assert "ValueError" in written["file"]
    assert_hidden(written, secret)


class _WatchedStream:
    """The log file's stream, noting which thread writes to it."""

    def __init__(self, stream: Any, writers: list[str]) -> None:
        self._stream = stream
        self._writers = writers

    def write(self, text: str) -> int:
        self._writers.append(threading.current_thread().name)
        return int(self._stream.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def test_the_log_file_is_written_by_its_own_thread_never_the_callers(app_log: AppLog) -> None:
    (file_handler,) = [h for h in app_log.handlers if isinstance(h, logging.FileHandler)]
    writers: list[str] = []
    file_handler.stream = _WatchedStream(file_handler.stream, writers)  # type: ignore[assignment]
    for number in range(50):
        app_log.logger.info("task %d submitted", number)
    text = app_log.written()["file"]  # flush() returns once every record before it is on disk
    assert all(f"task {number} submitted" in text for number in range(50))
    assert len(writers) >= 50 and set(writers) == {"log-writer"}
    assert threading.current_thread().name not in writers


class _StuckStream(_WatchedStream):
    """A disk that holds the first write until let go."""

    def __init__(self, stream: Any, writers: list[str]) -> None:
        super().__init__(stream, writers)
        self.writing = threading.Event()
        self.let_go = threading.Event()

    def write(self, text: str) -> int:
        if not self.writing.is_set():
            self.writing.set()
            self.let_go.wait()
        return super().write(text)


def test_a_log_call_does_not_wait_for_a_write_the_disk_holds(app_log: AppLog) -> None:
    (file_handler,) = [h for h in app_log.handlers if isinstance(h, logging.FileHandler)]
    stuck = _StuckStream(file_handler.stream, [])
    file_handler.stream = stuck  # type: ignore[assignment]
    app_log.logger.info("first, held by the disk")
    assert stuck.writing.wait(30)  # the writer is inside the write now, with the handler's lock
    logged = threading.Event()
    caller = threading.Thread(target=lambda: (app_log.logger.info("second, from the GUI thread"), logged.set()))
    caller.start()
    returned = logged.wait(30)  # a caller that needed the writer's lock would wait until the disk let go
    stuck.let_go.set()
    caller.join()
    assert returned
    text = app_log.written()["file"]
    assert text.index("first, held by the disk") < text.index("second, from the GUI thread")


def test_a_flush_under_the_handlers_lock_still_returns(app_log: AppLog) -> None:
    """logging.shutdown() at exit flushes each handler while holding its lock: the writer must not need it."""
    (file_handler,) = [h for h in app_log.handlers if isinstance(h, logging.FileHandler)]
    flushed = threading.Event()

    def shutdown_like() -> None:
        file_handler.acquire()
        try:
            app_log.logger.info("the last line before exit")
            file_handler.flush()
        finally:
            file_handler.release()
        flushed.set()

    caller = threading.Thread(target=shutdown_like, daemon=True)
    caller.start()
    assert flushed.wait(30)  # a writer waiting for the handler's lock would never let flush() return
    assert "the last line before exit" in app_log.path.read_text(encoding="utf-8")
