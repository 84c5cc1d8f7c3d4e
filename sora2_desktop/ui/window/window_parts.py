"""The main window's parts, made and laid out in the frame MainWindow painted first. Imported by `MainWindow.attach`
only, after that first paint.

`build_work` makes what a person works in first — the shot list, the composer and its Generate, the layout and the
status bar — with an empty place for each part that comes later; `later_stages` makes the rest a stage at a time
(window_stages.py): the activity, the player (QtMultimedia), the takes, the menus, each after its modules are
imported one a turn, so that no turn of the event loop holds a frame up for long."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from sora2_desktop.ui.compose.compose_controller import ComposeController
from sora2_desktop.ui.compose.form_pane import FormPane
from sora2_desktop.ui.compose.generation_form import GenerationForm
from sora2_desktop.ui.projects.shot_composer import ShotComposer
from sora2_desktop.ui.projects.shot_panel import ShotPanel
from sora2_desktop.ui.window.balance_label import BalanceLabel
from sora2_desktop.ui.window.layout_memory import LayoutMemory
from sora2_desktop.ui.window.window_stages import WindowStages

if TYPE_CHECKING:
    from sora2_desktop.core.session import Session
    from sora2_desktop.ui.window.main_window import MainWindow

# The modules each later part needs, in the order they import each other's (the largest first would pull in the rest
# in one turn); under sora2_desktop.
ACTIVITY_MODULES = ("ui.tasks.task_wording", "ui.tasks.table_model", "ui.tasks.task_list", "ui.tasks.task_actions")
PLAYER_MODULES = (
    # The player's module was the start's longest turn (37-56 ms, cold_start.py): what it imports comes first,
    # a turn each.
    "PySide6.QtMultimedia",
    "ui.results.player_bar",
    "core.media.playback_support",
    "ui.results.timecode",
    "ui.results.video_player",
    "ui.takes.prompt_diff",  # difflib, for the task detail's comparison
    "ui.tasks.detail",
    "ui.results.result_pane",
    "ui.results.compare_takes",
    "ui.results.result_controller",
)
TAKES_MODULES = (
    "core.media.frame_grab",
    "ui.takes.take_delegate",
    "ui.takes.take_strip",
    "ui.results.frame_actions",
    "ui.window.take_desk",
)
MENUS_MODULES = (
    "ui.common.shortcut_sheet",
    "core.export.export_result",
    "ui.export.export_dialog",
    "core.sheets.sheet_service",
    "ui.export.contact_sheet_dialog",
    "core.projects.shot_list_check",
    "ui.projects.shot_list_actions",
    "ui.projects.generate_all",
    "ui.window.window_menus",
)


def build_work(window: MainWindow, session: Session) -> None:
    """The shot list and the composer, laid out with a place for each later part; the status bar's balance."""
    window.form = GenerationForm()
    window.form.prompt_editor.set_library(session.prompts)  # saved prompts beside the craft terms
    window.shots = ShotPanel(session)
    window.shot_composer = ShotComposer(session.projects, window.form, window.shots.current_project, window)
    window.compose = ComposeController(session, window.form, window, shot_id=window.shot_composer.shot_id_for_generate)
    _lay_out(window)
    window.layout_memory = LayoutMemory(
        session.settings, {"main": window.splitter, "top": window.top, "work": window.work}
    )
    window.stack.addWidget(window.splitter)
    window.balance_label = BalanceLabel(session.account)  # the key's balance; a click shows the spend
    window.balance_label.clicked.connect(window.open_spend)
    # Between the frame's connection label and its way out of demo mode (window_frame.py).
    window.statusBar().insertPermanentWidget(1, window.balance_label)
    window.enter_key_button.clicked.connect(lambda: window.open_settings("account"))
    window.draft_timer = QTimer(window, singleShot=True, interval=400)


