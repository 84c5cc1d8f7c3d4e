"""TaskActions: what the task list's commands do — load into the form, re-run (longer), cancel, retry, remove."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.fail_code_text import has_images
from sora2_desktop.core.tasks.fail_codes import FailCause, classify
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.confirm import confirm_spending
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.tasks import task_wording as wording
from sora2_desktop.ui.tasks.removal import PendingRemovals
from sora2_desktop.ui.tasks.rerun_question import FlaggedChoice, ask_flagged, ask_over_balance, cost_line
from sora2_desktop.ui.tasks.table_model import TaskTableModel


class TaskActions(QObject):
    """Connect the task list's requests here; each is one Session operation and its echo in the views.
    Removing goes through `removals`, so it can be undone for a few seconds."""

    def __init__(
        self, session: Session, form: GenerationForm, model: TaskTableModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._form = form
        self._model = model
        self.removals = PendingRemovals(session, model, parent=self)

    def _dialog_parent(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def load(self, task: Task) -> None:
        """The task's settings back into the form, to change and generate again."""
        self._form.load_request(task.request)
        self._form.prompt_editor.focus_editor()

    def rerun(self, task: Task, duration: int | None = None) -> None:
        """The same request once more (its rows arrive by the session's task_changed), or longer — after the
        person agreed to spend (not asked in demo mode, where nothing is charged). Input the service flagged,
        and a cost above the known balance, are asked about every time: those clicks are likely money lost."""
        if not self._session.active:
            return
        request = task.request if duration is None else replace(task.request, duration=duration)
        estimate = self._session.account.estimate(request, 1)
        parent = self._dialog_parent()
        flag = _flag_of(task)
        if flag is not None:
            choice = ask_flagged(parent, flag, estimate)
            if choice == FlaggedChoice.EDIT:
                self.load(task)
            if choice != FlaggedChoice.RERUN:
                return
        if estimate.exceeds_balance:
            if not ask_over_balance(parent, estimate):
                return
        elif flag is None:
            question, details = wording.spend_question(1, request)
            details = f"{details}\n\n{cost_line(estimate)}"
            settings, demo = self._session.settings, self._session.demo
            if not confirm_spending(parent, settings, "rerun", question, details, demo=demo):
                return
        self._session.rerun(task, duration)

    def cancel(self, task: Task) -> None:
        if task.local_id is not None:
            self._session.cancel(task.local_id)

    def retry_now(self, task: Task) -> None:
        if task.local_id is not None:
            self._session.retry_now(task.local_id)

    def remove(self, task: Task) -> None:
        self.removals.remove([task])

    def undo_remove(self) -> bool:
        return self.removals.undo()


def _flag_of(task: Task) -> FailCause | None:
    """The content flag a failed task got, if any: sent unchanged, the same input is flagged again."""
    if task.phase != TaskPhase.FAILED:
        return None
    cause = classify(task.fail_code, has_images=has_images(task))
    return cause if cause is not None and cause.flagged else None
