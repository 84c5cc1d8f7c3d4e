"""MainThreadGC: Python's cycle collector runs only on the GUI thread, so no Qt object is ever freed elsewhere."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# Why: automatic collection runs in whichever thread happens to allocate, and the app has worker threads (HTTP
# stand-in in demo mode, asyncio.to_thread, Qt's thread pool). A QObject in a cycle freed from one of those
# threads crashes Qt. Collecting from a timer on the GUI thread keeps the memory bound without that risk.


class MainThreadGC(QObject):
    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect each generation whose allocation count passed Python's own threshold, as gc would."""
        counts = gc.get_count()
        if counts[0] > self._threshold[0]:
            generation = 0
            if counts[1] > self._threshold[1]:
                generation = 2 if counts[2] > self._threshold[2] else 1
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
