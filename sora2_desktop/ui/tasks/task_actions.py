"""TaskActions: what the task list's commands do — load into the form, re-run (longer), remove."""

from __future__ import annotations

from PySide6.QtCore import QObject

from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.tasks.table_model import TaskTableModel


class TaskActions(QObject):
    """Connect the task list's load/rerun/remove requests here; each is one Session operation and its echo in
    the views."""

    def __init__(
        self, session: Session, form: GenerationForm, model: TaskTableModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._form = form
        self._model = model

    def load(self, task: Task) -> None:
        """The task's settings back into the form, to change and generate again."""
        self._form.load_request(task.request)
        self._form.prompt_editor.focus_editor()

    def rerun(self, task: Task, duration: int | None = None) -> None:
        """The same request once more (its rows arrive by the session's task_changed), or longer."""
        self._session.rerun(task, duration)

    def remove(self, task: Task) -> None:
        self._session.remove(task)
        if task.local_id is not None:
            self._model.remove(task.local_id)
