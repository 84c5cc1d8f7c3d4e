"""ProgressDelegate: the Progress cell as a slim bar with its percentage, or a check/cross when final."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.tasks.marks import paint_mark, phase_color
from sora2_desktop.ui.tasks.table_model import TaskTableModel
from sora2_desktop.ui.tasks.task_wording import percent_text

_BAR_HEIGHT = 6
_MARGIN = 6
_CHECK_COLOR = phase_color(TaskPhase.SUCCESS)
_CROSS_COLOR = phase_color(TaskPhase.FAILED)
_LOST_COLOR = phase_color(TaskPhase.SUBMIT_UNKNOWN)


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
            paint_mark(painter, rect, _CHECK_COLOR, check=True, halo=selected)
        elif task.phase.is_final:
            color = _LOST_COLOR if task.phase == TaskPhase.SUBMIT_UNKNOWN else _CROSS_COLOR
            paint_mark(painter, rect, color, check=False, halo=selected)
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
            percent_text(fraction),
        )
