"""MainWindow: the compose form, the task list and the selected task side by side, with menus and status bar."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from sora2_desktop import __version__
from sora2_desktop.api import FieldError, GenerationRequest, Mode
from sora2_desktop.core.images.resolver import ImageProblem, ImageSource
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.app_icon import app_icon
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.results.result_controller import ResultController
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from sora2_desktop.ui.tasks.notifier import TaskNotifier
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_list import TaskListView
from sora2_desktop.ui.window.welcome_panel import WelcomePanel

log = logging.getLogger(__name__)

# Local files become public URLs only after upload; validation only needs to know one will be there.
_UPLOAD_PLACEHOLDER = "https://upload.pending/image"


class MainWindow(QMainWindow):
    submitted = Signal(list)  # list[Task], after a Generate click was stored and sent (tests wait on it)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._jobs: set[asyncio.Task[Any]] = set()
        self._last_batch: str | None = None
        self._checked_urls: set[str] = set()
        self.setWindowTitle(self.tr("Sora 2 Desktop"))
        self.resize(1280, 800)

        self.form = GenerationForm()
        self.model = TaskTableModel(parent=self)
        self.task_list = TaskListView(self.model)
        self.results = ResultPane()
        self.detail = self.results.detail
        self.result_control = ResultController(session, self.model, self.results, self)
        self.welcome = WelcomePanel()

        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setWidget(self.form)
        form_scroll.setMinimumWidth(420)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.task_list)
        right.addWidget(self.results)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(form_scroll)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([500, 780])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.setWindowIcon(app_icon())
        self.notifier = TaskNotifier(self, lambda: session.settings.notifications_enabled, self.windowIcon())
        self.connection_label = QLabel()
        self.statusBar().addPermanentWidget(self.connection_label)
        self._draft_timer = QTimer(self, singleShot=True, interval=400)
        self._draft_timer.timeout.connect(self._save_draft)
        self._tick_timer = QTimer(self, interval=1000)
        self._tick_timer.timeout.connect(self.model.tick)
        self._tick_timer.start()
        self._build_menus()
        self._wire()

        self._restore()
        self.model.set_tasks(session.store.all())
        self._show_page()

    # -- construction -----------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.settings_action = self._action(
            self.tr("&Settings…"), QKeySequence.StandardKey.Preferences, self.open_settings
        )
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close))

        edit_menu = bar.addMenu(self.tr("&Edit"))
        editor = self.form.prompt_editor.editor()
        # The editor handles these keys itself while it has the focus; the menu entries show and reach them.
        undo = self._action(self.tr("&Undo"), QKeySequence.StandardKey.Undo, editor.undo)
        redo = self._action(self.tr("&Redo"), QKeySequence.StandardKey.Redo, editor.redo)
        for action in (undo, redo):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        editor.undoAvailable.connect(undo.setEnabled)
        editor.redoAvailable.connect(redo.setEnabled)
        undo.setEnabled(False)
        redo.setEnabled(False)
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        edit_menu.addMenu(self.form.prompt_editor.craft_menu())

        gen_menu = bar.addMenu(self.tr("&Generate"))
        self.generate_action = self._action(self.tr("&Generate"), QKeySequence("Ctrl+Return"), self.generate)
        self.generate_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the form owns the shortcut
        gen_menu.addAction(self.generate_action)
        gen_menu.addAction(
            self._action(self.tr("Focus the &prompt"), QKeySequence("Ctrl+L"), self.form.prompt_editor.focus_editor)
        )
        gen_menu.addAction(
            self._action(self.tr("&Search tasks"), QKeySequence.StandardKey.Find, self.task_list.focus_search)
        )

        tasks = self.task_list
        task_menu = bar.addMenu(self.tr("&Task"))
        task_menu.addActions([tasks.copy_task_id_action, tasks.copy_prompt_action])
        task_menu.addSeparator()
        task_menu.addActions([tasks.load_action, tasks.rerun_action, tasks.rerun_longer_action])
        task_menu.addSeparator()
        task_menu.addAction(tasks.remove_action)

        r = self.results
        video_menu = bar.addMenu(self.tr("&Video"))
        video_menu.addActions([r.reveal_action, r.open_action, r.export_action])
        video_menu.addSeparator()
        video_menu.addActions([r.copy_path_action, r.copy_url_action, r.redownload_action, r.compare_action])

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("Open &log folder"), None, self.open_log_folder))
        help_menu.addAction(self._action(self.tr("&About Sora 2 Desktop"), None, self.about))

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | None, slot: Any) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _wire(self) -> None:
        self.form.generate_requested.connect(self.generate)
        self.form.image_picker.entries_changed.connect(self._check_new_urls)
        self.form.draft_changed.connect(self._draft_timer.start)
        self.task_list.current_task_changed.connect(self.result_control.show_task)
        self.results.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.result_control.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.task_list.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.task_list.load_requested.connect(self._load_task)
        self.task_list.rerun_requested.connect(self._rerun)
        self.task_list.remove_requested.connect(self._remove)
        self.welcome.demo_requested.connect(lambda: self.activate(demo=True))
        self.welcome.enter_key_requested.connect(lambda: self.open_settings("account"))
        self.session.activated.connect(self._on_activated)
        self.notifier.task_activated.connect(self.task_list.select_task)

    def _restore(self) -> None:
        s = self.session.settings
        geometry, state = s.window_geometry, s.window_state
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        draft = s.draft
        if draft:
            self.form.restore_draft(draft)

    # -- connection -------------------------------------------------------------------------------------------

    def activate(self, *, demo: bool = False) -> None:
        try:
            self.session.activate(demo=demo)
        except Exception as err:  # a port that cannot be bound, a database that cannot be opened
            log.exception("could not start the session")
            QMessageBox.critical(self, self.tr("Could not start"), str(err))

    def _on_activated(self) -> None:
        runner = self.session.runner
        assert runner is not None
        runner.task_changed.connect(self._on_task_changed)
        runner.task_changed.connect(self.notifier.task_changed)
        runner.auth_required.connect(self._on_auth_required)
        self.model.time_scale = runner.timing.time_scale
        self.result_control.connect_downloads()
        for task in self.session.recovered:  # rows the crash recovery changed before we were listening
            self.model.upsert(task)
        self._show_page()
        # Notes and posters for the history come after the window's first paint (a zero timer would run before).
        QTimer.singleShot(200, self.result_control.load_result_marks)

    def _show_page(self) -> None:
        self.stack.setCurrentWidget(self.splitter if self.session.active else self.welcome)
        if self.session.active:
            where = (
                self.tr("Demo mode — a local stand-in of the service, nothing is charged")
                if self.session.demo
                else self.tr("Connected to {0}").format(self.session.api_base)
            )
            self.connection_label.setText(where)
            self.form.prompt_editor.focus_editor()

    # -- generate ---------------------------------------------------------------------------------------------

    def generate(self) -> None:
        if not self.session.active:
            self._show_page()
            return
        self.form.clear_errors()
        entries = self.form.image_picker.entries() if self.form.mode() == Mode.IMAGE_TO_VIDEO else []
        images = [ImageSource(e.source, e.is_local) for e in entries]
        probe = self.form.request(tuple(_UPLOAD_PLACEHOLDER if i.is_local else i.source for i in images))
        errors = probe.validate()
        if errors:
            self.form.show_errors(errors)
            return
        request = self.form.request(())
        self.form.set_busy(True)
        self._spawn(self._submit(request, images, self.form.takes()))

    async def _submit(self, request: GenerationRequest, images: list[ImageSource], takes: int) -> None:
        try:
            tasks = await self.session.prepare_and_submit(request, images, takes)
        except ImageProblem as problem:
            name = Path(problem.source).name if not problem.source.startswith("http") else problem.source
            self.form.show_errors([FieldError("image_urls", f"{name}: {problem.reason}")])
            return
        finally:
            self.form.set_busy(False)
        self._last_batch = tasks[0].batch_id if tasks else None
        self.statusBar().showMessage(self.tr("Submitted %n task(s).", "", len(tasks)), 5000)
        self.submitted.emit(tasks)

    def _check_new_urls(self) -> None:
        """A URL added to the picker is checked at once (answers, is an allowed image, small enough)."""
        for entry in self.form.image_picker.entries():
            if not entry.is_local and entry.source not in self._checked_urls:
                self._checked_urls.add(entry.source)
                self._spawn(self._check_url(entry.source))

    async def _check_url(self, url: str) -> None:
        reason = await self.session.images.check_url(url)
        self.form.image_picker.set_entry_status(url, reason is None, reason or self.tr("Image checked"))
        if reason is None:
            return
        self._checked_urls.discard(url)  # checked again if the person adds it again after fixing it
        self.form.image_picker.set_error(f"{url}: {reason}")

    def _on_task_changed(self, task: Task) -> None:
        self.model.upsert(task)
        if task.phase == TaskPhase.REJECTED and task.batch_id == self._last_batch and task.error_message:
            # The service's own words ("Insufficient credits") beside the form; the draft stays as it is.
            self.form.show_general_error(task.error_message)
        current = self.results.task()
        if current is not None and current.local_id == task.local_id:
            self.result_control.show_task(task)

    def _on_auth_required(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Polling paused: the API key was refused."))
        self.open_settings("account", message)

    # -- task actions -----------------------------------------------------------------------------------------

    def _load_task(self, task: Task) -> None:
        self.form.load_request(task.request)
        self.form.prompt_editor.focus_editor()

    def _rerun(self, task: Task, duration: int | None) -> None:
        if self.session.runner is None:
            return
        request = task.request
        if duration is not None:
            request = GenerationRequest(**{**request.__dict__, "duration": duration})
        self.session.runner.submit([request])

    def _remove(self, task: Task) -> None:
        if self.session.runner is not None:
            self.session.runner.remove(task)
        elif task.local_id is not None:
            self.session.store.remove(task.local_id)
        if task.local_id is not None:
            self.model.remove(task.local_id)

    # -- dialogs ----------------------------------------------------------------------------------------------

    def open_settings(self, tab: str | None = None, message: str | None = None) -> None:
        dialog = SettingsDialog(self.session.settings, self.session.secrets, self, initial_tab=tab)
        if message:
            dialog.setWindowTitle(self.tr("Settings — {0}").format(message))
        dialog.api_key_changed.connect(self._on_key_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_key_changed(self, key: object) -> None:
        if not self.session.active:
            if self.session.stored_key() is not None:
                self.activate()
            return
        self.session.set_api_key(key)  # type: ignore[arg-type]
        self.statusBar().showMessage(self.tr("API key updated."), 5000)

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.profile.logs_dir)))

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Sora 2 Desktop"),
            self.tr("<b>Sora 2 Desktop</b> {0}<br>Generate videos with OpenAI's Sora 2 through the APIXO API.").format(
                __version__
            ),
        )

    # -- plumbing ---------------------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        job = asyncio.get_event_loop().create_task(coro)
        self._jobs.add(job)
        job.add_done_callback(self._job_done)

    def _job_done(self, job: asyncio.Task[Any]) -> None:
        self._jobs.discard(job)
        if not job.cancelled() and job.exception() is not None:
            log.error("background job failed", exc_info=job.exception())
            self.statusBar().showMessage(self.tr("Something went wrong: {0}").format(job.exception()), 10000)

    def _save_draft(self) -> None:
        self.session.settings.draft = self.form.draft()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_draft()
        self.session.settings.window_geometry = self.saveGeometry()
        self.session.settings.window_state = self.saveState()
        super().closeEvent(event)
