"""Contact sheet layout: one page of take cards drawn with QPainter, the same code for the PDF and the PNG pages.

Geometry is worked out in points (1/72 inch) and turned into the device's pixels as it is drawn; fonts are set in
points and the device's own resolution sizes them (the PDF writer at its resolution, a PNG page by its dots per
metre). No painter transform: text measured for eliding is then measured at the size it is drawn, and the PDF
gets real, searchable text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QPolygonF,
    QTextLayout,
    QTextOption,
)

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.sheets import sheet_wording as words

# Ink for paper: near-black text, greys for what is secondary, one colour per mark that still reads in greyscale.
_INK = QColor("#161616")
_GREY = QColor("#5c5c5c")
_LIGHT = QColor("#8a8a8a")
_RULE = QColor("#c8c8c8")
_LETTERBOX = QColor("#101010")
_PLACEHOLDER = QColor("#efefef")
_MARK_COLOURS = {
    TakeMark.CIRCLED: QColor("#157a3a"),
    TakeMark.HOLD: QColor("#a86400"),
    TakeMark.NO_GOOD: QColor("#b3261e"),
}
_NO_GOOD_VEIL = QColor(255, 255, 255, 120)  # a no-good take recedes, as on the take strip

_MARGIN = 24.0  # points
_HEADER = 40.0
_HEADER_GAP = 10.0
_GAP_X = 12.0
_GAP_Y = 12.0
_CODE_PT, _FACTS_PT, _PROMPT_PT = 10.0, 7.5, 7.0
_LINE = 1.3  # line height per point of font size
_TEXT_BLOCK = 5 + _CODE_PT * _LINE + 2 + _FACTS_PT * _LINE + 2 + 3 * _PROMPT_PT * _LINE  # under each frame


@dataclass(frozen=True)
class SheetGrid:
    columns: int = 4
    rows: int = 3

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class SheetCard:
    """One take as the sheet shows it. `frame` None: a placeholder saying `missing` (and `missing_detail`)."""

    shot_code: str  # "SH010"
    take: str  # "T03"
    mark: TakeMark | None
    rating: int  # 0-5
    model: str  # the model's title
    seconds: Fraction | float | None
    prompt: str
    note: str = ""
    frame: QImage | None = None
    missing: str = ""
    missing_detail: str = ""


@dataclass(frozen=True)
class SheetHeader:
    title: str  # the project
    subtitle: str  # sheet_wording.subtitle: shots, which takes, the date


class PageLayout:
    """Where the header and each card's frame and text sit on a page of `size` points."""

    def __init__(self, size: QSizeF, grid: SheetGrid) -> None:
        self.size = QSizeF(size)
        self.grid = grid
        width = size.width() - 2 * _MARGIN
        height = size.height() - 2 * _MARGIN - _HEADER - _HEADER_GAP
        self.card = QSizeF(
            (width - (grid.columns - 1) * _GAP_X) / grid.columns, (height - (grid.rows - 1) * _GAP_Y) / grid.rows
        )
        # A 16:9 box (most takes fill it edge to edge), as wide as the column where the page's height allows;
        # narrower, and centred in its column, where the text under it would not fit otherwise.
        frame_height = min(self.card.width() * 9 / 16, self.card.height() - _TEXT_BLOCK)
        self.frame = QSizeF(frame_height * 16 / 9, frame_height)

    def header_rect(self) -> QRectF:
        return QRectF(_MARGIN, _MARGIN, self.size.width() - 2 * _MARGIN, _HEADER)

    def card_rect(self, index: int) -> QRectF:
        """The card's frame and text, as wide as its frame."""
        row, column = divmod(index, self.grid.columns)
        x = _MARGIN + column * (self.card.width() + _GAP_X) + (self.card.width() - self.frame.width()) / 2
        y = _MARGIN + _HEADER + _HEADER_GAP + row * (self.card.height() + _GAP_Y)
        return QRectF(x, y, self.frame.width(), self.card.height())


