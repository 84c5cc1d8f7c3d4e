"""Fills and pixmaps drawn in bands of a few dozen lines. Qt's raster engine hands any fill or blend of 96 lines or
more to its GUI thread pool and waits for it: for a card-sized area the hand-off costs more than the work, and on a
busy machine the wait is for another core to be free (a poster's fill: 10 µs on this thread, 40-250 µs handed off,
measured on 2 shared cores). A band under that height is drawn on the calling thread."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QColor, QPainter, QPixmap

_BAND = 64  # device lines: under the 96 at which Qt hands the work off


def fill(painter: QPainter, rect: QRect, color: QColor) -> None:
    step = max(1, math.floor(_BAND / painter.device().devicePixelRatio()))
    for top in range(rect.top(), rect.bottom() + 1, step):
        painter.fillRect(QRect(rect.left(), top, rect.width(), min(step, rect.bottom() + 1 - top)), color)


def draw_pixmap(painter: QPainter, at: QPointF, pixmap: QPixmap) -> None:
    """`pixmap` with its top left at `at`, drawn at its own pixel ratio (1:1 in device pixels)."""
    ratio = pixmap.devicePixelRatio()
    width, height = pixmap.width(), pixmap.height()
    for top in range(0, height, _BAND):
        lines = min(_BAND, height - top)
        painter.drawPixmap(QPointF(at.x(), at.y() + top / ratio), pixmap, QRectF(0, top, width, lines))
