"""Scrubber: the player's position slider with the take's in and out marks drawn on its groove."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QWidget

from sora2_desktop.ui.results.in_out import InOut

_BAND_ALPHA = 90  # the used part shows through, not over, the groove and handle
_TICK_WIDTH = 2


class Scrubber(QSlider):
    """Positions in ms. The span between the marks is tinted with the highlight colour; each mark is a bracket
    tick (a missing in mark means from the start, a missing out mark to the end, as an editor reads them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._marks = InOut()

    def set_marks(self, marks: InOut) -> None:
        if marks != self._marks:
            self._marks = marks
            self.update()

    def marks(self) -> InOut:
        return self._marks

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        marks = self._marks
        if (marks.in_ms is None and marks.out_ms is None) or self.maximum() <= self.minimum():
            return
        groove = self._groove()
        start = self._x_of(marks.in_ms if marks.in_ms is not None else self.minimum(), groove)
        end = self._x_of(marks.out_ms if marks.out_ms is not None else self.maximum(), groove)
        painter = QPainter(self)
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        band = QColor(colour)
        band.setAlpha(_BAND_ALPHA)
        painter.fillRect(QRect(QPoint(start, groove.top()), QPoint(end, groove.bottom())), band)
        for x, present in ((start, marks.in_ms is not None), (end, marks.out_ms is not None)):
            if present:
                painter.fillRect(x - _TICK_WIDTH // 2, 0, _TICK_WIDTH, self.height(), colour)
        painter.end()

    def mark_x(self, ms: int) -> int:
        """Where a mark at `ms` is drawn (for tests and tooltips)."""
        return self._x_of(ms, self._groove())

    def _groove(self) -> QRect:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        return self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self
        )

    def _x_of(self, value: int, groove: QRect) -> int:
        # The handle's centre travels the groove minus half a handle at each end; marks line up with it.
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        span = max(1, groove.width() - handle.width())
        offset = QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), value, span)
        return groove.left() + handle.width() // 2 + offset
