"""Task marks: how a task's state is drawn small — its phase colour, the state dot and the check or cross."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from sora2_desktop.core.tasks.task import TaskPhase

# One colour per phase: mid-tones so they read on light and dark palettes alike.
_PHASE_COLORS: dict[TaskPhase, str] = {
    TaskPhase.QUEUED: "#8a8f98",
    TaskPhase.SUBMITTING: "#3b82f6",
    TaskPhase.PENDING: "#d4a017",
    TaskPhase.PROCESSING: "#3b82f6",
    TaskPhase.SUCCESS: "#22a35a",
    TaskPhase.FAILED: "#dc3c3c",
    TaskPhase.REJECTED: "#dc3c3c",
    TaskPhase.SUBMIT_UNKNOWN: "#e07b1f",
    TaskPhase.UNKNOWN: "#9b59b6",
}
_HOLLOW_PHASES = (TaskPhase.QUEUED, TaskPhase.SUBMITTING)  # not at the service yet: drawn as a ring
_state_icons: dict[TaskPhase, QIcon] = {}


def phase_color(phase: TaskPhase) -> QColor:
    return QColor(_PHASE_COLORS[phase])


def state_icon(phase: TaskPhase) -> QIcon:
    """The dot shown beside the state word: filled once at the service, a ring while still local."""
    icon = _state_icons.get(phase)
    if icon is None:  # made on first use: a QPixmap needs the QGuiApplication to exist
        icon = _state_icons[phase] = _dot_icon(phase_color(phase), hollow=phase in _HOLLOW_PHASES)
    return icon


def _dot_icon(color: QColor, *, hollow: bool) -> QIcon:
    icon = QIcon(_dot_pixmap(color, hollow=hollow, outline=None))
    # On a selected row the dot sits on the highlight colour (often blue, like "Processing"): ring it in white.
    icon.addPixmap(_dot_pixmap(color, hollow=hollow, outline=QColor("white")), QIcon.Mode.Selected)
    return icon


def _dot_pixmap(color: QColor, *, hollow: bool, outline: QColor | None) -> QPixmap:
    pixmap = QPixmap(32, 32)  # drawn large and scaled down by the view, so it stays crisp on HiDPI
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if outline is not None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(outline)
        painter.drawEllipse(3, 3, 26, 26)
    if hollow:
        painter.setPen(QPen(color, 4.0))
        painter.setBrush(Qt.GlobalColor.white if outline is not None else Qt.BrushStyle.NoBrush)
        painter.drawEllipse(8, 8, 16, 16)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(6, 6, 20, 20)
    painter.end()
    return pixmap


def paint_mark(painter: QPainter, rect: QRect, color: QColor, *, check: bool, halo: bool) -> None:
    """A check (success) or a cross at the left of `rect`; `halo` outlines it in white on a selected row."""
    size = max(float(min(rect.height() - 10, 12)), 6.0)
    center = QPointF(rect.left() + size / 2 + 2, rect.center().y() + 0.5)
    path = QPainterPath()
    if check:
        path.moveTo(center + QPointF(-size / 2, 0))
        path.lineTo(center + QPointF(-size / 8, size * 0.38))
        path.lineTo(center + QPointF(size / 2, -size * 0.42))
    else:
        half = size * 0.4
        path.moveTo(center + QPointF(-half, -half))
        path.lineTo(center + QPointF(half, half))
        path.moveTo(center + QPointF(-half, half))
        path.lineTo(center + QPointF(half, -half))
    cap, join = Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    if halo:  # on the selection highlight a green or red mark alone is hard to see
        painter.strokePath(path, QPen(QColor("white"), 5.0, Qt.PenStyle.SolidLine, cap, join))
    painter.strokePath(path, QPen(color, 2.2, Qt.PenStyle.SolidLine, cap, join))
