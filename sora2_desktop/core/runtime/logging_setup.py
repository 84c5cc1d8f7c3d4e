"""Logging: a rotating log file in the profile, with anything that looks like a secret scrubbed out."""

from __future__ import annotations

import logging
import logging.handlers
import queue
import re
import sys
import threading
from pathlib import Path

_BEARER = re.compile(r"(?i)(bearer\s+)[^\s'\"]+")
_known_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Any log record that somehow contains this exact string gets it replaced; a second line of defence."""
    if len(value) >= 4:
        _known_secrets.add(value)


def redact(text: str) -> str:
    """The text with bearer tokens and every registered secret replaced by `<hidden>`."""
    cleaned = _BEARER.sub(r"\1<hidden>", text)
    # Longest first: a secret that is a prefix of another must not cut the longer one and leave its tail behind.
    for secret in sorted(_known_secrets, key=len, reverse=True):
        cleaned = cleaned.replace(secret, "<hidden>")
    return cleaned


class RedactingFilter(logging.Filter):
    """Cleans the message, the traceback text and the stack text of each record before a handler formats it.

    Why the traceback is formatted here: a Formatter turns `exc_info` into text only after the filters ran, so
    a filter that looked at the message alone let a key in an exception's str (or a chained cause's) through.
    Formatting it into `exc_text` now, then cleaning that, means the Formatter reuses the cleaned text."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class BackgroundFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log file, written by a thread of its own. A record costs the GUI thread a stat or two, a
    write and a flush: each waits for the disk when it is busy (another program copying footage), and with
    1,000 tasks in flight the app logs thousands of lines. The caller's thread filters (the secrets) and formats
    the line; the writer only writes (records formatted on it crashed a later QMessageBox() in the test suite,
    likely PySide's import hook, which formatting reaches, run off the GUI thread). `flush()` returns once every
    line before it is written."""

    def __init__(self, path: Path, **kwargs: object) -> None:
        super().__init__(path, **kwargs)  # type: ignore[arg-type]
        self._lines: queue.Queue[str | None] = queue.Queue()
        # The stream's own lock, not the handler's: logging.shutdown() holds that one while it flushes (waits for
        # the writer), and a writer that needed it too would never finish.
        self._stream_lock = threading.Lock()
        self._writer = threading.Thread(target=self._write, name="log-writer", daemon=True)
        self._writer.start()

    def handle(self, record: logging.LogRecord) -> bool:
        # Without the handler's lock: filtering and queueing are safe from any thread, and no caller waits there.
        accepted = bool(self.filter(record))
        if accepted:
            self.emit(record)
        return accepted

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._lines.put(self.format(record) + self.terminator)
        except Exception:
            self.handleError(record)

    def flush(self) -> None:
        if threading.current_thread() is not self._writer:
            self._lines.join()
        with self._stream_lock:
            if self.stream is not None:
                self.stream.flush()

    def close(self) -> None:
        if self._writer.is_alive():
            self._lines.put(None)
            self._writer.join()
        super().close()

    def _write(self) -> None:
        while (line := self._lines.get()) is not None:
            try:
                with self._stream_lock:
                    self._write_line(line)
            except OSError:  # a full disk or a vanished folder: the line is lost, the app goes on
                pass
            finally:
                self._lines.task_done()
        self._lines.task_done()

    def _write_line(self, line: str) -> None:
        if self.stream is None:
            self.stream = self._open()
        if self.maxBytes > 0:
            self.stream.seek(0, 2)  # the end: tell() after a seek is the file's size
            if self.stream.tell() + len(line) >= self.maxBytes:
                self.doRollover()
        self.stream.write(line)
        self.stream.flush()


def setup_logging(logs_dir: Path, *, verbose: bool = False) -> Path:
    """Logs to `logs_dir/sora2-desktop.log` (5 × 1 MB) and to stderr; returns the file's path."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    path = logs_dir / "sora2-desktop.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_sora2", False):
            root.removeHandler(handler)
            handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = BackgroundFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    stream_handler = logging.StreamHandler(sys.stderr)
    stream_handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    handlers: list[logging.Handler] = [file_handler, stream_handler]
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(RedactingFilter())
        handler._sora2 = True  # type: ignore[attr-defined]  # marks ours: a second setup replaces, not doubles
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # httpx logs every request URL at INFO; URLs carry no key, but keep the file about the app.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return path