def later_stages(window: MainWindow, session: Session) -> WindowStages:
    """The rest of the window, in the order a person reaches for it; each part is wired in by its own stage."""
    stages = WindowStages(window)
    for name, modules, build in (
        ("activity", ACTIVITY_MODULES, lambda: _build_activity(window, session)),
        ("player", PLAYER_MODULES, lambda: _build_player(window, session)),
        ("takes", TAKES_MODULES, lambda: _build_takes(window, session)),
        ("menus", MENUS_MODULES, lambda: _build_menus(window)),
    ):
        for module in modules:  # a turn each: a part's imports together would hold a frame up
            path = module if module.startswith("PySide6.") else f"sora2_desktop.{module}"
            stages.add(f"{name}: {module}", partial(importlib.import_module, path))
        if name == "activity":
            stages.add("activity: combo types", _first_combo_item)
        if name == "player":  # the media backend's first load (15 ms idle, 50 ms loaded) gets a turn of its own
            stages.add("player: backend", _probe_playback)
        stages.add(name, build)
    return stages


def _first_combo_item() -> None:
    """The first combo box to get an item while the stages' input guard (a Python event filter on the whole
    application) is up costs PySide6 some 180 Python types for the events of its private parts, 36 ms: paid here,
    in a turn of its own, instead of inside the activity's stage (the task list's filter combo)."""
    from PySide6.QtWidgets import QComboBox

    combo = QComboBox()
    combo.addItem("", 0)
    combo.deleteLater()


def _probe_playback() -> None:
    from sora2_desktop.core.media import playback_support

    playback_support.current()


def _lay_out(window: MainWindow) -> None:
    form_pane = FormPane(window.form)  # the fields scroll; the Generate row under them stays in view
    form_pane.setMinimumWidth(380)
    # The takes and the activity (every task in flight across projects) share the tabs; each tab's page is in
    # place from the start and gets its part in its stage (the tabs never change).
    window.takes_place, window.activity = _place(), _place()
    window.lower_tabs = QTabWidget()
    window.lower_tabs.setDocumentMode(True)
    window.lower_tabs.addTab(window.takes_place, window.tr("Takes"))
    window.lower_tabs.addTab(window.activity, window.tr("Activity"))
    window.player_place = _place()
    # As in an editor's window: the shots (the bin) on the left; the shot's composer beside its takes above
    # the player, which gets the width of both. Every part keeps its minimum at 1024×700.
    window.top = QSplitter(Qt.Orientation.Horizontal)
    window.top.addWidget(form_pane)
    window.top.addWidget(window.lower_tabs)
    window.work = QSplitter(Qt.Orientation.Vertical)
    window.work.addWidget(window.top)
    window.work.addWidget(window.player_place)
    window.shots.setMinimumWidth(180)
    window.splitter = QSplitter(Qt.Orientation.Horizontal)
    window.splitter.addWidget(window.shots)
    window.splitter.addWidget(window.work)
    window.splitter.setStretchFactor(0, 0)  # a wider window widens the work, not the list
    window.splitter.setStretchFactor(1, 1)
    for splitter in (window.splitter, window.top, window.work):
        splitter.setChildrenCollapsible(False)  # no pane vanishes by a drag to the edge
    _share_out(window)


def _share_out(window: MainWindow) -> None:
    """The panes' first sizes, as weights the splitters share their room out by; then the person's, if stored. Again
    at the last stage: the room an empty place got is not what the part in it needs."""
    window.top.setSizes([2, 3])
    window.work.setSizes([3, 2])  # the composer shows its Generate button at 1024×700
    window.splitter.setSizes([240, 1200])
    if hasattr(window, "layout_memory"):
        window.layout_memory.restore()


def _place() -> QWidget:
    """An empty page a later stage puts its part in."""
    place = QWidget()
    layout = QVBoxLayout(place)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    return place


def _put(place: QWidget, *parts: QWidget) -> None:
    """The part (with what goes under it) in its place; the first gets the height."""
    layout = place.layout()
    assert isinstance(layout, QVBoxLayout)
    for part in parts:
        layout.addWidget(part, 1 if part is parts[0] else 0)


