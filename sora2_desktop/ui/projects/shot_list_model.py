"""ShotListModel: the current project's shots in order — code, title, prompt excerpt, takes and keepers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from sora2_desktop.core.projects.model import Shot, TakeMark
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.tasks.task_wording import prompt_line

AnyIndex = QModelIndex | QPersistentModelIndex
_ROLE = Qt.ItemDataRole
SHOT_MIME = "application/x-sora2-shot-id"  # a dragged shot carries only its id: the drop asks the service to move it
_EXCERPT_CHARS = 160  # the delegate elides to the width; this bounds the work per paint
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
_ROW_FLAGS |= Qt.ItemFlag.ItemNeverHasChildren | Qt.ItemFlag.ItemIsEditable  # the title, in place


def shot_prompt(shot: Shot) -> str:
    prompt = shot.settings.get("prompt")
    return prompt if isinstance(prompt, str) else ""


class ShotListModel(QAbstractListModel):
    """One row per shot, in the project's order. Take counts are read from `takes_of` when a row is first
    drawn and kept until `forget_takes` (a take of that shot changed): a 200-shot project opens without 200
    reads. A drop asks for a move (`move_requested`); the rows change when the service says the shots did."""

    ShotRole = int(_ROLE.UserRole) + 1  # the Shot
    ShotIdRole = int(_ROLE.UserRole) + 2
    ExcerptRole = int(_ROLE.UserRole) + 3  # the prompt on one line
    CountsRole = int(_ROLE.UserRole) + 4  # (takes, circled takes)

    move_requested = Signal(int, int)  # shot id, position it should take (0-based, in the current order)
    rename_requested = Signal(int, str)  # shot id, the title typed in place

    def __init__(self, takes_of: Callable[[int], Sequence[Task]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._takes_of = takes_of
        self._shots: list[Shot] = []
        self._counts: dict[int, tuple[int, int]] = {}
        self._marks: dict[int, dict[int | None, TakeMark | None]] = {}  # per counted shot: its takes' marks

    # -- public ------------------------------------------------------------------------------------------------

    def set_shots(self, shots: Sequence[Shot], *, fresh: bool = False) -> None:
        """Show `shots`. The same shots in the same order (one was renamed or its settings saved as the person
        types) update in place, so the selection and the editor stay put; any other change resets the list.
        `fresh`: another store or project, whose ids say nothing of the counts known so far."""
        shots = list(shots)
        if fresh:
            self._counts.clear()
            self._marks.clear()
        if not fresh and [shot.id for shot in shots] == [shot.id for shot in self._shots]:
            self._shots = shots
            if shots:
                self.dataChanged.emit(self.index(0), self.index(len(shots) - 1))
            return
        self.beginResetModel()
        self._shots = shots
        self.endResetModel()

    def shots(self) -> list[Shot]:
        return list(self._shots)

    def shot_at(self, row: int) -> Shot | None:
        return self._shots[row] if 0 <= row < len(self._shots) else None

    def row_of(self, shot_id: int) -> int | None:
        return next((row for row, shot in enumerate(self._shots) if shot.id == shot_id), None)

    def take_changed(self, task: Task) -> None:
        """A take changed. Its shot is counted again only when the counts may differ (a take not counted yet, or
        its mark): with a shot's takes in flight, every poll answer tells one, and a recount reads them all."""
        shot_id = task.shot_id
        if shot_id is None:
            return
        marks = self._marks.get(shot_id)
        if marks is None or task.local_id not in marks or marks[task.local_id] != task.mark:
            self.forget_takes(shot_id)

    def forget_takes(self, shot_id: int) -> None:
        """A take of `shot_id` came, went or was marked: count again when next drawn."""
        self._counts.pop(shot_id, None)
        self._marks.pop(shot_id, None)
        row = self.row_of(shot_id)
        if row is not None:
            self.dataChanged.emit(self.index(row), self.index(row))

    def counts(self, shot_id: int) -> tuple[int, int]:
        """(takes, circled takes) of `shot_id`."""
        known = self._counts.get(shot_id)
        if known is None:
            takes = self._takes_of(shot_id)
            self._marks[shot_id] = {take.local_id: take.mark for take in takes}
            circled = sum(1 for take in takes if take.mark == TakeMark.CIRCLED)
            known = self._counts[shot_id] = (len(takes), circled)
        return known

    # -- QAbstractListModel ------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._shots)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # between rows: a shot may be dropped there
        return _ROW_FLAGS

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        shot = self.shot_at(index.row()) if index.isValid() else None
        if shot is None:
            return None
        if role in (_ROLE.DisplayRole, _ROLE.AccessibleTextRole):
            # What keyboard search in the list matches (typing "SH02" jumps there) and a screen reader says.
            return f"{shot.code} {shot.title}".strip()
        if role == _ROLE.EditRole:
            return shot.title
        if role == _ROLE.ToolTipRole:
            return shot_prompt(shot) or None
        if role == self.ShotRole:
            return shot
        if role == self.ShotIdRole:
            return shot.id
        if role == self.ExcerptRole:
            return prompt_line(shot_prompt(shot), _EXCERPT_CHARS)
        if role == self.CountsRole:
            return self.counts(shot.id)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = _ROLE.EditRole) -> bool:
        """A title typed in place goes to the service; the row changes when it says the shot did."""
        shot = self.shot_at(index.row()) if index.isValid() else None
        if shot is None or role != _ROLE.EditRole or not isinstance(value, str):
            return False
        if value.strip() != shot.title:
            self.rename_requested.emit(shot.id, value.strip())
        return True

    # -- drag and drop -----------------------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [SHOT_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        shot = self.shot_at(indexes[0].row()) if indexes else None
        if shot is not None:
            data.setData(SHOT_MIME, QByteArray(str(shot.id).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex) -> bool:
        """Ask for the move and answer False: the view then removes nothing itself, and the rows follow the
        service's `shots_changed` (one order, the stored one)."""
        if action != Qt.DropAction.MoveAction or not data.hasFormat(SHOT_MIME):
            return False
        text = bytes(data.data(SHOT_MIME).data()).decode(errors="replace")
        source = self.row_of(int(text)) if text.isdecimal() else None
        if source is None:
            return False
        target = row if row >= 0 else parent.row() if parent.isValid() else len(self._shots)
        if target > source:
            target -= 1  # dropped below itself: the rows above the gap close up once it leaves
        if target != source:
            self.move_requested.emit(self._shots[source].id, target)
        return False
