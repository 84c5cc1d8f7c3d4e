"""Contact sheets: one PDF page per N takes holding real text, PNG pages of the right size that are not blank, a
placeholder for a take with no file, portrait takes kept portrait, names per project or shot, cancel leaves
nothing."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor, QImage, QPageSize
from PySide6.QtPdf import QPdfDocument

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.export.selection import Selection
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.sheets import sheet_wording
from sora2_desktop.core.sheets.contact_sheet import PNG_DPI, landscape_points, paper_for
from sora2_desktop.core.sheets.sheet_layout import PageLayout, SheetGrid
from sora2_desktop.core.sheets.sheet_service import (
    ContactSheetService,
    SheetProgress,
    SheetsCancelled,
    SheetStage,
    _frame_at_ms,
)
from sora2_desktop.core.tasks.task import Task
from tests.core.export.export_rig import MEDIA, ExportRig

Run = Callable[[Coroutine[Any, Any, Any]], Any]
A4 = QPageSize(QPageSize.PageSizeId.A4)
GRID = SheetGrid(columns=2, rows=2)  # 4 takes a page: page breaks without grabbing dozens of frames
LANDSCAPE = MEDIA / "landscape_1280x720_24fps.mp4"  # one flat colour, 0x2a5d8f
PORTRAIT = MEDIA / "portrait_720x1280_30fps.mp4"  # one flat colour, 0x8f5d2a
LETTERBOX = QColor("#101010")


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[ExportRig]:
    made = ExportRig(tmp_path)
    yield made
    made.close()


@pytest.fixture
def sheets(rig: ExportRig) -> ContactSheetService:
    return ContactSheetService(rig.projects, rig.local_video, grid=GRID)


def write(run_async: Run, sheets: ContactSheetService, selection: Selection, folder: Path, **options: Any) -> Any:
    return run_async(
        sheets.write(selection, folder, options.pop("formats", ["pdf", "png"]), title="Trailer", paper=A4, **options)
    )


def pdf_pages(path: Path) -> list[str]:
    document = QPdfDocument(None)
    try:
        assert document.load(str(path)) == QPdfDocument.Error.None_
        return [document.getAllText(page).text() for page in range(document.pageCount())]
    finally:
        document.close()


def close_to(pixel: QColor, colour: QColor, tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel.getRgb()[:3], colour.getRgb()[:3], strict=True))


def frame_box_pixels(index: int) -> tuple[float, float, float, float]:
    """The PNG pixels (x, y, width, height) of the `index`-th card's frame box on an A4 page."""
    layout = PageLayout(landscape_points(A4), GRID)
    card, scale = layout.card_rect(index), PNG_DPI / 72
    return card.x() * scale, card.y() * scale, layout.frame.width() * scale, layout.frame.height() * scale


def test_one_pdf_page_per_four_takes_with_codes_models_and_prompts_as_text(
    run_async: Run, rig: ExportRig, sheets: ContactSheetService, tmp_path: Path
) -> None:
    first, second = rig.shot(0), rig.shot(1)
    for _ in range(3):
        rig.take(first, prompt="A lighthouse at dusk, waves breaking over the rocks", content=LANDSCAPE)
    for _ in range(2):
        rig.take(second, prompt="Neon alley in the rain, a cat crosses under a sign", content=LANDSCAPE, rating=4)
    files = write(run_async, sheets, Selection(rig.project.id), tmp_path / "out")
    assert files["pdf"] == [tmp_path / "out" / "Trailer_contact_sheet.pdf"]
    pages = pdf_pages(files["pdf"][0])
    assert len(pages) == 2  # ceil(5 / 4)
    assert "Trailer" in pages[0] and "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert "SH010–SH020 (2 shots) · 5 circled takes" in pages[0]
    for code in ("SH010 · T01", "SH010 · T02", "SH010 · T03", "SH020 · T01"):
        assert code in pages[0]
    assert "SH020 · T02" in pages[1] and "SH020 · T02" not in pages[0]
    assert pages[0].count("Sora 2 · 2 s") == 4  # the model's title and the clip's own length
    assert "A lighthouse at dusk, waves" in pages[0] and "Neon alley in the rain" in pages[1]
    assert pages[0].count("CIRCLED") == 4
    assert not list((tmp_path / "out").glob(".*.part"))


