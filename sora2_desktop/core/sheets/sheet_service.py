"""ContactSheetService (`Session.sheets`): contact sheets of a project's or a shot's takes as PDF and PNG pages.

Frames are grabbed on the GUI thread's loop one at a time (each grab opens a decoder; several at once would only
compete for the same cores), a page's worth at a time; each page is drawn in the sheet's own worker thread while
the next page's frames are grabbed, so memory holds at most two pages of frames whatever the project's size.
"""

from __future__ import annotations

import asyncio
import enum
import math
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate, QLocale, QObject, QSize, Qt
from PySide6.QtGui import QImage, QPageSize

from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.export.export_result import SHEET_FORMATS, ExportCancelled
from sora2_desktop.core.export.selection import Selection, select_takes, take_mark
from sora2_desktop.core.media.probe import MediaInfo, MediaProbeError, probe
from sora2_desktop.core.projects.model import Shot, take_code
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.projects.take_files import safe_name
from sora2_desktop.core.sheets import sheet_wording as words
from sora2_desktop.core.sheets.contact_sheet import PDF_DPI, ContactSheetWriter, paper_for
from sora2_desktop.core.sheets.sheet_layout import SheetCard, SheetGrid, SheetHeader
from sora2_desktop.core.tasks.task import Task

T = TypeVar("T")
# The frame a sheet shows: a second in (the first frames of a generated clip are often a fade from black), or the
# middle of a take shorter than two seconds; counted from the take's in mark when it has one.
FRAME_AT_MS = 1000


class SheetStage(enum.StrEnum):
    FRAMES = "frames"  # done/total: takes whose frame has been read
    PAGES = "pages"  # done/total: pages drawn


@dataclass(frozen=True)
class SheetProgress:
    stage: SheetStage
    done: int
    total: int


class SheetsCancelled(ExportCancelled):
    """The person cancelled the sheet: every page begun was removed."""

    def __init__(self) -> None:
        super().__init__(0)


class ContactSheetService(QObject):
    """`local_video(task)` is the take's file on disk or None (Session.local_video)."""

    def __init__(
        self,
        projects: ProjectService,
        local_video: Callable[[Task], Path | None],
        parent: QObject | None = None,
        *,
        grid: SheetGrid | None = None,
    ) -> None:
        super().__init__(parent)
        self._projects = projects
        self._local_video = local_video
        self.grid = grid or SheetGrid()

    def file_stem(self, selection: Selection) -> str:
        """ "Trailer_contact_sheet"; "Trailer_SH010_contact_sheet" for a sheet of one shot."""
        project = self._projects.project(selection.project_id)
        name = safe_name(project.name) if project is not None else "project"
        if selection.shot_ids is not None and len(selection.shot_ids) == 1:
            shot = self._projects.shot(selection.shot_ids[0])
            if shot is not None:
                name += f"_{safe_name(shot.code)}"
        return f"{name}_contact_sheet"

    def count(self, selection: Selection) -> tuple[int, int]:
        """(takes the sheet of `selection` would show, how many of them have no file on disk): one stat a take."""
        takes = [task for _, tasks in select_takes(self._projects, selection) for task in tasks]
        return len(takes), sum(self._local_video(task) is None for task in takes)

    async def write(
        self,
        selection: Selection,
        folder: Path,
        formats: Collection[str],
        *,
        title: str,
        progress: Callable[[SheetProgress], None] | None = None,
        cancel: threading.Event | None = None,
        paper: QPageSize | None = None,
    ) -> dict[str, list[Path]]:
        """Writes the sheet of `selection`'s takes into `folder` as `formats` ("pdf": one file, "png": one file
        per page); returns format → files, {} when no take matches. SheetsCancelled when `cancel` is set (or the
        awaiting task is cancelled: CancelledError) — nothing of the sheet stays then; ValueError for an unknown
        format, LookupError for an unknown project, OSError when the folder or a file cannot be written."""
        unknown = sorted(set(formats) - set(SHEET_FORMATS))
        if unknown or not formats:
            raise ValueError(f"contact sheet formats must be among {', '.join(SHEET_FORMATS)}: {sorted(formats)}")
        if self._projects.project(selection.project_id) is None:
            raise LookupError(f"no project {selection.project_id}")
        cancel = cancel or threading.Event()
        chosen = [(shot, task) for shot, tasks in select_takes(self._projects, selection) for task in tasks]
        if not chosen:
            return {}
        shots = list(dict.fromkeys(shot.code for shot, _ in chosen))
        date = QLocale().toString(QDate.currentDate(), QLocale.FormatType.LongFormat)
        header = SheetHeader(title, words.subtitle(shots, words.takes_words(len(chosen), selection.marks), date))
        per_page = self.grid.per_page
        pages = math.ceil(len(chosen) / per_page)
        stem = folder.expanduser().absolute() / self.file_stem(selection)
        report = progress or (lambda _: None)
        drawing = _DrawingThread()
        try:
            await drawing.run(lambda: stem.parent.mkdir(parents=True, exist_ok=True))
            writer = await drawing.run(
                lambda: ContactSheetWriter(stem, formats, header, pages, paper=paper or paper_for(), grid=self.grid)
            )
            drawing.cleanup = writer.discard
            frame_px = (writer.layout.frame * (PDF_DPI / 72)).toSize()
            drawn: asyncio.Future[None] | None = None
            for page in range(1, pages + 1):
                cards: list[SheetCard] = []
                for shot, task in chosen[(page - 1) * per_page : page * per_page]:
                    if cancel.is_set():
                        raise SheetsCancelled
                    cards.append(await self._card(shot, task, frame_px))
                    report(SheetProgress(SheetStage.FRAMES, (page - 1) * per_page + len(cards), len(chosen)))
                if drawn is not None:  # the previous page was drawn while this one's frames were read
                    await drawing.wait(drawn)
                    report(SheetProgress(SheetStage.PAGES, page - 1, pages))
                if cancel.is_set():
                    raise SheetsCancelled
                drawn = drawing.start(_page_job(writer, page, cards))
            if drawn is not None:
                await drawing.wait(drawn)
            report(SheetProgress(SheetStage.PAGES, pages, pages))
            if cancel.is_set():
                raise SheetsCancelled
            return await drawing.run(writer.finish)
        except BaseException:
            await drawing.discard()
            raise
        finally:
            drawing.close()

    async def _card(self, shot: Shot, task: Task, frame_px: QSize) -> SheetCard:
        """One take's card; its frame grabbed and scaled for print, or a placeholder saying why there is none."""
        path = self._local_video(task)
        media = await asyncio.to_thread(_probe, path) if path is not None else None
        seconds: Fraction | float | None = media.duration if media is not None else task.request.duration
        card = SheetCard(
            shot_code=shot.code,
            take=take_code(task.take_number or 0),
            mark=take_mark(task),
            rating=task.rating,
            model=_model_title(task.request.model),
            seconds=seconds,
            prompt=task.request.prompt,
            note=task.review_note,
        )
        if path is None:
            return _with(card, missing=words.no_file_words(), missing_detail=words.no_file_detail())
        from sora2_desktop.core.media.frame_grab import FrameGrabError, grab_frame  # QtMultimedia: not at start-up

        try:
            frame = await grab_frame(path, _frame_at_ms(task, media))
        except FrameGrabError as error:
            return _with(card, missing=words.no_frame_words(), missing_detail=str(error))
        return _with(card, frame=await asyncio.to_thread(_fit, frame, frame_px))


