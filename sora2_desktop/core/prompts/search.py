"""Finding entries: every word of the query somewhere in the title, the text or the tags; an optional tag."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sora2_desktop.core.prompts.entry import PromptEntry

TagTitle = Callable[[str], "str | None"]  # a tag as shown (a built-in group's translated name), or None


def query_words(query: str) -> list[str]:
    return query.casefold().split()


def matches(entry: PromptEntry, words: list[str], tag: str | None = None, tag_title: TagTitle | None = None) -> bool:
    """True when `entry` has `tag` (if given) and holds every word of `words` (casefolded, as parts of words:
    "doll" finds "dolly"). `tag_title` gives the words a tag is shown as, so a built-in's translated group name
    is found too."""
    if tag is not None and not entry.has_tag(tag):
        return False
    if not words:
        return True
    shown = [tag_title(own) for own in entry.tags] if tag_title is not None else []
    haystack = "\n".join([entry.title, entry.text, *entry.tags, *(s for s in shown if s)]).casefold()
    return all(word in haystack for word in words)


def search(
    entries: Iterable[PromptEntry], query: str = "", tag: str | None = None, tag_title: TagTitle | None = None
) -> list[PromptEntry]:
    """The entries that match, in the order given."""
    words = query_words(query)
    return [entry for entry in entries if matches(entry, words, tag, tag_title)]
