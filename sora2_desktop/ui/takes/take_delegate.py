"""TakeDelegate: one take as a card — a large poster with its code (ringed when circled), progress while it runs,
the hold tag or the no-good cross, then its state and stars, model and length, and its note."""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common.palette import Tone, mark_color, muted_text_color
from sora2_desktop.ui.takes import raster_bands
from sora2_desktop.ui.takes import take_wording as wording
from sora2_desktop.ui.takes.card_cache import CardCache, CardKey
from sora2_desktop.ui.takes.take_model import TakeListModel
from sora2_desktop.ui.tasks.marks import paint_mark, phase_color
from sora2_desktop.ui.tasks.task_wording import progress_text, state_text

AnyIndex = QModelIndex | QPersistentModelIndex

POSTER = QSize(192, 108)  # 16:9, large enough to tell takes apart at a glance
_PAD = 8
_TEXT_LINES = 3
_BAR = 4
_CIRCLED = mark_color(Tone.OK)
_HOLD = mark_color(Tone.WARNING)
_NO_GOOD = mark_color(Tone.ERROR)
_STARS = mark_color(Tone.WAITING)  # the gold of a rating, the same hue on light and dark
_ACTIVE = mark_color(Tone.ACTIVE)
_EMPTY_POSTER = QColor("#24272d")  # a screen before the picture exists: dark in either theme
_BADGE = QColor(0, 0, 0, 170)
_NO_GOOD_VEIL = QColor(0, 0, 0, 120)


