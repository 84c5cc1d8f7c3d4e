"""ProgressDelegate: the Progress cell as a slim bar with its percentage, or a check/cross when final."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from sora2_desktop.core.task import Task, TaskPhase
from sora2_desktop.ui.task_table_model import TaskTableModel

_BAR_HEIGHT = 6
_MARGIN = 6
_CHECK_COLOR = QColor("#22a35a")
_CROSS_COLOR = QColor("#dc3c3c")
_LOST_COLOR = QColor("#e07b1f")


class ProgressDelegate(QStyledItemDelegate):
    """For the Progress column only; every other cell is left to the default delegate."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        task = index.data(TaskTableModel.TaskRole)
        if not isinstance(task, Task):
            super().paint(painter, option, index)
            return
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.text = ""  # background, selection and focus from the style; the content is ours
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, widget)

        rect = option.rect.adjusted(_MARGIN, 0, -_MARGIN, 0)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if task.phase == TaskPhase.SUCCESS:
            _paint_mark(painter, rect, _CHECK_COLOR, check=True, halo=selected)
        elif task.phase.is_final:
            color = _LOST_COLOR if task.phase == TaskPhase.SUBMIT_UNKNOWN else _CROSS_COLOR
            _paint_mark(painter, rect, color, check=False, halo=selected)
        else:
            self._paint_bar(painter, option, index, rect, style, show_text=task.phase.is_polled)
        painter.restore()

    def _paint_bar(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        rect: QRect,
        style: QStyle,
        *,
        show_text: bool,
    ) -> None:
        metrics = option.fontMetrics
        text_width = metrics.horizontalAdvance("100%") + _MARGIN
        fraction = float(index.data(TaskTableModel.ProgressRole) or 0.0)
        bar = QStyleOptionProgressBar()
        bar.palette = option.palette
        bar.direction = option.direction
        bar.fontMetrics = metrics
        bar.rect = QRect(
            rect.left(),
            rect.center().y() - _BAR_HEIGHT // 2 + 1,
            max(10, rect.width() - text_width),
            _BAR_HEIGHT,
        )
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = round(max(0.0, min(1.0, fraction)) * 1000)
        bar.textVisible = False  # a slim bar has no room inside; the percentage goes to its right
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)
        if not show_text:  # still local (queued, submitting): an empty groove, no number to pretend with
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(role))
        text_rect = QRect(rect.right() - text_width + 1, rect.top(), text_width, rect.height())
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"{round(fraction * 100)}%",
        )


def _paint_mark(painter: QPainter, rect: QRect, color: QColor, *, check: bool, halo: bool) -> None:
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
