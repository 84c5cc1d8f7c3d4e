"""ResultPane: the selected task's video in the embedded player, its file actions, and its details."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QSplitter, QToolBar, QVBoxLayout, QWidget

from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.results.video_player import VideoPlayer
from sora2_desktop.ui.tasks.detail import TaskDetail


class ResultPane(QWidget):
    """Shows one task. Actions that need the core (download again, export, compare) are emitted as intents."""

    redownload_requested = Signal(Task)
    export_requested = Signal(Task, Path)  # the task and its local file
    compare_requested = Signal(Task)  # the takes of its batch
    status_message = Signal(str)
    # A person changed the player's volume or mute: for the window to keep until the next run.
    volume_changed = Signal(float)
    muted_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = VideoPlayer()
        self.player.volume_changed.connect(self.volume_changed)
        self.player.muted_changed.connect(self.muted_changed)
        # Focus given to the pane (a take opened with Enter) lands in the player, where its keys work.
        self.setFocusProxy(self.player)
        self.detail = TaskDetail()
        self._task: Task | None = None
        self._video: Path | None = None
        self._source: str | None = None  # the saved file the player has loaded
        self._can_compare = False

        self.toolbar = QToolBar(self.tr("Result"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.reveal_action = self._action(self.tr("Show in folder"), "Ctrl+Shift+R", self._reveal)
        self.open_action = self._action(self.tr("Open in player"), "Ctrl+Shift+O", self._open_external)
        self.copy_path_action = self._action(self.tr("Copy file path"), None, self._copy_path)
        self.copy_url_action = self._action(self.tr("Copy URL"), None, self._copy_url)
        self.export_action = self._action(self.tr("Export…"), "Ctrl+E", self._export)
        self.redownload_action = self._action(self.tr("Download again"), None, self._redownload)
        self.compare_action = self._action(self.tr("Compare takes…"), "Ctrl+Shift+K", self._compare)
        for action in (self.reveal_action, self.open_action, self.export_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.copy_path_action, self.copy_url_action, self.redownload_action, self.compare_action):
            self.toolbar.addAction(action)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.player)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(240)
        split.setSizes([560, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(split, 1)
        self.show_task(None)  # the empty state until a take is selected

    def _action(self, text: str, shortcut: str | None, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{text} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(slot)
        return action

    def restore_audio(self, volume: float, muted: bool) -> None:
        """The player's volume (0.0-1.0) and mute as they were at the end of the last run."""
        self.player.restore_audio(volume, muted)

    # -- what is shown -----------------------------------------------------------------------------------------

    def task(self) -> Task | None:
        return self._task

    def video(self) -> Path | None:
        """The saved file shown, if any."""
        return self._video

    def show_task(
        self, task: Task | None, video: Path | None = None, *, can_compare: bool = False, note: str = ""
    ) -> None:
        """Show `task`; a finished one plays its saved file. Until the file is saved, the player shows `note`
        (the download's progress or problem) instead: nothing from the network is ever handed to the player."""
        self._task, self._video, self._can_compare = task, video, can_compare
        self.detail.show_task(task)
        self._sync_actions()
        finished = task is not None and task.phase == TaskPhase.SUCCESS
        source = str(video) if finished and video is not None else None
        if source is None:
            self._source = None
            if finished:
                self.player.show_note(note or self.tr("The video is being saved; it plays here once it is on disk."))
            elif task is None:  # the empty state: what to do next
                self.player.show_note(self.tr("Select a take to play it here — or write a prompt and generate one."))
            else:
                self.player.clear()
            return
        if source != self._source:
            self._source = source
            if not self.player.load(Path(source), autoplay=True):
                self._source = None

    def _sync_actions(self) -> None:
        has_file = self._video is not None
        done = self._task is not None and self._task.phase == TaskPhase.SUCCESS
        for action in (self.reveal_action, self.open_action, self.copy_path_action, self.export_action):
            action.setEnabled(has_file)
        self.copy_url_action.setEnabled(done and bool(self._task and self._task.result_urls))
        self.redownload_action.setEnabled(done and not has_file)
        self.compare_action.setEnabled(self._can_compare)

    # -- actions ---------------------------------------------------------------------------------------------

    def _reveal(self) -> None:
        if self._video is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._video.parent)))

    def _open_external(self) -> None:
        if self._video is not None:
            self.player.pause()
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._video)))

    def _copy_path(self) -> None:
        if self._video is not None:
            QGuiApplication.clipboard().setText(str(self._video))
            self.status_message.emit(self.tr("File path copied."))

    def _copy_url(self) -> None:
        if self._task is not None and self._task.result_urls:
            QGuiApplication.clipboard().setText(self._task.result_urls[0])
            self.status_message.emit(self.tr("Video URL copied (valid 15 days from completion)."))

    def _export(self) -> None:
        if self._task is not None and self._video is not None:
            self.export_requested.emit(self._task, self._video)

    def _redownload(self) -> None:
        if self._task is not None:
            self.redownload_requested.emit(self._task)

    def _compare(self) -> None:
        if self._task is not None:
            self.compare_requested.emit(self._task)
