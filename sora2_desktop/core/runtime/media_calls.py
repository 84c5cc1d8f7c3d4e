"""Player teardown calls (stop, new source) posted to the event loop, so they never run while Python holds the GIL."""

from __future__ import annotations

from PySide6.QtCore import Q_ARG, QMetaObject, Qt, QUrl
from PySide6.QtMultimedia import QMediaPlayer

# Why: with the FFmpeg backend, stop() and setSource() wait for the player's worker threads, and those threads
# may need the GIL to finish (a Python-created QObject's virtual calls go through Shiboken). Called straight from
# Python, the GUI thread holds the GIL while it waits: a deadlock, seen here about one run in four of the player
# tests. Posted, the call runs from Qt's event loop, which PySide enters with the GIL released.
_QUEUED = Qt.ConnectionType.QueuedConnection


def post_source(player: QMediaPlayer, url: QUrl) -> None:
    QMetaObject.invokeMethod(player, "setSource", _QUEUED, Q_ARG(QUrl, url))


def post_play(player: QMediaPlayer) -> None:
    """Play once the calls posted before it (a new source) have run."""
    QMetaObject.invokeMethod(player, "play", _QUEUED)


def post_stop(player: QMediaPlayer) -> None:
    QMetaObject.invokeMethod(player, "stop", _QUEUED)


def post_unload(player: QMediaPlayer) -> None:
    """Stop and drop the source: what closing or clearing a player needs."""
    post_stop(player)
    post_source(player, QUrl())
