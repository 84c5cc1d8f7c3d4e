"""ComposeController: the Generate flow — the form's values to Session.submit, and core's answer back to the form."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from sora2_desktop.api import GenerationRequest
from sora2_desktop.api.refusal import refused_field
from sora2_desktop.core.images.source import ImageSource
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.failure_text import explain_failure
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.background_jobs import BackgroundJobs
from sora2_desktop.ui.common.confirm import confirm_spending
from sora2_desktop.ui.compose.cost_text import cost_text, cost_tip
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.compose.over_balance import confirm_over_balance
from sora2_desktop.ui.tasks import task_wording as wording

log = logging.getLogger(__name__)


class ComposeController(QObject):
    """Collects the form, submits through the session, and shows at their fields the errors core returns; checks
    each web address added to the picker at once; puts a refusal of the last batch at the field it names (with
    the offer to refresh the model list); keeps the form on the session's catalogue and the click's cost on
    the Generate button."""

    status_message = Signal(str, int)  # text, how long to show it (ms)

    def __init__(
        self,
        session: Session,
        form: GenerationForm,
        parent: QObject | None = None,
        *,
        shot_id: Callable[[], int | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._form = form
        self._shot_id = shot_id  # the shot the takes go into, asked at each Generate (None: no shot)
        self._jobs = BackgroundJobs("compose job", self._say_failure)
        self._last_batch: str | None = None
        self._refusal_shown = False
        self._checked_urls: set[str] = set()
        form.generate_requested.connect(self.generate)
        form.refresh_requested.connect(lambda: self._jobs.spawn(self._refresh_models()))
        form.image_picker.entries_changed.connect(self._check_new_urls)
        form.draft_changed.connect(self._show_cost)
        session.task_changed.connect(self._on_task_changed)
        session.models.changed.connect(self._on_models_changed)
        session.account.balance_changed.connect(self._show_cost)
        session.settings.changed.connect(self._on_setting_changed)
        form.set_catalogue(session.models.current())
        self._on_setting_changed("callback_poll_interval_s")
        self._show_cost()

    def generate(self) -> None:
        """Submit what the form describes. Without a connection the window shows its welcome page instead."""
        if not self._session.active or self._form.is_busy():
            return
        self._form.clear_errors()
        values, request = self._form.values(), self._form.request()
        estimate = self._session.account.estimate(request, values.takes)
        parent = self.parent()
        widget = parent if isinstance(parent, QWidget) else None
        if estimate.exceeds_balance:
            # Asked every time, in demo mode too: the stand-in keeps a balance, and an answer here spends it.
            if not confirm_over_balance(widget, estimate):
                return
        elif values.takes > 1:
            # Several takes multiply the cost: say what will be submitted before spending (never in demo mode).
            question, details = wording.spend_question(values.takes, request, estimate)
            settings = self._session.settings
            if not confirm_spending(widget, settings, "takes", question, details, demo=self._session.demo):
                return
        self._form.set_busy(True)
        shot_id = self._shot_id() if self._shot_id is not None else None
        self._jobs.spawn(self._submit(request, values.chosen_images(), values.takes, shot_id))

    async def _submit(
        self, request: GenerationRequest, images: list[ImageSource], takes: int, shot_id: int | None = None
    ) -> None:
        try:
            if shot_id is None:
                result = await self._session.submit(request, images, takes)
            else:
                result = await self._session.submit(request, images, takes, shot_id=shot_id)
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
                self._jobs.spawn(self._check_url(entry.source))

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
            # The service's own words ("Insufficient credits") beside the form, or ours when it gave none; at the
            # control when they name one ("input.duration must be one of 4, 8, 12"); once per batch, though
            # every take is refused. The draft stays as it is, and "Submitted" is withdrawn.
            self._refusal_shown = True
            words = explain_failure(task).summary  # the service's words; a 402/403/404 its sentence with the action
            self._form.show_refusal(refused_field(task.error_message), words)
            self.status_message.emit(self.tr("The service refused the submit: {0}").format(words), 10000)

    async def _refresh_models(self) -> None:
        """The person asked, beside a refusal, to read the model list again; the outcome in one line. A change
        comes back through `models.changed`, which moves the form's values with a note at each one moved."""
        self._form.show_refresh_outcome("", running=True)
        report = await self._session.models.refresh_now()
        if report.problem:
            text = self.tr("The model list could not be refreshed: {0}").format(report.problem)
        elif report.changes:
            text = self.tr("Model list refreshed: {0}").format("; ".join(report.changes))
        else:
            text = self.tr("The model list is unchanged: the service published nothing new.")
        self._form.show_refresh_outcome(text)

    def _on_models_changed(self) -> None:
        self._form.set_catalogue(self._session.models.current())
        self._show_cost()

    def _on_setting_changed(self, name: str) -> None:
        if name in ("poll_interval_s", "callback_poll_interval_s"):
            # Callback tasks poll like any other unless the person chose a longer interval for them (PollTiming).
            settings = self._session.settings
            every = max(float(settings.poll_interval_s), float(settings.callback_poll_interval_s))
            self._form.set_callback_poll_interval(every)

    def _show_cost(self) -> None:
        """This click's estimate and the balance after it, on the Generate button."""
        request = self._form.request()
        estimate = self._session.account.estimate(request, self._form.takes())
        spec = self._session.models.current().spec_for(request.model)
        self._form.set_cost(cost_text(estimate), cost_tip(estimate, spec))

    def _say_failure(self, error: BaseException) -> None:
        self.status_message.emit(self.tr("Something went wrong: {0}").format(error), 10000)
