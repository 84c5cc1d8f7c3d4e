"""ContactSheetDialog (File ▸ Contact sheet…, Shot ▸ Contact sheet of this shot…): the whole project or one shot,
which takes, PDF and/or PNG, where; the sheet is made with progress and Cancel while the window stays usable, then
opened or shown in its folder."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.export.selection import Selection
from sora2_desktop.core.projects.model import Project, Shot
from sora2_desktop.core.projects.take_files import safe_name
from sora2_desktop.core.sheets.sheet_service import SheetProgress, SheetsCancelled, SheetStage
from sora2_desktop.ui.common.field_errors import ErrorLabel, mark_invalid
from sora2_desktop.ui.common.folder_field import typed_folder
from sora2_desktop.ui.common.work_dialog import WorkDialog
from sora2_desktop.ui.export.export_options import MARK_PRESETS

if TYPE_CHECKING:
    from sora2_desktop.core.session import Session
    from sora2_desktop.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)


def open_contact_sheet_dialog(window: MainWindow, *, shot_only: bool) -> None:
    """The window's one contact sheet dialog, for the current project (or the shot on screen)."""
    # Any open one, not the first child: a closed dialog lingers until its deferred delete has run.
    for shown in window.findChildren(ContactSheetDialog):
        if shown.isVisible():
            shown.raise_()
            shown.activateWindow()
            return
    project = window.shots.current_project() or window.session.projects.current_project()
    shot = window.shots.current_shot()
    dialog = ContactSheetDialog(window.session, project, shot, window, whole_project=not shot_only or shot is None)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()


