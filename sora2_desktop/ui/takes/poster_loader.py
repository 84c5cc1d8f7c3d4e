"""PosterLoader: a shot's poster PNGs checked, read, decoded and scaled to the card in a worker thread and handed
back as QImages on the GUI thread, so painting a card never touches a file."""

from __future__ import annotations

import stat
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage, QImageReader


@dataclass(frozen=True)
class PosterJob:
    local_id: int
    poster: Path
    video: Path | None = None  # when given, looked for first: a poster whose video is gone is not shown


class _Batch:
    """One request's jobs; `cancelled` is set on the GUI thread when another shot is shown and read by the
    worker between posters (a bool under the GIL: no lock needed), so a left shot stops costing decode time."""

    def __init__(self, jobs: list[PosterJob], size: QSize, ratio: float) -> None:
        self.jobs = jobs
        self.size = size  # device pixels
        self.ratio = ratio
        self.cancelled = False


# The text a read poster carries naming its file (path, time, size): a card painted from it stays good while it does.
SOURCE_TEXT = "sora2-poster-source"

# Posters read are handed over at most this often: one queued event (and one wake of the GUI thread) per chunk
# rather than per poster, while a shot's 160 posters are read during a scroll.
_CHUNK_S = 0.025


class _Sink(QObject):
    # Emitted from a pool thread, delivered queued on the GUI thread.
    loaded = Signal(object, object)  # batch, [(local_id, QImage), …]
    finished = Signal(object)  # batch


def read_poster(job: PosterJob, size: QSize) -> QImage | None:
    """The poster fitted into `size` (device pixels), or None when it (or its video) is not on disk or unreadable.
    Safe in any thread: QImage, unlike QPixmap, is not tied to the GUI thread."""
    if job.video is not None and not job.video.is_file():
        return None
    try:
        found_file = job.poster.stat()
    except OSError:
        return None
    if not stat.S_ISREG(found_file.st_mode):
        return None
    reader = QImageReader(str(job.poster))
    found = reader.size()
    if found.isValid():
        # Fitted once here, so the card draws it 1:1 (a filtered scale per paint was a third of a card). Inside
        # read(), which lets go of the GIL, so the GUI thread's Python is not held up (QImage.scaled holds it).
        fitted = found.scaled(size, Qt.AspectRatioMode.KeepAspectRatio)
        reader.setScaledSize(QSize(max(1, fitted.width()), max(1, fitted.height())))
    image = reader.read()
    if image.isNull():
        return None
    image.setText(SOURCE_TEXT, f"{job.poster}|{found_file.st_mtime_ns}|{found_file.st_size}")
    return image


def _read_batch(batch: _Batch, sink: _Sink) -> None:
    chunk: list[tuple[int, QImage]] = []
    handed = time.monotonic()
    for job in batch.jobs:
        if batch.cancelled:
            return
        image = read_poster(job, batch.size)
        if image is not None:
            image.setDevicePixelRatio(batch.ratio)
            chunk.append((job.local_id, image))
        if chunk and time.monotonic() - handed >= _CHUNK_S:
            sink.loaded.emit(batch, chunk)
            chunk, handed = [], time.monotonic()
    if chunk:
        sink.loaded.emit(batch, chunk)
    sink.finished.emit(batch)


class PosterLoader(QObject):
    """`load(jobs, ratio)` reads in order (pass the cards on screen first) and emits `loaded` per poster found;
    `cancel()` drops whatever earlier requests have not delivered (another shot is shown)."""

    loaded = Signal(int, QImage)  # local_id, the poster fitted to the card at the ratio asked

    def __init__(self, card: QSize, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._card = card
        # Created before the sink, so on teardown the pool waits for the jobs that emit to the sink.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # in order, and the GUI thread keeps the other core
        self._sink = _Sink(self)
        self._sink.loaded.connect(self._on_loaded)
        self._sink.finished.connect(self._on_finished)
        self._batches: list[_Batch] = []

    def load(self, jobs: list[PosterJob], ratio: float) -> None:
        if not jobs:
            return
        batch = _Batch(list(jobs), self._card * ratio, ratio)
        self._batches.append(batch)
        sink = self._sink
        self._pool.start(lambda: _read_batch(batch, sink))

    def cancel(self) -> None:
        for batch in self._batches:
            batch.cancelled = True
        self._batches.clear()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the worker is idle (tests, benchmarks); what it read still arrives queued."""
        return self._pool.waitForDone(msecs)

    def pending(self) -> bool:
        """Whether a request has not delivered all it found yet."""
        return bool(self._batches)

    @Slot(object, object)  # a cross-thread signal's receiver is declared: see poster_frames._Written
    def _on_loaded(self, batch: _Batch, chunk: list[tuple[int, QImage]]) -> None:
        if batch.cancelled:
            return  # read for a shot no longer shown
        for local_id, image in chunk:
            self.loaded.emit(local_id, image)

    @Slot(object)
    def _on_finished(self, batch: _Batch) -> None:
        if batch in self._batches:
            self._batches.remove(batch)
