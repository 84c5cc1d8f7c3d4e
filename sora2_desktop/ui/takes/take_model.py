"""TakeListModel: the shown shot's takes, take 1 first, with their progress and poster frames (handed in decoded:
the model never reads a file, so neither does a card's paint)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QImage, QPixmap

from sora2_desktop.core.tasks.progress import expected_progress
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.takes import take_wording as wording
from sora2_desktop.ui.takes.poster_loader import SOURCE_TEXT

AnyIndex = QModelIndex | QPersistentModelIndex
_ROLE = Qt.ItemDataRole
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _order(task: Task) -> tuple[int, int]:
    return (task.take_number or 0, task.local_id or 0)


class TakeListModel(QAbstractListModel):
    """One row per take of one shot. `upsert` touches one row; `tick` refreshes only running takes."""

    TaskRole = int(_ROLE.UserRole) + 1  # the Task
    LocalIdRole = int(_ROLE.UserRole) + 2
    ProgressRole = int(_ROLE.UserRole) + 3  # expected progress 0..1
    PosterRole = int(_ROLE.UserRole) + 4  # QPixmap | None
    PosterSourceRole = int(_ROLE.UserRole) + 5  # str: the file the poster was read from, as it was (or its pixmap)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._now = now or _utc_now
        self._tasks: list[Task] = []
        self.time_scale = 1.0  # demo mode runs the service's clock fast; progress follows it
        self._pixmaps: dict[int, QPixmap] = {}  # posters as they arrive from the worker, dropped with the shot
        # Which file each came from: the same poster read again when the shot is shown again keeps its cards.
        self._sources: dict[int, str] = {}

    # -- the public API ------------------------------------------------------------------------------------

    def set_takes(self, tasks: list[Task]) -> None:
        self.beginResetModel()
        self._tasks = sorted((t for t in tasks if t.local_id is not None), key=_order)
        self._pixmaps.clear()
        self._sources.clear()
        self.endResetModel()

    def upsert(self, task: Task) -> int:
        """Update the take's row, or insert it at its place by take number; returns its row."""
        if task.local_id is None:
            raise ValueError("a take is shown only once it is stored: Task.local_id is None")
        row = self.row_of(task.local_id)
        if row is not None:
            self._tasks[row] = task
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)
            return row
        row = next((r for r, t in enumerate(self._tasks) if _order(t) > _order(task)), len(self._tasks))
        self.beginInsertRows(QModelIndex(), row, row)
        self._tasks.insert(row, task)
        self.endInsertRows()
        return row

    def remove(self, local_id: int) -> bool:
        row = self.row_of(local_id)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._tasks[row]
        self._pixmaps.pop(local_id, None)
        self._sources.pop(local_id, None)
        self.endRemoveRows()
        return True

    def set_poster_image(self, local_id: int, image: QImage) -> None:
        """The take's poster, decoded and fitted to the card in a worker: made a pixmap here (QPixmap belongs to
        the GUI thread) and only its card repainted. Ignored when the take is no longer shown."""
        row = self.row_of(local_id)
        if row is None or image.isNull():
            return
        pixmap = self._pixmaps[local_id] = QPixmap.fromImage(image)
        self._sources[local_id] = image.text(SOURCE_TEXT) or f"pixmap {pixmap.cacheKey()}"
        index = self.index(row, 0)
        self.dataChanged.emit(index, index, [self.PosterRole])

    def has_poster(self, local_id: int) -> bool:
        return local_id in self._pixmaps

    def task_at(self, row: int) -> Task:
        if not 0 <= row < len(self._tasks):
            raise IndexError(f"no take at row {row}")
        return self._tasks[row]

    def tasks(self) -> list[Task]:
        return list(self._tasks)

    def row_of(self, local_id: int) -> int | None:
        # A shot has a handful of takes (tens at most): a walk is cheaper than keeping an index in step.
        return next((row for row, task in enumerate(self._tasks) if task.local_id == local_id), None)

    def tick(self) -> None:
        """Running takes' progress moved on (driven at 1 Hz while the strip is shown)."""
        for row, task in enumerate(self._tasks):
            if not task.phase.is_final:
                index = self.index(row, 0)
                self.dataChanged.emit(index, index, [self.ProgressRole])

    def expected_progress(self, task: Task) -> float:
        return expected_progress(task, self._now(), self.time_scale)

    # -- QAbstractListModel ----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._tasks)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tasks):
            return None
        task = self._tasks[index.row()]
        if role == self.TaskRole:
            return task
        if role == _ROLE.DisplayRole:
            return wording.take_title(task)
        if role == self.ProgressRole:
            return self.expected_progress(task)
        if role == self.PosterRole:
            return self._pixmaps.get(task.local_id or 0)  # None until the worker delivered it: a placeholder
        if role == self.PosterSourceRole:
            return self._sources.get(task.local_id or 0)
        if role == self.LocalIdRole:
            return task.local_id
        if role == _ROLE.ToolTipRole:
            return wording.take_tooltip(task)
        if role == _ROLE.AccessibleTextRole:
            return wording.accessible_text(task)
        return None
