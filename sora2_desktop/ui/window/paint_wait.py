"""Waiting for a window's paint, before asyncio's loop exists: the start (app.py) shows the frame, then the shot list
and the composer, each on screen before the next piece of work takes the interpreter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QWidget


def until_painted(window: QWidget, *, give_up_ms: int, user_input: bool = True) -> None:
    """Qt's loop until `window`'s next paint is on screen, or `give_up_ms` passed (a window never exposed: a start
    minimised, a platform that paints late); input waits for the next loop unless `user_input`."""
    painted = QEventLoop()

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is window and event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, painted.quit)  # once this paint is on screen
            return False

    watch = Watch()
    window.installEventFilter(watch)
    give_up = QTimer(singleShot=True, interval=give_up_ms)
    give_up.timeout.connect(painted.quit)
    give_up.start()
    flags = QEventLoop.ProcessEventsFlag
    painted.exec(flags.AllEvents if user_input else flags.ExcludeUserInputEvents)
    give_up.stop()
    window.removeEventFilter(watch)