class ContactSheetDialog(WorkDialog):
    """Not modal: reviewing goes on while frames are read. Closing it while it runs cancels the sheet (nothing
    of it stays); it closes once the page under way is done."""

    def __init__(
        self, session: Session, project: Project, shot: Shot | None, parent: QWidget | None, *, whole_project: bool
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._project = project
        self._shot = shot
        self._cancel = threading.Event()
        self._job: asyncio.Task[None] | None = None
        self.files: dict[str, list[Path]] = {}
        self.setWindowTitle(self.tr("Contact sheet — {0}").format(project.name))
        self.whole = QRadioButton(self.tr("&Whole project"))
        self.one_shot = QRadioButton(self._shot_words(shot))
        self.one_shot.setEnabled(shot is not None)
        scope = QButtonGroup(self)
        scope.addButton(self.whole)
        scope.addButton(self.one_shot)
        (self.whole if whole_project or shot is None else self.one_shot).setChecked(True)
        self.marks = QComboBox()
        for key, text in (
            ("all", self.tr("Every take")),
            ("circled", self.tr("Circled takes")),
            ("circled,hold", self.tr("Circled and hold takes")),
            ("hold", self.tr("Hold takes")),
            ("no_good", self.tr("No-good takes")),
        ):
            self.marks.addItem(text, key)
        self.pdf = QCheckBox(self.tr("&PDF: one file, pages for print"))
        self.png = QCheckBox(self.tr("P&NG: one picture per page, for screens and messages"))
        self.pdf.setChecked(True)
        self.png.setChecked(True)
        self.formats_error = ErrorLabel()
        self.folder_edit = QLineEdit(self._default_folder())
        self.browse = QPushButton(self.tr("Br&owse…"))
        self.browse.clicked.connect(self._browse)
        self.folder_error = ErrorLabel()
        self.count = QLabel()
        self.stage = QLabel()
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.make_button = self.buttons.addButton(self.tr("&Make sheet"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button = QPushButton(self.tr("O&pen"))
        self.show_button = QPushButton(self.tr("&Show in folder"))
        for button in (self.open_button, self.show_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self.open_sheet)
        self.show_button.clicked.connect(self.show_folder)
        self.close_button.clicked.connect(lambda: self.cancel() if self.running else self.close())
        self._lay_out()
        for signal in (self.whole.toggled, self.marks.currentIndexChanged):
            signal.connect(self.update_count)
        for box in (self.pdf, self.png):
            box.toggled.connect(lambda: self.formats_error.show_message(None))
        self.folder_edit.textChanged.connect(lambda: self._show_folder_problem(None))
        # Marks change in the window while the dialog is open: the count follows, a moment after the last one.
        self._recount = QTimer(self, singleShot=True, interval=150)
        self._recount.timeout.connect(self.update_count)
        session.task_changed.connect(self._recount.start)
        self._show_state(running=False)
        self.update_count()
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())

    def _lay_out(self) -> None:
        scope = QVBoxLayout()
        scope.addWidget(self.whole)
        scope.addWidget(self.one_shot)
        formats = QVBoxLayout()
        formats.addWidget(self.pdf)
        formats.addWidget(self.png)
        formats.addWidget(self.formats_error)
        folder = QHBoxLayout()
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("Shots"), scope)
        takes_label = QLabel(self.tr("&Takes"))
        takes_label.setBuddy(self.marks)
        form.addRow(takes_label, self.marks)
        form.addRow("", self.count)
        form.addRow(self.tr("Write"), formats)
        folder_label = QLabel(self.tr("&Folder"))
        folder_label.setBuddy(self.folder_edit)  # a row of a layout gets no buddy by itself: "&" would show
        form.addRow(folder_label, folder)
        form.addRow("", self.folder_error)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    # -- what the person chose --------------------------------------------------------------------------------

    def selection(self) -> Selection:
        marks = MARK_PRESETS.get(str(self.marks.currentData()))
        shots = None if self.whole.isChecked() or self._shot is None else (self._shot.id,)
        return Selection(self._project.id, shots, marks)

    def formats(self) -> list[str]:
        return [name for name, box in (("pdf", self.pdf), ("png", self.png)) if box.isChecked()]

    def folder(self) -> Path | None:
        """The folder typed, or None after saying at the field what is wrong with it."""
        folder, problem = typed_folder(self.folder_edit.text(), self.tr("Choose the folder to write the sheet into."))
        self._show_folder_problem(problem)
        return folder

    def update_count(self) -> None:
        if self._session.closed:
            return
        takes, missing = self._session.sheets.count(self.selection())
        if takes == 0:
            text = self.tr("No takes match.")
        else:
            pages = -(-takes // self._session.sheets.grid.per_page)
            text = self.tr("%n take(s)", "", takes) + self.tr(" on %n page(s)", "", pages)
            if missing:
                text += self.tr("; %n without a file (shown as a blank card)", "", missing)
        self.count.setText(text)
        self.make_button.setEnabled(takes > 0 and not self.running)

    # -- making it --------------------------------------------------------------------------------------------

    def start(self) -> None:
        formats, folder = self.formats(), self.folder()
        if not formats:
            self.formats_error.show_message(self.tr("Choose PDF, PNG or both."))
        if not formats or folder is None or self.running:
            return
        self._cancel = threading.Event()
        self.files = {}
        self._busy = True
        self.make_button.setDefault(True)
        self._show_state(running=True)
        self.stage.setText(self.tr("Starting…"))
        self._job = asyncio.get_event_loop().create_task(self._make(self.selection(), folder, formats))

    def cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self.stage.setText(self.tr("Cancelling: finishing the page under way, then removing the sheet…"))

    async def _make(self, selection: Selection, folder: Path, formats: list[str]) -> None:
        try:
            self.files = await self._session.sheets.write(
                selection, folder, formats, title=self._project.name, progress=self._on_progress, cancel=self._cancel
            )
        except SheetsCancelled:
            self._finished(self.tr("Cancelled: no sheet was written."))
        except OSError as err:
            self._finished(self.tr("The sheet could not be written: {0}").format(err.strerror or err))
        except LookupError:
            self._finished(self.tr("This project is gone: no sheet was written."))
        except asyncio.CancelledError:  # the app is closing: nothing to show any more
            self._busy = False
            raise
        except Exception as err:
            log.exception("making a contact sheet failed")
            self._finished(self.tr("The sheet stopped: {0}. Details are in the log.").format(err))
        else:
            self._finished(self._written_words(folder))

    def _written_words(self, folder: Path) -> str:
        if not self.files:
            return self.tr("No takes match: no sheet was written.")
        names = [path.name for path in self.files.get("pdf", [])]
        pngs = self.files.get("png", [])
        if len(pngs) == 1:
            names.append(pngs[0].name)
        elif pngs:
            names.append(self.tr("%n PNG page(s) ({0} …)", "", len(pngs)).format(pngs[0].name))
        return self.tr("Wrote {0} to {1}.").format(self.tr(" and ").join(names), folder)

    def _on_progress(self, progress: SheetProgress) -> None:
        if self._cancel.is_set():
            return
        self.bar.setRange(0, max(1, progress.total))
        self.bar.setValue(progress.done)
        if progress.stage == SheetStage.FRAMES:
            text = self.tr("Reading the takes' frames: {0} of {1}")
        else:
            text = self.tr("Drawing the pages: {0} of {1}")
        self.stage.setText(text.format(progress.done, progress.total))

    def _finished(self, summary: str) -> None:
        self._busy = False
        self.summary.setText(summary)
        self._show_state(running=False)
        self.update_count()
        if self.files:  # what the person most likely wants next: Enter opens the sheet
            self.open_button.setDefault(True)
            self.open_button.setFocus()
        self._close_if_asked()

    # -- afterwards -------------------------------------------------------------------------------------------

    def open_sheet(self) -> None:
        """The PDF in the system's viewer, else the first PNG page."""
        sheets = self.files.get("pdf") or self.files.get("png")
        if sheets:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(sheets[0])))

    def show_folder(self) -> None:
        written = [path for paths in self.files.values() for path in paths]
        if written:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(written[0].parent)))

    # -- inside -----------------------------------------------------------------------------------------------

    def _shot_words(self, shot: Shot | None) -> str:
        if shot is None:
            return self.tr("&One shot (choose one in the shot list first)")
        name = f"{shot.code} · {shot.title}" if shot.title else shot.code
        return self.tr("&Only {0}").format(name)

    def _default_folder(self) -> str:
        base = Path(self._project.folder).expanduser() if self._project.folder else None
        base = base or Path(self._session.settings.download_dir)
        return str(base / f"{safe_name(self._project.name)}_contact_sheets")

    def _show_folder_problem(self, problem: str | None) -> None:
        self.folder_error.show_message(problem)
        mark_invalid(self.folder_edit, problem is not None)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for the contact sheet"), self.folder_edit.text()
        )
        if chosen:
            self.folder_edit.setText(chosen)

    def _show_state(self, *, running: bool) -> None:
        for widget in (self.whole, self.one_shot, self.marks, self.pdf, self.png, self.folder_edit, self.browse):
            widget.setEnabled(not running and (widget is not self.one_shot or self._shot is not None))
        self.make_button.setEnabled(not running)
        self.stage.setVisible(running)
        self.bar.setVisible(running)
        self.summary.setVisible(not running and bool(self.summary.text()))
        done = not running and bool(self.files)
        self.open_button.setVisible(done)
        self.show_button.setVisible(done)
        self.close_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        if running:
            self.bar.setRange(0, 0)
