"""TaskNotifier: a system tray message when a task finishes or fails while the window is in the background."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.tasks.task_wording import notice

_NOTIFIED_PHASES = (TaskPhase.SUCCESS, TaskPhase.FAILED, TaskPhase.REJECTED)
_EXCERPT = 80


class TaskNotifier(QObject):
    """Clicking the message brings the window up on that task (`task_activated`)."""

    task_activated = Signal(int)  # local task id

    def __init__(
        self,
        window: QMainWindow,
        enabled: Callable[[], bool],
        icon: QIcon,
        *,
        is_active: Callable[[], bool] | None = None,
        show: Callable[[str, str, QSystemTrayIcon.MessageIcon], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._enabled = enabled
        self._is_active = is_active or window.isActiveWindow
        self._last_phase: dict[int, TaskPhase] = {}
        self._last_notified: int | None = None
        self.tray: QSystemTrayIcon | None = None
        if show is None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(self.tr("Sora 2 Desktop"))
            self.tray.messageClicked.connect(self._bring_up)
            self.tray.activated.connect(lambda _reason: self._bring_up())
            self.tray.show()
        self._show = show or self._show_in_tray

    def task_changed(self, task: Task) -> None:
        if task.local_id is None:
            return
        before = self._last_phase.get(task.local_id)
        self._last_phase[task.local_id] = task.phase
        if task.phase not in _NOTIFIED_PHASES or before == task.phase or (before is not None and before.is_final):
            return
        if not self._enabled() or self._is_active():
            return
        title, body, icon = self.message_for(task)
        self._last_notified = task.local_id
        self._show(title, body, icon)

    def message_for(self, task: Task) -> tuple[str, str, QSystemTrayIcon.MessageIcon]:
        title, body = notice(task, _EXCERPT)
        done = task.phase == TaskPhase.SUCCESS
        icon = QSystemTrayIcon.MessageIcon.Information if done else QSystemTrayIcon.MessageIcon.Warning
        return title, body, icon

    def _show_in_tray(self, title: str, body: str, icon: QSystemTrayIcon.MessageIcon) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, body, icon, 10_000)
        else:
            QApplication.alert(self._window)  # no tray (some Linux desktops): at least flash the taskbar entry

    def _bring_up(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
        if self._last_notified is not None:
            self.task_activated.emit(self._last_notified)
