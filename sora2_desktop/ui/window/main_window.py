"""MainWindow: the compose form, the task list and the selected task side by side; layout, menus, dialogs, wiring.

A start paints the frame first — title, size, menu titles, status bar and the first page — from the settings
alone; `attach(session)` then builds the shot list and the composer, and the rest in stages (window_parts.py,
window_stages.py). This module imports only what the frame needs: the parts' modules (the form, the lists,
QtMultimedia's player) are imported by their stages, after that first paint."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer

from sora2_desktop.ui.common.shortcuts import GROUP_GENERAL, Shortcut, register
from sora2_desktop.ui.window.window_frame import FirstPage, WindowFrame

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Coroutine
    from typing import Any

    from PySide6.QtGui import QAction, QCloseEvent
    from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget

    from sora2_desktop.api import ApiKey
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.projects.model import Shot
    from sora2_desktop.core.session import Session
    from sora2_desktop.core.tasks.connection_state import ConnectionState
    from sora2_desktop.core.tasks.task import Task
    from sora2_desktop.ui.common.shortcut_sheet import SheetOpener
    from sora2_desktop.ui.common.undo_bar import UndoBar
    from sora2_desktop.ui.compose.compose_controller import ComposeController
    from sora2_desktop.ui.compose.generation_form import GenerationForm
    from sora2_desktop.ui.projects.shot_composer import ShotComposer
    from sora2_desktop.ui.projects.shot_panel import ShotPanel
    from sora2_desktop.ui.results.result_controller import ResultController
    from sora2_desktop.ui.results.result_pane import ResultPane
    from sora2_desktop.ui.takes.take_strip import TakeStrip
    from sora2_desktop.ui.tasks.detail import TaskDetail
    from sora2_desktop.ui.tasks.notifier import TaskNotifier
    from sora2_desktop.ui.tasks.table_model import TaskTableModel
    from sora2_desktop.ui.tasks.task_actions import TaskActions
    from sora2_desktop.ui.tasks.task_list import TaskListView
    from sora2_desktop.ui.window.balance_label import BalanceLabel
    from sora2_desktop.ui.window.layout_memory import LayoutMemory
    from sora2_desktop.ui.window.take_desk import TakeDesk
    from sora2_desktop.ui.window.window_stages import WindowStages

log = logging.getLogger(__name__)

# Moving between the window's parts from the keyboard (the prompt has Ctrl+L).
register(
    Shortcut("Ctrl+1", "Go to the shot list", GROUP_GENERAL),
    Shortcut("Ctrl+2", "Go to the takes", GROUP_GENERAL),
    Shortcut("Ctrl+3", "Go to the activity (every task)", GROUP_GENERAL),
)


class MainWindow(WindowFrame):
    # The parts, made by window_parts (the later ones in `stages`); the actions, by window_menus.build_menus.
    stages: WindowStages
    session: Session
    form: GenerationForm
    model: TaskTableModel
    task_list: TaskListView
    results: ResultPane
    detail: TaskDetail
    shots: ShotPanel
    shot_composer: ShotComposer
    take_strip: TakeStrip
    compose: ComposeController
    task_actions: TaskActions
    result_control: ResultController
    take_desk: TakeDesk
    undo_bar: UndoBar
    activity: QWidget  # the Activity tab's page; the task list is put in it with its stage
    takes_place: QWidget
    player_place: QWidget
    lower_tabs: QTabWidget
    top: QSplitter
    work: QSplitter
    splitter: QSplitter
    layout_memory: LayoutMemory
    notifier: TaskNotifier
    balance_label: BalanceLabel
    draft_timer: QTimer
    tick_timer: QTimer
    settings_action: QAction
    enter_key_action: QAction
    generate_action: QAction
    spend_action: QAction
    shortcut_sheet: SheetOpener

    def __init__(
        self,
        session: Session | None = None,
        parent: QWidget | None = None,
        *,
        settings: AppSettings | None = None,
        first_page: FirstPage = FirstPage.WELCOME,
    ) -> None:
        """`MainWindow(session)`: the whole window at once. `MainWindow(settings=…, first_page=…)`: the frame only
        (app.py shows and paints it), until `attach(session)`."""
        frame_settings = session.settings if session is not None else settings
        assert frame_settings is not None, "MainWindow needs a session or the settings"
        super().__init__(frame_settings, first_page, parent)
        self._attached = False
        self._jobs: set[asyncio.Task[None]] = set()
        self._shown_take: int | None = None  # the take in the player (kept across a restart)
        self._shown_history: object = None  # which history the activity shows (demo mode has its own)
        if session is not None:
            self.attach(session)

    def attach(self, session: Session, *, staged: bool = False, turns: bool = True) -> None:
        """Build the shot list and the composer into the frame, fill them from the session and show the page it
        calls for; then the rest: at once, or `staged` a stage per turn of the event loop, from here or (not
        `turns`) from the caller's `stages.guard()` and `stages.start()` (app.py: once its asyncio loop runs)."""
        from sora2_desktop.ui.window.window_parts import build_work, later_stages  # after the first paint

        self.session = session
        self._settings = session.settings  # one settings object from now on (app.py passes the frame's)
        build_work(self, session)
        self._attached = True
        self._staged = staged
        self._wire()
        self._restore()
        self.stages = later_stages(self, session)
        self.shots.reload(select=session.settings.current_shot_id or None)  # the project and shot last on screen
        self._show_page()
        if not staged:
            self.stages.finish()
        elif turns:
            self.stages.start()

    # -- construction: each stage wires its part in when it is built ------------------------------------------

    def _wire(self) -> None:
        status = self.statusBar()
        self.draft_timer.timeout.connect(self._save_draft)
        self.form.draft_changed.connect(self.draft_timer.start)
        self.compose.status_message.connect(status.showMessage)
        self.welcome.demo_requested.connect(lambda: self.activate_from_click(demo=True))
        self.welcome.enter_key_requested.connect(lambda: self.open_settings("account"))
        self.session.activated.connect(self._on_activated)
        self.session.task_changed.connect(self._on_task_changed)
        self.session.auth_required.connect(self._on_auth_required)
        self.session.connection_changed.connect(self._on_connection_changed)
        self.session.models.news.connect(lambda text: status.showMessage(text, 20_000))  # once per refresh
        self.shots.shot_selected.connect(self._on_shot_selected)
        self.shots.shot_created.connect(lambda _shot: self.form.prompt_editor.focus_editor())
        self.shots.status_message.connect(lambda text: status.showMessage(text, 5000))

    def _restore(self) -> None:
        from sora2_desktop.ui.compose.form_draft import from_draft

        self.layout_memory.restore()
        draft = self.session.settings.draft
        if draft:
            self.form.set_values(from_draft(draft))

    def load_history(self) -> None:
        """The activity's tasks, from the session's history (demo mode has its own). Built in stages (the app), read by
        a worker once the window is whole: 10,000 tasks held the GUI thread 0.4-0.7 s, or stretched stages' turns."""
        history = self._shown_history = self.session.history
        if not self._staged:  # the whole window at once (tests, the self-test): here and now
            self.model.set_tasks(self.session.tasks())
            return
        self.model.begin_loading()

        async def read() -> None:
            try:
                tasks = await self.session.tasks_off_thread()
            except Exception:  # a locked or unreadable file: the GUI thread tries once more, as before
                log.exception("the history could not be read off the GUI thread")
                tasks = self.session.tasks()
            if history == self._shown_history:  # else another history was asked for meanwhile: that read shows
                self.model.finish_loading(tasks)

        self.stages.when_complete(lambda: self._run_job(read()))

    def _run_job(self, work: Coroutine[Any, Any, None]) -> None:
        """`work` on the loop, held until it ends."""
        import asyncio

        job = asyncio.get_event_loop().create_task(work)
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    # -- connection -------------------------------------------------------------------------------------------

    def activate_from_click(self, *, demo: bool = False) -> None:
        """Connect from a click (Try demo; a key entered while not connected), the HTTP pool made in a worker first
        as app.py's start does: on the GUI thread httpx and the TLS context held the click 110-160 ms."""
        self.statusBar().showMessage(self.tr("Starting demo mode…") if demo else self.tr("Connecting…"), 5000)

        async def connect() -> None:
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, lambda: self.session.prepare_connection(demo=demo))
            self.activate(demo=demo)  # nothing when a second click got there first (Session.activate)

        self._run_job(connect())

    def activate(self, *, demo: bool = False, key: ApiKey | None = None) -> None:
        """Connect the session; while the window is still being built, right after its last stage (what answers
        the connection, the activity and the player, is there then)."""
        if not self.stages.complete:
            self.stages.when_complete(lambda: self.activate(demo=demo, key=key))
            return
        try:
            self.session.activate(demo=demo, key=key)
        except Exception as err:  # a port that cannot be bound, a database that cannot be opened
            log.exception("could not start the session")
            self._first_page = FirstPage.WELCOME
            self._show_page()
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(self, self.tr("Could not start"), str(err))

    def key_answered(self, key: ApiKey | None) -> None:
        """The keychain's answer at start (read in a worker): connect with the key, or show the welcome page; the
        next start paints that page first."""
        if key is not None:
            self.activate(key=key)
            return
        self._first_page = FirstPage.WELCOME
        self.session.settings.first_page = FirstPage.WELCOME.value
        self._show_page()

    def _on_activated(self) -> None:
        self.model.time_scale = self.session.time_scale
        if not self.session.demo:
            self.session.settings.first_page = FirstPage.WORK.value
        if self.session.history != self._shown_history:
            # Demo mode and the real service keep separate histories: show the one just connected.
            self.task_actions.removals.commit_all()
            self.load_history()
            self.shots.reload()  # demo mode keeps its own projects, like its own history
        self._show_page()
        self.statusBar().clearMessage()  # "Connecting…" (activate_from_click): connected, the wait it named is over
        # Notes and posters for the history come after the window's first paint (a zero timer would run before).
        QTimer.singleShot(200, self.result_control.load_result_marks)

    def _show_page(self) -> None:
        from sora2_desktop.core.tasks.connection_state import ConnectionState
        from sora2_desktop.ui.tasks.task_wording import connection_words

        if self.session.active or self._first_page is FirstPage.WORK:
            self.stack.setCurrentWidget(self.splitter)  # before it connects, if a key (or --demo) is coming
        else:
            self.stack.setCurrentWidget(self.welcome if self._first_page is FirstPage.WELCOME else self.blank)
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
        from sora2_desktop.core.tasks.task import TaskPhase  # here: this module is imported before the first paint

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
        if self.stages.built("takes"):  # else its stage shows the shot on screen then
            self.take_strip.show_shot(shot.id if shot is not None else None)

    def show_take(self, task: object) -> None:
        from sora2_desktop.core.tasks.task import Task

        if isinstance(task, Task):
            self.note_take(task)
            self.result_control.show_task(task)

    def play_take(self, task: object) -> None:
        """A take chosen with Enter or a double click: shown, and the keys go to the player."""
        self.show_take(task)
        self.results.setFocus(Qt.FocusReason.OtherFocusReason)

    def note_take(self, task: object) -> None:
        from sora2_desktop.core.tasks.task import Task

        if isinstance(task, Task) and task.local_id is not None:
            self._shown_take = task.local_id

    def focus_takes(self) -> None:
        self.stages.ensure("takes")
        self.lower_tabs.setCurrentWidget(self.take_strip)
        self.take_strip.focus_takes()

    def focus_activity(self) -> None:
        self.stages.ensure("activity")
        self.lower_tabs.setCurrentWidget(self.activity)
        self.task_list.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_activity_search(self) -> None:
        self.stages.ensure("activity")
        self.lower_tabs.setCurrentWidget(self.activity)
        self.task_list.focus_search()

    def on_removals_changed(self, text: str) -> None:
        self.task_list.undo_remove_action.setEnabled(bool(text))
        if text:
            self.undo_bar.show_message(text)
        else:
            self.undo_bar.dismiss()

    def _on_connection_changed(self, state: ConnectionState) -> None:
        from sora2_desktop.ui.tasks.task_wording import connection_words

        if not self.session.demo:  # in demo mode the stand-in is in this process: "Demo mode" says all
            self.connection_label.setText(connection_words(state, self.session.api_base))

    def _on_auth_required(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Polling paused: the API key was refused."))
        self.open_settings("account", message)

    # -- dialogs ----------------------------------------------------------------------------------------------

    def open_settings(self, tab: str | None = None, message: str | None = None) -> None:
        from sora2_desktop.ui.settings.settings_dialog import SettingsDialog

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
                self.activate_from_click()
            return
        self.session.set_api_key(key)  # type: ignore[arg-type]
        self.statusBar().showMessage(self.tr("API key updated."), 5000)

    def open_spend(self) -> None:
        from sora2_desktop.ui.account.spend_view import SpendDialog

        summary = self.session.account.spend(self.session.tasks())
        dialog = SpendDialog(summary, self, demo=self.session.demo)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- plumbing ---------------------------------------------------------------------------------------------

    def _save_draft(self) -> None:
        from sora2_desktop.ui.compose.form_draft import to_draft

        self.session.settings.draft = to_draft(self.form.values())

    def _spawn_leave_demo(self) -> None:
        async def leave() -> None:
            await self.session.deactivate()
            self.activate()
            self.statusBar().showMessage(self.tr("Demo mode ended: connected with your API key."), 8000)

        self._run_job(leave())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._attached:  # else closed while its frame painted: nothing but the frame to keep
            stages = self.stages
            if stages.built("player"):
                # A closed window decodes nothing: FFmpeg's threads must end before the player object is collected.
                self.results.player.clear()
            if stages.built("activity"):
                self.task_actions.removals.commit_all()  # what waits for its undo window is forgotten now
            stages.stop()  # nothing more is built for a closed window
            self._save_draft()
            self.shot_composer.save_now()
            self.layout_memory.save()
            current = self.shots.current_shot()
            self._settings.current_shot_id = current.id if current is not None else 0
            if stages.built("takes"):  # else the take last on screen is still the stored one
                self._settings.current_take_id = self._shown_take or 0
        super().closeEvent(event)  # the frame keeps its geometry
