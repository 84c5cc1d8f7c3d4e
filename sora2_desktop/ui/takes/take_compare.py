"""TakeCompare: Compare from the take strip — the selected takes, or the current one "with take N" — and
restoring a take's settings into its shot. Pick this take circles it (ProjectService.set_mark)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QVBoxLayout, QWidget

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.shortcuts import GROUP_TAKES, Shortcut, register
from sora2_desktop.ui.results.compare_takes import MAX_TAKES, CompareTakesDialog, Take
from sora2_desktop.ui.takes import take_wording as wording
from sora2_desktop.ui.takes.compare_controls import install_compare_keys
from sora2_desktop.ui.takes.take_strip import TakeStrip
from sora2_desktop.ui.takes.version_compare import VersionCompare

COMPARE_KEY = "V"  # versions: single key while the takes have the focus, like the review keys
RESTORE_KEY = "R"

register(
    Shortcut(COMPARE_KEY, "Compare the selected takes, or the take with another…", GROUP_TAKES),
    Shortcut(RESTORE_KEY, "Restore the take's settings into the shot", GROUP_TAKES),
)


class TakeCompare(QObject):
    """The window connects `restore_requested` (form.load_request + save_shot_settings) and `status_message`."""

    restore_requested = Signal(object)  # the Task whose request goes back into its shot's composer
    status_message = Signal(str)

    def __init__(self, session: Any, strip: TakeStrip, window: QWidget) -> None:
        super().__init__(window)
        self._session = session
        self._strip = strip
        self._window = window
        self.dialog: QDialog | None = None  # the Compare open now
        self.with_menu: QMenu | None = None  # "Compare T02 with…" while it is open
        self.compare_action = self._action(self.tr("Compare &takes…"), COMPARE_KEY, self.compare)
        self.restore_action = self._action(self.tr("&Restore this take's settings"), RESTORE_KEY, self.restore)
        strip.addActions([self.compare_action, self.restore_action])

    def _action(self, text: str, key: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # a plain letter: strip only
        action.triggered.connect(slot)
        return action

    # -- intents -----------------------------------------------------------------------------------------------

    def compare(self) -> None:
        """Two to four selected takes side by side; one selected: a menu asks which take to compare it with."""
        selected = self._strip.selected_takes()
        if len(selected) >= 2:
            self.open(selected[:MAX_TAKES])
            return
        current = self._strip.current_take()
        others = [t for t in self._strip.model.tasks() if current is not None and t.local_id != current.local_id]
        if current is None or not others:
            # The arrows alone (and with Shift) step the player where the takes are shown: Ctrl moves between takes.
            self.status_message.emit(
                self.tr("Select two takes to compare: Ctrl+← or Ctrl+→ moves to a take, Ctrl+Space adds it.")
            )
            return
        menu = QMenu(self._strip)
        menu.setTitle(self.tr("Compare {take} with").format(take=wording.take_title(current)))
        for other in others:
            action = menu.addAction(
                self.tr("{take} — {state}")
                .format(take=wording.take_title(other), state=wording.mark_word(other.mark) if other.mark else "")
                .rstrip(" —")
            )
            action.triggered.connect(
                lambda _checked=False, o=other, c=current: self.open(
                    sorted([c, o], key=lambda t: (t.take_number or 0, t.local_id or 0))
                )
            )
        self.with_menu = menu
        view = self._strip.view
        rect = view.visualRect(view.currentIndex())
        menu.popup(view.viewport().mapToGlobal(rect.center() if rect.isValid() else QPoint(0, 0)))

    def restore(self) -> None:
        task = self._strip.current_take()
        if task is None:
            self.status_message.emit(self.tr("Select a take first."))
            return
        self._restore(task)

    def open(self, tasks: list[Task]) -> QDialog:
        """Compare `tasks` (2-4, take order): videos played in step when every one is on disk, else their prompt
        versions and settings alone."""
        takes = [self._take(task) for task in tasks]
        if all(take is not None for take in takes):
            dialog: QDialog = self._video_dialog([t for t in takes if t is not None])
        else:
            dialog = self._versions_dialog(tasks)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- dialogs -----------------------------------------------------------------------------------------------

    def _take(self, task: Task) -> Take | None:
        video = self._session.local_video(task) if task.phase == TaskPhase.SUCCESS else None
        if video is None or task.local_id is None:
            return None
        version = self._session.projects.version(task.version_id) if task.version_id is not None else None
        return Take(
            task.local_id,
            video,
            chosen=task.mark == TakeMark.CIRCLED,
            task=task,
            code=wording.take_title(task),
            version=version.number if version is not None else None,
        )

    def _video_dialog(self, takes: list[Take]) -> CompareTakesDialog:
        dialog = CompareTakesDialog(takes, self._window)
        dialog.take_picked.connect(lambda local_id: self._pick(dialog, local_id))
        dialog.restore_requested.connect(self._restore)
        self._strip.review.attach(dialog, dialog.current_take)  # C, H, X, stars on the focused take
        install_compare_keys(dialog)  # J/K/L, frames, Home/End, loop: every take at once
        return dialog

    def _versions_dialog(self, tasks: list[Task]) -> QDialog:
        """Not every take is on disk (failed, still running, not saved): what the edit changed, without video."""
        dialog = QDialog(self._window)
        dialog.setWindowTitle(self.tr("Compare prompt versions"))
        versions = VersionCompare(dialog)
        first, second = tasks[0], tasks[-1]
        versions.show_pair(first, second, self._title(first), self._title(second))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        for task in (first, second):
            button = buttons.addButton(
                self.tr("Restore {take}'s settings").format(take=wording.take_title(task)),
                QDialogButtonBox.ButtonRole.ActionRole,
            )
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, t=task: self._restore(t))
        layout = QVBoxLayout(dialog)
        layout.addWidget(versions, 1)
        layout.addWidget(buttons)
        dialog.versions = versions  # type: ignore[attr-defined]  # for tests: what it shows
        dialog.resize(720, 320)
        return dialog

    def _title(self, task: Task) -> str:
        version = self._session.projects.version(task.version_id) if task.version_id is not None else None
        code = wording.take_title(task)
        if version is None:
            return code
        return self.tr("{take} · prompt v{version}").format(take=code, version=version.number)

    # -- results -----------------------------------------------------------------------------------------------

    def _pick(self, dialog: CompareTakesDialog, local_id: int) -> None:
        updated = self._session.projects.set_mark(local_id, TakeMark.CIRCLED)
        if updated is None:
            self.status_message.emit(self.tr("That take was removed; it cannot be circled."))
            return
        dialog.show_picked(local_id)
        self.status_message.emit(self.tr("{take} circled").format(take=wording.take_title(updated)))

    def _restore(self, task: Task) -> None:
        self.restore_requested.emit(task)
        self.status_message.emit(
            self.tr("{take}'s prompt and settings are back in the shot.").format(take=wording.take_title(task))
        )
