"""TaskListView: the searchable, filterable task table and its row actions; it emits intents, acts on none."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.common.empty_state import EmptyState
from sora2_desktop.ui.tasks.filter_proxy import StateFilter, TaskFilterProxy
from sora2_desktop.ui.tasks.progress_delegate import ProgressDelegate
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_wording import waits_for_network

# Typing in the search box re-filters up to 10,000 rows; waiting for a pause keeps each keystroke instant.
SEARCH_DELAY_MS = 150
LONGER_DURATION = 15


class PosterDelegate(QStyledItemDelegate):
    """The prompt cell's poster frame at a 16:9 size; the view's icon size stays small for the state dots."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.decorationSize = QSize(40, 22)


class TaskListView(QWidget):
    """Search box and state filter over the task table; row actions emit the selected Task."""

    load_requested = Signal(Task)
    rerun_requested = Signal(Task, object)  # (task, duration override in seconds or None)
    remove_requested = Signal(Task)
    cancel_requested = Signal(Task)
    retry_requested = Signal(Task)  # send a not-sent task now
    undo_remove_requested = Signal()
    current_task_changed = Signal(object)  # Task | None
    status_message = Signal(str)  # a short confirmation for the status bar ("Task id copied")

    def __init__(self, model: TaskTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._current: Task | None = None
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(model)

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search prompts, task ids…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(self.tr("Search tasks"))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_search)

        self.state_combo = QComboBox(self)
        self.state_combo.setAccessibleName(self.tr("Show tasks"))
        for label, state_filter in (
            (self.tr("All"), StateFilter.ALL),
            (self.tr("Running"), StateFilter.RUNNING),
            (self.tr("Done"), StateFilter.DONE),
            (self.tr("Failed"), StateFilter.FAILED),
        ):
            self.state_combo.addItem(label, state_filter)
        self.state_combo.currentIndexChanged.connect(self._on_state_filter_changed)

        self.table = QTableView(self)
        self._setup_table()
        self.empty_state = EmptyState(self.table, self._empty_text)  # what to do when no row shows
        self._create_actions()

        bar = QHBoxLayout()
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.state_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._sync_current()

    # -- public ----------------------------------------------------------------------------------------------

    def current_task(self) -> Task | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.task_at(rows[0].row()) if rows else None

    def select_task(self, local_id: int) -> bool:
        """Select and show the row of `local_id` (Task.local_id); False when it is absent or filtered out."""
        source_row = self._model.row_of(local_id)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self._model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _empty_text(self) -> str | None:
        if self._model.rowCount() == 0:
            return self.tr("No tasks yet — write a prompt and press Ctrl+Enter to generate your first take.")
        if self.proxy.rowCount() == 0:
            return self.tr("No task matches the search or the filter.")
        return None

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected, ready to type over (Ctrl+F)."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def apply_search(self) -> None:
        """Filter by the search box now instead of after the typing pause."""
        self._search_timer.stop()
        self.proxy.set_search_text(self.search_edit.text())

    # -- construction --------------------------------------------------------------------------------------

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        table.setItemDelegateForColumn(TaskTableModel.COL_PROGRESS, ProgressDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setIconSize(QSize(14, 14))
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.setItemDelegateForColumn(TaskTableModel.COL_PROMPT, PosterDelegate(table))
        table.customContextMenuRequested.connect(self._show_context_menu)

        # Fixed row heights: the view never asks 10,000 rows for their size.
        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(max(self.fontMetrics().height() + 12, 30))

        header = table.horizontalHeader()
        header.setHighlightSections(False)
        # A click on a column sorts by it; a third click goes back to newest first (no sort column).
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # -1 ascending: the source order as it is
        header.setSortIndicatorClearable(True)
        table.setSortingEnabled(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TaskTableModel.COL_PROMPT, QHeaderView.ResizeMode.Stretch)
        # Widths from sample text, not ResizeToContents, which would measure rows on every change.
        metrics = self.fontMetrics()
        samples = {
            TaskTableModel.COL_SETTINGS: "I2V · 15 s · landscape",
            TaskTableModel.COL_STATE: "Done · Circled MM",  # widest common state + its mark; rarer long ones elide
            TaskTableModel.COL_ELAPSED: "Elapsed",
            TaskTableModel.COL_PROGRESS: "100% " + "M" * 6,
            TaskTableModel.COL_DETAIL: "M" * 14,
        }
        for column, sample in samples.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)

        selection = table.selectionModel()
        selection.selectionChanged.connect(self._on_selection_changed)
        # A row can change under the selection (upsert), vanish (remove, filter) or be replaced (reset).
        self.proxy.dataChanged.connect(self._sync_current)
        self.proxy.rowsRemoved.connect(self._sync_current)
        self.proxy.modelReset.connect(self._sync_current)
        self.proxy.layoutChanged.connect(self._sync_current)

    def _create_actions(self) -> None:
        def action(text: str, slot: Callable[[], None], shortcut: QKeySequence | None = None) -> QAction:
            made = QAction(text, self)
            made.triggered.connect(slot)
            if shortcut is not None:
                made.setShortcut(shortcut)
                # Only while the table has focus: Delete in the search box must delete text, not a task.
                made.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                made.setShortcutVisibleInContextMenu(True)
                self.table.addAction(made)
            return made

        self.copy_task_id_action = action(
            self.tr("Copy task id"), self._copy_task_id, QKeySequence(self.tr("Ctrl+Shift+C"))
        )
        self.copy_prompt_action = action(self.tr("Copy prompt"), self._copy_prompt)
        self.load_action = action(self.tr("Load settings into form"), self._emit_load)
        self.rerun_action = action(self.tr("Re-run with the same settings"), self._emit_rerun)
        self.rerun_longer_action = action(
            self.tr("Re-run as {seconds} s").format(seconds=LONGER_DURATION), self._emit_rerun_longer
        )
        self.cancel_action = action(self.tr("Cancel — stop waiting for this task"), self._emit_cancel)
        self.retry_action = action(self.tr("Retry now — send it without waiting"), self._emit_retry)
        self.remove_action = action(
            self.tr("Remove from list"), self._emit_remove, QKeySequence(QKeySequence.StandardKey.Delete)
        )
        # Ctrl+Z in the table brings back what Delete just removed (the undo bar offers the same).
        self.undo_remove_action = action(
            self.tr("Undo remove"), self.undo_remove_requested.emit, QKeySequence(QKeySequence.StandardKey.Undo)
        )
        self.undo_remove_action.setEnabled(False)
        self._menu = QMenu(self)
        self._menu.addActions([self.copy_task_id_action, self.copy_prompt_action])
        self._menu.addSeparator()
        self._menu.addActions([self.load_action, self.rerun_action, self.rerun_longer_action])
        self._menu.addSeparator()
        self._menu.addActions([self.cancel_action, self.retry_action, self.remove_action])

    # -- reactions -------------------------------------------------------------------------------------------

    def _on_state_filter_changed(self) -> None:
        state_filter = self.state_combo.currentData()
        if isinstance(state_filter, StateFilter):
            self.proxy.set_state_filter(state_filter)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._sync_current()

    def _sync_current(self, *_args: object) -> None:
        task = self.current_task()
        self._update_actions(task)
        # Identity, not equality: an upsert brings a new Task object, a 1 Hz tick does not.
        if task is not self._current:
            self._current = task
            self.current_task_changed.emit(task)

    def _update_actions(self, task: Task | None) -> None:
        has_task = task is not None
        self.copy_task_id_action.setEnabled(bool(task and task.task_id))
        self.copy_prompt_action.setEnabled(bool(task and task.request.prompt))
        self.load_action.setEnabled(has_task)
        self.rerun_action.setEnabled(has_task)
        self.rerun_longer_action.setEnabled(bool(task and task.request.duration != LONGER_DURATION))
        # Every wait can be ended: any unfinished task can be cancelled, any task removed (undoably).
        self.cancel_action.setEnabled(bool(task and not task.phase.is_final))
        self.retry_action.setEnabled(bool(task and waits_for_network(task)))
        self.remove_action.setEnabled(has_task)

    def _show_context_menu(self, pos: QPoint) -> None:
        index: QModelIndex = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        self._menu.popup(self.table.viewport().mapToGlobal(pos))

    def _copy_task_id(self) -> None:
        task = self.current_task()
        if task is not None and task.task_id:
            QGuiApplication.clipboard().setText(task.task_id)
            self.status_message.emit(self.tr("Copied task id {task_id}").format(task_id=task.task_id))

    def _copy_prompt(self) -> None:
        task = self.current_task()
        if task is not None and task.request.prompt:
            QGuiApplication.clipboard().setText(task.request.prompt)
            self.status_message.emit(self.tr("Copied the prompt"))

    def _emit_load(self) -> None:
        if (task := self.current_task()) is not None:
            self.load_requested.emit(task)

    def _emit_rerun(self) -> None:
        if (task := self.current_task()) is not None:
            self.rerun_requested.emit(task, None)

    def _emit_rerun_longer(self) -> None:
        if (task := self.current_task()) is not None and task.request.duration != LONGER_DURATION:
            self.rerun_requested.emit(task, LONGER_DURATION)

    def _emit_remove(self) -> None:
        if (task := self.current_task()) is not None:
            self.remove_requested.emit(task)

    def _emit_cancel(self) -> None:
        if (task := self.current_task()) is not None and not task.phase.is_final:
            self.cancel_requested.emit(task)

    def _emit_retry(self) -> None:
        if (task := self.current_task()) is not None and waits_for_network(task):
            self.retry_requested.emit(task)
