"""ResultController: keeps the result pane and the task list's download notes and posters in step with the core."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.results.download_record import Download, DownloadProblem, DownloadState
from sora2_desktop.core.results.download_wording import download_problem_text
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.background_jobs import BackgroundJobs
from sora2_desktop.ui.results.compare_takes import MAX_TAKES, CompareTakesDialog, Take
from sora2_desktop.ui.results.in_out import NONE
from sora2_desktop.ui.results.result_notes import result_note
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.tasks.table_model import TaskTableModel

log = logging.getLogger(__name__)

_PROMPT_START = 40  # characters of the prompt that name a batch in the status bar


class ResultController(QObject):
    """Turns download and poster events into the model's notes and the pane's video; runs the file actions and
    the picking of a take in Compare."""

    status_message = Signal(str)

    def __init__(self, session: Session, model: TaskTableModel, pane: ResultPane, window: QWidget) -> None:
        super().__init__(window)
        self._session = session
        self.model = model
        self.results = pane
        self._window = window
        self._jobs = BackgroundJobs("result job")
        self._pause_told = False  # the status bar has said downloads are paused
        pane.redownload_requested.connect(self._redownload)
        pane.export_requested.connect(self._export)
        pane.compare_requested.connect(self._compare)
        pane.player.in_out_changed.connect(self._store_in_out)
        session.download_changed.connect(self._on_download_changed)
        session.poster_ready.connect(self._on_poster)

    def show_task(self, task: Task | None) -> None:
        if task is None:
            self.results.show_task(None)
            return
        video = self._session.local_video(task) if task.phase == TaskPhase.SUCCESS else None
        note = ""
        if task.phase == TaskPhase.SUCCESS and video is None:
            note = result_note(self._session.downloads_for(task), datetime.now(UTC))
        self.results.show_task(task, video, can_compare=len(self._batch_takes(task)) >= 2, note=note)
        if video is not None:
            self.results.player.set_in_out(task.in_ms, task.out_ms)  # the take's own marks, on its scrubber

    def task_changed(self, task: Task) -> None:
        """A task changed (the model already has it): the pane follows when it shows that task."""
        current = self.results.task()
        if current is not None and current.local_id == task.local_id:
            self.show_task(task)

    def _store_in_out(self, in_ms: int, out_ms: int) -> None:
        """A person marked in or out on the take shown: kept on the take, which comes back by task_changed."""
        task = self.results.task()
        if task is None or task.local_id is None:
            return
        start, end = (None if in_ms == NONE else in_ms), (None if out_ms == NONE else out_ms)
        if self._session.projects.set_in_out(task.local_id, start, end) is None:
            self.status_message.emit(self.tr("That take was removed from the history; its marks are not kept."))

    def _batch_takes(self, task: Task) -> list[Take]:
        """The batch's takes whose video is on disk, in the order they were made."""
        if task.batch_id is None or task.phase != TaskPhase.SUCCESS:
            return []
        takes = []
        for row in range(self.model.rowCount()):
            other = self.model.task_at(row)
            if other.batch_id == task.batch_id and other.phase == TaskPhase.SUCCESS and other.local_id is not None:
                video = self._session.local_video(other)
                if video is not None:
                    takes.append(Take(other.local_id, video, other.chosen))
        return sorted(takes, key=lambda take: take.local_id)[:MAX_TAKES]

    def _on_download_changed(self, record: Download) -> None:
        # The task and its downloads come from memory (the model, the session's view): no database read here,
        # and this runs for every progress event of every file.
        row = self.model.row_of(record.local_id)
        if row is None:
            return
        task = self.model.task_at(row)
        downloads = self._session.downloads_for(task)
        note = result_note(downloads, datetime.now(UTC))
        self.model.set_result_note(record.local_id, note)
        self._tell_pause(record)
        current = self.results.task()
        if current is not None and current.local_id == record.local_id:
            if record.state == DownloadState.DONE:
                self.show_task(task)
            elif self.results.video() is None and task.phase == TaskPhase.SUCCESS:
                self.results.player.show_note(note)  # progress or why it waits, where the video will be

    def _tell_pause(self, record: Download) -> None:
        """Once per pause: the status bar says why every download waits (the notes say it per task)."""
        paused = record.problem in (DownloadProblem.DISK_FULL, DownloadProblem.NO_PERMISSION)
        if paused and not self._pause_told:
            self.status_message.emit(download_problem_text(record) or "")
        if paused or (record.state in (DownloadState.DOWNLOADING, DownloadState.DONE) and record.problem is None):
            self._pause_told = paused

    def _on_poster(self, local_id: int, path: str) -> None:
        self.model.set_poster(local_id, path)

    def load_result_marks(self) -> None:
        """Posters and download notes for finished tasks, after the first paint and off the GUI thread."""
        self._jobs.spawn(self._apply_marks())

    async def _apply_marks(self) -> None:
        history = await self._session.history_results()
        if not history.downloads:
            return
        notes = await asyncio.to_thread(_notes, history.downloads, datetime.now(UTC))
        self.model.set_result_marks(notes, history.posters)

    def _redownload(self, task: Task) -> None:
        problem = self._session.redownload(task)
        self.status_message.emit(problem or self.tr("Downloading the video again…"))

    def _export(self, task: Task, video: Path) -> None:
        dialog = QFileDialog(self._window, self.tr("Export video"), str(Path.home() / video.name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("MP4 video (*.mp4)"))
        dialog.setDefaultSuffix("mp4")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda target: self._jobs.spawn(self._copy_out(video, Path(target))))
        dialog.open()

    async def _copy_out(self, video: Path, target: Path) -> None:
        try:
            await self._session.export(video, target)
        except OSError as err:
            QMessageBox.warning(
                self._window, self.tr("Export failed"), self.tr("Could not save {0}: {1}").format(target, err.strerror)
            )
            return
        self.status_message.emit(self.tr("Exported to {0}").format(target))

    def _compare(self, task: Task) -> None:
        takes = self._batch_takes(task)
        if len(takes) < 2:
            return
        self.results.player.pause()
        dialog = CompareTakesDialog(takes, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.take_picked.connect(lambda local_id: self._pick(dialog, task, local_id))
        dialog.open()

    def _pick(self, dialog: CompareTakesDialog, task: Task, local_id: int) -> None:
        # "Pick this take" circles it, as an editor circles a keeper; the updated take comes by task_changed.
        if self._session.projects.set_mark(local_id, TakeMark.CIRCLED) is None:
            self.status_message.emit(self.tr("That take was removed from the history; it cannot be circled."))
            return
        dialog.show_picked(local_id)
        prompt = " ".join(task.request.prompt.split())
        start = prompt if len(prompt) <= _PROMPT_START else prompt[: _PROMPT_START - 1] + "…"
        self.status_message.emit(
            self.tr("Take {number} circled for “{prompt}”").format(number=dialog.take_number(local_id), prompt=start)
        )


def _notes(by_task: dict[int, list[Download]], now: datetime) -> dict[int, str]:
    """The Detail column's download note of every task: words for thousands of rows, so in a worker."""
    return {local_id: result_note(records, now) for local_id, records in by_task.items()}
