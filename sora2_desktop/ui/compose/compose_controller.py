"""ComposeController: the Generate flow — the form's values to Session.submit, and core's answer back to the form."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.images.resolver import ImageSource
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.failure_text import explain_failure
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.confirm import confirm_spending
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.tasks import task_wording as wording

log = logging.getLogger(__name__)


class ComposeController(QObject):
    """Collects the form, submits through the session, and shows at their fields the errors core returns; checks
    each web address added to the picker at once; puts a refusal of the last batch beside the form."""

    status_message = Signal(str, int)  # text, how long to show it (ms)

    def __init__(self, session: Session, form: GenerationForm, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._form = form
        self._jobs: set[asyncio.Task[Any]] = set()
        self._last_batch: str | None = None
        self._refusal_shown = False
        self._checked_urls: set[str] = set()
        form.generate_requested.connect(self.generate)
        form.image_picker.entries_changed.connect(self._check_new_urls)
        session.task_changed.connect(self._on_task_changed)

    def generate(self) -> None:
        """Submit what the form describes. Without a connection the window shows its welcome page instead."""
        if not self._session.active or self._form.is_busy():
            return
        self._form.clear_errors()
        values = self._form.values()
        if values.takes > 1:
            # Several takes multiply the cost: say what will be submitted before spending (never in demo mode).
            question, details = wording.spend_question(values.takes, values.request())
            parent = self.parent()
            widget = parent if isinstance(parent, QWidget) else None
            settings = self._session.settings
            if not confirm_spending(widget, settings, "takes", question, details, demo=self._session.demo):
                return
        self._form.set_busy(True)
        self._spawn(self._submit(values.request(), values.chosen_images(), values.takes))

    async def _submit(self, request: GenerationRequest, images: list[ImageSource], takes: int) -> None:
        try:
            result = await self._session.submit(request, images, takes)
        finally:
            self._form.set_busy(False)
        if not result.accepted:
            self._form.show_errors(result.errors)  # the draft stays as typed: the person fixes and tries again
            return
        self._last_batch = result.tasks[0].batch_id if result.tasks else None
        self._refusal_shown = False
        # Only the takes stored and not already refused count as submitted.
        sent = [task for task in result.tasks if task.phase != TaskPhase.REJECTED]
        if sent:
            self.status_message.emit(self.tr("Submitted %n task(s).", "", len(sent)), 5000)

    def _check_new_urls(self) -> None:
        """A URL added to the picker is checked at once (answers, is an allowed image, small enough)."""
        for entry in self._form.image_picker.entries():
            if not entry.is_local and entry.source not in self._checked_urls:
                self._checked_urls.add(entry.source)
                self._spawn(self._check_url(entry.source))

    async def _check_url(self, url: str) -> None:
        reason = await self._session.check_image_url(url)
        picker = self._form.image_picker
        picker.set_entry_status(url, reason is None, reason or self.tr("Image checked"))
        if reason is None:
            return
        self._checked_urls.discard(url)  # checked again if the person adds it again after fixing it
        picker.set_error(f"{url}: {reason}")

    def _on_task_changed(self, task: Task) -> None:
        if task.phase == TaskPhase.REJECTED and task.batch_id == self._last_batch and not self._refusal_shown:
            # The service's own words ("Insufficient credits") beside the form, or ours when it gave none; once
            # per batch, though every take is refused. The draft stays as it is, and "Submitted" is withdrawn.
            self._refusal_shown = True
            words = task.error_message or explain_failure(task).summary
            self._form.show_general_error(words)
            self.status_message.emit(self.tr("The service refused the submit: {0}").format(words), 10000)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        job = asyncio.get_event_loop().create_task(coro)
        self._jobs.add(job)
        job.add_done_callback(self._job_done)

    def _job_done(self, job: asyncio.Task[Any]) -> None:
        self._jobs.discard(job)
        if not job.cancelled() and job.exception() is not None:
            log.error("compose job failed", exc_info=job.exception())
            self.status_message.emit(self.tr("Something went wrong: {0}").format(job.exception()), 10000)
