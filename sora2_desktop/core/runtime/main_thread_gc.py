"""MainThreadGC: Python's cycle collector runs only on the GUI thread, so no Qt object is ever freed elsewhere."""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

# Why: automatic collection runs in whichever thread happens to allocate, and the app has worker threads (HTTP
# stand-in in demo mode, asyncio.to_thread, Qt's thread pool). A QObject in a cycle freed from one of those
# threads crashes Qt. Collecting from a timer on the GUI thread keeps the memory bound without that risk.
#
# A full pass walks every object the app holds; with the window's Qt wrappers that took 36-40 ms on an idle
# machine and 60-120 ms with 1,000 tasks in flight, a frame or several lost each time (benchmarks/README.md). What
# exists once the start-up has settled (modules, the window, the session) lives as long as the app, so it is
# frozen (gc.freeze): later full passes walk only what came after (~1 ms for tens of thousands of objects). Only
# the youngest generation is collected first (what came since the last check): an older one held the window's
# parts and took 25-30 ms, and a full pass is the stall being avoided. A full pass at that point found nothing to
# free once the window was built, so what the freeze can keep from being freed is small, and it happens once.
FREEZE_AFTER_S = 5.0
# Checked often, so each pass has little to walk: with 1,000 tasks in flight a pass every 500 ms found enough new
# objects to take 10-12 ms.
CHECK_EVERY_MS = 100


class MainThreadGC(QObject):
    def __init__(
        self,
        interval_ms: int = CHECK_EVERY_MS,
        parent: QObject | None = None,
        *,
        freeze_after_s: float | None = FREEZE_AFTER_S,
    ) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        self._freeze_at = None if freeze_after_s is None else time.monotonic() + freeze_after_s
        self.frozen = False
        gc.disable()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect each generation whose allocation count passed Python's own threshold, as gc would; once the
        start-up has settled, freeze what it left."""
        if self._freeze_at is not None and time.monotonic() >= self._freeze_at:
            self._freeze_at = None
            gc.collect(0)  # the newest garbage goes first: frozen, a cycle would never be freed
            gc.freeze()
            self.frozen = True
            return
        counts = gc.get_count()
        if counts[0] > self._threshold[0]:
            generation = 0
            if counts[1] > self._threshold[1]:
                generation = 2 if counts[2] > self._threshold[2] else 1
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        if self.frozen:
            gc.unfreeze()  # back to the collector (a test's objects must not outlive it unchecked)
            self.frozen = False
        gc.enable()
