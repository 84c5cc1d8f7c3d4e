"""PromptEntry: one prompt or passage in the library, saved by the person or built in (prompt craft)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The prefix of a built-in entry's id: "craft:<group>:<English term>", the same in every language.
BUILTIN_PREFIX = "craft:"
# A title made from the text (when the person gives none) is cut at a word before this many characters.
TITLE_FROM_TEXT_CHARS = 48


class ReadOnlyEntryError(ValueError):
    """A built-in entry was to be edited or removed: the craft vocabulary ships with the app."""


@dataclass(frozen=True)
class PromptEntry:
    """`tags` are as the person typed them (built-ins carry their group's code, e.g. "camera"); `created` and
    `used` are aware UTC times, None for built-ins (and `used` until the entry is first inserted)."""

    id: str
    title: str
    text: str
    tags: tuple[str, ...] = ()
    created: datetime | None = None
    used: datetime | None = None

    @property
    def builtin(self) -> bool:
        return self.id.startswith(BUILTIN_PREFIX)

    def has_tag(self, tag: str) -> bool:
        wanted = tag.casefold()
        return any(own.casefold() == wanted for own in self.tags)


def parse_tags(typed: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Tags from "night, Car ,night" (or a list): trimmed, inner blanks collapsed, empty ones and repeats
    (whatever their case) dropped, first spelling kept."""
    parts = typed.split(",") if isinstance(typed, str) else list(typed)
    seen: set[str] = set()
    tags: list[str] = []
    for part in parts:
        tag = " ".join(str(part).split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


def title_from_text(text: str) -> str:
    """A title for a text saved without one: its first line, cut at a word boundary."""
    first = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if len(first) <= TITLE_FROM_TEXT_CHARS:
        return first
    cut = first[:TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0].rstrip(",;:.")
    return (cut or first[:TITLE_FROM_TEXT_CHARS]) + "…"
