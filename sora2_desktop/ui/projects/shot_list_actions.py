"""ShotListActions: File ▸ Import shot list… (read and check the CSV in a worker, preview it, import on the
person's word, undoable) and File ▸ Export shot list… (the current project's shots written back as CSV)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from sora2_desktop.core.projects.model import Project, Shot
from sora2_desktop.core.projects.shot_list_check import RowCheck, ShotListRules, check_row, is_untouched
from sora2_desktop.core.projects.shot_list_csv import ShotSheet, read_shot_list, shot_list_rows, write_shot_list
from sora2_desktop.core.projects.shot_list_problems import ShotListError, shot_list_error_text
from sora2_desktop.core.projects.take_files import safe_name
from sora2_desktop.core.session import Session
from sora2_desktop.ui.common.background_jobs import BackgroundJobs
from sora2_desktop.ui.compose.delivery_rows import MAX_TAKES
from sora2_desktop.ui.projects.shot_panel import ShotPanel

if TYPE_CHECKING:
    from sora2_desktop.ui.projects.shot_import_dialog import ShotImportDialog
    from sora2_desktop.ui.projects.shot_import_model import ShotImportModel

log = logging.getLogger(__name__)
_CSV_FILTER = "CSV (*.csv *.txt)"


class ShotListActions(QObject):
    """Acts on the project the shot panel shows, through `session.projects` and the catalogue."""

    status_message = Signal(str)

    def __init__(self, session: Session, shots: ShotPanel, window: QWidget) -> None:
        super().__init__(window)
        self._session = session
        self._shots = shots
        self._window = window
        self._jobs = BackgroundJobs("shot list job", self._say_failure)
        self._last_folder = str(Path.home())
        self.import_action = QAction(self.tr("&Import shot list…"), self)
        self.import_action.setToolTip(self.tr("Add shots to the project from a CSV file, after a preview"))
        self.import_action.triggered.connect(self.choose_and_import)
        self.export_action = QAction(self.tr("Expor&t shot list…"), self)
        self.export_action.setToolTip(self.tr("Write the project's shots to a CSV file"))
        self.export_action.triggered.connect(self.choose_and_export)

    # -- import -----------------------------------------------------------------------------------------------

    def choose_and_import(self) -> None:
        dialog = QFileDialog(self._window, self.tr("Import shot list"), self._last_folder)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr(_CSV_FILTER), self.tr("All files (*)")])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda chosen: self._jobs.spawn(self.import_from(Path(chosen))))
        dialog.open()

    async def import_from(self, path: Path) -> ShotImportDialog | None:
        """Read and check `path` off the GUI thread, then show the preview (None when the file is no shot list,
        which a message says). Only the preview's Import writes anything."""
        project = self._shots.current_project()
        if project is None:
            return None
        self._last_folder = str(path.parent)
        shots = self._session.projects.shots(project.id)
        replacing = self._replaceable(shots)
        kept = [shot for shot in shots if shot not in replacing]
        rules = ShotListRules(
            self._session.models.current(),
            path.parent,
            MAX_TAKES,
            frozenset(shot.code.upper() for shot in kept),
        )
        self.status_message.emit(self.tr("Reading {0}…").format(path.name))
        try:
            sheet, checks = await asyncio.to_thread(_read_and_check, path, rules)
        except ShotListError as error:
            self.status_message.emit("")
            self._tell(self.tr("“{0}” cannot be imported").format(path.name), shot_list_error_text(error))
            return None
        self.status_message.emit("")
        if not sheet.rows:
            self._tell(self.tr("“{0}” has no shots").format(path.name), self.tr("Every row under the header is empty."))
            return None
        # The preview's modules are loaded when first used, not at start-up.
        from sora2_desktop.ui.projects.shot_import_dialog import ShotImportDialog
        from sora2_desktop.ui.projects.shot_import_model import ShotImportModel

        model = ShotImportModel(sheet.rows, checks, rules)
        dialog = ShotImportDialog(
            model,
            project.name,
            path.name,
            ignored_columns=sheet.ignored,
            replaced_codes=[shot.code for shot in replacing],
            parent=self._window,
        )
        model.setParent(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._import(project, model, replacing))
        dialog.open()
        return dialog

    def _replaceable(self, shots: list[Shot]) -> list[Shot]:
        """A project with nothing written in it yet (a new one's SH010): its empty shots give way to the list.
        A project with any work in it keeps every shot; the list goes after them."""
        if any(not is_untouched(shot, 0) for shot in shots):
            return []
        takes = self._session.projects.takes
        return shots if all(not takes(shot.id) for shot in shots) else []

    def _import(self, project: Project, model: ShotImportModel, replacing: list[Shot]) -> None:
        try:
            made = self._session.projects.import_shots(project.id, model.planned(), [s.id for s in replacing])
        except ValueError as exc:  # the project changed under the preview (another window, a sync)
            log.warning("shot list import refused: %s", exc)
            self._tell(
                self.tr("Nothing was imported"), self.tr("The project changed meanwhile: import the file again.")
            )
            return
        if not made:
            return
        self._shots.select_shot(made[0].id)
        span = made[0].code if len(made) == 1 else self.tr("{0} to {1}").format(made[0].code, made[-1].code)
        words = self.tr("Imported %n shot(s): {0}.", "", len(made)).format(span)
        made_ids, replaced_ids = [shot.id for shot in made], [shot.id for shot in replacing]
        self._shots.offer_undo(words, lambda: self._undo(project, made_ids, replaced_ids))
        self.status_message.emit(words)

    def _undo(self, project: Project, made: list[int], replaced: list[int]) -> None:
        self._session.projects.undo_import(project.id, made, replaced)
        self.status_message.emit(self.tr("Import undone: %n shot(s) taken out.", "", len(made)))

    # -- export -----------------------------------------------------------------------------------------------

    def choose_and_export(self) -> None:
        project = self._shots.current_project()
        if project is None:
            return
        folder = Path(project.folder).expanduser() if project.folder else Path(self._last_folder)
        suggested = folder / f"{safe_name(project.name)}_shots.csv"
        dialog = QFileDialog(self._window, self.tr("Export shot list"), str(suggested))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr(_CSV_FILTER))
        dialog.setDefaultSuffix("csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda chosen: self._jobs.spawn(self.export_to(Path(chosen))))
        dialog.open()

    async def export_to(self, path: Path) -> bool:
        """The current project's shots, in their order, written to `path` in a worker; the outcome in the status
        bar (and in a message when the file cannot be written)."""
        project = self._shots.current_project()
        if project is None:
            return False
        shots = self._session.projects.shots(project.id)
        rows = shot_list_rows(shots, self._session.models.current(), path.parent)
        try:
            await asyncio.to_thread(write_shot_list, path, rows)
        except OSError as exc:
            self._tell(self.tr("The shot list was not written"), exc.strerror or str(exc))
            return False
        self._last_folder = str(path.parent)
        self.status_message.emit(self.tr("Exported %n shot(s) to {0}.", "", len(shots)).format(path.name))
        return True

    # -- internals --------------------------------------------------------------------------------------------

    def _tell(self, text: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Shot list"), text, QMessageBox.StandardButton.Ok)
        box.setParent(self._window, box.windowFlags())
        box.setInformativeText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _say_failure(self, error: BaseException) -> None:
        self.status_message.emit(self.tr("Something went wrong: {0}").format(error))


def _read_and_check(path: Path, rules: ShotListRules) -> tuple[ShotSheet, list[RowCheck]]:
    """In a worker: the file read and every row judged (local images are opened to check them)."""
    sheet = read_shot_list(path)
    return sheet, [check_row(row, rules) for row in sheet.rows]
