"""ResultController: keeps the result pane and the task list's download notes and posters in step with the core."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.export import export_copy
from sora2_desktop.core.results.poster_frames import poster_path_for
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.results.compare_takes import CompareTakesDialog
from sora2_desktop.ui.results.result_notes import result_note
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.tasks.table_model import TaskTableModel

log = logging.getLogger(__name__)


class ResultController(QObject):
    """Turns download and poster events into the model's notes and the pane's video; runs the file actions."""

    status_message = Signal(str)

    def __init__(self, session: Session, model: TaskTableModel, pane: ResultPane, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.model = model
        self.results = pane
        self._window = window
        self._jobs: set[asyncio.Task[Any]] = set()
        pane.redownload_requested.connect(self._redownload)
        pane.export_requested.connect(self._export)
        pane.compare_requested.connect(self._compare)
        session.poster_ready.connect(self._on_poster)

    def connect_downloads(self) -> None:
        if self.session.downloader is not None:
            self.session.downloader.download_changed.connect(self._on_download_changed)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        job = asyncio.get_event_loop().create_task(coro)
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    def show_task(self, task: Task | None) -> None:
        if task is None:
            self.results.show_task(None)
            return
        video = self.session.local_video(task) if task.phase == TaskPhase.SUCCESS else None
        self.results.show_task(task, video, can_compare=len(self._batch_videos(task)) >= 2)

    def _batch_videos(self, task: Task) -> list[Path]:
        if task.batch_id is None or task.phase != TaskPhase.SUCCESS:
            return []
        videos = []
        for row in range(self.model.rowCount()):
            other = self.model.task_at(row)
            if other.batch_id == task.batch_id and other.phase == TaskPhase.SUCCESS:
                video = self.session.local_video(other)
                if video is not None:
                    videos.append(video)
        return videos[:4]

    def _on_download_changed(self, record: Download) -> None:
        if self.session.closed:
            return
        task = self.session.store.get(record.local_id)
        if task is None:
            return
        downloads = self.session.downloads_for(task)
        self.model.set_result_note(record.local_id, result_note(downloads, datetime.now(UTC)))
        current = self.results.task()
        if current is not None and current.local_id == record.local_id and record.state == DownloadState.DONE:
            self.show_task(task)

    def _on_poster(self, local_id: int, path: str) -> None:
        self.model.set_poster(local_id, path)

    def load_result_marks(self) -> None:
        """Posters and download notes for finished tasks, after the first paint and off the GUI thread."""
        if self.session.closed:
            return
        by_task: dict[int, list[Download]] = {}
        for record in self.session.store.downloads_in(list(DownloadState)):
            by_task.setdefault(record.local_id, []).append(record)
        if by_task:
            self._spawn(self._apply_marks(by_task))

    async def _apply_marks(self, by_task: dict[int, list[Download]]) -> None:
        notes, posters, missing = await asyncio.to_thread(_marks_from_disk, by_task, datetime.now(UTC))
        self.model.set_result_marks(notes, posters)
        for local_id, video in missing.items():
            self.session.posters.request(str(local_id), video)

    def _redownload(self, task: Task) -> None:
        if self.session.downloader is None:
            return
        problem = self.session.downloader.redownload(task)
        self.status_message.emit(problem or self.tr("Downloading the video again…"))

    def _export(self, task: Task, video: Path) -> None:
        dialog = QFileDialog(self._window, self.tr("Export video"), str(Path.home() / video.name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("MP4 video (*.mp4)"))
        dialog.setDefaultSuffix("mp4")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda target: self._spawn(self._copy_out(video, Path(target))))
        dialog.open()

    async def _copy_out(self, video: Path, target: Path) -> None:
        try:
            await export_copy(video, target)
        except OSError as err:
            QMessageBox.warning(
                self._window, self.tr("Export failed"), self.tr("Could not save {0}: {1}").format(target, err.strerror)
            )
            return
        self.status_message.emit(self.tr("Exported to {0}").format(target))

    def _compare(self, task: Task) -> None:
        videos = self._batch_videos(task)
        if len(videos) < 2:
            return
        self.results.player.pause()
        dialog = CompareTakesDialog(videos, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def _marks_from_disk(
    by_task: dict[int, list[Download]], now: datetime
) -> tuple[dict[int, str], dict[int, str], dict[int, Path]]:
    """Notes, existing posters, and videos still without a poster: a file-system walk, so it runs in a worker."""
    notes: dict[int, str] = {}
    posters: dict[int, str] = {}
    missing: dict[int, Path] = {}
    for local_id, records in by_task.items():
        notes[local_id] = result_note(records, now)
        done = next((r.path for r in records if r.state == DownloadState.DONE and r.path is not None), None)
        if done is None:
            continue
        poster = poster_path_for(done)
        if poster.is_file():
            posters[local_id] = str(poster)
        elif done.is_file():
            missing[local_id] = done
    return notes, posters, missing
