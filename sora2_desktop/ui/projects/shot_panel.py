"""ShotPanel: the project chooser over its shot list, with the keys to add, rename, duplicate, move and remove
shots (removal undoable), renumber them, and make or edit a project. It acts through `session.projects`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.projects.model import Project, Shot
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.common.shortcuts import GROUP_PROJECTS, Shortcut, register
from sora2_desktop.ui.common.undo_bar import UndoBar
from sora2_desktop.ui.projects.project_dialog import ProjectDialog
from sora2_desktop.ui.projects.shot_delegate import ShotDelegate
from sora2_desktop.ui.projects.shot_list_model import ShotListModel

# Ctrl+N/Ctrl+Shift+N as in every editor; F2, Ctrl+D and Ctrl+↑/↓ as in Premiere's bins and Resolve's media pool.
register(
    Shortcut("Ctrl+N", "New shot", GROUP_PROJECTS),
    Shortcut("Ctrl+Shift+N", "New project…", GROUP_PROJECTS),
    Shortcut("F2", "Rename the shot (in the shot list)", GROUP_PROJECTS),
    Shortcut("Ctrl+D", "Duplicate the shot (in the shot list)", GROUP_PROJECTS),
    Shortcut("Ctrl+Up, Ctrl+Down", "Move the shot up or down (in the shot list)", GROUP_PROJECTS),
    Shortcut("Delete", "Remove the shot (in the shot list)", GROUP_PROJECTS),
    Shortcut("Ctrl+Z", "Undo remove (in the shot list)", GROUP_PROJECTS),
)


class ShotPanel(QWidget):
    """`shot_selected` says which shot is on screen (None: the project has none); `shot_created` follows a new
    shot, so the window can put the cursor in its prompt."""

    shot_selected = Signal(object)  # Shot | None
    shot_created = Signal(object)  # Shot
    status_message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._projects = session.projects
        self._current: Shot | None = None
        # Newest last: Ctrl+Z brings back the last removed shot (or calls the undo another change offered).
        self._removed: list[Shot | Callable[[], None]] = []
        self._reloading = False  # while the list is refilled, its passing selection changes are no choice

        self.project_combo = QComboBox(self)
        self.project_combo.setAccessibleName(self.tr("Project"))
        self.project_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.project_combo.setMinimumContentsLength(8)
        self.project_button = QToolButton(self)
        self.project_button.setText(self.tr("Project"))
        self.project_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button = QToolButton(self)

        self.model = ShotListModel(self._projects.takes, self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(ShotDelegate(self.view))
        self.view.setAccessibleName(self.tr("Shots"))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)  # F2 is the rename action's
        self.view.setUniformItemSizes(True)  # every row is two lines: the view never measures 200 shots
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.empty_label = QLabel(self.tr("No shots yet.\nPress Ctrl+N to add the first one."), self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.undo_bar = UndoBar(self)
        self.undo_bar.undo_button.setToolTip(self.tr("Bring the removed shot back (Ctrl+Z in the shot list)"))

        self._create_actions()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.project_combo, 1)
        top.addWidget(self.project_button)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.undo_bar)

        self.project_combo.activated.connect(self._on_project_chosen)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.customContextMenuRequested.connect(lambda pos: self._menu.popup(self.view.mapToGlobal(pos)))
        self.model.move_requested.connect(self._move_to)
        self.model.rename_requested.connect(self._rename)
        self.undo_bar.undo_clicked.connect(self.undo_remove)
        self._projects.projects_changed.connect(self.reload)
        self._projects.shots_changed.connect(self._on_shots_changed)
        session.task_changed.connect(self._on_task_changed)

    # -- public ------------------------------------------------------------------------------------------------

    def current_shot(self) -> Shot | None:
        return self._current

    def current_project(self) -> Project | None:
        project = self.project_combo.currentData()
        return project if isinstance(project, Project) else None

    def reload(self, select: int | None = None) -> None:
        """Read the projects and the current project's shots again (the store may have changed: demo mode),
        with `select` on screen if it is one of them."""
        current = self._projects.current_project()
        self.project_combo.blockSignals(True)
        self.project_combo.clear()
        for project in self._projects.projects():
            self.project_combo.addItem(project.name, project)
            if project.id == current.id:
                self.project_combo.setCurrentIndex(self.project_combo.count() - 1)
        self.project_combo.blockSignals(False)
        self._load_shots(current.id, select, fresh=True)

    def select_shot(self, shot_id: int) -> bool:
        """Make `shot_id` (of the current project) the one on screen; False when it is not listed."""
        row = self.model.row_of(shot_id)
        if row is None:
            return False
        index = self.model.index(row)
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)
        return True

    def focus_list(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- actions -----------------------------------------------------------------------------------------------

    def add_shot(self) -> None:
        project = self.current_project()
        if project is None:
            return
        # After the shot on screen, with its model and settings (the service leaves the prompt and images out).
        shot = self._projects.add_shot(project.id, None, self._current.id if self._current is not None else None)
        self._load_shots(project.id, select=shot.id)
        self.shot_created.emit(shot)

    def duplicate_shot(self) -> None:
        if self._current is None:
            return
        shot = self._projects.duplicate_shot(self._current.id)
        self._load_shots(shot.project_id, select=shot.id)
        self.status_message.emit(self.tr("Duplicated as {0}").format(shot.code))

    def rename_shot(self) -> None:
        """Edit the shot's title in place (its code stays: renumbering changes codes)."""
        row = self.model.row_of(self._current.id) if self._current is not None else None
        if row is not None:
            self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.view.edit(self.model.index(row))

    def move_shot(self, step: int) -> None:
        if self._current is None:
            return
        row = self.model.row_of(self._current.id)
        if row is not None and 0 <= row + step < self.model.rowCount():
            self._move_to(self._current.id, row + step)

    def remove_shot(self) -> None:
        shot = self._current
        if shot is None:
            return
        row = self.model.row_of(shot.id) or 0
        following = self.model.shot_at(row + 1) or self.model.shot_at(row - 1)  # what takes its place on screen
        self._projects.remove_shot(shot.id)
        self._removed.append(shot)
        self.undo_remove_action.setEnabled(True)
        self.undo_bar.show_message(self.tr("Removed {0} and its takes from the list.").format(shot.code))
        self._load_shots(shot.project_id, select=following.id if following is not None else None)

    def undo_remove(self) -> None:
        if not self._removed:
            return
        entry = self._removed.pop()
        shot = self._projects.undo_remove_shot(entry.id) if isinstance(entry, Shot) else entry()
        self.undo_remove_action.setEnabled(bool(self._removed))
        if not self._removed:
            self.undo_bar.dismiss()
        if shot is not None:
            self._load_shots(shot.project_id, select=shot.id)
            self.status_message.emit(self.tr("{0} is back.").format(shot.code))

    def add_context_actions(self, actions: list[QAction]) -> None:
        """Commands of other parts of the window that act on the shot under the pointer (contact sheet, export),
        after the list's own in its context menu."""
        self._menu.addSeparator()
        self._menu.addActions(actions)

    def offer_undo(self, message: str, undo: Callable[[], None]) -> None:
        """Another change to the list (an imported shot list) taken back by the Undo bar and Ctrl+Z, as a removal."""
        self._removed.append(undo)
        self.undo_remove_action.setEnabled(True)
        self.undo_bar.show_message(message)

    def renumber(self) -> None:
        project = self.current_project()
        if project is not None:
            self._projects.renumber_shots(project.id)
            self._load_shots(project.id)
            self.status_message.emit(self.tr("Shots renumbered in their order."))

    def new_project(self) -> None:
        dialog = ProjectDialog(None, self._session.settings.download_dir, self)
        dialog.accepted.connect(lambda: self._create_project(*dialog.values()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_project(self) -> None:
        project = self.current_project()
        if project is None:
            return
        dialog = ProjectDialog(project, self._session.settings.download_dir, self)
        dialog.accepted.connect(lambda: self._update_project(project, *dialog.values()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        dialog.name_edit.setFocus()
        dialog.name_edit.selectAll()

    # -- construction ------------------------------------------------------------------------------------------

    def _create_actions(self) -> None:
        def action(text: str, slot: object, keys: str | None = None, *, in_list: bool = False) -> QAction:
            made = QAction(text, self)
            made.triggered.connect(slot)
            if keys is not None:
                made.setShortcut(QKeySequence(keys))
                made.setShortcutVisibleInContextMenu(True)
                if in_list:
                    # Only while the list has focus: Delete, Ctrl+Z and Ctrl+↑ in the prompt stay the editor's.
                    made.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                    self.view.addAction(made)
            return made

        self.new_shot_action = action(self.tr("&New shot"), self.add_shot, "Ctrl+N")
        self.new_shot_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.rename_shot_action = action(self.tr("&Rename shot"), self.rename_shot, "F2", in_list=True)
        self.duplicate_shot_action = action(self.tr("&Duplicate shot"), self.duplicate_shot, "Ctrl+D", in_list=True)
        self.move_up_action = action(self.tr("Move shot &up"), lambda: self.move_shot(-1), "Ctrl+Up", in_list=True)
        self.move_down_action = action(self.tr("Move shot do&wn"), lambda: self.move_shot(1), "Ctrl+Down", in_list=True)
        self.remove_shot_action = action(self.tr("Remo&ve shot"), self.remove_shot, "Delete", in_list=True)
        self.undo_remove_action = action(self.tr("Undo remove shot"), self.undo_remove, "Ctrl+Z", in_list=True)
        self.undo_remove_action.setEnabled(False)
        self.renumber_action = action(self.tr("Re&number shots"), self.renumber)
        self.new_project_action = action(self.tr("New &project…"), self.new_project, "Ctrl+Shift+N")
        self.rename_project_action = action(self.tr("Rename project…"), self.edit_project)
        self.project_settings_action = action(self.tr("Project &settings…"), self.edit_project)
        self.shot_actions = [
            self.new_shot_action, self.rename_shot_action, self.duplicate_shot_action, self.move_up_action,
            self.move_down_action, self.remove_shot_action, self.undo_remove_action, self.renumber_action,
        ]  # fmt: skip
        self.project_actions = [self.new_project_action, self.rename_project_action, self.project_settings_action]
        self._menu = QMenu(self)
        self._menu.addActions(self.shot_actions)
        project_menu = QMenu(self)
        project_menu.addActions(self.project_actions)
        self.project_button.setMenu(project_menu)
        self.add_button.setDefaultAction(self.new_shot_action)
        self.add_button.setText("+")
        self.add_button.setToolTip(self.tr("New shot (Ctrl+N)"))
        self._update_actions()

    # -- reactions ---------------------------------------------------------------------------------------------

    def _load_shots(self, project_id: int, select: int | None = None, *, fresh: bool = False) -> None:
        """Refill the list from the service and keep `select` (else the shot on screen) current; when it is
        gone (removed, another project), the one at its place, else the first. `shot_selected` only when the
        shot on screen is another one than before."""
        keep = select if select is not None else self._current.id if self._current is not None else None
        row = self.model.row_of(keep) if keep is not None else None
        self._reloading = True
        try:
            self.model.set_shots(self._projects.shots(project_id), fresh=fresh)
            if keep is None or not self.select_shot(keep):
                fallback = self.model.shot_at(max(0, min(row or 0, self.model.rowCount() - 1)))
                if fallback is not None:
                    self.select_shot(fallback.id)
        finally:
            self._reloading = False
        empty = self.model.rowCount() == 0
        self.view.setVisible(not empty)
        self.empty_label.setVisible(empty)
        index = self.view.selectionModel().currentIndex()
        self._set_current(self.model.shot_at(index.row()) if index.isValid() else None)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._reloading:
            self._set_current(self.model.shot_at(current.row()) if current.isValid() else None)

    def _set_current(self, shot: Shot | None) -> None:
        before = self._current.id if self._current is not None else None
        self._current = shot  # the newest copy, even of the same shot
        self._update_actions()
        if (shot.id if shot is not None else None) != before:
            self.shot_selected.emit(shot)

    def _update_actions(self) -> None:
        has_shot = self._current is not None
        for made in (self.rename_shot_action, self.duplicate_shot_action, self.remove_shot_action):
            made.setEnabled(has_shot)
        row = self.model.row_of(self._current.id) if self._current is not None else None
        self.move_up_action.setEnabled(row is not None and row > 0)
        self.move_down_action.setEnabled(row is not None and row < self.model.rowCount() - 1)
        self.renumber_action.setEnabled(self.model.rowCount() > 0)

    def _on_project_chosen(self, index: int) -> None:
        project = self.project_combo.itemData(index)
        if isinstance(project, Project):
            self._projects.set_current_project(project.id)
            self._load_shots(project.id, fresh=True)

    def _on_shots_changed(self, project_id: int) -> None:
        project = self.current_project()
        if project is not None and project.id == project_id:
            self._load_shots(project_id)

    def _on_task_changed(self, task: Task) -> None:
        self.model.take_changed(task)

    def _move_to(self, shot_id: int, position: int) -> None:
        self._projects.move_shot(shot_id, position)
        self._load_shots(self._shot_project(shot_id), select=shot_id)

    def _rename(self, shot_id: int, title: str) -> None:
        shot = self._projects.rename_shot(shot_id, title.strip())
        self._load_shots(shot.project_id, select=shot.id)

    def _create_project(self, name: str, folder: str | None, template: str) -> None:
        project = self._projects.create_project(name, folder, template)
        self._projects.set_current_project(project.id)
        self.reload()
        self.status_message.emit(self.tr("Project “{0}” created: press Ctrl+N for its first shot.").format(name))

    def _update_project(self, project: Project, name: str, folder: str | None, template: str) -> None:
        if name != project.name:
            project = self._projects.rename_project(project.id, name)
        self._projects.update_project(replace(project, folder=folder, name_template=template))
        self.reload()

    def _shot_project(self, shot_id: int) -> int:
        shot = self._projects.shot(shot_id)
        project = self.current_project()
        return shot.project_id if shot is not None else project.id if project is not None else 0
