"""ExportDialog (File ▸ Export selects…): choose the takes and what to write, see how many and how big, export
with progress and Cancel while the window stays usable, then read what was written, skipped and warned about."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.export.export_result import ExportCancelled, ExportProgress, ExportResult, ExportStage
from sora2_desktop.core.export.export_wording import report_lines, result_text, summary_text
from sora2_desktop.core.projects.model import Project, Shot
from sora2_desktop.core.results.download_wording import size_text
from sora2_desktop.ui.common.shortcuts import GROUP_PROJECTS, Shortcut, register
from sora2_desktop.ui.common.work_dialog import WorkDialog
from sora2_desktop.ui.export.export_options import ExportOptions

if TYPE_CHECKING:
    from sora2_desktop.core.session import Session
    from sora2_desktop.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)
EXPORT_SELECTS_KEYS = "Ctrl+Shift+E"
register(Shortcut(EXPORT_SELECTS_KEYS, "Export selects…", GROUP_PROJECTS))
_BAR_STEPS = 1000


def open_export_dialog(window: MainWindow) -> None:
    """The window's one export dialog: brought to the front if it is open, else made for the current project."""
    shown = window.findChild(ExportDialog)
    if isinstance(shown, ExportDialog) and shown.isVisible():
        shown.raise_()
        shown.activateWindow()
        return
    project = window.shots.current_project() or window.session.projects.current_project()
    dialog = ExportDialog(window.session, project, window.shots.current_shot(), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()


class ExportDialog(WorkDialog):
    """Not modal: the person goes on reviewing while the files copy. Closing it while it runs cancels the
    export; it closes once the file under way is removed."""

    def __init__(self, session: Session, project: Project, current: Shot | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._session = session
        self._job: asyncio.Task[None] | None = None
        self._cancel = threading.Event()
        self.last_result: ExportResult | None = None
        self.setWindowTitle(self.tr("Export selects — {0}").format(project.name))
        self.options = ExportOptions(session.settings, project, session.projects.shots(project.id), current, self)
        self.count = QLabel()
        self.stage = QLabel()
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(140)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.show_button = QPushButton(self.tr("&Show in folder"))
        self.buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.show_button.clicked.connect(self.show_folder)
        self.close_button.clicked.connect(lambda: self.cancel() if self.running else self.close())
        layout = QVBoxLayout(self)
        layout.addWidget(self.options)
        layout.addWidget(self.count)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.buttons)
        # Marks change in the window while the dialog is open: the count follows, a moment after the last one.
        self._recount = QTimer(self, singleShot=True, interval=150)
        self._recount.timeout.connect(self.update_count)
        self.options.changed.connect(self._recount.start)
        session.task_changed.connect(self._recount.start)
        session.projects.shots_changed.connect(self._recount.start)
        self._show_state(running=False)
        self.update_count()
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())

    def update_count(self) -> None:
        if self._session.closed:
            return
        summary = self._session.exports.summary(self.options.selection())
        self.count.setText(summary_text(summary))
        self.export_button.setEnabled(summary.takes > 0 and not self.running)

    def start(self) -> None:
        """Export with the options as they are; a folder that cannot be used is said at its field."""
        folder = self.options.folder()
        if folder is None or self.running:
            return
        self.options.remember()
        self._cancel = threading.Event()
        self.last_result = None
        self._busy = True
        self._show_state(running=True)
        self.stage.setText(self.tr("Starting…"))
        self._job = asyncio.get_event_loop().create_task(self._export(folder))

    def cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self.stage.setText(self.tr("Cancelling: removing the file under way…"))

    def show_folder(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_result.folder)))

    async def _export(self, folder: Path) -> None:
        exports = self._session.exports
        selection, formats, link = self.options.selection(), self.options.formats(), self.options.link.isChecked()
        try:
            self.last_result = await exports.export_selects(
                selection, folder, formats, link=link, progress=self._on_progress, cancel=self._cancel
            )
        except ExportCancelled as stopped:
            self._finished(
                self.tr("Cancelled. %n take(s) exported before the cancel stay in the folder.", "", stopped.kept), ""
            )
        except OSError as err:
            self._finished(self.tr("Nothing was exported: {0}").format(err.strerror or err), "")
        except LookupError:
            self._finished(self.tr("This project is gone: nothing was exported."), "")
        except asyncio.CancelledError:  # the app is closing: nothing to show any more
            self._busy = False
            raise
        except Exception as err:
            log.exception("the export of selects failed")
            self._finished(self.tr("The export stopped: {0}. Details are in the log.").format(err), "")
        else:
            self._show_result(self.last_result)

    def _show_result(self, result: ExportResult) -> None:
        written = [path.name for name, paths in result.files.items() if name != "takes" for path in paths]
        lines = [self.tr("Wrote: {0}").format(", ".join(written))] if written else []
        lines += [result.sequence] if result.sequence else []
        lines += report_lines(result)
        self._finished(result_text(result), "\n".join(lines))

    def _finished(self, summary: str, notes: str) -> None:
        self._busy = False
        self._show_state(running=False)
        self.summary.setText(summary)
        self.notes.setPlainText(notes)
        self.notes.setVisible(bool(notes))
        self.summary.show()
        self.show_button.setVisible(self.last_result is not None and bool(self.last_result.takes))
        self.update_count()
        self._close_if_asked()

    def _on_progress(self, progress: ExportProgress) -> None:
        if self._cancel.is_set():
            return
        if progress.stage == ExportStage.COPYING and progress.total > 0:
            self.bar.setRange(0, _BAR_STEPS)
            self.bar.setValue(progress.done * _BAR_STEPS // progress.total)
            self.stage.setText(
                self.tr("Copying the takes: {0} of {1}").format(size_text(progress.done), size_text(progress.total))
            )
            return
        self.bar.setRange(0, 0)  # a moving bar: these steps take a moment each
        words = {
            ExportStage.SELECTING: self.tr("Finding the takes…"),
            ExportStage.COPYING: self.tr("Copying the takes…"),
            ExportStage.READING: self.tr("Reading the files' frame rates and sizes…"),
            ExportStage.WRITING: self.tr("Writing the manifest and the timelines…"),
            ExportStage.SHEETS: self.tr("Making the contact sheets…"),
        }
        self.stage.setText(words[progress.stage])

    def _show_state(self, *, running: bool) -> None:
        self.options.setEnabled(not running)
        self.export_button.setEnabled(not running)
        self.stage.setVisible(running)
        self.bar.setVisible(running)
        self.summary.setVisible(not running and bool(self.summary.text()))
        self.notes.setVisible(not running and bool(self.notes.toPlainText()))
        self.show_button.setVisible(not running and self.last_result is not None and bool(self.last_result.takes))
        self.close_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        if running:
            self.bar.setRange(0, 0)
