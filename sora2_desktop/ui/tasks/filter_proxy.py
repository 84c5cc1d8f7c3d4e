"""TaskFilterProxy: narrows the task table by state and by words in the prompt, settings, task id or failure
text, and sorts it by a column when the person asks (else the source's newest-first order)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
)

from sora2_desktop.core.tasks.progress import elapsed_seconds
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.tasks import task_wording as wording
from sora2_desktop.ui.tasks.table_model import TaskTableModel


class StateFilter(enum.Enum):
    """The state combo's choices; each stands for a set of phases (ALL for no restriction)."""

    ALL = "all"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def phases(self) -> frozenset[TaskPhase] | None:
        return _STATE_FILTER_PHASES[self]


_STATE_FILTER_PHASES: dict[StateFilter, frozenset[TaskPhase] | None] = {
    StateFilter.ALL: None,
    StateFilter.RUNNING: frozenset(phase for phase in TaskPhase if not phase.is_final),
    StateFilter.DONE: frozenset({TaskPhase.SUCCESS}),
    StateFilter.FAILED: frozenset({TaskPhase.FAILED, TaskPhase.REJECTED, TaskPhase.SUBMIT_UNKNOWN}),
}


class TaskFilterProxy(QSortFilterProxyModel):
    """Rows keep the source's newest-first order until a column header is clicked (sort column -1 again
    restores it)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._phases: frozenset[TaskPhase] | None = None
        self._words: tuple[str, ...] = ()
        # Re-check a row when its data changes, so a task that just finished leaves the Running view itself;
        # the 1 Hz tick re-checks only running rows, and their search text is cached in the model.
        self.setDynamicSortFilter(True)
        # The 1 Hz tick announces only Display and Progress changes; with filtering and sorting keyed to other
        # roles, Qt forwards those changes without re-filtering thousands of rows every second.
        self.setFilterRole(TaskTableModel.SearchTextRole)
        self.setSortRole(TaskTableModel.TaskRole)

    @property
    def phases(self) -> frozenset[TaskPhase] | None:
        return self._phases

    @property
    def search_text(self) -> str:
        return " ".join(self._words)

    def set_state_filter(self, state_filter: StateFilter) -> None:
        self.set_phases(state_filter.phases)

    def set_phases(self, phases: frozenset[TaskPhase] | set[TaskPhase] | None) -> None:
        """Show only tasks in `phases`; None shows every phase."""
        new = None if phases is None else frozenset(phases)
        if new != self._phases:
            self._begin_filter_change()
            self._phases = new
            self._end_filter_change()

    def set_search_text(self, text: str) -> None:
        """Each word must appear (any case) in the prompt, the task id or the failure text."""
        words = tuple(text.casefold().split())
        if words != self._words:
            self._begin_filter_change()
            self._words = words
            self._end_filter_change()

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, TaskTableModel):
            return super().lessThan(left, right)
        key = _SORT_KEYS.get(left.column())
        if key is None:
            return super().lessThan(left, right)
        a, b = model.task_at(left.row()), model.task_at(right.row())
        now = datetime.now(UTC)
        first, second = key(a, now), key(b, now)  # of one column: the same type, comparable
        # Equal keys fall back to age, so a sorted column keeps newest-first within a group.
        return first < second if first != second else (a.local_id or 0) < (b.local_id or 0)  # type: ignore[operator]

    def task_at(self, proxy_row: int) -> Task | None:
        task = self.data(self.index(proxy_row, 0), TaskTableModel.TaskRole)
        return task if isinstance(task, Task) else None

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._phases is None and not self._words:
            return True
        model = self.sourceModel()
        if isinstance(model, TaskTableModel):
            # Straight to the model's rows: going through index() and data() costs ~5x for 10,000 rows.
            phase: object = model.task_at(source_row).phase
            haystack = model.search_text(source_row) if self._words else ""
        else:
            index = model.index(source_row, 0, source_parent)
            phase = model.data(index, TaskTableModel.PhaseRole)
            haystack = (model.data(index, TaskTableModel.SearchTextRole) or "") if self._words else ""
        # Through the C++ layer a StrEnum comes back as a plain str; TaskPhase(...) restores the member.
        if self._phases is not None and (phase is None or TaskPhase(str(phase)) not in self._phases):
            return False
        return all(word in haystack for word in self._words)

    # Qt 6.10 brought a begin/end pair for filter changes; older Qt (our floor is 6.7) re-filters after.
    def _begin_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_filter_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()


# What each column sorts by: the facts behind its words (a duration, not "1 min 05 s"; a phase's place in the
# life of a task, not its name's spelling).
_PHASE_ORDER = {phase: index for index, phase in enumerate(TaskPhase)}
_SORT_KEYS: dict[int, Callable[[Task, datetime], object]] = {
    TaskTableModel.COL_PROMPT: lambda task, _now: task.request.prompt.casefold(),
    TaskTableModel.COL_SETTINGS: lambda task, _now: wording.settings_text(task.request).casefold(),
    TaskTableModel.COL_STATE: lambda task, _now: (_PHASE_ORDER[task.phase], task.circled),
    TaskTableModel.COL_ELAPSED: lambda task, now: elapsed_seconds(task, now) or 0.0,
    TaskTableModel.COL_PROGRESS: lambda task, _now: (task.phase.is_final, _PHASE_ORDER[task.phase]),
    TaskTableModel.COL_DETAIL: lambda task, _now: wording.detail_line(task).casefold(),
}
