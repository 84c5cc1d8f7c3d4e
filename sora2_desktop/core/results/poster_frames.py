"""PosterMaker: makes a small poster (thumbnail) PNG from a local video, one decoder at a time."""

from __future__ import annotations

import enum
import logging
import os
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QThreadPool, QTimer, QUrl, Signal, Slot
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink

from sora2_desktop.core.media import playback_support
from sora2_desktop.core.results.files import poster_path_for
from sora2_desktop.core.runtime.media_calls import post_unload

log = logging.getLogger(__name__)

DEFAULT_POSTER_SIZE = QSize(160, 90)
DEFAULT_TIMEOUT_MS = 10_000
# The very first frame of a generated clip is often a fade from black; a second in shows what it is about.
_POSTER_AT_MS = 1000


@dataclass(frozen=True)
class PosterRequest:
    key: str
    video_path: Path
    poster_path: Path


class _PosterJob(QObject):
    """One video opened by its own player and sink; says `done` once, with the grabbed frame or an error text.

    A fresh job per request means a late frame from the previous file can never become this file's poster:
    deleting the job drops anything still queued for it.
    """

    done = Signal(object)  # QVideoFrame on success, str (why not) on failure

    def __init__(self, request: PosterRequest, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self._finished = False
        self._player = QMediaPlayer(self)
        self._sink = QVideoSink(self)
        # No QAudioOutput: the player stays silent and opens no audio device.
        self._player.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(timeout_ms)
        self._timeout.timeout.connect(self._on_timeout)

    def start(self) -> None:
        support = playback_support.current()
        if not support.available:  # the player here would be Qt's inert stand-in: say why, never wait it out
            self._finish(self.tr("Video playback is not available: {why}").format(why=support.problem))
            return
        if not self.request.video_path.is_file():
            self._finish(self.tr("There is no video file at {path}.").format(path=self.request.video_path))
            return
        self._timeout.start()
        self._player.setSource(QUrl.fromLocalFile(str(self.request.video_path)))  # a new player: no teardown

    def stop(self) -> None:
        self._finished = True
        self._timeout.stop()
        post_unload(self._player)

    @Slot(QMediaPlayer.MediaStatus)
    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if self._finished:
            return
        if status == QMediaPlayer.MediaStatus.LoadedMedia:
            if not self._player.hasVideo():
                self._finish(self.tr("The file has sound but no picture."))
                return
            duration = self._player.duration()
            # Short clips: 10 % in rather than a second, so a 2 s clip does not show its last moments.
            self._player.setPosition(min(_POSTER_AT_MS, duration // 10) if duration > 0 else 0)
            # Paused after a seek, the backend decodes just the one frame there: no need to play anything.
            self._player.pause()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._finish(self._player.errorString() or self.tr("The file is not a video."))
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._finish(self.tr("The video ended before a frame could be read."))

    @Slot(QMediaPlayer.Error, str)
    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if not self._finished and error != QMediaPlayer.Error.NoError:
            self._finish(message or self.tr("The video could not be opened."))

    @Slot(QVideoFrame)
    def _on_frame(self, frame: QVideoFrame) -> None:
        # Made an image in the pool thread (_write): toImage() waits for the decoder's buffer and, with the
        # machine busy, held the GUI thread 80 ms and more (benchmarks/README.md).
        if not self._finished and frame.isValid():
            self._finish(QVideoFrame(frame))

    @Slot()
    def _on_timeout(self) -> None:
        self._finish(
            self.tr("No frame arrived within {seconds} s.").format(seconds=round(self._timeout.interval() / 1000))
        )

    def _finish(self, result: QVideoFrame | str) -> None:
        if self._finished:
            return
        self.stop()
        self.done.emit(result)


class PosterMaker(QObject):
    """Queue of poster requests worked one at a time, so fifty finished tasks never open fifty decoders at once."""

    poster_ready = Signal(str, str)  # key, poster path
    poster_failed = Signal(str, str)  # key, message

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_size: QSize = DEFAULT_POSTER_SIZE,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> None:
        super().__init__(parent)
        self._max_size = QSize(max_size)
        self._timeout_ms = timeout_ms
        self._queue: deque[PosterRequest] = deque()
        self._job: _PosterJob | None = None
        # The PNG is scaled, encoded and written by one pool thread (in order, so answers keep the requests'
        # order): on a busy disk that write held the GUI thread for 60-160 ms (benchmarks/README.md). Created
        # before the sink, so on teardown the pool waits for the work that emits to the sink.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._sink = _Written(self)
        self._sink.written.connect(self._on_written)
        self._writing: list[str] = []  # keys handed to the pool, oldest first
        self._resting = False  # a job's teardown is posted and has not run yet: no new player meanwhile

    def request(self, key: str, video_path: str | Path, poster_path: str | Path | None = None) -> None:
        """Queue a poster for `video_path`; a key already queued or in the works is not queued twice."""
        if (
            (self._job is not None and self._job.request.key == key)
            or any(r.key == key for r in self._queue)
            or key in self._writing
        ):
            return
        target = Path(poster_path) if poster_path is not None else poster_path_for(video_path)
        self._queue.append(PosterRequest(key, Path(video_path), target))
        # Started from the event loop, never inside request(): a caller always has time to connect first.
        QTimer.singleShot(0, self, self._start_next)

    def pending_count(self) -> int:
        """Requests not yet answered, the one being worked on (or written) included."""
        return len(self._queue) + (1 if self._job is not None else 0) + len(self._writing)

    @Slot()
    def _start_next(self) -> None:
        if self._job is not None or self._resting or not self._queue:
            return
        self._job = _PosterJob(self._queue.popleft(), self._timeout_ms, self)
        self._job.done.connect(self._on_job_done)
        self._job.start()

    @Slot(object)
    def _on_job_done(self, result: QVideoFrame | str) -> None:
        job = self._job
        if job is None:
            return
        self._job = None
        job.deleteLater()
        request, size, sink = job.request, QSize(self._max_size), self._sink
        # A failure goes through the pool too, so every answer comes in the order asked.
        self._writing.append(request.key)
        self._pool.start(lambda: sink.written.emit(request, _write(result, size, request.poster_path)))
        # The job's teardown (stop() posted it) runs in the loop's next pass; the next player's setSource, 8-11 ms
        # of the GUI thread, in the pass after it, so the two never hold up one frame together (issue 13).
        self._resting = True
        QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._rested))

    @Slot()
    def _rested(self) -> None:
        self._resting = False
        self._start_next()

    @Slot(object, object)
    def _on_written(self, request: PosterRequest, outcome: tuple[str, str] | str | _Unreadable | None) -> None:
        if request.key in self._writing:
            self._writing.remove(request.key)
        if outcome is None:
            self.poster_ready.emit(request.key, str(request.poster_path))
            return
        if outcome is _Unreadable.FRAME:
            outcome = self.tr("The video's frame could not be read.")
        if isinstance(outcome, tuple):  # (path, the system's reason): worded here, on the GUI thread
            path, reason = outcome
            words = self.tr("Could not write {path}: {reason}") if reason else self.tr("Could not write {path}.")
            outcome = words.format(path=path, reason=reason)
        log.info("poster for %s failed: %s", request.key, outcome)
        self.poster_failed.emit(request.key, outcome)


class _Written(QObject):
    # Emitted from the pool thread, delivered queued on the GUI thread to a declared @Slot: PySide6 6.8 and later
    # can crash delivering another thread's signal to an undeclared method (PYSIDE-3124).
    written = Signal(object, object)  # PosterRequest, None | (path, reason) | the job's own words


class _Unreadable(enum.Enum):
    FRAME = "the decoded frame did not convert to an image"  # worded on the GUI thread


def _write(result: QVideoFrame | str, max_size: QSize, poster_path: Path) -> tuple[str, str] | str | _Unreadable | None:
    """In the pool thread (QVideoFrame and QImage, unlike QPixmap, may be used there): the frame made an image,
    scaled down and written atomically. None when written; the job's words when it had no picture; (path, reason)
    when the file could not be written."""
    if not isinstance(result, QVideoFrame):
        return result
    image = result.toImage()
    if image.isNull():
        return _Unreadable.FRAME
    if image.width() > max_size.width() or image.height() > max_size.height():
        image = image.scaled(max_size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    # A reader never sees half a PNG: write beside the target, then rename over it in one step.
    temporary = poster_path.with_name(poster_path.name + ".tmp")
    try:
        poster_path.parent.mkdir(parents=True, exist_ok=True)
        # PySide 6.12 accepts the format only as str at run time, though its stubs say bytes.
        if not image.save(str(temporary), "PNG"):  # type: ignore[call-overload]
            return (str(temporary), "")
        os.replace(temporary, poster_path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        return (str(poster_path), str(error.strerror or error))
    return None
