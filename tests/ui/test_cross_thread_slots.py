"""Every receiver of a signal emitted from a worker thread is a declared slot (PYSIDE-3124: PySide6 6.8 and later can
crash delivering another thread's signal to an undeclared Python method)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject

from sora2_desktop.core.results.poster_frames import PosterMaker
from sora2_desktop.ui.compose.image_picker import ImagePicker
from sora2_desktop.ui.takes.poster_loader import PosterLoader
from sora2_desktop.ui.window.about_dialog import AboutDialog


@pytest.mark.parametrize(
    ("receiver", "slot"),
    [
        (PosterMaker, "_on_written(PyObject,PyObject)"),
        (PosterLoader, "_on_loaded(PyObject,PyObject)"),
        (PosterLoader, "_on_finished(PyObject)"),
        (ImagePicker, "_on_thumbnail(QString,QImage)"),
        (AboutDialog, "_show_third_party(QString)"),
    ],
)
def test_a_worker_threads_signal_lands_in_a_declared_slot(receiver: type[QObject], slot: str) -> None:
    assert receiver.staticMetaObject.indexOfSlot(slot) >= 0, f"{receiver.__name__}.{slot} is not a @Slot"
