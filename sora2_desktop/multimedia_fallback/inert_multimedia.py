"""Inert stand-ins of the Qt Multimedia classes the app names, for a machine where the module cannot load: they
answer as Qt's own players do without a backend (not available, no media, nothing decoded) and never emit."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtGui import QImage

__all__ = ["QAudioOutput", "QMediaMetaData", "QMediaPlayer", "QVideoFrame", "QVideoSink", "QtAudio"]


class QMediaMetaData:
    class Key(enum.Enum):
        Title = 0
        Duration = 11
        Resolution = 25
        VideoFrameRate = 18

    def value(self, _key: Any) -> None:
        return None


class QVideoFrame:
    def isValid(self) -> bool:
        return False

    def toImage(self) -> QImage:
        return QImage()


class QVideoSink(QObject):
    videoFrameChanged = Signal(object)

    def videoFrame(self) -> QVideoFrame:
        return QVideoFrame()


class QAudioOutput(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._volume, self._muted = 1.0, False

    def volume(self) -> float:
        return self._volume

    def setVolume(self, volume: float) -> None:
        self._volume = volume

    def isMuted(self) -> bool:
        return self._muted

    def setMuted(self, muted: bool) -> None:
        self._muted = muted


class QtAudio:
    class VolumeScale(enum.Enum):
        LinearVolumeScale = 0
        CubicVolumeScale = 1
        LogarithmicVolumeScale = 2
        DecibelVolumeScale = 3

    @staticmethod
    def convertVolume(volume: float, _source: Any, _target: Any) -> float:
        return volume  # nothing is heard: the scale does not matter


class QMediaPlayer(QObject):
    class Error(enum.Enum):
        NoError = 0
        ResourceError = 1
        FormatError = 2
        NetworkError = 3
        AccessDeniedError = 4

    class MediaStatus(enum.Enum):
        NoMedia = 0
        LoadingMedia = 1
        LoadedMedia = 2
        StalledMedia = 3
        BufferingMedia = 4
        BufferedMedia = 5
        EndOfMedia = 6
        InvalidMedia = 7

    class PlaybackState(enum.Enum):
        StoppedState = 0
        PlayingState = 1
        PausedState = 2

    class Loops(enum.Enum):
        Infinite = -1
        Once = 1

    positionChanged = Signal(int)
    durationChanged = Signal(int)
    playbackStateChanged = Signal(object)
    mediaStatusChanged = Signal(object)
    errorOccurred = Signal(object, str)
    sourceChanged = Signal(QUrl)
    metaDataChanged = Signal()
    hasVideoChanged = Signal(bool)
    playbackRateChanged = Signal(float)
    loopsChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source, self._loops, self._rate = QUrl(), 1, 1.0
        self._audio: QAudioOutput | None = None
        self._sink: QVideoSink | None = None

    # Slots, as the real ones are: core/runtime/media_calls posts them by name.
    @Slot(QUrl)
    def setSource(self, source: QUrl) -> None:
        if source != self._source:
            self._source = QUrl(source)
            self.sourceChanged.emit(self._source)

    @Slot()
    def play(self) -> None:
        return None

    @Slot()
    def pause(self) -> None:
        return None

    @Slot()
    def stop(self) -> None:
        return None

    @Slot(int)
    def setPosition(self, _position: int) -> None:
        return None

    @Slot(float)
    def setPlaybackRate(self, rate: float) -> None:
        self._rate = rate

    def source(self) -> QUrl:
        return QUrl(self._source)

    def isAvailable(self) -> bool:
        return False

    def error(self) -> QMediaPlayer.Error:
        return QMediaPlayer.Error.NoError

    def errorString(self) -> str:
        return ""

    def mediaStatus(self) -> QMediaPlayer.MediaStatus:
        return QMediaPlayer.MediaStatus.NoMedia

    def playbackState(self) -> QMediaPlayer.PlaybackState:
        return QMediaPlayer.PlaybackState.StoppedState

    def position(self) -> int:
        return 0

    def duration(self) -> int:
        return 0

    def hasVideo(self) -> bool:
        return False

    def hasAudio(self) -> bool:
        return False

    def isSeekable(self) -> bool:
        return False

    def playbackRate(self) -> float:
        return self._rate

    def loops(self) -> int:
        return self._loops

    def setLoops(self, loops: int) -> None:
        self._loops = loops

    def metaData(self) -> QMediaMetaData:
        return QMediaMetaData()

    def setAudioOutput(self, output: QAudioOutput | None) -> None:
        self._audio = output

    def audioOutput(self) -> QAudioOutput | None:
        return self._audio

    def setVideoSink(self, sink: QVideoSink | None) -> None:
        self._sink = sink

    def videoSink(self) -> QVideoSink | None:
        return self._sink

    def setVideoOutput(self, _output: QObject | None) -> None:
        return None
