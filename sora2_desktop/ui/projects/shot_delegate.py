"""ShotDelegate: a shot as two lines — code and title with its takes and keepers, then the prompt, muted."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from sora2_desktop.ui.common.palette import muted_text_color
from sora2_desktop.ui.projects.shot_list_model import ShotListModel

_PAD = 6


def counts_text(takes: int, circled: int) -> str:
    """ "3 takes · 1 ●": what a shot holds, at a glance (nothing for a shot not generated yet)."""
    if takes == 0:
        return ""
    words = QApplication.translate("ShotList", "%n take(s)", "", takes)
    if circled:
        words += " · " + QApplication.translate("ShotList", "%n circled", "", circled)
    return words


class ShotDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = option.fontMetrics.height()
        return QSize(160, 2 * line + 3 * _PAD)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """The title is edited on the first line; the prompt stays visible under it."""
        rect: QRect = option.rect
        line = option.fontMetrics.height()
        editor.setGeometry(QRect(rect.left() + 2, rect.top() + 2, rect.width() - 4, line + 2 * _PAD - 4))

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the panel (selection, hover, focus) from the style; the words drawn below
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        rect: QRect = opt.rect.adjusted(_PAD + 2, _PAD, -_PAD - 2, -_PAD)
        palette: QPalette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        metrics = opt.fontMetrics
        line_height = metrics.height()
        takes, circled = index.data(ShotListModel.CountsRole) or (0, 0)
        counts = counts_text(takes, circled)
        counts_width = metrics.horizontalAdvance(counts) + _PAD if counts else 0

        painter.save()
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.color(text_role))
        first = QRect(rect.left(), rect.top(), rect.width() - counts_width, line_height)
        title = painter.fontMetrics().elidedText(str(index.data() or ""), Qt.TextElideMode.ElideRight, first.width())
        painter.drawText(first, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(opt.font)
        painter.setPen(palette.color(text_role) if selected else muted_text_color(palette))
        if counts:
            painter.drawText(
                QRect(rect.right() - counts_width, rect.top(), counts_width, line_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                counts,
            )
        excerpt = str(index.data(ShotListModel.ExcerptRole) or "") or QApplication.translate(
            "ShotList", "No prompt yet"
        )
        second = QRect(rect.left(), rect.top() + line_height + _PAD, rect.width(), line_height)
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(excerpt, Qt.TextElideMode.ElideRight, second.width()),
        )
        painter.restore()
