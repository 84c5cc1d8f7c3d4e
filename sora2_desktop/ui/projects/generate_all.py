"""GenerateAll: Generate ▸ Generate all shots… — every shot of the project whose draft is ready is submitted with
its takes, after one question that shows the whole estimate (per model, the total, the balance it leaves) and
which shots are skipped and why; the answer defaults to No."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.common import confirm
from sora2_desktop.ui.projects.generate_all_plan import GeneratePlan, ShotJob, plan_generate_all, question_words
from sora2_desktop.ui.projects.shot_panel import ShotPanel

log = logging.getLogger(__name__)


class GenerateAll(QObject):
    """`generate_all_action` asks and submits; `stop_action` stops before the next shot while it submits."""

    status_message = Signal(str)
    finished = Signal(list)  # list[str]: the shots the service or the checks refused, with why ("SH040: …")

    def __init__(self, session: Session, shots: ShotPanel, window: QWidget) -> None:
        super().__init__(window)
        self._session = session
        self._shots = shots
        self._window = window
        self._job: asyncio.Task[Any] | None = None
        self._stopping = False
        self.generate_all_action = QAction(self.tr("Generate &all shots…"), self)
        self.generate_all_action.setToolTip(self.tr("Submit every shot of the project whose draft is ready"))
        self.generate_all_action.triggered.connect(self.ask_and_generate)
        self.stop_action = QAction(self.tr("Stop generating all"), self)
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(self.stop)

    def plan(self) -> GeneratePlan | None:
        project = self._shots.current_project()
        if project is None:
            return None
        projects, account = self._session.projects, self._session.account
        return plan_generate_all(
            projects.shots(project.id),
            self._session.models.current(),
            lambda shot_id: len(projects.takes(shot_id)),
            account.estimate,
            account.balance(),
        )

    def ask_and_generate(self) -> None:
        """The question first (in demo mode too: it is the whole estimate); nothing is sent on No."""
        if not self._session.active or (self._job is not None and not self._job.done()):
            if not self._session.active:
                self.status_message.emit(self.tr("Connect first: enter your API key or start demo mode."))
            return
        plan = self.plan()
        if plan is None:
            return
        if not plan.jobs:
            self._tell_nothing_ready(plan)
            return
        chosen = self._ask(plan)
        if chosen:
            self._stopping = False
            self._job = asyncio.get_event_loop().create_task(self.submit(chosen))
            self._job.add_done_callback(self._job_done)

    async def submit(self, jobs: list[ShotJob]) -> list[str]:
        """Each shot's takes into the shot, one shot after the other (as its Generate button would send them);
        the refusals, by shot."""
        self.generate_all_action.setEnabled(False)
        self.stop_action.setEnabled(True)
        refused: list[str] = []
        sent = shots_sent = 0
        try:
            for number, job in enumerate(jobs, start=1):
                if self._stopping:
                    break
                self.status_message.emit(
                    self.tr("Submitting shot {0} of {1} ({2})…").format(number, len(jobs), job.shot.code)
                )
                result = await self._session.submit(job.request, list(job.images), job.takes, shot_id=job.shot.id)
                if result.errors:
                    refused.append(f"{job.shot.code}: {' '.join(error.message for error in result.errors)}")
                    continue
                taken = [task for task in result.tasks if task.phase != TaskPhase.REJECTED]
                sent += len(taken)
                shots_sent += 1 if taken else 0
        finally:
            self.generate_all_action.setEnabled(True)
            self.stop_action.setEnabled(False)
        words = self.tr("Submitted %n take(s)", "", sent) + " " + self.tr("in %n shot(s).", "", shots_sent)
        if self._stopping:
            words += " " + self.tr("Stopped before the other shots.")
        self.status_message.emit(words)
        if refused:
            self._tell(self.tr("%n shot(s) were not submitted", "", len(refused)), "\n".join(refused))
        self.finished.emit(refused)
        return refused

    def stop(self) -> None:
        """No further shot is submitted; the takes already sent go on."""
        self._stopping = True

    # -- the question -----------------------------------------------------------------------------------------

    def _ask(self, plan: GeneratePlan) -> list[ShotJob]:
        titles = lambda model: self._session.models.current().spec_for(model).title  # noqa: E731
        box = QMessageBox(self._window)
        box.setWindowTitle(self.tr("Generate all shots"))
        box.setIcon(QMessageBox.Icon.Question)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Don't submit"))
        include = QCheckBox(self.tr("Also the %n shot(s) that already have takes", "", plan.with_takes_count))
        if plan.with_takes_count:
            box.setCheckBox(include)

        def show(with_takes: bool) -> None:
            question, details, skipped = question_words(plan, with_takes, titles)
            chosen = plan.chosen(with_takes)
            over = plan.balance_usd is not None and sum(job.estimate.total_usd for job in chosen) > plan.balance_usd
            box.setIcon(QMessageBox.Icon.Warning if over else QMessageBox.Icon.Question)
            box.setText(question)
            box.setInformativeText(details)
            if skipped:
                box.setDetailedText(skipped)
            yes = box.button(QMessageBox.StandardButton.Yes)
            yes.setText(self.tr("Submit %n take(s)", "", sum(job.takes for job in chosen)))
            yes.setEnabled(bool(chosen))

        include.toggled.connect(show)
        show(False)
        answer = confirm.runner(box)  # the spending questions' seam: tests answer it
        chosen = plan.chosen(include.isChecked())
        box.deleteLater()
        return chosen if answer == QMessageBox.StandardButton.Yes else []

    def _tell_nothing_ready(self, plan: GeneratePlan) -> None:
        reasons = "\n".join(f"{item.shot.code}: {item.reason}" for item in plan.skipped)
        self._tell(self.tr("No shot of this project is ready to generate."), reasons)

    def _tell(self, text: str, details: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Generate all shots"), text, QMessageBox.StandardButton.Ok
        )
        box.setParent(self._window, box.windowFlags())
        box.setInformativeText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _job_done(self, job: asyncio.Task[Any]) -> None:
        if not job.cancelled() and job.exception() is not None:
            log.error("generate all failed", exc_info=job.exception())
            self.status_message.emit(self.tr("Something went wrong: {0}").format(job.exception()))
