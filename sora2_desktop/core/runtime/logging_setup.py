"""Logging: a rotating log file in the profile, with anything that looks like a secret scrubbed out."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
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
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
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
