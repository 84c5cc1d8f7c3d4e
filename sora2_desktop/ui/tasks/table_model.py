"""TaskTableModel: every task as one row, newest first; maps cells and roles to the task's wording and progress."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QIcon

from sora2_desktop.core.tasks.progress import elapsed_seconds, expected_progress
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.time_text import format_elapsed
from sora2_desktop.ui.tasks import task_wording as wording
from sora2_desktop.ui.tasks.marks import phase_text_color, picked_icon, state_icon

AnyIndex = QModelIndex | QPersistentModelIndex
_ROLE = Qt.ItemDataRole
_UNFINISHED = frozenset(phase for phase in TaskPhase if not phase.is_final)

_PROMPT_EXCERPT_CHARS = 240  # the view elides to the column width; this only bounds the work per paint

# Built once: OR-ing Python enum flags on every call shows up when a view paints hundreds of cells.
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_ELAPSED_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TaskTableModel(QAbstractTableModel):
    """Rows are tasks, newest first. `upsert` touches one row; `tick` the clock columns of the running rows' span."""

    COL_PROMPT, COL_SETTINGS, COL_STATE, COL_ELAPSED, COL_PROGRESS, COL_DETAIL = range(6)
    COLUMN_COUNT = 6

    TaskRole = int(_ROLE.UserRole) + 1  # the Task object
    LocalIdRole = int(_ROLE.UserRole) + 2  # Task.local_id, the local (SQLite) row id
    ProgressRole = int(_ROLE.UserRole) + 3  # expected progress, float 0..1
    PhaseRole = int(_ROLE.UserRole) + 4  # TaskPhase (arrives as plain str through a proxy: TaskPhase(x) restores)
    SearchTextRole = int(_ROLE.UserRole) + 5  # casefolded prompt, task id, failure and note words

    def __init__(self, parent: QObject | None = None, *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self._now = now or _utc_now
        # Stored oldest first, so row r is _tasks[-1 - r]: a new task is an append and moves no stored index.
        self._tasks: list[Task] = []
        self._position: dict[int, int] = {}  # Task.local_id → index in _tasks
        self._running: set[int] = set()  # ids of tasks that are not final: the only rows `tick` touches
        self._search_text: dict[int, str] = {}  # filled lazily, dropped when the task changes
        # While the history is read by a worker: the changes heard meanwhile, laid over what it reads (None: idle).
        self._heard_while_loading: list[Callable[[], object]] | None = None
        # Demo mode runs the service's clock fast: the expected generation time shrinks with it.
        self.time_scale = 1.0
        # What the downloads say of a finished task ("Saved · link valid 14 more days") and its poster frame.
        self._result_note: dict[int, str] = {}
        # Poster files by task; an icon is only made when its row is first drawn (a history has thousands).
        self._poster_paths: dict[int, str] = {}
        self._posters: dict[int, QIcon] = {}

    # -- the public API ------------------------------------------------------------------------------------

    def set_tasks(self, tasks: list[Task]) -> None:
        """Replace everything with `tasks`, given newest first (a repeated id keeps its first, newest row)."""
        self.beginResetModel()
        # Lean on purpose: 10,000 tasks arrive in one turn of the GUI thread at start (issue 13).
        newest_first: dict[int, Task] = {}
        for task in tasks:
            local_id = task.local_id
            if local_id is None:
                self._require_id(task)
            elif local_id not in newest_first:
                newest_first[local_id] = task
        ids = list(newest_first)
        ids.reverse()
        self._tasks = [newest_first[local_id] for local_id in ids]
        self._position = dict(zip(ids, range(len(ids)), strict=True))
        self._running = {local_id for local_id, task in newest_first.items() if task.phase in _UNFINISHED}
        self._search_text.clear()
        self.endResetModel()

    def begin_loading(self) -> None:
        """A read of the whole history is under way (off the GUI thread): changes heard until `finish_loading`
        show at once and are applied again over what the read brings, which may predate them."""
        self._heard_while_loading = []

    def finish_loading(self, tasks: list[Task]) -> None:
        """The history read since `begin_loading`, newest first: shown, then the changes heard meanwhile."""
        heard, self._heard_while_loading = self._heard_while_loading or [], None
        self.set_tasks(tasks)
        for change in heard:
            change()

    @property
    def loading(self) -> bool:
        return self._heard_while_loading is not None

    def upsert(self, task: Task) -> int:
        """Update the row of `task.local_id`, or insert it at the top when it is new; returns its row."""
        if self._heard_while_loading is not None:
            self._heard_while_loading.append(lambda: self.upsert(task))
        local_id = self._require_id(task)
        self._search_text.pop(local_id, None)
        position = self._position.get(local_id)
        if position is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._position[local_id] = len(self._tasks)
            self._tasks.append(task)
            self._track_running(local_id, task)
            self.endInsertRows()
            return 0
        self._tasks[position] = task
        self._track_running(local_id, task)
        row = self._row_at(position)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMN_COUNT - 1))
        return row

    def restore(self, task: Task) -> int:
        """Put back a removed task at its place in the history (by local id, which grows with time), not on top;
        an id still shown is updated as by `upsert`. Returns its row."""
        if self._heard_while_loading is not None:
            self._heard_while_loading.append(lambda: self.restore(task))
        local_id = self._require_id(task)
        if local_id in self._position:
            return self.upsert(task)
        position = bisect.bisect_left([self._require_id(t) for t in self._tasks], local_id)
        row = len(self._tasks) - position
        self.beginInsertRows(QModelIndex(), row, row)
        self._tasks.insert(position, task)
        for index in range(position, len(self._tasks)):
            self._position[self._require_id(self._tasks[index])] = index
        self._track_running(local_id, task)
        self._search_text.pop(local_id, None)
        self.endInsertRows()
        return row

    def remove(self, local_id: int) -> bool:
        """Drop the row of local id `local_id`; False when it is not shown."""
        if self._heard_while_loading is not None:
            self._heard_while_loading.append(lambda: self.remove(local_id))
        position = self._position.get(local_id)
        if position is None:
            return False
        row = self._row_at(position)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._tasks[position]
        del self._position[local_id]
        # Only the (newer) tasks stored after it move; removing is rare, so this walk is fine.
        for index in range(position, len(self._tasks)):
            self._position[self._require_id(self._tasks[index])] = index
        self._running.discard(local_id)
        self._search_text.pop(local_id, None)
        self.endRemoveRows()
        return True

    def set_result_note(self, local_id: int, note: str) -> None:
        """The Detail cell of a finished task: its download's progress, state and link expiry."""
        if self._result_note.get(local_id) != note:
            self._result_note[local_id] = note
            self._changed(local_id, self.COL_DETAIL)

    def set_poster(self, local_id: int, path: str) -> None:
        """A frame of the task's own video (a PNG file), shown beside its prompt."""
        self._poster_paths[local_id] = path
        self._posters.pop(local_id, None)
        self._changed(local_id, self.COL_PROMPT)

    def set_result_marks(self, notes: dict[int, str], posters: dict[int, str]) -> None:
        """Many notes and posters at once (the history at start-up): one change signal, not one per row."""
        self._result_note.update(notes)
        self._poster_paths.update(posters)
        for local_id in posters:
            self._posters.pop(local_id, None)
        if self._tasks:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._tasks) - 1, self.COLUMN_COUNT - 1))

    def _poster(self, local_id: int) -> QIcon | None:
        icon = self._posters.get(local_id)
        if icon is None and local_id in self._poster_paths:
            icon = self._posters[local_id] = QIcon(self._poster_paths[local_id])
        return icon

    def _changed(self, local_id: int, column: int) -> None:
        row = self.row_of(local_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def task_at(self, row: int) -> Task:
        if not 0 <= row < len(self._tasks):
            raise IndexError(f"no task at row {row}")
        return self._tasks[-1 - row]

    def search_text(self, row: int) -> str:
        """What the search box matches in `row`: prompt, task id and failure text, casefolded."""
        return self._search_text_of(self.task_at(row))

    def row_of(self, local_id: int) -> int | None:
        position = self._position.get(local_id)
        return None if position is None else self._row_at(position)

    def tick(self) -> None:
        """Tell views that the Elapsed and Progress cells of unfinished tasks moved on (drive at 1 Hz): one signal
        from the first to the last such row. One per run of neighbouring rows was up to 500 signals a second
        once finished tasks interleaved with 1,000 running ones, each through the proxy, the view and the
        list's own slot: 10-100 ms of the GUI thread (benchmarks/README.md). A finished row inside the span
        says the same as before; a view repaints only what is on screen."""
        if not self._running:
            return
        rows = [self._row_at(self._position[local_id]) for local_id in self._running]
        roles = [int(_ROLE.DisplayRole), self.ProgressRole]
        first, last = min(rows), max(rows)
        self.dataChanged.emit(self.index(first, self.COL_ELAPSED), self.index(last, self.COL_PROGRESS), roles)

    def expected_progress(self, task: Task) -> float:
        """0..1 against the service's typical time for the task's duration; 1.0 only once it succeeded."""
        return expected_progress(task, self._now(), self.time_scale)

    # -- QAbstractTableModel -------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._tasks)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == _ROLE.DisplayRole:
            titles = (
                self.tr("Prompt"), self.tr("Settings"), self.tr("State"),
                self.tr("Elapsed"), self.tr("Progress"), self.tr("Detail"),
            )  # fmt: skip
            return titles[section]
        if role == _ROLE.ToolTipRole and section == self.COL_PROGRESS:
            return wording.progress_header_tooltip()
        return None

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tasks):
            return None
        task = self._tasks[-1 - index.row()]
        column = index.column()
        if role == _ROLE.DisplayRole:
            return self._display(task, column)
        if role == _ROLE.ToolTipRole:
            return self._tooltip(task, column)
        if role == _ROLE.DecorationRole:
            if column == self.COL_PROMPT and task.local_id is not None:
                return self._poster(task.local_id)
            if column == self.COL_STATE:
                return picked_icon() if task.circled else state_icon(task.phase)
            return None
        if role == _ROLE.ForegroundRole:
            tinted = column in (self.COL_STATE, self.COL_DETAIL) and task.phase in wording.TROUBLE_PHASES
            return phase_text_color(task.phase, QGuiApplication.palette()) if tinted else None
        if role == _ROLE.TextAlignmentRole and column == self.COL_ELAPSED:
            return _ELAPSED_ALIGNMENT
        if role == self.TaskRole:
            return task
        if role == self.LocalIdRole:
            return task.local_id
        if role == self.ProgressRole:
            return self.expected_progress(task)
        if role == self.PhaseRole:
            return task.phase
        if role == self.SearchTextRole:
            return self._search_text_of(task)
        return None

    # -- text, computed per visible cell ---------------------------------------------------------------------

    def _display(self, task: Task, column: int) -> str:
        if column == self.COL_PROMPT:
            return wording.prompt_line(task.request.prompt, _PROMPT_EXCERPT_CHARS)
        if column == self.COL_SETTINGS:
            return wording.settings_text(task.request)
        if column == self.COL_STATE:
            return wording.state_text(task)
        if column == self.COL_ELAPSED:
            seconds = elapsed_seconds(task, self._now())
            return "" if seconds is None else format_elapsed(seconds)
        if column == self.COL_PROGRESS:
            return wording.progress_text(task, self.expected_progress(task))
        note = self._result_note.get(task.local_id) if task.local_id is not None else None
        return wording.detail_line(task, note)

    def _tooltip(self, task: Task, column: int) -> str | None:
        if column == self.COL_PROMPT:
            return wording.prompt_tooltip(task)
        if column == self.COL_SETTINGS:
            return wording.settings_tooltip(task)
        if column == self.COL_STATE:
            return wording.state_tooltip(task)
        if column == self.COL_DETAIL:
            return wording.detail_tooltip(task)
        return None

    def _search_text_of(self, task: Task) -> str:
        key = task.local_id if task.local_id is not None else -1
        text = self._search_text.get(key)
        if text is None:
            text = self._search_text[key] = wording.search_text(task)
        return text

    # -- helpers -------------------------------------------------------------------------------------------

    def _row_at(self, position: int) -> int:
        return len(self._tasks) - 1 - position

    def _track_running(self, local_id: int, task: Task) -> None:
        if task.phase.is_final:
            self._running.discard(local_id)
        else:
            self._running.add(local_id)

    @staticmethod
    def _require_id(task: Task) -> int:
        if task.local_id is None:
            raise ValueError("a task is shown only once it is stored: Task.local_id is None")
        return task.local_id
