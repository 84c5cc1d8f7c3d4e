"""MainWindow: the compose form, the task list and the selected task side by side; layout, menus, dialogs, wiring."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop import __version__
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.connection_state import ConnectionState
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.account.spend_view import SpendDialog
from sora2_desktop.ui.common.app_icon import app_icon
from sora2_desktop.ui.common.undo_bar import UndoBar
from sora2_desktop.ui.compose.compose_controller import ComposeController
from sora2_desktop.ui.compose.form_draft import from_draft, to_draft
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.results.result_controller import ResultController
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from sora2_desktop.ui.tasks.notifier import TaskNotifier
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_actions import TaskActions
from sora2_desktop.ui.tasks.task_list import TaskListView
from sora2_desktop.ui.tasks.task_wording import connection_words
from sora2_desktop.ui.window.balance_label import BalanceLabel
from sora2_desktop.ui.window.welcome_panel import WelcomePanel

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        # Over 60 lines on purpose: the window's parts are made and laid out in the order they appear on screen.
        super().__init__(parent)
        self.session = session
        self._jobs: set[asyncio.Task[None]] = set()
        self.setWindowTitle(self.tr("Sora 2 Desktop"))
        self.resize(1280, 800)

        self.form = GenerationForm()
        self.model = TaskTableModel(parent=self)
        self.task_list = TaskListView(self.model)
        self.results = ResultPane()
        self.detail = self.results.detail
        self.compose = ComposeController(session, self.form, self)
        self.task_actions = TaskActions(session, self.form, self.model, self)
        self.result_control = ResultController(session, self.model, self.results, self)
        self.welcome = WelcomePanel()

        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setWidget(self.form)
        form_scroll.setMinimumWidth(420)
        self.undo_bar = UndoBar()
        list_column = QWidget()
        list_layout = QVBoxLayout(list_column)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.task_list, 1)
        list_layout.addWidget(self.undo_bar)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(list_column)
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
        self.balance_label = BalanceLabel(session.account)  # the key's balance; a click shows the spend
        self.balance_label.clicked.connect(self.open_spend)
        self.statusBar().addPermanentWidget(self.balance_label)
        # The way out of demo mode, visible while in it.
        self.enter_key_button = QPushButton(self.tr("Enter your API key…"))
        self.enter_key_button.setFlat(True)
        self.enter_key_button.clicked.connect(lambda: self.open_settings("account"))
        self.enter_key_button.hide()
        self.statusBar().addPermanentWidget(self.enter_key_button)
        self._draft_timer = QTimer(self, singleShot=True, interval=400)
        self._draft_timer.timeout.connect(self._save_draft)
        self._tick_timer = QTimer(self, interval=1000)
        self._tick_timer.timeout.connect(self.model.tick)
        self._tick_timer.start()
        self._build_menus()
        self._wire()

        self._restore()
        self.model.set_tasks(session.tasks())
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
        self.enter_key_action = self._action(
            self.tr("Enter your &API key…"), None, lambda: self.open_settings("account")
        )
        file_menu.addAction(self.enter_key_action)
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
        edit_menu.addActions([undo, redo, self.task_list.undo_remove_action])
        edit_menu.addSeparator()
        edit_menu.addMenu(self.form.prompt_editor.craft_menu())

        gen_menu = bar.addMenu(self.tr("&Generate"))
        self.generate_action = self._action(self.tr("&Generate"), QKeySequence("Ctrl+Return"), self.compose.generate)
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
        task_menu.addActions([tasks.cancel_action, tasks.retry_action, tasks.remove_action])

        r = self.results
        video_menu = bar.addMenu(self.tr("&Video"))
        video_menu.addActions([r.reveal_action, r.open_action, r.export_action])
        video_menu.addSeparator()
        video_menu.addActions([r.copy_path_action, r.copy_url_action, r.redownload_action, r.compare_action])

        self.spend_action = self._action(self.tr("&Spend…"), None, self.open_spend)
        bar.addMenu(self.tr("&View")).addAction(self.spend_action)
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
        status = self.statusBar()
        self.form.draft_changed.connect(self._draft_timer.start)
        self.compose.status_message.connect(status.showMessage)
        self.task_list.current_task_changed.connect(self.result_control.show_task)
        self.results.status_message.connect(lambda text: status.showMessage(text, 5000))
        self.result_control.status_message.connect(lambda text: status.showMessage(text, 8000))
        self.task_list.status_message.connect(lambda text: status.showMessage(text, 5000))
        self.task_list.load_requested.connect(self.task_actions.load)
        self.task_list.rerun_requested.connect(self.task_actions.rerun)
        self.task_list.remove_requested.connect(self.task_actions.remove)
        self.task_list.cancel_requested.connect(self.task_actions.cancel)
        self.task_list.retry_requested.connect(self.task_actions.retry_now)
        self.task_list.undo_remove_requested.connect(self.task_actions.undo_remove)
        self.detail.cancel_requested.connect(self.session.cancel)
        self.detail.retry_requested.connect(self.session.retry_now)
        removals = self.task_actions.removals
        removals.changed.connect(self._on_removals_changed)
        self.undo_bar.undo_clicked.connect(self.task_actions.undo_remove)
        # The person's volume and mute survive a restart.
        self.results.volume_changed.connect(lambda volume: setattr(self.session.settings, "player_volume", volume))
        self.results.muted_changed.connect(lambda muted: setattr(self.session.settings, "player_muted", muted))
        self.welcome.demo_requested.connect(lambda: self.activate(demo=True))
        self.welcome.enter_key_requested.connect(lambda: self.open_settings("account"))
        self.session.activated.connect(self._on_activated)
        self.session.task_changed.connect(self._on_task_changed)
        self.session.auth_required.connect(self._on_auth_required)
        self.session.connection_changed.connect(self._on_connection_changed)
        self.session.models.news.connect(lambda text: status.showMessage(text, 20_000))  # once per refresh
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
            self.form.set_values(from_draft(draft))
        self.results.restore_audio(s.player_volume, s.player_muted)

    # -- connection -------------------------------------------------------------------------------------------

    def activate(self, *, demo: bool = False) -> None:
        try:
            self.session.activate(demo=demo)
        except Exception as err:  # a port that cannot be bound, a database that cannot be opened
            log.exception("could not start the session")
            QMessageBox.critical(self, self.tr("Could not start"), str(err))

    def _on_activated(self) -> None:
        self.model.time_scale = self.session.time_scale
        # Demo mode and the real service keep separate histories: show the one just connected.
        self.task_actions.removals.commit_all()
        self.model.set_tasks(self.session.tasks())
        self._show_page()
        # Notes and posters for the history come after the window's first paint (a zero timer would run before).
        QTimer.singleShot(200, self.result_control.load_result_marks)

    def _show_page(self) -> None:
        self.stack.setCurrentWidget(self.splitter if self.session.active else self.welcome)
        if self.session.active:
            where = (
                self.tr("Demo mode — a local stand-in of the service, nothing is charged")
                if self.session.demo
                else connection_words(ConnectionState.UNKNOWN, self.session.api_base)
            )
            self.connection_label.setText(where)
            self.enter_key_button.setVisible(self.session.demo)
            self.form.prompt_editor.focus_editor()
        self.balance_label.set_demo(self.session.demo)
        self.balance_label.setVisible(self.session.active)

    def _on_task_changed(self, task: Task) -> None:
        """The model first: the views that follow (result pane, tray) read the batch from it."""
        if self.task_actions.removals.note_change(task):
            return  # removed a moment ago (undoable): kept current out of sight
        self.model.upsert(task)
        self.result_control.task_changed(task)
        self.notifier.task_changed(task)

    def _on_removals_changed(self, text: str) -> None:
        self.task_list.undo_remove_action.setEnabled(bool(text))
        if text:
            self.undo_bar.show_message(text)
        else:
            self.undo_bar.dismiss()

    def _on_connection_changed(self, state: ConnectionState) -> None:
        if self.session.demo:
            return  # the stand-in is in this process: "Demo mode" says all
        self.connection_label.setText(connection_words(state, self.session.api_base))

    def _on_auth_required(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Polling paused: the API key was refused."))
        self.open_settings("account", message)

    # -- dialogs ----------------------------------------------------------------------------------------------

    def open_settings(self, tab: str | None = None, message: str | None = None) -> None:
        dialog = SettingsDialog(
            self.session.settings, self.session.secrets, self, initial_tab=tab, models=self.session.models
        )
        if message:
            dialog.setWindowTitle(self.tr("Settings — {0}").format(message))
        dialog.api_key_changed.connect(self._on_key_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_key_changed(self, key: object) -> None:
        if self.session.demo and self.session.stored_key() is not None:
            # Leaving demo mode: close the stand-in and open the real service with the real history.
            self._spawn_leave_demo()
            return
        if not self.session.active:
            if self.session.stored_key() is not None:
                self.activate()
            return
        self.session.set_api_key(key)  # type: ignore[arg-type]
        self.statusBar().showMessage(self.tr("API key updated."), 5000)

    def open_spend(self) -> None:
        summary = self.session.account.spend(self.session.tasks())
        dialog = SpendDialog(summary, self, demo=self.session.demo)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

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

    def _save_draft(self) -> None:
        self.session.settings.draft = to_draft(self.form.values())

    def _spawn_leave_demo(self) -> None:
        async def leave() -> None:
            await self.session.deactivate()
            self.activate()
            self.statusBar().showMessage(self.tr("Demo mode ended: connected with your API key."), 8000)

        job = asyncio.get_event_loop().create_task(leave())
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.task_actions.removals.commit_all()  # what waits for its undo window is forgotten now
        self._save_draft()
        self.session.settings.window_geometry = self.saveGeometry()
        self.session.settings.window_state = self.saveState()
        super().closeEvent(event)
