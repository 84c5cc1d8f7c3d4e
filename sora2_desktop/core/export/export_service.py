"""ExportService (`Session.exports`): export selects — the chosen takes copied or linked under conformed names,
their manifest, timelines and contact sheets — off the GUI thread, with progress and cancel; the dialog and
the command line both call it."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from sora2_desktop.core.export.export_result import (
    EXPORT_FORMATS,
    MANIFEST_FORMATS,
    SHEET_FORMATS,
    TIMELINE_FORMATS,
    ExportCancelled,
    ExportedTake,
    ExportProgress,
    ExportResult,
    ExportStage,
    SelectionSummary,
    SkippedTake,
    SkipReason,
)
from sora2_desktop.core.export.manifest import ManifestEntry, write_manifest
from sora2_desktop.core.export.selection import Selection, select_takes
from sora2_desktop.core.export.selects import CopyCancelled, CopyJob, CopyOutcome, Placement, place_selects
from sora2_desktop.core.projects.model import Project, PromptVersion, Shot
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.projects.take_files import safe_name, take_stem
from sora2_desktop.core.tasks.task import Task

if TYPE_CHECKING:
    from sora2_desktop.core.sheets.sheet_service import ContactSheetService

log = logging.getLogger(__name__)
T = TypeVar("T")
ProgressCallback = Callable[[ExportProgress], None]


class ExportService(QObject):
    """`local_video(task)` finds a take's file on disk (Session.local_video); `sheets` is the contact sheet
    service (Session.sheets), or None where there is none."""

    exported = Signal(object)  # ExportResult, when an export has finished

    def __init__(
        self,
        projects: ProjectService,
        local_video: Callable[[Task], Path | None],
        sheets: ContactSheetService | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._projects = projects
        self._local_video = local_video
        self._sheets = sheets

    def summary(self, selection: Selection) -> SelectionSummary:
        """How many takes, shots and bytes `selection` holds now (one stat per take: cheap on the GUI thread)."""
        shots, takes, size, missing = set(), 0, 0, 0
        for shot, tasks in select_takes(self._projects, selection):
            for task in tasks:
                path = self._local_video(task)
                try:
                    size += path.stat().st_size if path is not None else 0
                except OSError:
                    path = None
                if path is None:
                    missing += 1
                    continue
                takes += 1
                shots.add(shot.id)
        return SelectionSummary(len(shots), takes, size, missing)

    async def export_selects(
        self,
        selection: Selection,
        folder: Path,
        formats: Collection[str],
        *,
        link: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> ExportResult:
        """Copy (or hard-link, where the folder's drive allows) the selected takes into `folder` under their
        project's names, then write the `formats` asked for (EXPORT_FORMATS' words). Raises ExportCancelled when
        `cancel` is set or the awaiting task is cancelled (nothing half-written stays), LookupError for an
        unknown project, ValueError for an unknown format, OSError when `folder` cannot be made."""
        unknown = sorted(set(formats) - set(EXPORT_FORMATS))
        if unknown:
            raise ValueError(f"unknown export formats: {', '.join(unknown)}")
        cancel = cancel or threading.Event()
        report = _Reporter(progress)
        started = time.perf_counter()
        project = self._projects.project(selection.project_id)
        if project is None:
            raise LookupError(f"no project {selection.project_id}")
        folder = folder.expanduser().absolute()
        report(ExportStage.SELECTING, 0, 0)
        result = ExportResult(folder)
        picked: list[tuple[Shot, Task, Path]] = []
        for shot, tasks in select_takes(self._projects, selection):
            for task in tasks:
                path = self._local_video(task)
                if path is None:
                    result.skipped.append(SkippedTake(shot, task, SkipReason.NO_FILE))
                else:
                    picked.append((shot, task, path))
        if not picked:
            return self._finish(result, started)
        jobs = [CopyJob(path, _conformed_stem(project, shot, task)) for shot, task, path in picked]
        # Everything read from the database is read now, before the first wait: a window closed mid-export
        # closes the database, and the rest of the export needs only what it holds already.
        versions = {
            task.version_id: self._projects.version(task.version_id)
            for _, task, _ in picked
            if task.version_id is not None
        }
        copying = lambda done, total: report.from_thread(ExportStage.COPYING, done, total)  # noqa: E731
        try:
            outcomes = await _in_worker(
                lambda: place_selects(jobs, folder, link=link, progress=copying, cancel=cancel), cancel
            )
        except CopyCancelled as stopped:
            raise ExportCancelled(stopped.kept) from None
        # Frame rates and sizes are for the manifest and the timelines; an export of the takes alone skips them.
        readers = any(name in formats for name in (*MANIFEST_FORMATS, *TIMELINE_FORMATS))
        await self._read_media(result, picked, outcomes, report, cancel, probe_files=readers)
        await self._write_files(result, project, versions, folder, formats, report, cancel)
        await self._write_sheets(result, selection, project, folder, formats, report, cancel)
        return self._finish(result, started)

    async def _read_media(
        self,
        result: ExportResult,
        picked: list[tuple[Shot, Task, Path]],
        outcomes: list[CopyOutcome],
        report: _Reporter,
        cancel: threading.Event,
        *,
        probe_files: bool,
    ) -> None:
        placed = [(item, outcome) for item, outcome in zip(picked, outcomes, strict=True)]
        for (shot, task, _), outcome in placed:
            if outcome.placement == Placement.FAILED or outcome.target is None:
                result.skipped.append(SkippedTake(shot, task, SkipReason.COPY_FAILED, outcome.problem))
        good = [(item, outcome) for item, outcome in placed if outcome.target is not None]
        report(ExportStage.READING, 0, len(good))
        targets = [outcome.target for _, outcome in good if outcome.target is not None]
        probed = await _in_worker(lambda: [_probe(target) for target in targets], cancel) if probe_files else []
        probed += [(None, None)] * (len(good) - len(probed))
        if cancel.is_set():
            raise ExportCancelled(len(good))
        for ((shot, task, source), outcome), (media, problem) in zip(good, probed, strict=True):
            assert outcome.target is not None
            result.takes.append(
                ExportedTake(
                    shot=shot,
                    task=task,
                    source=source,
                    target=outcome.target,
                    placement=outcome.placement,
                    size=outcome.size,
                    renamed=outcome.renamed,
                    link_problem=outcome.link_problem,
                    media=media,
                    media_problem=problem,
                )
            )
            if outcome.placement == Placement.COPIED:
                result.bytes_copied += outcome.size
        result.files["takes"] = [take.target for take in result.takes]
        report(ExportStage.READING, len(good), len(good))

    async def _write_files(
        self,
        result: ExportResult,
        project: Project,
        versions: dict[int, PromptVersion | None],
        folder: Path,
        formats: Collection[str],
        report: _Reporter,
        cancel: threading.Event,
    ) -> None:
        """The manifest and the timelines, in a worker thread (the timelines import OpenTimelineIO there)."""
        asked = [name for name in (*MANIFEST_FORMATS, *TIMELINE_FORMATS) if name in formats]
        if not asked or not result.takes:
            return
        report(ExportStage.WRITING, 0, len(asked))
        entries = [
            ManifestEntry(
                project,
                take.shot,
                take.task,
                versions.get(take.task.version_id) if take.task.version_id is not None else None,
                take.media,
                take.source,
                take.target,
            )
            for take in result.takes
        ]
        stem = safe_name(_title(project), max_chars=80)  # as the timelines name theirs: "Trailer-selects.csv"
        exported_at = datetime.now(UTC)
        manifest_formats = [name for name in MANIFEST_FORMATS if name in formats]
        if manifest_formats:
            try:
                written = await _in_worker(
                    lambda: write_manifest(entries, folder, stem, manifest_formats, exported_at), cancel
                )
            except OSError as err:
                result.problems.append(_failed_text("manifest", err))
            else:
                for name, path in written.items():
                    result.files[name] = [path]
        timeline_formats = [name for name in TIMELINE_FORMATS if name in formats]
        if timeline_formats and not cancel.is_set():
            await self._write_timelines(result, project, folder, timeline_formats, cancel)
        report(ExportStage.WRITING, len(asked), len(asked))

    async def _write_timelines(
        self, result: ExportResult, project: Project, folder: Path, formats: list[str], cancel: threading.Event
    ) -> None:
        from sora2_desktop.core.timelines.timeline import TimelineClip, write_timelines

        clips = [
            TimelineClip(
                name=take.target.stem,
                path=take.target,
                shot_code=take.shot.code,
                take_number=take.task.take_number or 0,
                media=take.media,
                in_s=None if take.task.in_ms is None else Fraction(take.task.in_ms, 1000),
                out_s=None if take.task.out_ms is None else Fraction(take.task.out_ms, 1000),
            )
            for take in result.takes
            if take.media is not None
        ]
        if not clips:
            return
        title = _title(project)
        try:
            timelines = await _in_worker(lambda: write_timelines(title, clips, folder, formats), cancel)
        except Exception as err:  # a writer's fault loses one format, never the copied takes
            log.exception("writing the timelines of %s failed", project.name)
            result.problems.append(_failed_text("timeline", err))
            return
        for name, path in timelines.files.items():
            result.files[name] = [path]
        result.sequence = timelines.sequence
        result.warnings += timelines.warnings

    async def _write_sheets(
        self,
        result: ExportResult,
        selection: Selection,
        project: Project,
        folder: Path,
        formats: Collection[str],
        report: _Reporter,
        cancel: threading.Event,
    ) -> None:
        sheet_formats = [name for name in SHEET_FORMATS if name in formats]
        sheets = self._sheets
        if not sheet_formats or not result.takes or cancel.is_set():
            return
        if sheets is None:
            result.problems.append(_failed_text("sheet", ""))
            return
        report(ExportStage.SHEETS, 0, 1)
        try:
            sheet_progress = lambda step: report.from_thread(ExportStage.SHEETS, step.done, step.total)  # noqa: E731
            written = await sheets.write(
                selection, folder, sheet_formats, title=project.name, progress=sheet_progress, cancel=cancel
            )
        except ExportCancelled:  # the sheet's own (SheetsCancelled): the takes copied before it stay
            raise ExportCancelled(len(result.takes)) from None
        except Exception as err:  # a sheet's fault loses one format, never the copied takes
            log.exception("writing the contact sheets of %s failed", project.name)
            result.problems.append(_failed_text("sheet", err))
            return
        if cancel.is_set():
            raise ExportCancelled(len(result.takes))
        for name, paths in written.items():
            result.files[name] = list(paths)
        report(ExportStage.SHEETS, 1, 1)

    def _finish(self, result: ExportResult, started: float) -> ExportResult:
        result.seconds = time.perf_counter() - started
        self.exported.emit(result)
        return result


def _title(project: Project) -> str:
    """The timeline's name in the editor, and (made safe) the stem of every file the export writes beside the takes."""
    return f"{project.name} selects"