class TakeDelegate(QStyledItemDelegate):
    """Fixed card size: the view lays out a grid without asking every card. Painting a card in Python takes
    ~0.35 ms here and a scroll step on a 4K grid uncovers a dozen, so a finished take's card is painted once into
    a pixmap (CardCache) and blitted after (~0.03 ms); a running take's is painted each time (its progress
    moves). The paint asks the model for nothing it does not draw and keeps the badge font and fitted posters."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._posters = _FittedPosters()
        self._cards = CardCache()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return card_size(option.fontMetrics)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        task = index.data(TakeListModel.TaskRole)
        if not isinstance(task, Task):
            super().paint(painter, option, index)
            return
        pixmap = index.data(TakeListModel.PosterRole)
        poster = pixmap if isinstance(pixmap, QPixmap) else None
        # A running take's progress moves every second, and a finished one's poster is on its way: painted as is.
        if not task.phase.is_final or (poster is None and task.phase == TaskPhase.SUCCESS):
            fraction = float(index.data(TakeListModel.ProgressRole) or 0.0) if not task.phase.is_final else 0.0
            painter.save()
            _paint_cell(painter, option)
            self._paint_card(painter, option, task, poster, fraction)
            painter.restore()
            return
        ratio = painter.device().devicePixelRatio()
        rect = option.rect
        palette = option.palette
        key = CardKey(
            task.local_id or 0,
            option.state.value,
            rect.width(),
            rect.height(),
            ratio,
            palette.cacheKey(),
            palette.currentColorGroup().value,
            option.font.key(),
        )
        poster_key = str(index.data(TakeListModel.PosterSourceRole) or "") if poster is not None else ""
        card = self._cards.get(key, task, poster_key)
        if card is None:
            card = self._render(option, task, poster, ratio, self._cards.canvas(key))
            self._cards.put(key, task, poster_key, card)
        raster_bands.draw_pixmap(painter, QPointF(rect.topLeft()), card)

    def _render(
        self, option: QStyleOptionViewItem, task: Task, poster: QPixmap | None, ratio: float, canvas: QPixmap | None
    ) -> QPixmap:
        """The card, the style's selection, focus and hover beneath it, on a transparent pixmap at the screen's
        pixel ratio (`canvas`, the card's previous look, is painted over): drawn over the view's background it
        looks as if painted there."""
        size = option.rect.size()
        pixels = QSize(math.ceil(size.width() * ratio), math.ceil(size.height() * ratio))
        card = canvas if canvas is not None and canvas.size() == pixels else QPixmap(pixels)
        card.setDevicePixelRatio(ratio)
        card.fill(Qt.GlobalColor.transparent)
        at_origin = QStyleOptionViewItem(option)
        at_origin.rect = QRect(QPoint(0, 0), size)
        painter = QPainter(card)
        _paint_cell(painter, at_origin)
        self._paint_card(painter, at_origin, task, poster, 0.0)
        painter.end()
        return card

    def _paint_card(
        self, painter: QPainter, option: QStyleOptionViewItem, task: Task, poster: QPixmap | None, fraction: float
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = QRect(option.rect.left() + _PAD, option.rect.top() + _PAD, POSTER.width(), POSTER.height())
        self._paint_poster(painter, option, rect, task, poster)
        if not task.phase.is_final:
            self._paint_progress(painter, option, rect, task, fraction)
        self._paint_marks(painter, option, rect, task)
        self._paint_text(painter, option, rect, task)

    # -- parts ---------------------------------------------------------------------------------------------

    def _paint_poster(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, task: Task, pixmap: QPixmap | None
    ) -> None:
        raster_bands.fill(painter, rect, QColor("black") if pixmap is not None else _EMPTY_POSTER)
        if pixmap is not None:
            fitted = self._posters.get(pixmap, rect.size(), painter.device().devicePixelRatio())
            target = QRect(
                0, 0, round(fitted.deviceIndependentSize().width()), round(fitted.deviceIndependentSize().height())
            )
            target.moveCenter(rect.center())
            raster_bands.draw_pixmap(painter, QPointF(target.topLeft()), fitted)
            return
        if task.phase == TaskPhase.SUCCESS:
            return  # the file is still being saved; its poster follows
        if task.phase.is_final:  # failed, refused, lost, cancelled: a cross where the picture would be
            centre = QRect(rect.center().x() - 12, rect.center().y() - 12, 24, 24)
            paint_mark(painter, centre, phase_color(task.phase), check=False, halo=False)

    def _paint_progress(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, task: Task, fraction: float
    ) -> None:
        groove = QRectF(rect.left(), rect.bottom() - _BAR + 1, rect.width(), _BAR)
        painter.fillRect(groove, QColor(255, 255, 255, 40))
        done = QRectF(groove.left(), groove.top(), groove.width() * max(0.0, min(1.0, fraction)), _BAR)
        painter.fillRect(done, _ACTIVE)
        words = " ".join(w for w in (state_text(task), progress_text(task, fraction)) if w)
        painter.setPen(QColor("white"))
        painter.drawText(rect.adjusted(0, 0, 0, -_BAR), Qt.AlignmentFlag.AlignCenter, words)

    def _paint_marks(self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, task: Task) -> None:
        if task.mark == TakeMark.NO_GOOD:
            raster_bands.fill(painter, rect, _NO_GOOD_VEIL)  # a no-good take recedes
        font, metrics = _bold(option.font)
        code = wording.take_title(task)
        badge = QRectF(rect.left() + 6, rect.top() + 6, metrics.horizontalAdvance(code) + 14, metrics.height() + 4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_BADGE)
        painter.drawRoundedRect(badge, 4, 4)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, code)
        if task.mark == TakeMark.CIRCLED:  # as on a camera report: the take number circled
            painter.setPen(QPen(_CIRCLED, 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(badge.adjusted(-4, -4, 4, 4))
        elif task.mark == TakeMark.NO_GOOD:
            painter.setPen(QPen(_NO_GOOD, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(badge.topLeft() + QPointF(2, 2), badge.bottomRight() - QPointF(2, 2))
            painter.drawLine(badge.bottomLeft() + QPointF(2, -2), badge.topRight() + QPointF(-2, 2))
        elif task.mark == TakeMark.HOLD:
            word = wording.mark_word(TakeMark.HOLD).upper()
            tag = QRectF(0, 0, metrics.horizontalAdvance(word) + 12, metrics.height() + 4)
            tag.moveTopRight(QPointF(rect.right() - 5, rect.top() + 6))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_HOLD)
            painter.drawRoundedRect(tag, 4, 4)
            painter.setPen(QColor("black"))
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, word)

    def _paint_text(self, painter: QPainter, option: QStyleOptionViewItem, poster: QRect, task: Task) -> None:
        metrics = option.fontMetrics
        line = metrics.height()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = text if selected else muted_text_color(option.palette)
        painter.setFont(option.font)
        top = poster.bottom() + 1 + _PAD // 2
        first = QRect(poster.left(), top, poster.width(), line)
        stars = wording.stars_text(task.rating)
        stars_width = metrics.horizontalAdvance(stars) if stars else 0
        if stars:
            painter.setPen(_STARS)
            painter.drawText(first, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, stars)
        state = wording.mark_word(task.mark) if task.mark is not None else state_text(task)
        painter.setPen(text)
        room = first.adjusted(0, 0, -stars_width - 6, 0)
        painter.drawText(
            room,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(state, Qt.TextElideMode.ElideRight, room.width()),
        )
        painter.setPen(muted)
        second = first.translated(0, line)
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(wording.card_line(task), Qt.TextElideMode.ElideRight, second.width()),
        )
        if task.review_note:
            third = second.translated(0, line)
            note = " ".join(task.review_note.split())
            painter.drawText(
                third,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(f"“{note}”", Qt.TextElideMode.ElideRight, third.width()),
            )


def _paint_cell(painter: QPainter, option: QStyleOptionViewItem) -> None:
    """Selection, focus and hover from the style (the view put them in `option`); the card is ours. No
    initStyleOption: it asks the model for ten roles this card never shows."""
    cell = QStyleOptionViewItem(option)
    cell.text = ""
    cell.features &= ~(
        QStyleOptionViewItem.ViewItemFeature.HasDecoration | QStyleOptionViewItem.ViewItemFeature.HasDisplay
    )
    widget = option.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, widget)


def _bold(font: QFont) -> tuple[QFont, QFontMetrics]:
    """The badge's bold font and its metrics, made once per view font."""
    key = font.key()
    found = _BOLD.get(key)
    if found is None:
        bold = QFont(font)
        bold.setBold(True)
        found = _BOLD[key] = (bold, QFontMetrics(bold))
    return found


_BOLD: dict[str, tuple[QFont, QFontMetrics]] = {}


class _FittedPosters:
    """Posters scaled smoothly into the card at the screen's pixel ratio, once each: drawn unscaled after (a copy,
    not a filtered scale per card per scroll step: a third of a card's paint). Least recently drawn go first past
    `budget` bytes (Qt's own QPixmapCache holds 10 MB: fewer posters than one large grid, and it is shared).
    Posters arrive already fitted (PosterLoader); this is for the others, e.g. after a move to a sharper screen."""

    def __init__(self, budget: int = 32 * 2**20) -> None:
        self._budget = budget
        self._bytes = 0
        self._fitted: OrderedDict[tuple[int, int, int, float], QPixmap] = OrderedDict()

    def get(self, pixmap: QPixmap, size: QSize, ratio: float) -> QPixmap:
        if pixmap.devicePixelRatio() == ratio and pixmap.size() == pixmap.size().scaled(
            size * ratio, Qt.AspectRatioMode.KeepAspectRatio
        ):
            return pixmap  # fitted by the worker that decoded it (PosterLoader): drawn as it is
        key = (pixmap.cacheKey(), size.width(), size.height(), ratio)
        fitted = self._fitted.get(key)
        if fitted is not None:
            self._fitted.move_to_end(key)
            return fitted
        fitted = pixmap.scaled(
            size * ratio, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        fitted.setDevicePixelRatio(ratio)
        self._fitted[key] = fitted
        self._bytes += _bytes(fitted)
        while self._bytes > self._budget and len(self._fitted) > 1:
            _key, dropped = self._fitted.popitem(last=False)
            self._bytes -= _bytes(dropped)
        return fitted


def _bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * max(1, pixmap.depth() // 8)


def card_size(metrics: QFontMetrics) -> QSize:
    return QSize(POSTER.width() + 2 * _PAD, POSTER.height() + _PAD + _PAD // 2 + _TEXT_LINES * metrics.height() + _PAD)
