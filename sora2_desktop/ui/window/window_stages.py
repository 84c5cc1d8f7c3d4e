"""WindowStages: the main window's parts built a stage at a time, one event-loop turn each, after the part a person
works in first (the shot list and the composer) is on screen — so no turn holds a frame up (issue 13).

Nothing half-built can be used: any key, click or context menu in the application while stages remain builds the
rest first (the event then reaches a whole window: a shortcut finds its action, a menu opens full), and `ensure`
builds a stage at once for code that needs it before its turn."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

log = logging.getLogger(__name__)

# What a person does to use the window (a key pressed, a click, a context menu); moving the mouse or the wheel is not.
INPUT = frozenset(
    {
        QEvent.Type.ShortcutOverride,  # sent before a shortcut is looked up: its action exists by then
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.ContextMenu,
    }
)


class WindowStages(QObject):
    """Named stages run in order, each in its own turn of the event loop once `start()` is called."""

    stage_built = Signal(str)  # the stage's name, once its parts exist
    completed = Signal()  # every stage built

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stages: list[tuple[str, Callable[[], object]]] = []
        self._built: list[str] = []
        self._building = False
        self._stopped = False
        self._after: list[Callable[[], object]] = []
        self._guarding = False  # the input guard is installed on the application
        self.durations: dict[str, float] = {}  # seconds each stage took (benchmarks/cold_start.py prints them)

    def add(self, name: str, build: Callable[[], object]) -> None:
        self._stages.append((name, build))

    def start(self) -> None:
        """The first stage on the loop's next turn; until the last one, input anywhere finishes the build first."""
        self.guard()
        self._schedule()

    def guard(self) -> None:
        """From now until the last stage, input anywhere finishes the build first; the turns wait for `start()`."""
        app = QCoreApplication.instance()
        if app is not None and self._stages:
            app.installEventFilter(self)  # once: a second install only moves it
            self._guarding = True

    @property
    def complete(self) -> bool:
        return not self._stages

    def built(self, name: str) -> bool:
        return name in self._built

    def ensure(self, name: str) -> None:
        """Build `name` now, with every stage before it (nothing when it is built already)."""
        while not self.built(name) and self._stages and not self._building:
            self._run_one()

    def finish(self) -> None:
        """Build every stage left, now."""
        while self._stages and not self._building:
            self._run_one()

    def when_complete(self, call: Callable[[], object]) -> None:
        """`call` now if the window is whole, else right after its last stage."""
        if self.complete:
            call()
        else:
            self._after.append(call)

    def stop(self) -> None:
        """The window closes: build nothing more (what waits for the end is dropped too)."""
        self._stopped = True
        self._stages.clear()
        self._after.clear()
        self._release()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT and self._stages and not self._building:
            log.debug("input before the window was whole: building the rest now")
            self.finish()
        return False

    def _schedule(self) -> None:
        if self._stages:
            QTimer.singleShot(0, self, self._next_turn)

    def _next_turn(self) -> None:
        if self._stages and not self._building:
            try:
                self._run_one()
            finally:
                self._schedule()  # a stage that failed (its error goes to the excepthook) does not stop the rest

    def _run_one(self) -> None:
        name, build = self._stages.pop(0)
        self._building = True
        # No input can arrive within the stage's own turn, so the guard steps aside for it: every event the stage's
        # new widgets send meanwhile would go through this Python filter, PySide6 wrapping each object and event.
        guarding, app = self._guarding, QCoreApplication.instance()
        if guarding and app is not None:
            app.removeEventFilter(self)
        began = time.perf_counter()
        try:
            build()
            self._built.append(name)
        finally:
            self._building = False
            if guarding and app is not None and self._guarding:  # not released meanwhile (stop())
                app.installEventFilter(self)
            self.durations[name] = time.perf_counter() - began
            if not self._stages and not self._stopped:  # even after a failed stage: nothing waits forever
                self._complete()
        self.stage_built.emit(name)

    def _complete(self) -> None:
        self._release()
        self.completed.emit()
        after, self._after = self._after, []
        for call in after:
            call()

    def _release(self) -> None:
        self._guarding = False
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