class _Canvas:
    """A painter whose device has `dpi` dots per inch, addressed in points."""

    def __init__(self, painter: QPainter, dpi: float) -> None:
        self.painter = painter
        self.scale = dpi / 72

    def px(self, rect: QRectF) -> QRectF:
        s = self.scale
        return QRectF(rect.x() * s, rect.y() * s, rect.width() * s, rect.height() * s)

    def font(self, points: float, *, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(points)
        font.setBold(bold)
        font.setItalic(italic)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.painter.device())

    def text(
        self,
        rect: QRectF,
        text: str,
        font: QFont,
        colour: QColor,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> float:
        """One line in `rect` (points), elided to fit; returns the drawn text's width in points."""
        target = self.px(rect)
        shown = self.metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, target.width())
        self.painter.setFont(font)
        self.painter.setPen(colour)
        self.painter.drawText(target, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
        return self.metrics(font).horizontalAdvance(shown) / self.scale

    def paragraph(self, rect: QRectF, text: str, font: QFont, colour: QColor, max_lines: int) -> None:
        """`text` wrapped into at most `max_lines` lines of `rect`'s width; the last one elided if text remains."""
        target = self.px(rect)
        metrics = self.metrics(font)
        flat = " ".join(text.split())
        layout = QTextLayout(flat, font, self.painter.device())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        pieces: list[str] = []
        layout.beginLayout()
        while len(pieces) < max_lines:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(target.width())
            start, length = line.textStart(), line.textLength()
            if len(pieces) == max_lines - 1 and start + length < len(flat):
                pieces.append(metrics.elidedText(flat[start:], Qt.TextElideMode.ElideRight, target.width()))
            else:
                pieces.append(flat[start : start + length].rstrip())
        layout.endLayout()
        self.painter.setFont(font)
        self.painter.setPen(colour)
        line_height = font.pointSizeF() * _LINE * self.scale
        for number, piece in enumerate(pieces):
            self.painter.drawText(QPointF(target.x(), target.y() + number * line_height + metrics.ascent()), piece)


def draw_page(
    painter: QPainter,
    dpi: float,
    layout: PageLayout,
    header: SheetHeader,
    page: int,
    pages: int,
    cards: Sequence[SheetCard],
) -> None:
    """Page `page` (from 1) of `pages` on a white page; `painter`'s device is `layout.size` at `dpi`."""
    canvas = _Canvas(painter, dpi)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.fillRect(canvas.px(QRectF(QPointF(0, 0), layout.size)), QColor("white"))
    _draw_header(canvas, layout.header_rect(), header, page, pages)
    for index, card in enumerate(cards[: layout.grid.per_page]):
        _draw_card(canvas, layout, layout.card_rect(index), card)


def _draw_header(canvas: _Canvas, rect: QRectF, header: SheetHeader, page: int, pages: int) -> None:
    page_text = words.page_words(page, pages)
    small = canvas.font(8.5)
    page_width = canvas.metrics(small).horizontalAdvance(page_text) / canvas.scale + 4
    title_rect = QRectF(rect.x(), rect.y(), rect.width() - page_width - 12, 20)
    canvas.text(title_rect, header.title, canvas.font(16, bold=True), _INK)
    canvas.text(QRectF(rect.x(), rect.y() + 22, rect.width() - page_width - 12, 12), header.subtitle, small, _GREY)
    canvas.text(
        QRectF(rect.right() - page_width, rect.y() + 22, page_width, 12),
        page_text,
        small,
        _GREY,
        Qt.AlignmentFlag.AlignRight,
    )
    canvas.painter.setPen(QPen(_RULE, 0.6 * canvas.scale))
    y = (rect.bottom() + 2) * canvas.scale
    canvas.painter.drawLine(QPointF(rect.left() * canvas.scale, y), QPointF(rect.right() * canvas.scale, y))


def _draw_card(canvas: _Canvas, layout: PageLayout, rect: QRectF, card: SheetCard) -> None:
    box = QRectF(rect.topLeft(), layout.frame)
    if card.frame is not None and not card.frame.isNull():
        _draw_frame(canvas, box, card.frame, veiled=card.mark == TakeMark.NO_GOOD)
    else:
        _draw_placeholder(canvas, box, card.missing, card.missing_detail)
    y = box.bottom() + 5
    code_height = _CODE_PT * _LINE
    _draw_code_line(canvas, QRectF(rect.x(), y, rect.width(), code_height), card)
    y += code_height + 2
    facts_height = _FACTS_PT * _LINE
    facts_x = rect.x()
    if card.rating > 0:
        facts_x += _draw_stars(canvas, QPointF(rect.x(), y + facts_height / 2), card.rating) + 4
    canvas.text(
        QRectF(facts_x, y, rect.right() - facts_x, facts_height),
        words.card_facts(card.model, card.seconds),
        canvas.font(_FACTS_PT),
        _GREY,
    )
    y += facts_height + 2
    prompt_lines = 2 if card.note else 3
    prompt_font = canvas.font(_PROMPT_PT)
    canvas.paragraph(
        QRectF(rect.x(), y, rect.width(), prompt_lines * _PROMPT_PT * _LINE),
        card.prompt,
        prompt_font,
        _INK,
        prompt_lines,
    )
    if card.note:
        y += prompt_lines * _PROMPT_PT * _LINE
        canvas.text(
            QRectF(rect.x(), y, rect.width(), _PROMPT_PT * _LINE),
            words.note_line(card.note),
            canvas.font(_PROMPT_PT, italic=True),
            _GREY,
        )


def _draw_frame(canvas: _Canvas, box: QRectF, frame: QImage, *, veiled: bool) -> None:
    """The frame fitted into the box, letterboxed (a portrait take stays portrait, with bars at its sides)."""
    target = canvas.px(box)
    canvas.painter.fillRect(target, _LETTERBOX)
    fitted = QSizeF(frame.size()).scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
    place = QRectF(
        target.x() + (target.width() - fitted.width()) / 2,
        target.y() + (target.height() - fitted.height()) / 2,
        fitted.width(),
        fitted.height(),
    )
    image = frame
    wanted = place.size().toSize()
    if frame.width() > wanted.width() + 1:  # smooth scaling averages the pixels; a painter's scaling only samples
        image = frame.scaled(wanted, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    canvas.painter.drawImage(place, image)
    if veiled:
        canvas.painter.fillRect(place, _NO_GOOD_VEIL)


def _draw_placeholder(canvas: _Canvas, box: QRectF, message: str, detail: str) -> None:
    target = canvas.px(box)
    canvas.painter.fillRect(target, _PLACEHOLDER)
    pen = QPen(_LIGHT, 0.8 * canvas.scale, Qt.PenStyle.DashLine)
    canvas.painter.setPen(pen)
    inset = 0.5 * canvas.scale
    canvas.painter.drawRect(target.adjusted(inset, inset, -inset, -inset))
    middle = box.center().y()
    canvas.text(
        QRectF(box.x() + 8, middle - 11, box.width() - 16, 12),
        message,
        canvas.font(8.5, bold=True),
        _GREY,
        Qt.AlignmentFlag.AlignHCenter,
    )
    if detail:
        canvas.paragraph(QRectF(box.x() + 10, middle + 3, box.width() - 20, 20), detail, canvas.font(6.5), _LIGHT, 2)


def _draw_code_line(canvas: _Canvas, rect: QRectF, card: SheetCard) -> None:
    """ "SH010 · T03", the take number circled as on a camera report when the take is a keeper; the mark's word
    at the right."""
    font = canvas.font(_CODE_PT, bold=True)
    label = words.mark_label(card.mark)
    colour = _MARK_COLOURS.get(card.mark) if card.mark is not None else None
    label_font = canvas.font(7.5, bold=True)
    label_width = canvas.metrics(label_font).horizontalAdvance(label) / canvas.scale if label else 0.0
    shot_text = f"{card.shot_code} · "
    shot_width = canvas.text(
        QRectF(rect.x(), rect.y(), rect.width() - label_width - 6, rect.height()), shot_text, font, _INK
    )
    take_x = rect.x() + shot_width + (3 if card.mark == TakeMark.CIRCLED else 0)
    take_width = canvas.text(
        QRectF(take_x, rect.y(), rect.right() - label_width - 6 - take_x, rect.height()), card.take, font, _INK
    )
    if card.mark == TakeMark.CIRCLED and colour is not None:
        ring = QRectF(take_x - 3.5, rect.y() - 1, take_width + 7, rect.height() + 2)
        canvas.painter.setPen(QPen(colour, 1.1 * canvas.scale))
        canvas.painter.setBrush(Qt.BrushStyle.NoBrush)
        canvas.painter.drawEllipse(canvas.px(ring))
    if label and colour is not None:
        canvas.text(
            QRectF(rect.right() - label_width - 1, rect.y(), label_width + 1, rect.height()),
            label,
            label_font,
            colour,
            Qt.AlignmentFlag.AlignRight,
        )


def _draw_stars(canvas: _Canvas, centre_left: QPointF, rating: int) -> float:
    """Five stars, `rating` of them filled, drawn as shapes (any font, any printer); returns their width."""
    size, step = 6.2, 7.0
    painter = canvas.painter
    for index in range(5):
        centre = QPointF(centre_left.x() + size / 2 + index * step, centre_left.y())
        star = QPolygonF(
            [
                QPointF(
                    (centre.x() + math.cos(math.radians(-90 + 36 * k)) * (size / 2 if k % 2 == 0 else size / 4.6))
                    * canvas.scale,
                    (centre.y() + math.sin(math.radians(-90 + 36 * k)) * (size / 2 if k % 2 == 0 else size / 4.6))
                    * canvas.scale,
                )
                for k in range(10)
            ]
        )
        filled = index < rating
        painter.setPen(QPen(_INK if filled else _LIGHT, 0.5 * canvas.scale))
        painter.setBrush(_INK if filled else Qt.BrushStyle.NoBrush)
        painter.drawPolygon(star)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    return 4 * step + size