def test_png_pages_are_a4_at_150_dpi_and_show_the_frames(
    run_async: Run, rig: ExportRig, sheets: ContactSheetService, tmp_path: Path
) -> None:
    shot = rig.shot(0)
    for _ in range(5):
        rig.take(shot, content=LANDSCAPE)
    files = write(run_async, sheets, Selection(rig.project.id), tmp_path, formats=["png"])
    assert files == {"png": [tmp_path / "Trailer_contact_sheet_p1.png", tmp_path / "Trailer_contact_sheet_p2.png"]}
    for path in files["png"]:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1754, 1240)
        assert round(image.dotsPerMeterX() * 0.0254) == 150  # prints at A4
        samples = [image.pixel(x, y) for x in range(0, 1754, 3) for y in range(0, 1240, 3)]
        assert len(set(samples)) > 20  # antialiased text, rules and frames: not an empty page
        assert sum(pixel != 0xFFFFFFFF for pixel in samples) > len(samples) // 50
    x, y, width, height = frame_box_pixels(0)
    first = QImage(str(files["png"][0]))
    assert close_to(first.pixelColor(round(x + width / 2), round(y + height / 2)), QColor("#2a5d8f"))
    assert close_to(first.pixelColor(round(x + 4), round(y + height / 2)), QColor("#2a5d8f"))  # fills the box


def test_a_portrait_take_stays_portrait_between_bars(
    run_async: Run, rig: ExportRig, sheets: ContactSheetService, tmp_path: Path
) -> None:
    rig.take(rig.shot(0), content=PORTRAIT)
    files = write(run_async, sheets, Selection(rig.project.id), tmp_path, formats=["png"])
    image = QImage(str(files["png"][0]))
    x, y, width, height = frame_box_pixels(0)
    middle = round(y + height / 2)
    assert close_to(image.pixelColor(round(x + width / 2), middle), QColor("#8f5d2a"))
    assert close_to(image.pixelColor(round(x + 4), middle), LETTERBOX)
    assert close_to(image.pixelColor(round(x + width - 4), middle), LETTERBOX)
    # 9:16 in a 16:9 box is as tall as the box and (9/16)² as wide.
    picture = [px for px in range(round(x), round(x + width)) if not close_to(image.pixelColor(px, middle), LETTERBOX)]
    assert len(picture) == pytest.approx(height * 9 / 16, abs=3)


def test_a_take_without_its_file_gets_a_placeholder(
    run_async: Run, rig: ExportRig, sheets: ContactSheetService, tmp_path: Path
) -> None:
    shot = rig.shot(0)
    rig.take(shot, content=LANDSCAPE)
    rig.take(shot, content=b"")  # never downloaded
    files = write(run_async, sheets, Selection(rig.project.id), tmp_path)
    (page,) = pdf_pages(files["pdf"][0])
    assert page.count("No video file on disk") == 1
    assert "SH010 · T02" in page
    image = QImage(str(files["png"][0]))
    x, y, width, height = frame_box_pixels(1)
    assert close_to(image.pixelColor(round(x + width / 4), round(y + height / 4)), QColor("#efefef"), 4)


def test_a_sheet_of_one_shot_is_named_after_it(
    run_async: Run, rig: ExportRig, sheets: ContactSheetService, tmp_path: Path
) -> None:
    first, second = rig.shot(0), rig.shot(1)
    rig.take(first, content=LANDSCAPE)
    rig.take(second, content=LANDSCAPE, mark=TakeMark.HOLD, review_note="Keep the push-in")
    selection = Selection(rig.project.id, shot_ids=(second.id,), marks=None)
    files = write(run_async, sheets, selection, tmp_path)
    assert files["pdf"] == [tmp_path / "Trailer_SH020_contact_sheet.pdf"]
    assert files["png"] == [tmp_path / "Trailer_SH020_contact_sheet_p1.png"]
    (page,) = pdf_pages(files["pdf"][0])
    assert "SH020 · 1 take" in page and "SH010" not in page
    assert "HOLD" in page and "Note: Keep the push-in" in page


def test_no_matching_takes_write_nothing(
    run_async: Run, rig: ExportRig, sheets: ContactSheetService, tmp_path: Path
) -> None:
    rig.take(rig.shot(0), mark=TakeMark.HOLD, content=LANDSCAPE)
    assert write(run_async, sheets, Selection(rig.project.id), tmp_path / "out") == {}
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError, match="formats"):
        write(run_async, sheets, Selection(rig.project.id), tmp_path, formats=["pdf", "tiff"])
    with pytest.raises(LookupError):
        write(run_async, sheets, Selection(999), tmp_path)


