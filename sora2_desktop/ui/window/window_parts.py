"""The main window's parts — the shot list, the composer, the takes, the activity, the player, the status bar's
labels — made and laid out in the frame MainWindow painted first. Imported by `MainWindow.attach` only: these
modules (the form, QtMultimedia's player, the lists) are what a start no longer waits for before its first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from sora2_desktop.ui.common.undo_bar import UndoBar
from sora2_desktop.ui.compose.compose_controller import ComposeController
from sora2_desktop.ui.compose.form_pane import FormPane
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.projects.shot_composer import ShotComposer
from sora2_desktop.ui.projects.shot_panel import ShotPanel
from sora2_desktop.ui.results.result_controller import ResultController
from sora2_desktop.ui.results.result_pane import ResultPane
from sora2_desktop.ui.takes.take_strip import TakeStrip
from sora2_desktop.ui.tasks.notifier import TaskNotifier
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_actions import TaskActions
from sora2_desktop.ui.tasks.task_list import TaskListView
from sora2_desktop.ui.window.balance_label import BalanceLabel
from sora2_desktop.ui.window.layout_memory import LayoutMemory
from sora2_desktop.ui.window.take_desk import TakeDesk
from sora2_desktop.ui.window.window_menus import build_menus

if TYPE_CHECKING:
    from sora2_desktop.core.session import Session
    from sora2_desktop.ui.window.main_window import MainWindow


def build_parts(window: MainWindow, session: Session) -> None:
    """Every part, in the order they appear on screen; then the menus, which reach into them."""
    window.form = GenerationForm()
    window.form.prompt_editor.set_library(session.prompts)  # saved prompts beside the craft terms
    window.model = TaskTableModel(parent=window)
    window.task_list = TaskListView(window.model)
    window.results = ResultPane()
    window.detail = window.results.detail
    window.shots = ShotPanel(session)
    window.shot_composer = ShotComposer(session.projects, window.form, window.shots.current_project, window)
    window.take_strip = TakeStrip(session, window, is_playing=window.results.player.transport.is_playing)
    window.compose = ComposeController(session, window.form, window, shot_id=window.shot_composer.shot_id_for_generate)
    window.task_actions = TaskActions(session, window.form, window.model, window)
    window.result_control = ResultController(session, window.model, window.results, window)
    window.take_desk = TakeDesk(window)  # review keys in the player, Compare, a take's settings back to its shot
    _lay_out(window)
    window.layout_memory = LayoutMemory(
        session.settings,
        {"main": window.splitter, "top": window.top, "work": window.work},
        window.task_list.table.horizontalHeader(),
    )
    window.stack.addWidget(window.splitter)
    _status_bar(window, session)
    window.draft_timer = QTimer(window, singleShot=True, interval=400)
    window.tick_timer = QTimer(window, interval=1000)
    window.tick_timer.timeout.connect(window.model.tick)
    window.tick_timer.start()
    build_menus(window)


def _lay_out(window: MainWindow) -> None:
    form_pane = FormPane(window.form)  # the fields scroll; the Generate row under them stays in view
    form_pane.setMinimumWidth(380)
    window.undo_bar = UndoBar()
    # Activity: every task in flight across projects, with today's filters and search.
    window.activity = QWidget()
    list_layout = QVBoxLayout(window.activity)
    list_layout.setContentsMargins(0, 0, 0, 0)
    list_layout.addWidget(window.task_list, 1)
    list_layout.addWidget(window.undo_bar)
    window.lower_tabs = QTabWidget()
    window.lower_tabs.setDocumentMode(True)
    window.lower_tabs.addTab(window.take_strip, window.tr("Takes"))
    window.lower_tabs.addTab(window.activity, window.tr("Activity"))
    # As in an editor's window: the shots (the bin) on the left; the shot's composer beside its takes above
    # the player, which gets the width of both. Every part keeps its minimum at 1024×700.
    window.top = QSplitter(Qt.Orientation.Horizontal)
    window.top.addWidget(form_pane)
    window.top.addWidget(window.lower_tabs)
    window.top.setSizes([2, 3])  # weights: the splitter shares what it has out in this ratio
    window.work = QSplitter(Qt.Orientation.Vertical)
    window.work.addWidget(window.top)
    window.work.addWidget(window.results)
    window.work.setSizes([3, 2])  # the composer shows its Generate button at 1024×700
    window.shots.setMinimumWidth(180)
    window.splitter = QSplitter(Qt.Orientation.Horizontal)
    window.splitter.addWidget(window.shots)
    window.splitter.addWidget(window.work)
    window.splitter.setStretchFactor(0, 0)  # a wider window widens the work, not the list
    window.splitter.setStretchFactor(1, 1)
    window.splitter.setSizes([240, 1200])
    for splitter in (window.splitter, window.top, window.work):
        splitter.setChildrenCollapsible(False)  # no pane vanishes by a drag to the edge


def _status_bar(window: MainWindow, session: Session) -> None:
    window.notifier = TaskNotifier(window, lambda: session.settings.notifications_enabled, window.windowIcon())
    window.balance_label = BalanceLabel(session.account)  # the key's balance; a click shows the spend
    window.balance_label.clicked.connect(window.open_spend)
    # Between the frame's connection label and its way out of demo mode (window_frame.py).
    window.statusBar().insertPermanentWidget(1, window.balance_label)
    window.enter_key_button.clicked.connect(lambda: window.open_settings("account"))
