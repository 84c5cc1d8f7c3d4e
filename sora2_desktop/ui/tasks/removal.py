"""PendingRemovals: removing tasks is undoable — rows leave the view at once, the store only after the undo window."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.tasks.table_model import TaskTableModel

# How long a removal can be undone before the tasks are forgotten in the store.
UNDO_WINDOW_MS = 10_000


@dataclass
class _Group:
    """The tasks of one Remove, latest as the session reported them while they were hidden."""

    tasks: dict[int, Task]
    timer: QTimer
    kept_videos: list[str] = field(default_factory=list)


class PendingRemovals(QObject):
    """Holds removed tasks for `window_ms`; `undo()` brings the latest group back (still polled all along: the
    session is not told until the window passes), `commit_all()` forgets everything held now (at close)."""

    changed = Signal(str)  # what the undo bar says; "" when nothing can be undone any more

    def __init__(
        self, session: Session, model: TaskTableModel, window_ms: int = UNDO_WINDOW_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._model = model
        self.window_ms = window_ms
        self._groups: list[_Group] = []

    def holds(self, local_id: int) -> bool:
        return any(local_id in group.tasks for group in self._groups)

    def note_change(self, task: Task) -> bool:
        """A held task changed in the core: remember its latest state; True when it is held (not to be shown)."""
        for group in self._groups:
            if task.local_id is not None and task.local_id in group.tasks:
                group.tasks[task.local_id] = task
                return True
        return False

    @property
    def can_undo(self) -> bool:
        return bool(self._groups)

    def remove(self, tasks: list[Task]) -> None:
        held = {task.local_id: task for task in tasks if task.local_id is not None and not self.holds(task.local_id)}
        if not held:
            return
        timer = QTimer(self, singleShot=True, interval=self.window_ms)
        # The saved videos are the person's files: removing a task never deletes them.
        kept = [str(path) for task in held.values() if (path := self._session.local_video(task)) is not None]
        group = _Group(held, timer, kept)
        timer.timeout.connect(lambda: self._commit(group))
        self._groups.append(group)
        for local_id in held:
            self._model.remove(local_id)
        timer.start()
        self._announce()

    def undo(self) -> bool:
        """Bring back the latest removal; False when there is none."""
        if not self._groups:
            return False
        group = self._groups.pop()
        group.timer.stop()
        for task in sorted(group.tasks.values(), key=lambda t: t.local_id or 0):
            self._model.restore(task)
        self._announce()
        return True

    def commit_all(self) -> None:
        for group in list(self._groups):
            self._commit(group)

    def _commit(self, group: _Group) -> None:
        if group not in self._groups:
            return
        group.timer.stop()
        self._groups.remove(group)
        if not self._session.closed:
            for task in group.tasks.values():
                # Session.remove stops following a running task (cancels it locally) and forgets its row.
                self._session.remove(task)
        self._announce()

    def _announce(self) -> None:
        if not self._groups:
            self.changed.emit("")
            return
        group = self._groups[-1]
        count = sum(len(g.tasks) for g in self._groups)
        text = self.tr("Removed %n task(s).", "", count)
        if group.kept_videos:
            text += " " + self.tr("The saved video stays on disk: {path}").format(path=group.kept_videos[0])
        self.changed.emit(text)