def _build_activity(window: MainWindow, session: Session) -> None:
    from sora2_desktop.ui.common.undo_bar import UndoBar
    from sora2_desktop.ui.tasks.notifier import TaskNotifier
    from sora2_desktop.ui.tasks.table_model import TaskTableModel
    from sora2_desktop.ui.tasks.task_actions import TaskActions
    from sora2_desktop.ui.tasks.task_list import TaskListView

    window.model = TaskTableModel(parent=window)
    window.task_list = TaskListView(window.model)
    window.task_actions = TaskActions(session, window.form, window.model, window)
    window.undo_bar = UndoBar()
    _put(window.activity, window.task_list, window.undo_bar)
    window.notifier = TaskNotifier(window, lambda: session.settings.notifications_enabled, window.windowIcon())
    window.tick_timer = QTimer(window, interval=1000)
    window.tick_timer.timeout.connect(window.model.tick)
    window.tick_timer.start()
    window.layout_memory.restore_columns(window.task_list.table.horizontalHeader())
    tasks, actions, say = window.task_list, window.task_actions, _status(window, 5000)
    tasks.status_message.connect(say)
    tasks.load_requested.connect(actions.load)
    tasks.rerun_requested.connect(actions.rerun)
    tasks.remove_requested.connect(actions.remove)
    tasks.cancel_requested.connect(actions.cancel)
    tasks.retry_requested.connect(actions.retry_now)
    tasks.undo_remove_requested.connect(actions.undo_remove)
    tasks.current_task_changed.connect(window.note_take)
    actions.removals.changed.connect(window.on_removals_changed)
    window.undo_bar.undo_clicked.connect(actions.undo_remove)
    window.notifier.task_activated.connect(tasks.select_task)
    window.model.time_scale = session.time_scale
    window.load_history()


def _build_player(window: MainWindow, session: Session) -> None:
    from sora2_desktop.ui.results.result_controller import ResultController
    from sora2_desktop.ui.results.result_pane import ResultPane

    window.results = ResultPane()
    window.detail = window.results.detail
    window.result_control = ResultController(session, window.model, window.results, window)
    _put(window.player_place, window.results)
    window.task_list.current_task_changed.connect(window.result_control.show_task)
    window.results.status_message.connect(_status(window, 5000))
    window.result_control.status_message.connect(_status(window, 8000))
    window.detail.cancel_requested.connect(session.cancel)
    window.detail.retry_requested.connect(session.retry_now)
    # The person's volume and mute survive a restart.
    settings = session.settings
    window.results.restore_audio(settings.player_volume, settings.player_muted)
    window.results.volume_changed.connect(lambda volume: setattr(settings, "player_volume", volume))
    window.results.muted_changed.connect(lambda muted: setattr(settings, "player_muted", muted))


def _build_takes(window: MainWindow, session: Session) -> None:
    from sora2_desktop.ui.takes.take_strip import TakeStrip
    from sora2_desktop.ui.window.take_desk import TakeDesk

    window.take_strip = TakeStrip(session, window, is_playing=window.results.player.transport.is_playing)
    _put(window.takes_place, window.take_strip)
    window.take_desk = TakeDesk(window)  # review keys in the player, Compare, a take's settings back to its shot
    strip = window.take_strip
    strip.take_selected.connect(window.show_take)
    strip.take_activated.connect(window.play_take)
    window.take_desk.compare.status_message.connect(_status(window, 5000))
    strip.review.status_message.connect(_status(window, 5000))
    # The takes of the shot on screen, and the take last on screen (ProjectService keeps the project).
    shot = window.shots.current_shot()
    strip.show_shot(shot.id if shot is not None else None)
    take = session.settings.current_take_id
    if take and not strip.select_take(take):
        window.task_list.select_task(take)  # a take of no shot on screen: from the activity


def _status(window: MainWindow, ms: int) -> Callable[[str], None]:
    """Shows a part's message in the status bar for `ms` milliseconds."""
    return lambda text: window.statusBar().showMessage(text, ms)


def _build_menus(window: MainWindow) -> None:
    from sora2_desktop.ui.window.window_menus import build_menus

    build_menus(window)
    # The player and the takes are in place and laid out (the turns before): the panes as a whole window has them.
    _share_out(window)