def _with(card: SheetCard, **changes: object) -> SheetCard:
    return replace(card, **changes)  # type: ignore[arg-type]


def _page_job(writer: ContactSheetWriter, page: int, cards: list[SheetCard]) -> Callable[[], None]:
    return lambda: writer.draw_page(page, cards)


def _frame_at_ms(task: Task, media: MediaInfo | None) -> int:
    start = task.in_ms or 0
    length_ms = int(media.duration * 1000) if media is not None else task.request.duration * 1000
    end = task.out_ms if task.out_ms is not None and task.out_ms > start else length_ms
    return start + min(FRAME_AT_MS, max(0, end - start) // 2)


def _probe(path: Path) -> MediaInfo | None:
    try:
        return probe(path)
    except MediaProbeError:
        return None  # the grab says what is wrong with the file; the card shows the requested length


def _fit(frame: QImage, box: QSize) -> QImage:
    """The frame no larger than the print box (a 4K take would otherwise ride along at full size)."""
    if frame.width() <= box.width() and frame.height() <= box.height():
        return frame
    return frame.scaled(box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def _model_title(model_id: str) -> str:
    spec = shipped_catalogue().get(model_id)
    return spec.title if spec is not None else model_id


class _DrawingThread:
    """The sheet's one worker thread: its PDF writer and painter are made, used and dropped there."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="contact-sheet")
        self._pending: list[asyncio.Future[object]] = []
        self.cleanup: Callable[[], None] | None = None  # removes what was begun, in this thread

    def start(self, work: Callable[[], T]) -> asyncio.Future[T]:
        future = asyncio.get_running_loop().run_in_executor(self._executor, work)
        self._pending.append(future)  # type: ignore[arg-type]
        return future

    async def run(self, work: Callable[[], T]) -> T:
        return await self.wait(self.start(work))

    async def wait(self, future: asyncio.Future[T]) -> T:
        """Awaits `future`; cancelled meanwhile, the work is still let finish before the cancel goes on (the
        thread may be mid-page, and its files are removed only after)."""
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await asyncio.gather(future, return_exceptions=True)
            raise

    async def discard(self) -> None:
        """After a cancel or a failure: lets the work under way end, then removes the sheet's files."""
        await asyncio.gather(*self._pending, return_exceptions=True)
        if self.cleanup is not None:
            job = self.start(self.cleanup)
            try:
                await asyncio.shield(job)
            except BaseException:  # cancelled again, or the removal failed: the files still go, the error stays
                await asyncio.gather(job, return_exceptions=True)

    def close(self) -> None:
        self._executor.shutdown(wait=False)  # every job was awaited: the thread ends at once
