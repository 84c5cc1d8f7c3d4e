"""CardCache: a finished take's card as it was last painted, one pixmap per look, so a scroll draws each card with
one blit instead of its poster, badges, marks and three lines of text again (at 3840×2160 a scroll step uncovers a
dozen cards, and their painting was most of the step)."""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from PySide6.QtGui import QPixmap

from sora2_desktop.core.tasks.task import Task


class CardKey(NamedTuple):
    """Everything a card's look depends on besides its take and its poster (those are checked on each get)."""

    local_id: int
    state: int  # QStyle.StateFlag: selected (the highlight, its text colour), focus, hover, an inactive window
    width: int
    height: int
    ratio: float  # device pixels per pixel: a card moved to a sharper screen is painted anew
    palette: int  # QPalette.cacheKey(): a theme switch repaints every card
    color_group: int  # active / inactive window: the text colours differ
    font: str  # QFont.key()


class _Card(NamedTuple):
    task: Task
    poster: str  # which poster file, as it was (TakeListModel.PosterSourceRole); "" for none
    pixmap: QPixmap


class CardCache:
    """Least recently drawn go first past `budget` bytes. An entry is found only for the very take it was painted
    from (a mark, a rating, a note or a phase makes a new Task: the model replaces it) and the same poster file
    as it was (a shot shown again reads its posters again: its cards stay), so a change can never show the old
    look; a card whose take or poster changed is painted again in place."""

    def __init__(self, budget: int = 48 * 2**20) -> None:
        self._budget = budget
        self._bytes = 0
        self._cards: OrderedDict[CardKey, _Card] = OrderedDict()

    def get(self, key: CardKey, task: Task, poster: str) -> QPixmap | None:
        card = self._cards.get(key)
        if card is None or card.poster != poster or not (card.task is task or card.task == task):
            return None
        self._cards.move_to_end(key)
        return card.pixmap

    def canvas(self, key: CardKey) -> QPixmap | None:
        """The pixmap of `key`'s card whatever it showed, to paint the new look into (no new allocation when a
        poster arrives or a mark changes)."""
        card = self._cards.get(key)
        return card.pixmap if card is not None else None

    def put(self, key: CardKey, task: Task, poster: str, pixmap: QPixmap) -> None:
        old = self._cards.pop(key, None)
        if old is not None:
            self._bytes -= _bytes(old.pixmap)
        self._cards[key] = _Card(task, poster, pixmap)
        self._bytes += _bytes(pixmap)
        while self._bytes > self._budget and len(self._cards) > 1:
            _key, dropped = self._cards.popitem(last=False)
            self._bytes -= _bytes(dropped.pixmap)

    def clear(self) -> None:
        self._cards.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._cards)


def _bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * max(1, pixmap.depth() // 8)
