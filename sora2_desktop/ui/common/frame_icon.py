"""frame_icon: a small picture of a frame in given proportions, as the aspect-ratio choices show it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from sora2_desktop.ui.common.theme import GlyphEngine


def frame_icon(width: int, height: int, color: QColor) -> QIcon:
    """A small picture of a frame of the given proportions, drawn at a few sizes so it stays crisp."""
    icon = QIcon()
    for side in (16, 24, 32, 48):
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen_width = max(1.0, side / 14)
        scale = (side - 2 * pen_width) / max(width, height)
        w, h = width * scale, height * scale
        fill = QColor(color)
        fill.setAlphaF(0.2)
        painter.setPen(QPen(color, pen_width))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF((side - w) / 2, (side - h) / 2, w, h), side / 16, side / 16)
        painter.end()
        icon.addPixmap(pixmap)
    return QIcon(GlyphEngine(icon))  # drawn in the palette's text colour, also after a theme switch