def test_cancel_leaves_no_file_and_progress_counts_frames_then_pages(
    run_async: Run, rig: ExportRig, sheets: ContactSheetService, tmp_path: Path
) -> None:
    shot = rig.shot(0)
    for _ in range(6):
        rig.take(shot, content=LANDSCAPE)
    seen: list[SheetProgress] = []
    full = write(run_async, sheets, Selection(rig.project.id), tmp_path / "whole", progress=seen.append)
    assert len(full["png"]) == 2
    frames = [(p.done, p.total) for p in seen if p.stage == SheetStage.FRAMES]
    assert frames == [(n, 6) for n in range(1, 7)]
    assert [(p.done, p.total) for p in seen if p.stage == SheetStage.PAGES] == [(1, 2), (2, 2)]

    cancel = threading.Event()

    def cancel_after_page_one(progress: SheetProgress) -> None:
        if progress.stage == SheetStage.PAGES and progress.done == 1:
            cancel.set()  # page 1 is drawn by now: its files are begun and must go

    with pytest.raises(SheetsCancelled):
        write(
            run_async,
            sheets,
            Selection(rig.project.id),
            tmp_path / "stopped",
            progress=cancel_after_page_one,
            cancel=cancel,
        )
    assert list((tmp_path / "stopped").iterdir()) == []


def test_a_cancelled_task_leaves_no_file_either(
    run_async: Run, rig: ExportRig, sheets: ContactSheetService, tmp_path: Path
) -> None:
    shot = rig.shot(0)
    for _ in range(6):
        rig.take(shot, content=LANDSCAPE)
    out = tmp_path / "stopped"

    async def cancel_after_page_one() -> None:
        job: asyncio.Task[Any] | None = None

        def progress(report: SheetProgress) -> None:
            if report.stage == SheetStage.PAGES and report.done == 1 and job is not None:
                job.cancel()  # as closing the app does: the awaiting task goes, not the event

        job = asyncio.ensure_future(
            sheets.write(Selection(rig.project.id), out, ["pdf", "png"], title="T", paper=A4, progress=progress)
        )
        with pytest.raises(asyncio.CancelledError):
            await job

    run_async(cancel_after_page_one())
    assert list(out.iterdir()) == []


def test_letter_paper_in_the_us_and_a4_elsewhere() -> None:
    us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    uk = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    assert paper_for(us).id() == QPageSize.PageSizeId.Letter
    assert paper_for(uk).id() == QPageSize.PageSizeId.A4
    assert paper_for(QLocale(QLocale.Language.German, QLocale.Country.Germany)).id() == QPageSize.PageSizeId.A4
    letter = landscape_points(paper_for(us))
    assert (letter.width(), letter.height()) == (792, 612)


def test_the_frame_is_a_second_in_or_the_middle_of_a_short_take_from_its_in_mark() -> None:
    def task(**fields: Any) -> Task:
        from datetime import UTC, datetime

        return Task(request=GenerationRequest(prompt="p", duration=10), created_at=datetime.now(UTC), **fields)

    assert _frame_at_ms(task(), None) == 1000
    assert _frame_at_ms(task(in_ms=4000), None) == 5000
    assert _frame_at_ms(task(in_ms=4000, out_ms=4600), None) == 4300

    class Media:
        duration = Fraction(6, 5)

    assert _frame_at_ms(task(), Media()) == 600  # type: ignore[arg-type]


def test_sheet_words() -> None:
    assert sheet_wording.takes_words(1, None) == "1 take"
    assert sheet_wording.takes_words(12, frozenset({TakeMark.CIRCLED})) == "12 circled takes"
    assert sheet_wording.shots_words(["SH010", "SH020", "SH040"]) == "SH010–SH040 (3 shots)"
    assert sheet_wording.card_facts("Sora 2 Pro", Fraction(10)) == "Sora 2 Pro · 10 s"
    assert sheet_wording.card_facts("Sora 2", Fraction(1001, 1000) * 4.9) == "Sora 2 · 4.9 s"
    assert [sheet_wording.mark_label(mark) for mark in (*TakeMark, None)] == ["CIRCLED", "HOLD", "NG", ""]
