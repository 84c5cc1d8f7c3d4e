"""TakeStrip: the shown shot's takes as a grid of large posters that wraps with the space it is given, with
"keepers only" and the order (take / rating) above it (both remembered); it follows the session and brings a
finished take in. Posters are read in a worker when a shot is shown or a poster is made (PosterLoader)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.results.download_record import DownloadState
from sora2_desktop.core.results.poster_frames import poster_path_for
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.palette import muted_palette
from sora2_desktop.ui.common.shortcuts import GROUP_TAKES, Shortcut, register
from sora2_desktop.ui.takes import take_wording as wording
from sora2_desktop.ui.takes.poster_loader import PosterJob, PosterLoader
from sora2_desktop.ui.takes.review_keys import KEEPERS_KEY, ReviewActions
from sora2_desktop.ui.takes.take_delegate import POSTER, TakeDelegate
from sora2_desktop.ui.takes.take_filter import TakeFilterProxy, TakeOrder
from sora2_desktop.ui.takes.take_model import TakeListModel

_SPACING = 6

# In the window the arrows, Home and End are the player's (frames, as in an editor's source monitor); the grid
# moves with Ctrl (Qt's list views move the current take with Ctrl and leave the selection as it is).
register(
    Shortcut("Return", "Open the take in the player (its keys follow)", GROUP_TAKES),
    Shortcut("Ctrl+Left, Ctrl+Right", "Move to the previous / next take", GROUP_TAKES),
    Shortcut("Ctrl+Home, Ctrl+End", "Move to the first / last take", GROUP_TAKES),
    Shortcut("Ctrl+Space", "Add the take to the selection, or take it out (to compare)", GROUP_TAKES),
)


class TakeStrip(QWidget):
    """Emits the take a person moves to (take_selected) and the one they open (take_activated: Enter or a
    double click); the review keys act on the current take while the focus is here."""

    take_selected = Signal(object)  # Task | None
    take_activated = Signal(object)  # Task

    def __init__(
        self, session: Any, parent: QWidget | None = None, *, is_playing: Callable[[], bool] | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._shot_id: int | None = None
        # Whether the player is playing something: a take that finishes then is not pushed into it.
        self.is_playing: Callable[[], bool] = is_playing or (lambda: False)
        # Where the filter and the order are remembered; a stand-in session without settings remembers nothing.
        self._settings = getattr(session, "settings", None)
        self.model = TakeListModel(self)
        self.proxy = TakeFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.posters = PosterLoader(POSTER, self)
        self.posters.loaded.connect(self.model.set_poster_image)

        self.keepers_action = QAction(self.tr("Keepers only"), self)
        self.keepers_action.setCheckable(True)
        self.keepers_action.setShortcut(QKeySequence(KEEPERS_KEY))
        self.keepers_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.keepers_action.setToolTip(self.tr("Show circled takes only (Shift+C)"))
        self.keepers_action.toggled.connect(self.set_keepers_only)
        self.addAction(self.keepers_action)
        keepers = QToolButton(self)
        keepers.setDefaultAction(self.keepers_action)
        self.order_combo = QComboBox(self)
        self.order_combo.setAccessibleName(self.tr("Order of takes"))
        self.order_combo.addItem(self.tr("By take"), TakeOrder.TAKE)
        self.order_combo.addItem(self.tr("By rating"), TakeOrder.RATING)
        self.order_combo.currentIndexChanged.connect(self._on_order_chosen)
        self.count_label = QLabel(self)
        self.count_label.setPalette(muted_palette(self.count_label))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(keepers)
        bar.addWidget(self.order_combo)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.view = QListView(self)
        self._setup_view()
        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setPalette(muted_palette(self.empty_label))
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty_label)
        self.pages.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)

        self.review = ReviewActions(session, self)
        self.review.attach(self, self.current_take)  # the strip's own take first: the Take menu acts on it
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self.model.tick)
        self._tick.start()
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._sync_page)
        self.model.dataChanged.connect(self._on_data_changed)
        self.proxy.layoutChanged.connect(self._sync_page)
        session.task_changed.connect(self._on_task_changed)
        session.poster_ready.connect(self._on_poster_ready)
        if self._settings is not None:
            self.set_keepers_only(bool(self._settings.takes_keepers_only))
            self.set_order(TakeOrder(self._settings.takes_order))
        self._sync_page()

    def _setup_view(self) -> None:
        view = self.view
        view.setModel(self.proxy)
        view.setItemDelegate(TakeDelegate(view))
        view.setViewMode(QListView.ViewMode.IconMode)  # left to right, wrapping into rows when tall
        view.setFlow(QListView.Flow.LeftToRight)
        view.setWrapping(True)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.setMovement(QListView.Movement.Static)
        view.setUniformItemSizes(True)  # every card the same size: no per-card layout pass
        view.setSpacing(_SPACING)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # two takes to compare
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setAccessibleName(self.tr("Takes"))
        view.selectionModel().currentChanged.connect(self._on_current_changed)
        view.activated.connect(self._on_activated)

    # -- public --------------------------------------------------------------------------------------------

    def shot_id(self) -> int | None:
        return self._shot_id

    def show_shot(self, shot_id: int | None) -> None:
        """Show `shot_id`'s takes (None: no shot chosen); nothing is selected until a person or a finish does."""
        self._shot_id = shot_id
        self.posters.cancel()  # the shot left behind stops costing decode time
        self.model.time_scale = float(getattr(self._session, "time_scale", 1.0))
        self.model.set_takes(self._session.projects.takes(shot_id) if shot_id is not None else [])
        self._sync_page()
        # The cards in the order shown first (the top of the grid is on screen), the filtered-out ones after.
        shown = [self.proxy.task_at(row) for row in range(self.proxy.rowCount())]
        on_screen = {t.local_id for t in shown}
        self._load_posters(shown + [t for t in self.model.tasks() if t.local_id not in on_screen])

    def refresh(self) -> None:
        """Read the shown shot's takes again (after a take was removed elsewhere)."""
        current = self.current_take()
        self.show_shot(self._shot_id)
        if current is not None and current.local_id is not None:
            self.select_take(current.local_id)

    def current_take(self) -> Task | None:
        index = self.view.currentIndex()
        return self.proxy.task_at(index.row()) if index.isValid() else None

    def selected_takes(self) -> list[Task]:
        """The selected takes in take order (Compare's choice)."""
        rows = self.view.selectionModel().selectedIndexes()
        tasks = [self.proxy.task_at(index.row()) for index in rows]
        return sorted(tasks, key=lambda t: (t.take_number or 0, t.local_id or 0))

    def select_take(self, local_id: int) -> bool:
        """Make `local_id` the current take (selected alone); False when it is not shown. The focus stays put."""
        row = self.model.row_of(local_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        return True

    def focus_takes(self) -> None:
        """The focus into the grid, on the current take (or the first): ready for the review keys."""
        if not self.view.currentIndex().isValid() and self.proxy.rowCount() > 0:
            self.view.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_keepers_only(self, keepers_only: bool) -> None:
        self.proxy.set_keepers_only(keepers_only)
        if self.keepers_action.isChecked() != keepers_only:
            self.keepers_action.setChecked(keepers_only)
        if self._settings is not None and self._settings.takes_keepers_only != keepers_only:
            self._settings.takes_keepers_only = keepers_only
        self._sync_page()

    def set_order(self, order: TakeOrder) -> None:
        self.order_combo.setCurrentIndex(self.order_combo.findData(order))

    # -- following the session -----------------------------------------------------------------------------------

    def _on_task_changed(self, task: Task) -> None:
        if task.local_id is None:
            return
        if self._shot_id is None or task.shot_id != self._shot_id:
            self.model.remove(task.local_id)  # moved to another shot (or never here): nothing happens if absent
            return
        row = self.model.row_of(task.local_id)
        before = self.model.task_at(row) if row is not None else None
        self.model.upsert(task)
        if before is None:  # moved into this shot: its poster may be on disk already
            self._load_posters([task])
        finished = task.phase == TaskPhase.SUCCESS and (before is None or before.phase != TaskPhase.SUCCESS)
        if finished and not self.is_playing():
            # Brought in place for the person who waited: selected (the player loads it), focus left alone.
            self.select_take(task.local_id)

    def _on_poster_ready(self, local_id: int, path: str) -> None:
        """A poster was made (or made again) for a take on screen: read in the worker, then its card repainted."""
        if self.model.row_of(local_id) is not None:
            self.posters.load([PosterJob(local_id, Path(path))], self.view.devicePixelRatioF())

    def _load_posters(self, tasks: list[Task]) -> None:
        jobs = [job for job in map(self._poster_job, tasks) if job is not None]
        self.posters.load(jobs, self.view.devicePixelRatioF())

    def _poster_job(self, task: Task) -> PosterJob | None:
        """Where a finished take's poster would be, beside its saved video: from the download records in memory,
        no file looked at here (the worker checks both files)."""
        if task.phase != TaskPhase.SUCCESS or task.local_id is None:
            return None
        records = self._session.downloads_for(task)
        video = next((r.path for r in records if r.state == DownloadState.DONE and r.path is not None), None)
        return PosterJob(task.local_id, poster_path_for(video), video) if video is not None else None

    # -- view events -------------------------------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.take_selected.emit(self.proxy.task_at(current.row()) if current.isValid() else None)

    def _on_order_chosen(self, combo_row: int) -> None:
        order = TakeOrder(self.order_combo.itemData(combo_row))
        self.proxy.set_order(order)
        if self._settings is not None and self._settings.takes_order != order.value:
            self._settings.takes_order = order.value

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.take_activated.emit(self.proxy.task_at(index.row()))

    def _on_data_changed(self, _top: QModelIndex, _bottom: QModelIndex, roles: list[int] | None = None) -> None:
        # A poster arriving or the progress ticking changes neither the count, the marks nor the page.
        if not roles or not set(roles) <= {TakeListModel.PosterRole, TakeListModel.ProgressRole}:
            self._sync_page()

    def _sync_page(self, *_args: object) -> None:
        takes = self.model.tasks()
        shown = self.proxy.rowCount()
        if self._shot_id is None:
            self.empty_label.setText(wording.no_shot_text())
        else:
            self.empty_label.setText(wording.empty_text(keepers_only=self.proxy.keepers_only and bool(takes)))
        self.pages.setCurrentWidget(self.view if shown else self.empty_label)
        circled = sum(1 for t in takes if t.mark == TakeMark.CIRCLED)
        self.count_label.setText(
            self.tr("%n take(s)", "", len(takes)) + (self.tr(" · %n circled", "", circled) if circled else "")
            if takes
            else ""
        )
