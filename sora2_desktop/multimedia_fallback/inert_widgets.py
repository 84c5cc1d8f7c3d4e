"""The inert stand-in of QtMultimediaWidgets' QVideoWidget: a blank widget that never goes full screen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from sora2_desktop.multimedia_fallback.inert_multimedia import QVideoSink


class QVideoWidget(QWidget):
    fullScreenChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sink = QVideoSink(self)

    def videoSink(self) -> QVideoSink:
        return self._sink

    def isFullScreen(self) -> bool:
        return False

    def setFullScreen(self, _full_screen: bool) -> None:
        return None  # no picture to show larger
