"""The library's file (<profile>/prompt_library.json): read whole or set aside, written atomically.

Only the person's own entries are stored; the built-in craft terms ship with the app. A file that cannot be read
as a library is never overwritten: it is renamed beside itself (`.unreadable-<time>`) with the reason logged, and
the library starts empty."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sora2_desktop.core.prompts.entry import BUILTIN_PREFIX, PromptEntry, parse_tags

log = logging.getLogger(__name__)

FILE_NAME = "prompt_library.json"
FORMAT = 1  # the document's "format"; a file from a newer app (a higher number) is set aside, not misread
PRIVATE_FILE_MODE = 0o600  # prompts are the person's work, like the history (core/config/profile.py)


class UnreadableLibrary(ValueError):
    """The file is not a library this app can read; the message says why (for the log)."""


@dataclass(frozen=True)
class Loaded:
    entries: list[PromptEntry]
    set_aside: Path | None = None  # where an unreadable file was moved to
    writable: bool = True  # False when an unreadable file could not be moved: never write over it


def load(path: Path) -> Loaded:
    """The entries stored at `path` (none when there is no file yet)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded([])
    except OSError as err:
        return _set_aside(path, f"cannot be read: {err}")
    try:
        return Loaded(parse(raw))
    except UnreadableLibrary as err:
        return _set_aside(path, str(err))


def parse(raw: bytes) -> list[PromptEntry]:
    """Raises UnreadableLibrary for anything but a whole, valid document: half a library read as all of it
    would be written back without the rest."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise UnreadableLibrary(f"not JSON: {err}") from err
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise UnreadableLibrary("not a prompt library (no list of entries)")
    if document.get("format") != FORMAT:
        raise UnreadableLibrary(f"format {document.get('format')!r}, this app reads {FORMAT}")
    entries = [_entry(item, index) for index, item in enumerate(document["entries"])]
    ids = [entry.id for entry in entries]
    if len(set(ids)) != len(ids):
        raise UnreadableLibrary("two entries share an id")
    return entries


def save(path: Path, entries: list[PromptEntry]) -> None:
    """Write `entries` (the person's; built-ins are skipped) so that the file is the old one or the whole new
    one, even after a power cut. Raises OSError."""
    document = {"format": FORMAT, "entries": [_item(entry) for entry in entries if not entry.builtin]}
    data = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    temporary = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _set_aside(path: Path, reason: str) -> Loaded:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{counter}")
    try:
        os.replace(path, target)
    except OSError as err:
        log.warning(
            "prompt library %s %s; it cannot be moved aside either (%s): not written this run", path, reason, err
        )
        return Loaded([], writable=False)
    log.warning("prompt library %s %s; kept as %s, starting with an empty library", path, reason, target.name)
    return Loaded([], set_aside=target)


def _item(entry: PromptEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "text": entry.text,
        "tags": list(entry.tags),
        "created": _iso(entry.created),
        "used": _iso(entry.used),
    }


def _entry(item: object, index: int) -> PromptEntry:
    if not isinstance(item, dict):
        raise UnreadableLibrary(f"entry {index} is not an object")
    entry_id, title, text, tags = item.get("id"), item.get("title"), item.get("text"), item.get("tags", [])
    if not isinstance(entry_id, str) or not entry_id or entry_id.startswith(BUILTIN_PREFIX):
        raise UnreadableLibrary(f"entry {index} has no usable id")
    if not isinstance(title, str) or not isinstance(text, str):
        raise UnreadableLibrary(f"entry {index} has no title or text")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise UnreadableLibrary(f"entry {index} has tags that are not a list of words")
    return PromptEntry(
        id=entry_id,
        title=title,
        text=text,
        tags=parse_tags(tags),
        created=_time(item.get("created"), index),
        used=_time(item.get("used"), index),
    )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _time(value: object, index: int) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise UnreadableLibrary(f"entry {index} has a time that is not text")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise UnreadableLibrary(f"entry {index}: {err}") from err
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # a time without a zone was written as UTC