def _conformed_stem(project: Project, shot: Shot, task: Task) -> str:
    """The take's name from its project's template now (the shot may have been renumbered since download)."""
    return take_stem(project.name_template, project.name, shot.code, task.take_number or 0, task.request)


def _probe(path: Path) -> tuple[Any, str | None]:
    from sora2_desktop.core.media.probe import MediaProbeError, probe

    try:
        return probe(path), None
    except MediaProbeError as err:
        return None, str(err)


def _failed_text(what: str, err: BaseException | str) -> str:
    """`what` ("manifest", "timeline", "sheet") could not be written, and the reason, as a sentence."""
    from sora2_desktop.core.export.export_wording import not_written_text

    if isinstance(err, str):
        return not_written_text(what, err)
    reason = (err.strerror or str(err)) if isinstance(err, OSError) else str(err)
    return not_written_text(what, reason or type(err).__name__)  # an exception without words says what it was


async def _in_worker(work: Callable[[], T], cancel: threading.Event) -> T:
    """`work` in a worker thread. If the awaiting task is cancelled, `cancel` is set and the worker waited for
    (it stops at its next check and removes its half-written file) before the cancel goes on."""
    job = asyncio.ensure_future(asyncio.to_thread(work))
    try:
        return await asyncio.shield(job)
    except asyncio.CancelledError:
        cancel.set()
        await asyncio.gather(job, return_exceptions=True)
        raise


class _Reporter:
    """Hands progress to the callback on the loop's thread, however often the worker reports: a worker's
    report is dropped while the previous one has not been delivered yet."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._loop = asyncio.get_running_loop()
        self._waiting = threading.Event()

    def __call__(self, stage: ExportStage, done: int, total: int) -> None:
        if self._callback is not None:
            self._callback(ExportProgress(stage, done, total))

    def from_thread(self, stage: ExportStage, done: int, total: int) -> None:
        if self._callback is None or (self._waiting.is_set() and done < total):
            return
        self._waiting.set()
        self._loop.call_soon_threadsafe(self._deliver, ExportProgress(stage, done, total))

    def _deliver(self, progress: ExportProgress) -> None:
        self._waiting.clear()
        if self._callback is not None:
            self._callback(progress)
