"""Prompt diff: two wordings of a shot's prompt, word by word, with what was removed and what was added marked.

Pure (no Qt): the Compare view renders the pieces; words, not characters, because a writer edits words and a
character diff of "red fox" → "grey fox" reads as noise."""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass

# A word and the spaces after it stay one token, so the pieces put back together are the prompt as typed.
_TOKEN = re.compile(r"\S+\s*|\s+")


class Change(enum.Enum):
    SAME = "same"
    REMOVED = "removed"  # only in the older (left) wording
    ADDED = "added"  # only in the newer (right) wording


@dataclass(frozen=True)
class Piece:
    text: str
    change: Change


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _key(token: str) -> str:
    # Compared without the spaces after a word: a re-wrapped line is the same words.
    return token.strip()


def diff_words(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """(left, right): `old` with its removed words marked and `new` with its added words marked; the SAME pieces
    of both are the same words in the same order. Joining a side's texts gives back that prompt exactly."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=[_key(t) for t in old_tokens], b=[_key(t) for t in new_tokens], autojunk=False)
    left: list[Piece] = []
    right: list[Piece] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            _append(left, "".join(old_tokens[a1:a2]), Change.SAME)
            _append(right, "".join(new_tokens[b1:b2]), Change.SAME)
            continue
        _append(left, "".join(old_tokens[a1:a2]), Change.REMOVED)
        _append(right, "".join(new_tokens[b1:b2]), Change.ADDED)
    return left, right


def _append(pieces: list[Piece], text: str, change: Change) -> None:
    """Adjacent pieces of one kind merge: a rewritten phrase is one mark, not one per word."""
    if not text:
        return
    if pieces and pieces[-1].change == change:
        pieces[-1] = Piece(pieces[-1].text + text, change)
    else:
        pieces.append(Piece(text, change))


def changed_words(old: str, new: str) -> int:
    """How many words differ between the two wordings (removed plus added): 0 when only spacing changed."""
    left, right = diff_words(old, new)
    return sum(len(p.text.split()) for p in (*left, *right) if p.change != Change.SAME)
