"""PromptLibrary (Session.prompts): the person's saved prompts and passages, and the built-in craft terms.

One place for both: the prompt craft menu and the library panel read the same entries. Built-ins come first in
the craft menu and last in the panel; they cannot be edited or removed. Every change is written to the file at
once (library_file.py) and announced by `changed`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from sora2_desktop.core.prompts import library_file
from sora2_desktop.core.prompts.craft_terms import GROUP_CODES, builtin_entries, group_title
from sora2_desktop.core.prompts.entry import PromptEntry, ReadOnlyEntryError, parse_tags, title_from_text
from sora2_desktop.core.prompts.search import search

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_NEVER = datetime.min.replace(tzinfo=UTC)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PromptLibrary(QObject):
    """Reads `path` on first use; writes it at every change."""

    changed = Signal()  # an entry was added, edited, removed or brought back, or marked as used
    save_failed = Signal(str)  # the system's reason ("" when not `writable`); the change stays in memory

    def __init__(self, path: Path, *, clock: Clock = _utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._clock = clock
        self._entries: list[PromptEntry] | None = None  # the person's, in the file's order
        self._removed: list[tuple[int, PromptEntry]] = []  # (position, entry), newest last: what Undo brings back
        self._writable = True
        self.set_aside: Path | None = None  # where an unreadable file was moved, for the panel to say

    @classmethod
    def in_folder(cls, folder: Path, *, clock: Clock = _utc_now, parent: QObject | None = None) -> PromptLibrary:
        """The library of the profile whose folder is `folder` (<profile>/prompt_library.json)."""
        return cls(folder / library_file.FILE_NAME, clock=clock, parent=parent)

    # -- reading ----------------------------------------------------------------------------------------------

    def saved(self) -> list[PromptEntry]:
        """The person's entries, the most recently used or saved first."""
        return sorted(
            self._own(), key=lambda entry: entry.used or entry.created or datetime.min.replace(tzinfo=UTC), reverse=True
        )

    def builtins(self) -> list[PromptEntry]:
        """The craft terms, in menu order, in the current language."""
        return builtin_entries()

    def entries(self) -> list[PromptEntry]:
        """Everything the library panel lists: the person's entries, then the built-ins."""
        return self.saved() + self.builtins()

    def entry(self, entry_id: str) -> PromptEntry | None:
        return next((entry for entry in [*self._own(), *self.builtins()] if entry.id == entry_id), None)

    def search(self, query: str = "", tag: str | None = None) -> list[PromptEntry]:
        """The entries holding every word of `query` (title, text or tags) and, if given, the tag `tag`."""
        return search(self.entries(), query, tag, group_title)

    def tags(self) -> list[str]:
        """Every tag in use: the craft groups in menu order, then the person's own, alphabetically (one spelling
        for tags that differ only in case)."""
        known = {code.casefold() for code in GROUP_CODES}
        own: dict[str, str] = {}
        for entry in self._own():
            for tag in entry.tags:
                if tag.casefold() not in known:
                    own.setdefault(tag.casefold(), tag)
        return [*GROUP_CODES, *(own[key] for key in sorted(own))]

    @property
    def writable(self) -> bool:
        """False when the file could not be read at start nor moved aside: it is never written over."""
        self._own()
        return self._writable

    @staticmethod
    def tag_title(tag: str) -> str:
        """A tag as shown: a craft group's translated name, or the tag as typed."""
        return group_title(tag) or tag

    # -- changing ---------------------------------------------------------------------------------------------

    def add(self, text: str, title: str = "", tags: str | list[str] | tuple[str, ...] = ()) -> PromptEntry:
        """Save `text` (a prompt or a passage); a blank title becomes the text's first words. Raises ValueError
        for a blank text."""
        import uuid  # here: with `platform`, ~5 ms the composer's first paint does not wait for

        if not text.strip():
            raise ValueError("a library entry needs some text")
        entry = PromptEntry(
            id=uuid.uuid4().hex,
            title=" ".join(title.split()) or title_from_text(text),
            text=text,
            tags=parse_tags(tags),
            created=self._clock(),
        )
        self._own().append(entry)
        self._commit()
        return entry

    def edit(
        self,
        entry_id: str,
        *,
        title: str | None = None,
        text: str | None = None,
        tags: str | list[str] | tuple[str, ...] | None = None,
    ) -> PromptEntry:
        """Change what is given. Raises ReadOnlyEntryError for a built-in, KeyError for an unknown id, ValueError
        for a blank text."""
        index = self._index(entry_id)
        entry = self._own()[index]
        if text is not None and not text.strip():
            raise ValueError("a library entry needs some text")
        new_text = entry.text if text is None else text
        changed = replace(
            entry,
            title=entry.title if title is None else (" ".join(title.split()) or title_from_text(new_text)),
            text=new_text,
            tags=entry.tags if tags is None else parse_tags(tags),
        )
        self._own()[index] = changed
        self._commit()
        return changed

    def remove(self, entry_id: str) -> PromptEntry:
        """Take an entry out; `undo_remove` brings it back where it was. Raises ReadOnlyEntryError, KeyError."""
        index = self._index(entry_id)
        entry = self._own().pop(index)
        self._removed.append((index, entry))
        self._commit()
        return entry

    def can_undo_remove(self) -> bool:
        return bool(self._removed)

    def undo_remove(self) -> PromptEntry | None:
        """Bring back the last removed entry (None when there is none)."""
        if not self._removed:
            return None
        index, entry = self._removed.pop()
        own = self._own()
        own.insert(min(index, len(own)), entry)
        self._commit()
        return entry

    def mark_used(self, entry_id: str) -> None:
        """The entry was inserted into a prompt: it moves to the top of the person's list. Built-ins keep no
        times (nothing of theirs is stored)."""
        entry = self.entry(entry_id)
        if entry is None or entry.builtin:
            return
        index = self._index(entry_id)
        self._own()[index] = replace(entry, used=self._clock())
        self._commit()

    # -- internals --------------------------------------------------------------------------------------------

    def _own(self) -> list[PromptEntry]:
        if self._entries is None:
            loaded = library_file.load(self.path)
            self._entries, self.set_aside, self._writable = loaded.entries, loaded.set_aside, loaded.writable
        return self._entries

    def _index(self, entry_id: str) -> int:
        for index, entry in enumerate(self._own()):
            if entry.id == entry_id:
                return index
        if any(entry.id == entry_id for entry in self.builtins()):
            raise ReadOnlyEntryError(f"{entry_id} is a built-in entry")
        raise KeyError(entry_id)

    def _commit(self) -> None:
        self.changed.emit()
        if not self._writable:
            self.save_failed.emit("")  # `writable` says why: the file at start could not be read nor moved aside
            return
        try:
            library_file.save(self.path, self._own())
        except OSError as err:
            log.warning("cannot write the prompt library %s: %s", self.path, err)
            self.save_failed.emit(err.strerror or str(err))
