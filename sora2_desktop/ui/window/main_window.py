"""MainWindow: the compose form, the task list and the selected task side by side; layout, menus, dialogs, wiring."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.projects.model import Shot
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.connection_state import ConnectionState
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.account.spend_view import SpendDialog
from sora2_desktop.ui.common.app_icon import app_icon
from sora2_desktop.ui.common.shortcut_sheet import SheetOpener
from sora2_desktop.ui.common.shortcuts import GROUP_GENERAL, Shortcut, register
from sora2_desktop.ui.common.undo_bar import UndoBar
from sora2_desktop.ui.compose.compose_controller import ComposeController
from sora2_desktop.ui.compose.form_draft import from_draft, to_draft
from sora2_desktop.ui.compose.form_pane import FormPane
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.projects.shot_composer import ShotComposer
from sora2_desktop.ui.projects.shot_panel import ShotPanel
from sora2_desktop.ui.results.result_controller import ResultController
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from sora2_desktop.ui.takes.take_strip import TakeStrip
from sora2_desktop.ui.tasks.notifier import TaskNotifier
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_actions import TaskActions
from sora2_desktop.ui.tasks.task_list import TaskListView
from sora2_desktop.ui.tasks.task_wording import connection_words
from sora2_desktop.ui.window.balance_label import BalanceLabel
from sora2_desktop.ui.window.layout_memory import MINIMUM, LayoutMemory, fit_to_screen
from sora2_desktop.ui.window.take_desk import TakeDesk
from sora2_desktop.ui.window.welcome_panel import WelcomePanel
from sora2_desktop.ui.window.window_menus import build_menus

log = logging.getLogger(__name__)

# Moving between the window's parts from the keyboard (the prompt has Ctrl+L).
register(
    Shortcut("Ctrl+1", "Go to the shot list", GROUP_GENERAL),
    Shortcut("Ctrl+2", "Go to the takes", GROUP_GENERAL),
    Shortcut("Ctrl+3", "Go to the activity (every task)", GROUP_GENERAL),
)


class MainWindow(QMainWindow):
    # Made by window_menus.build_menus (tests and the wiring reach them by these names).
    settings_action: QAction
    enter_key_action: QAction
    generate_action: QAction
    spend_action: QAction
    shortcut_sheet: SheetOpener

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        # Over 60 lines on purpose: the window's parts are made and laid out in the order they appear on screen.
        super().__init__(parent)
        self.session = session
        self._jobs: set[asyncio.Task[None]] = set()
        self._shown_take: int | None = None  # the take in the player (kept across a restart)
        self.setWindowTitle(self.tr("Sora 2 Desktop"))
        self.setMinimumSize(MINIMUM)  # the size itself: stored, or fitted to the screen (_restore)

        self.form = GenerationForm()
        self.form.prompt_editor.set_library(session.prompts)  # saved prompts beside the craft terms
        self.model = TaskTableModel(parent=self)
        self.task_list = TaskListView(self.model)
        self.results = ResultPane()
        self.detail = self.results.detail
        self.shots = ShotPanel(session)
        self.shot_composer = ShotComposer(session.projects, self.form, self.shots.current_project, self)
        self.take_strip = TakeStrip(session, self, is_playing=self._is_playing)
        self.compose = ComposeController(session, self.form, self, shot_id=self.shot_composer.shot_id_for_generate)
        self.task_actions = TaskActions(session, self.form, self.model, self)
        self.result_control = ResultController(session, self.model, self.results, self)
        self.welcome = WelcomePanel()
        self.take_desk = TakeDesk(self)  # review keys in the player, Compare, a take's settings back to its shot

        form_pane = FormPane(self.form)  # the fields scroll; the Generate row under them stays in view
        form_pane.setMinimumWidth(380)
        self.undo_bar = UndoBar()
        # Activity: every task in flight across projects, with today's filters and search.
        self.activity = QWidget()
        list_layout = QVBoxLayout(self.activity)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.task_list, 1)
        list_layout.addWidget(self.undo_bar)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setDocumentMode(True)
        self.lower_tabs.addTab(self.take_strip, self.tr("Takes"))
        self.lower_tabs.addTab(self.activity, self.tr("Activity"))
        # As in an editor's window: the shots (the bin) on the left; the shot's composer beside its takes above
        # the player, which gets the width of both. Every part keeps its minimum at 1024×700.
        self.top = QSplitter(Qt.Orientation.Horizontal)
        self.top.addWidget(form_pane)
        self.top.addWidget(self.lower_tabs)
        self.top.setSizes([2, 3])  # weights: the splitter shares what it has out in this ratio
        self.work = QSplitter(Qt.Orientation.Vertical)
        self.work.addWidget(self.top)
        self.work.addWidget(self.results)
        self.work.setSizes([3, 2])  # the composer shows its Generate button at 1024×700
        self.shots.setMinimumWidth(180)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.shots)
        self.splitter.addWidget(self.work)
        self.splitter.setStretchFactor(0, 0)  # a wider window widens the work, not the list
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 1200])
        for splitter in (self.splitter, self.top, self.work):
            splitter.setChildrenCollapsible(False)  # no pane vanishes by a drag to the edge
        self.layout_memory = LayoutMemory(
            session.settings,
            {"main": self.splitter, "top": self.top, "work": self.work},
            self.task_list.table.horizontalHeader(),
        )
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
        self._restore_place()
        self._show_page()

    # -- construction -----------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        build_menus(self)

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
        self.shots.shot_selected.connect(self._on_shot_selected)
        self.shots.shot_created.connect(lambda _shot: self.form.prompt_editor.focus_editor())
        self.shots.status_message.connect(lambda text: status.showMessage(text, 5000))
        self.take_strip.take_selected.connect(self._show_take)
        self.take_strip.take_activated.connect(self._play_take)
        self.take_desk.compare.status_message.connect(lambda text: status.showMessage(text, 5000))
        self.take_strip.review.status_message.connect(lambda text: status.showMessage(text, 5000))
        self.task_list.current_task_changed.connect(self._note_take)

    def _restore(self) -> None:
        s = self.session.settings
        geometry, state = s.window_geometry, s.window_state
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            fit_to_screen(self)  # first start: as large as the screen allows, not over its edges
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self.layout_memory.restore()
        draft = s.draft
        if draft:
            self.form.set_values(from_draft(draft))
        self.results.restore_audio(s.player_volume, s.player_muted)

    def _restore_place(self) -> None:
        """The project (ProjectService keeps it), shot and take on screen when the window last closed."""
        settings = self.session.settings
        self.shots.reload(select=settings.current_shot_id or None)
        take = settings.current_take_id
        if take and not self.take_strip.select_take(take):
            self.task_list.select_task(take)  # a take of no shot on screen: from the activity

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
        self.shots.reload()  # demo mode keeps its own projects, like its own history
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
        row = self.model.row_of(task.local_id) if task.local_id is not None else None
        finished = task.phase == TaskPhase.SUCCESS and (row is None or self.model.task_at(row).phase != task.phase)
        self.model.upsert(task)
        if finished:
            self.take_desk.say_finished_elsewhere(task)
        self.result_control.task_changed(task)
        self.notifier.task_changed(task)

    def _on_shot_selected(self, shot: Shot | None) -> None:
        self.shot_composer.show_shot(shot)
        self.take_strip.show_shot(shot.id if shot is not None else None)

    def _show_take(self, task: object) -> None:
        if isinstance(task, Task):
            self._note_take(task)
            self.result_control.show_task(task)

    def _play_take(self, task: object) -> None:
        """A take chosen with Enter or a double click: shown, and the keys go to the player."""
        self._show_take(task)
        self.results.setFocus(Qt.FocusReason.OtherFocusReason)

    def _is_playing(self) -> bool:
        return self.results.player.media_player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def _note_take(self, task: object) -> None:
        if isinstance(task, Task) and task.local_id is not None:
            self._shown_take = task.local_id

    def focus_takes(self) -> None:
        self.lower_tabs.setCurrentWidget(self.take_strip)
        self.take_strip.focus_takes()

    def focus_activity(self) -> None:
        self.lower_tabs.setCurrentWidget(self.activity)
        self.task_list.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_activity_search(self) -> None:
        self.lower_tabs.setCurrentWidget(self.activity)
        self.task_list.focus_search()

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
        # A closed window decodes nothing: FFmpeg's threads must end before the player object is collected.
        self.results.player.clear()
        self.task_actions.removals.commit_all()  # what waits for its undo window is forgotten now
        self._save_draft()
        self.shot_composer.save_now()
        self.layout_memory.save()
        current = self.shots.current_shot()
        self.session.settings.current_shot_id = current.id if current is not None else 0
        self.session.settings.current_take_id = self._shown_take or 0
        self.session.settings.window_geometry = self.saveGeometry()
        self.session.settings.window_state = self.saveState()
        super().closeEvent(event)
