"""Task marks: how a task's state is drawn small — its phase colour, the state dot, the picked mark, check or cross."""

from __future__ import annotations

import functools

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap

from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.common.palette import Tone, mark_color, text_color

# What each phase's mark says; the colours themselves live in the palette.
PHASE_TONES: dict[TaskPhase, Tone] = {
    TaskPhase.QUEUED: Tone.IDLE,
    TaskPhase.SUBMITTING: Tone.ACTIVE,
    TaskPhase.PENDING: Tone.WAITING,
    TaskPhase.PROCESSING: Tone.ACTIVE,
    TaskPhase.SUCCESS: Tone.OK,
    TaskPhase.FAILED: Tone.ERROR,
    TaskPhase.REJECTED: Tone.ERROR,
    TaskPhase.SUBMIT_UNKNOWN: Tone.WARNING,
    TaskPhase.UNKNOWN: Tone.ODD,
    TaskPhase.CANCELLED: Tone.IDLE,  # the person's own choice: nothing went wrong
}
_HOLLOW_PHASES = (TaskPhase.QUEUED, TaskPhase.SUBMITTING)  # not at the service yet: drawn as a ring
_state_icons: dict[TaskPhase, QIcon] = {}


def phase_color(phase: TaskPhase) -> QColor:
    """The phase's colour for a mark (dot, check, cross)."""
    return mark_color(PHASE_TONES[phase])


def phase_text_color(phase: TaskPhase, palette: QPalette) -> QColor:
    """The phase's colour for words on `palette`'s background (the state and detail of a failed task)."""
    return text_color(PHASE_TONES[phase], palette)


def state_icon(phase: TaskPhase) -> QIcon:
    """The dot shown beside the state word: filled once at the service, a ring while still local."""
    icon = _state_icons.get(phase)
    if icon is None:  # made on first use: a QPixmap needs the QGuiApplication to exist
        icon = _state_icons[phase] = _dot_icon(phase_color(phase), hollow=phase in _HOLLOW_PHASES)
    return icon


@functools.cache  # made on first use: a QPixmap needs the QGuiApplication to exist
def picked_icon() -> QIcon:
    """The mark of a take a person picked in Compare: the done dot with a white check in it."""
    color = mark_color(Tone.OK)
    icon = QIcon(_picked_pixmap(color, outline=None))
    icon.addPixmap(_picked_pixmap(color, outline=QColor("white")), QIcon.Mode.Selected)
    return icon


def _picked_pixmap(color: QColor, *, outline: QColor | None) -> QPixmap:
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    if outline is not None:
        painter.setBrush(outline)
        painter.drawEllipse(0, 0, 32, 32)
    # Larger than the plain dot, so the check inside stays legible at the view's 14 px.
    painter.setBrush(color)
    painter.drawEllipse(2, 2, 28, 28)
    check = QPainterPath(QPointF(9, 16.5))
    check.lineTo(QPointF(14, 21.5))
    check.lineTo(QPointF(23, 11))
    painter.strokePath(check, QPen(QColor("white"), 4.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.end()
    return pixmap


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
