"""ContactSheetWriter: the pages of a contact sheet written as one PDF and/or one PNG per page, a page at a time.

The same layout (sheet_layout.draw_page) draws both. Everything here runs in ONE worker thread per sheet: a PDF
writer and its painter stay with the thread that made them, and nothing here touches the GUI thread's objects.
Files are written beside their final names and renamed into place only when the whole sheet is done, so a
cancelled or failed sheet leaves nothing half-written.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from sora2_desktop.core.export.export_result import SHEET_FORMATS
from sora2_desktop.core.sheets.sheet_layout import PageLayout, SheetCard, SheetGrid, SheetHeader, draw_page

PDF_DPI = 300  # print resolution: frames are embedded at this size
# A PNG page is for screens and messages: 150 dpi makes an A4 page 1754×1240, sharp on any monitor, and it saves
# in a fraction of the time a 300 dpi page takes (8.7 megapixels). Its dots per metre say 150, so it prints at A4.
PNG_DPI = 150
_INCH_M = 0.0254


def paper_for(locale: QLocale | None = None) -> QPageSize:
    """Letter where the locale measures in US units, A4 elsewhere (the UK measures in miles but prints on A4)."""
    system = (locale or QLocale()).measurementSystem()
    letter = system == QLocale.MeasurementSystem.ImperialUSSystem
    return QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)


def landscape_points(paper: QPageSize) -> QSizeF:
    size = paper.size(QPageSize.Unit.Point)
    return QSizeF(max(size.width(), size.height()), min(size.width(), size.height()))


def png_page_path(stem: Path, page: int) -> Path:
    """`<folder>/<stem>_p1.png` for page 1."""
    return stem.with_name(f"{stem.name}_p{page}.png")


class ContactSheetWriter:
    """Call `draw_page` for pages 1…`pages` in order, then `finish` (the files, renamed into place) or `discard`."""

    def __init__(
        self,
        stem: Path,
        formats: Collection[str],
        header: SheetHeader,
        pages: int,
        *,
        paper: QPageSize,
        grid: SheetGrid,
    ) -> None:
        unknown = sorted(set(formats) - set(SHEET_FORMATS))
        if unknown:
            raise ValueError(f"unknown contact sheet formats: {', '.join(unknown)}")
        self.header = header
        self.pages = pages
        self.layout = PageLayout(landscape_points(paper), grid)
        self._paper = paper
        self._pdf_path = stem.with_name(f"{stem.name}.pdf") if "pdf" in formats else None
        self._png = "png" in formats
        self._stem = stem
        self._written: list[tuple[Path, Path]] = []  # (temporary, final), in the order they were begun
        self._pdf: QPdfWriter | None = None
        self._pdf_painter: QPainter | None = None
        self._drawn = 0

    def draw_page(self, page: int, cards: Sequence[SheetCard]) -> None:
        if page != self._drawn + 1 or page > self.pages:
            raise ValueError(f"page {page} drawn after page {self._drawn} of {self.pages}")
        if self._pdf_path is not None:
            self._draw_pdf_page(page, cards)
        if self._png:
            self._draw_png_page(page, cards)
        self._drawn = page

    def finish(self) -> dict[str, list[Path]]:
        """Ends the PDF and moves every file to its name; returns format → files (PNG pages in order)."""
        if self._drawn != self.pages:
            raise ValueError(f"only {self._drawn} of {self.pages} pages were drawn")
        self._end_pdf()
        for temporary, final in self._written:
            os.replace(temporary, final)
        files: dict[str, list[Path]] = {}
        for _, final in self._written:
            files.setdefault(final.suffix[1:], []).append(final)
        self._written = []
        return files

    def discard(self) -> None:
        """Removes whatever was begun (a cancel or a failure): nothing of this sheet stays."""
        self._end_pdf()
        for temporary, _ in self._written:
            temporary.unlink(missing_ok=True)
        self._written = []

    # -- the PDF: one file, a page at a time --------------------------------------------------------------------

    def _draw_pdf_page(self, page: int, cards: Sequence[SheetCard]) -> None:
        if self._pdf is None:
            assert self._pdf_path is not None
            temporary = self._temporary(self._pdf_path)
            writer = QPdfWriter(str(temporary))
            writer.setResolution(PDF_DPI)
            writer.setPageLayout(QPageLayout(self._paper, QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)))
            writer.setTitle(self.header.title)
            writer.setCreator("Sora 2 Desktop")
            self._pdf = writer
            self._pdf_painter = QPainter()
            if not self._pdf_painter.begin(writer):
                self._pdf = None
                raise OSError(f"could not start writing {temporary}")
        else:
            self._pdf.newPage()
        assert self._pdf_painter is not None
        draw_page(self._pdf_painter, PDF_DPI, self.layout, self.header, page, self.pages, cards)

    def _end_pdf(self) -> None:
        painter, writer = self._pdf_painter, self._pdf
        if painter is not None and painter.isActive():
            painter.end()  # the PDF writer writes its file here
        # Only now may the writer go: a paint device destroyed while painted on takes the process with it.
        self._pdf_painter = self._pdf = None
        del writer

    # -- PNG: one image per page --------------------------------------------------------------------------------

    def _draw_png_page(self, page: int, cards: Sequence[SheetCard]) -> None:
        size = self.layout.size * (PNG_DPI / 72)
        image = QImage(round(size.width()), round(size.height()), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        dots_per_metre = round(PNG_DPI / _INCH_M)
        image.setDotsPerMeterX(dots_per_metre)  # fonts in points are sized by this, and a printer reads it
        image.setDotsPerMeterY(dots_per_metre)
        painter = QPainter(image)
        try:
            draw_page(painter, PNG_DPI, self.layout, self.header, page, self.pages, cards)
        finally:
            painter.end()
        final = png_page_path(self._stem, page)
        temporary = self._temporary(final)
        # PySide accepts the format only as str at run time, though its stubs say bytes. Quality 80 is zlib level
        # 1: half the default's time (50 against 100 ms for an A4 page here) for a file a tenth larger.
        if not image.save(str(temporary), "PNG", 80):  # type: ignore[call-overload]
            raise OSError(f"could not write {temporary}")

    def _temporary(self, final: Path) -> Path:
        temporary = final.with_name(f".{final.name}.part")
        self._written.append((temporary, final))
        return temporary
