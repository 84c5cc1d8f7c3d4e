"""grab_frame: one full-resolution frame of a local video, decoded by a player of its own and awaited on the loop.

Frame sheets, "save this frame" and "continue from the last frame" all need a picture at an exact time without
disturbing the player on screen, so each grab opens its own QMediaPlayer + QVideoSink (as core/results/poster_frames
does), seeks once, keeps the one frame it asked for and lets the player go. Nothing here blocks: the box reading
runs in a worker thread and the decoding in Qt's own threads while the qasync loop waits on a future.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QMediaMetaData, QMediaPlayer, QVideoFrame, QVideoSink

from sora2_desktop.core.media import playback_support
from sora2_desktop.core.media.probe import MediaProbeError, probe
from sora2_desktop.core.runtime.media_calls import post_unload

log = logging.getLogger(__name__)

# When neither the file's boxes nor the player say a frame rate: the PAL rate, as the player assumes.
_FALLBACK_RATE = Fraction(25)
# Whole-millisecond seeks and microsecond frame times disagree by rounding; a frame within this still counts.
_SLACK_US = 1000


class FrameGrabError(Exception):
    """Why no frame could be had; str(error) is a sentence for a person."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("FrameGrab", text)


@dataclass(frozen=True)
class FrameTarget:
    """Which frame to grab and where the player must seek to show it."""

    frame: int  # counted from 0
    seek_ms: int  # a position inside that frame (its middle), where the paused player shows it

    @property
    def seek_us(self) -> int:
        return self.seek_ms * 1000


def frame_target(at_ms: int | None, rate: Fraction, frame_count: int) -> FrameTarget:
    """The frame on screen at `at_ms` (the one that began at or before it; None = the last frame), clamped into the
    clip. Qt's FFmpeg backend, paused, shows the frame that began strictly *before* the position, so the seek goes
    to the middle of the wanted frame, which is inside it however a backend rounds (29.97 frames start at
    fractional milliseconds)."""
    last = max(0, frame_count - 1)
    frame = last if at_ms is None else min(last, max(0, math.floor(Fraction(max(0, at_ms)) * rate / 1000)))
    if frame == 0:
        return FrameTarget(0, 0)
    return FrameTarget(frame, math.floor(Fraction(frame * 1000) / rate + Fraction(500) / rate))


def _reported_rate(value: object) -> Fraction | None:
    """QMediaMetaData's frame rate (a float such as 29.97002997) as the exact rate meant, or None."""
    if not isinstance(value, int | float) or not 1 <= value <= 240:
        return None
    for nominal in (24, 30, 48, 60, 120):
        if abs(value - nominal * 1000 / 1001) < 0.005:
            return Fraction(nominal * 1000, 1001)
    return Fraction(value).limit_denominator(1001)


