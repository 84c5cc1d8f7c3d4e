"""ReviewActions: an editor's review from the keyboard — C circle, H hold, X no good, U clear the mark, 0-5 stars,
N the note — as actions for the Take menu and single keys wherever a take is in view (strip, player, Compare).

The keys are plain letters, so they live only where a take is looked at: each widget that shows takes is
attached with `attach(widget, current)` and the keys work while the focus is inside it (never while a person
types a prompt). The menu entries show the keys and act on the take of the first attached widget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMenu, QWidget

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.common.shortcuts import GROUP_TAKES, Shortcut, register
from sora2_desktop.ui.takes import take_wording as wording

CurrentTake = Callable[[], Task | None]

MARK_KEYS = {TakeMark.CIRCLED: "C", TakeMark.HOLD: "H", TakeMark.NO_GOOD: "X"}
CLEAR_MARK_KEY = "U"  # "unmark", as Lightroom's U unflags; 0 is zero stars, like its 0
NOTE_KEY = "N"
KEEPERS_KEY = "Shift+C"  # C circles a take; Shift+C shows the circled ones only (the strip's toggle)

register(
    Shortcut(MARK_KEYS[TakeMark.CIRCLED], "Circle the take (a keeper)", GROUP_TAKES),
    Shortcut(MARK_KEYS[TakeMark.HOLD], "Mark the take hold", GROUP_TAKES),
    Shortcut(MARK_KEYS[TakeMark.NO_GOOD], "Mark the take no good", GROUP_TAKES),
    Shortcut(CLEAR_MARK_KEY, "Clear the take's mark", GROUP_TAKES),
    Shortcut("1, 2, 3, 4, 5", "Rate the take 1 to 5 stars", GROUP_TAKES),
    Shortcut("0", "Clear the take's stars", GROUP_TAKES),
    Shortcut(NOTE_KEY, "Write a note on the take…", GROUP_TAKES),
    Shortcut(KEEPERS_KEY, "Show circled takes only", GROUP_TAKES),
)


class ReviewActions(QObject):
    """Every review action acts on the take the focused attached widget calls current (else the first one's)."""

    status_message = Signal(str)  # "T03 circled": what a key did, for the status bar

    def __init__(self, session: Any, parent: QObject | None = None) -> None:
        # `session`: the Session, or anything with `.projects` (a ProjectService) — tests give a fake.
        super().__init__(parent)
        self._session = session
        self._sources: list[tuple[QWidget, CurrentTake]] = []
        self.note_dialog: QInputDialog | None = None  # the note field open now, if any
        self.mark_actions: dict[TakeMark, QAction] = {
            TakeMark.CIRCLED: self._action(self.tr("&Circle take (keeper)"), MARK_KEYS[TakeMark.CIRCLED]),
            TakeMark.HOLD: self._action(self.tr("&Hold"), MARK_KEYS[TakeMark.HOLD]),
            TakeMark.NO_GOOD: self._action(self.tr("&No good"), MARK_KEYS[TakeMark.NO_GOOD]),
        }
        for mark, action in self.mark_actions.items():
            action.triggered.connect(lambda _checked=False, m=mark: self.set_mark(m))
        self.clear_mark_action = self._action(self.tr("Clear &mark"), CLEAR_MARK_KEY)
        self.clear_mark_action.triggered.connect(lambda: self.set_mark(None))
        self.star_actions: list[QAction] = []
        for stars in range(wording.MAX_STARS + 1):
            text = self.tr("No stars") if stars == 0 else self.tr("%n star(s)", "", stars)
            action = self._action(text, str(stars))
            action.triggered.connect(lambda _checked=False, n=stars: self.set_rating(n))
            self.star_actions.append(action)
        self.note_action = self._action(self.tr("Edit &note…"), NOTE_KEY)
        self.note_action.triggered.connect(self.edit_note)

    def _action(self, text: str, key: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        # Single keys: only while the focus is in a widget that shows takes (see attach), never in a text field.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return action

    # -- where the keys work -----------------------------------------------------------------------------------

    def actions(self) -> list[QAction]:
        return [*self.mark_actions.values(), self.clear_mark_action, *self.star_actions, self.note_action]

    def attach(self, widget: QWidget, current: CurrentTake) -> None:
        """The keys work while the focus is in `widget` (or its children), on the take `current` returns."""
        self._sources.append((widget, current))
        widget.addActions(self.actions())
        widget.destroyed.connect(lambda _obj=None, w=widget: self._forget(w))

    def _forget(self, widget: QWidget) -> None:
        self._sources = [(w, c) for w, c in self._sources if w is not widget]

    def fill_menu(self, menu: QMenu) -> QMenu:
        """The Take menu's entries (the window makes the menu; marks, then stars, then the note)."""
        menu.addActions([*self.mark_actions.values(), self.clear_mark_action])
        menu.addSeparator()
        menu.addActions(self.star_actions)
        menu.addSeparator()
        menu.addAction(self.note_action)
        return menu

    def current_take(self) -> Task | None:
        """The take of the attached widget holding the focus; from a menu (no such focus), the first's."""
        focus = QApplication.focusWidget()
        for widget, current in self._sources:
            if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
                return current()
        return self._sources[0][1]() if self._sources else None

    # -- the operations ----------------------------------------------------------------------------------------

    def set_mark(self, mark: TakeMark | None) -> Task | None:
        task = self._target()
        if task is None or task.local_id is None:
            return None
        updated = self._session.projects.set_mark(task.local_id, mark)
        self._tell(task, updated, self._mark_done(mark))
        return updated

    def set_rating(self, stars: int) -> Task | None:
        task = self._target()
        if task is None or task.local_id is None:
            return None
        updated = self._session.projects.set_rating(task.local_id, stars)
        said = self.tr("{take}: no stars") if stars == 0 else self.tr("{take}: %n star(s)", "", stars)
        self._tell(task, updated, said)
        return updated

    def set_note(self, note: str) -> Task | None:
        task = self._target()
        if task is None or task.local_id is None:
            return None
        return self._write_note(task, note)

    def edit_note(self) -> None:
        """A one-line field with the take's note; Enter keeps it, Escape leaves it as it was."""
        task = self._target()
        if task is None or task.local_id is None:
            return
        focus = QApplication.focusWidget()
        dialog = QInputDialog(focus.window() if focus is not None else None)
        dialog.setWindowTitle(self.tr("Note on {take}").format(take=wording.take_title(task)))
        dialog.setLabelText(
            self.tr("A short note on {take} (what works, what to fix):").format(take=wording.take_title(task))
        )
        dialog.setTextValue(task.review_note)
        field = dialog.findChild(QLineEdit)
        if field is not None:
            field.setMaxLength(wording.NOTE_MAX_CHARS)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda text, t=task: self._write_note(t, text))
        self.note_dialog = dialog
        dialog.open()

    # -- helpers -----------------------------------------------------------------------------------------------

    def _target(self) -> Task | None:
        task = self.current_take()
        if task is None:
            self.status_message.emit(self.tr("Select a take first."))
        return task

    def _write_note(self, task: Task, note: str) -> Task | None:
        assert task.local_id is not None
        note = " ".join(note.split())[: wording.NOTE_MAX_CHARS]
        updated = self._session.projects.set_review_note(task.local_id, note)
        self._tell(task, updated, self.tr("{take}: note saved") if note else self.tr("{take}: note cleared"))
        return updated

    def _mark_done(self, mark: TakeMark | None) -> str:
        if mark == TakeMark.CIRCLED:
            return self.tr("{take} circled")
        if mark == TakeMark.HOLD:
            return self.tr("{take} on hold")
        if mark == TakeMark.NO_GOOD:
            return self.tr("{take} marked no good")
        return self.tr("{take}: mark cleared")

    def _tell(self, task: Task, updated: Task | None, said: str) -> None:
        if updated is None:
            self.status_message.emit(self.tr("That take is gone; nothing was marked."))
        else:
            self.status_message.emit(said.format(take=wording.take_title(updated)))
