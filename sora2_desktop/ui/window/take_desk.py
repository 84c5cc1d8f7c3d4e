"""TakeDesk: where the takes meet the rest of the window — review keys in the player, Compare, restoring a take's
settings into its shot, and word of a take that finished in another shot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from sora2_desktop.core.projects.model import take_code
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.results.frame_actions import FrameActions
from sora2_desktop.ui.results.player_keys import install_player_keys
from sora2_desktop.ui.takes.take_compare import TakeCompare

if TYPE_CHECKING:
    from sora2_desktop.ui.window.main_window import MainWindow


class TakeDesk(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        strip = window.take_strip
        self.compare = TakeCompare(window.session, strip, window)
        # An editor reviews with the keys wherever the picture is: the strip, the player, Compare.
        self.strip_keys = install_player_keys(strip, window.results.player)
        strip.review.attach(window.results, strip.current_take)
        self.compare.restore_requested.connect(self.restore)
        # Frames out of the player: saved, copied, or the start image of this shot or the next (Video menu).
        self.frames = FrameActions(window)
        self.frames.status_message.connect(lambda text: window.statusBar().showMessage(text, 10_000))

    def fill_menu(self, menu: QMenu) -> None:
        """The Take menu: marks, stars and the note, then Compare and Restore."""
        self._window.take_strip.review.fill_menu(menu)
        menu.addSeparator()
        menu.addActions([self.compare.compare_action, self.compare.restore_action])

    def actions(self) -> list[QAction]:
        return [*self._window.take_strip.review.actions(), self.compare.compare_action, self.compare.restore_action]

    def restore(self, task: object) -> None:
        """A take's prompt and settings back into its shot's composer (saved to the shot like any edit)."""
        if not isinstance(task, Task):
            return
        self._window.form.load_request(task.request)
        self._window.form.prompt_editor.focus_editor()

    def say_finished_elsewhere(self, task: Task) -> None:
        """A take of another shot than the one on screen is ready: said in the status bar; nothing moves (the
        take strip brings a take of the shot on screen in place itself)."""
        window = self._window
        current = window.shots.current_shot()
        if task.shot_id is None or (current is not None and current.id == task.shot_id):
            return
        projects = window.session.projects
        shot = projects.shot(task.shot_id)
        if shot is None:
            return
        name = f"{shot.code} {take_code(task.take_number)}" if task.take_number is not None else shot.code
        project = projects.project(shot.project_id)
        shown = window.shots.current_project()
        if project is not None and (shown is None or project.id != shown.id):
            text = self.tr("{0} of {1} is ready.").format(name, project.name)
        else:
            text = self.tr("{0} is ready.").format(name)
        window.statusBar().showMessage(text, 10_000)