class _GrabJob(QObject):
    """One player and sink for one file; says `done` once, with the QImage or a sentence saying why not."""

    done = Signal(object)  # QImage | str

    def __init__(self, path: Path, at_ms: int | None, target: FrameTarget | None) -> None:
        # Owned by the application object, never by Python: a dropped Python reference must not delete the player
        # from inside Python (its destructor waits on decoder threads that may need the GIL); deleteLater does.
        super().__init__(QCoreApplication.instance())
        self._path = path
        self._at_ms = at_ms
        self._target = target  # None until the player says the rate and length (the boxes could not be read)
        self._finished = False
        self._player = QMediaPlayer(self)
        self._sink = QVideoSink(self)
        # No QAudioOutput: the player stays silent and opens no audio device.
        self._player.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)

    def start(self) -> None:
        self._player.setSource(QUrl.fromLocalFile(str(self._path)))  # a new player: nothing to tear down first

    def stop(self) -> None:
        """Let the player go (posted: see media_calls) and drop the job once those calls have run."""
        self._finished = True
        post_unload(self._player)
        self.deleteLater()

    @Slot(QMediaPlayer.MediaStatus)
    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if self._finished:
            return
        if status == QMediaPlayer.MediaStatus.LoadedMedia:
            if not self._player.hasVideo():
                self._finish(_tr("{name} has sound but no picture.").format(name=self._path.name))
                return
            if self._target is None:
                rate = _reported_rate(self._player.metaData().value(QMediaMetaData.Key.VideoFrameRate))
                rate = rate or _FALLBACK_RATE
                count = round(Fraction(self._player.duration()) * rate / 1000)
                self._target = frame_target(self._at_ms, rate, count)
            self._player.setPosition(self._target.seek_ms)
            # Paused after a seek, the backend decodes just the one frame there: nothing is played.
            self._player.pause()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._finish(_tr("{name} is not a video that can be played.").format(name=self._path.name))
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._finish(_tr("{name} ended before the frame could be read.").format(name=self._path.name))

    @Slot(QMediaPlayer.Error, str)
    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if not self._finished and error != QMediaPlayer.Error.NoError:
            log.info("frame grab of %s: %s", self._path, message)
            self._finish(_tr("{name} could not be decoded.").format(name=self._path.name))

    @Slot(QVideoFrame)
    def _on_frame(self, frame: QVideoFrame) -> None:
        if self._finished or self._target is None or not frame.isValid() or not self._is_target(frame):
            return
        image = frame.toImage()
        if not image.isNull():
            # Video has no transparency; an opaque image is what a PNG, the clipboard and an upload want.
            self._finish(image.convertToFormat(QImage.Format.Format_RGB32) if image.hasAlphaChannel() else image)

    def _is_target(self, frame: QVideoFrame) -> bool:
        """Whether `frame` is the one the seek asked for, not one the backend showed on the way there."""
        assert self._target is not None
        start, end = frame.startTime(), frame.endTime()
        if start < 0 or self._target.seek_ms == 0:  # no times to check; the first frame is whatever comes first
            return True
        seek = self._target.seek_us
        return start <= seek + _SLACK_US and (end < 0 or end > seek - _SLACK_US)

    def _finish(self, result: QImage | str) -> None:
        if self._finished:
            return
        self._finished = True
        self.done.emit(result)


async def grab_frame(path: Path, at_ms: int | None, *, timeout_ms: int = 10_000) -> QImage:
    """A full-resolution frame of the local video at `path`: the frame on screen at `at_ms` (clamped into the clip),
    or the last frame when `at_ms` is None. Call it on the GUI thread's qasync loop; FrameGrabError says why not."""
    path = Path(path)
    support = playback_support.current()
    if not support.available:
        raise FrameGrabError(_tr("Video playback is not available on this computer: {why}").format(why=support.problem))
    if not await asyncio.to_thread(path.is_file):
        raise FrameGrabError(_tr("There is no video file at {path}.").format(path=path))
    # The boxes give the exact rate and the video's own length (the player's length is the longest track's, and a
    # seek past the end of the picture shows nothing); when they cannot be read the player's word is used.
    target: FrameTarget | None = None
    probe_problem: str | None = None
    try:
        info = await asyncio.to_thread(probe, path)
        target = frame_target(at_ms, info.frame_rate, info.frame_count)
    except MediaProbeError as error:
        probe_problem = str(error)
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[QImage | str] = loop.create_future()

    def on_done(result: QImage | str) -> None:
        if not answer.done():
            answer.set_result(result)

    job = _GrabJob(path, at_ms, target)
    job.done.connect(on_done)
    job.start()
    try:
        result = await asyncio.wait_for(answer, timeout_ms / 1000)
    except TimeoutError:
        raise FrameGrabError(
            _tr("No frame of {name} arrived within {seconds} s.").format(
                name=path.name, seconds=max(1, round(timeout_ms / 1000))
            )
        ) from None
    finally:
        job.stop()
    if isinstance(result, QImage):
        return result
    if probe_problem is not None:  # the player failed too: the boxes' reason is the more telling one
        result = _tr("{name} is not a video that can be read ({reason}).").format(name=path.name, reason=probe_problem)
    raise FrameGrabError(result)
