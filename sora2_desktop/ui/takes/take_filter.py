"""TakeFilterProxy: the strip's "keepers only" filter and its order — by take number, or best rated first."""

from __future__ import annotations

import enum

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.takes.take_model import TakeListModel

AnyIndex = QModelIndex | QPersistentModelIndex

# Among takes of equal stars: circled first, no-good last (an editor's order of interest).
_MARK_RANK = {TakeMark.CIRCLED: 0, TakeMark.HOLD: 1, None: 2, TakeMark.NO_GOOD: 3}


class TakeOrder(enum.StrEnum):
    TAKE = "take"  # T01, T02, … as they were made
    RATING = "rating"  # most stars first; then circled, hold, unmarked, no good; then take number


def _task(index: AnyIndex) -> Task:
    task = index.data(TakeListModel.TaskRole)
    assert isinstance(task, Task)
    return task


def rating_key(task: Task) -> tuple[int, int, int, int]:
    return (-task.rating, _MARK_RANK.get(task.mark, 2), task.take_number or 0, task.local_id or 0)


class TakeFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keepers_only = False
        self._order = TakeOrder.TAKE
        self.setDynamicSortFilter(True)  # a new mark or rating moves the card at once
        self.sort(0)

    @property
    def keepers_only(self) -> bool:
        return self._keepers_only

    def set_keepers_only(self, keepers_only: bool) -> None:
        if keepers_only == self._keepers_only:
            return
        # Qt 6.10 brought a begin/end pair for filter changes; older Qt (our floor is 6.7) re-filters after.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
        self._keepers_only = keepers_only
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    @property
    def order(self) -> TakeOrder:
        return self._order

    def set_order(self, order: TakeOrder) -> None:
        if order != self._order:
            self._order = order
            self.invalidate()

    def task_at(self, row: int) -> Task:
        return _task(self.index(row, 0))

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._keepers_only:
            return True
        source = self.sourceModel()
        return _task(source.index(source_row, 0, source_parent)).mark == TakeMark.CIRCLED

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        a, b = _task(left), _task(right)
        if self._order == TakeOrder.RATING:
            return rating_key(a) < rating_key(b)
        return (a.take_number or 0, a.local_id or 0) < (b.take_number or 0, b.local_id or 0)
