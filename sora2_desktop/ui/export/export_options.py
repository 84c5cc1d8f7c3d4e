"""ExportOptions: what an export of selects takes (scope, marks), what it writes (formats), how (copy or link) and
where (the folder, remembered per project); the form of the export dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.export.export_result import EXPORT_FORMATS
from sora2_desktop.core.export.selection import Selection
from sora2_desktop.core.projects.model import Project, Shot, TakeMark
from sora2_desktop.core.projects.take_files import safe_name
from sora2_desktop.ui.common.field_errors import ErrorLabel, mark_invalid
from sora2_desktop.ui.common.folder_field import typed_folder

# Which takes: the preset's key (kept in AppSettings.export_marks) and the marks it takes (None: every take).
MARK_PRESETS: dict[str, frozenset[TakeMark] | None] = {
    "circled": frozenset({TakeMark.CIRCLED}),
    "circled,hold": frozenset({TakeMark.CIRCLED, TakeMark.HOLD}),
    "hold": frozenset({TakeMark.HOLD}),
    "no_good": frozenset({TakeMark.NO_GOOD}),
    "all": None,
}


class ExportOptions(QWidget):
    changed = Signal()  # anything that changes which takes are exported (the count follows)

    def __init__(
        self, settings: AppSettings, project: Project, shots: list[Shot], current: Shot | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._project = project
        self.whole = QRadioButton(self.tr("&Whole project"))
        self.chosen = QRadioButton(self.tr("C&hosen shots:"))
        scope = QButtonGroup(self)
        scope.addButton(self.whole)
        scope.addButton(self.chosen)
        self.shot_list = QListWidget()
        self.shot_list.setMaximumHeight(96)
        for shot in shots:
            item = QListWidgetItem(f"{shot.code}  {shot.title}".strip())
            item.setData(Qt.ItemDataRole.UserRole, shot.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if current and shot.id == current.id else Qt.CheckState.Unchecked)
            self.shot_list.addItem(item)
        self.whole.setChecked(True)
        self.marks = QComboBox()
        for key, text in (
            ("circled", self.tr("Circled takes")),
            ("circled,hold", self.tr("Circled and hold takes")),
            ("hold", self.tr("Hold takes")),
            ("no_good", self.tr("No-good takes")),
            ("all", self.tr("Every take")),
        ):
            self.marks.addItem(text, key)
        self.marks.setCurrentIndex(max(0, self.marks.findData(settings.export_marks)))
        self.format_boxes = self._format_boxes()
        self.copy = QRadioButton(self.tr("&Copy the files"))
        self.link = QRadioButton(self.tr("Hard &link (same drive, no extra space)"))
        self.link.setToolTip(self.tr("On another drive the files are copied instead; the summary says so."))
        (self.link if settings.export_link else self.copy).setChecked(True)
        self.folder_edit = QLineEdit(self._remembered_folder())
        browse = QPushButton(self.tr("Br&owse…"))
        browse.clicked.connect(self._browse)
        self.folder_error = ErrorLabel()
        self._lay_out(browse)
        for signal in (self.whole.toggled, self.marks.currentIndexChanged, self.shot_list.itemChanged):
            signal.connect(self._changed)
        self.folder_edit.textChanged.connect(lambda: self._show_folder_problem(None))
        self._changed()

    def _format_boxes(self) -> dict[str, QCheckBox]:
        labels = {
            "fcpxml": self.tr("FCPXML (Final Cut Pro, DaVinci Resolve)"),
            "xml": self.tr("FCP 7 XML (Premiere Pro)"),
            "edl": self.tr("EDL (CMX 3600: Avid, any editor)"),
            "csv": self.tr("Manifest as CSV"),
            "json": self.tr("Manifest as JSON"),
            "pdf": self.tr("Contact sheet as PDF"),
            "png": self.tr("Contact sheet as PNG"),
        }
        remembered = {word.strip() for word in self._settings.export_formats.split(",")}
        boxes = {}
        for name in EXPORT_FORMATS:
            box = QCheckBox(labels[name])
            box.setChecked(name in remembered)
            boxes[name] = box
        return boxes

    def _lay_out(self, browse: QPushButton) -> None:
        scope = QVBoxLayout()
        scope.addWidget(self.whole)
        scope.addWidget(self.chosen)
        scope.addWidget(self.shot_list)
        formats = QGridLayout()
        for index, name in enumerate(EXPORT_FORMATS):
            formats.addWidget(self.format_boxes[name], index // 2 if index < 6 else 3, index % 2)
        how = QHBoxLayout()
        how.addWidget(self.copy)
        how.addWidget(self.link)
        how.addStretch(1)
        folder = QHBoxLayout()
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(browse)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Shots"), scope)
        form.addRow(self.tr("&Takes"), self.marks)
        form.addRow(self.tr("Write"), formats)
        form.addRow(self.tr("Files"), how)
        folder_label = QLabel(self.tr("&Folder"))
        folder_label.setBuddy(self.folder_edit)  # a row of a layout gets no buddy by itself: "&" would show
        form.addRow(folder_label, folder)
        form.addRow("", self.folder_error)

    # -- what the person chose --------------------------------------------------------------------------------

    def selection(self) -> Selection:
        marks = MARK_PRESETS.get(str(self.marks.currentData()), MARK_PRESETS["circled"])
        if self.whole.isChecked():
            return Selection(self._project.id, None, marks)
        return Selection(self._project.id, self.checked_shot_ids(), marks)

    def checked_shot_ids(self) -> tuple[int, ...]:
        items = (self.shot_list.item(row) for row in range(self.shot_list.count()))
        return tuple(
            int(item.data(Qt.ItemDataRole.UserRole)) for item in items if item.checkState() == Qt.CheckState.Checked
        )

    def formats(self) -> list[str]:
        return [name for name, box in self.format_boxes.items() if box.isChecked()]

    def folder(self) -> Path | None:
        """The folder typed, or None after saying at the field what is wrong with it."""
        folder, problem = typed_folder(self.folder_edit.text(), self.tr("Choose the folder to export into."))
        self._show_folder_problem(problem)
        return folder

    def remember(self) -> None:
        """What the next export starts from: this one's choices, its folder for this project."""
        self._settings.export_formats = ",".join(self.formats())
        self._settings.export_marks = str(self.marks.currentData())
        self._settings.export_link = self.link.isChecked()
        folders = dict(self._settings.export_folders)
        folders[str(self._project.id)] = self.folder_edit.text().strip()
        self._settings.export_folders = folders

    # -- inside -----------------------------------------------------------------------------------------------

    def _remembered_folder(self) -> str:
        kept = self._settings.export_folders.get(str(self._project.id))
        if isinstance(kept, str) and kept:
            return kept
        base = Path(self._project.folder).expanduser() if self._project.folder else Path(self._settings.download_dir)
        return str(base / f"{safe_name(self._project.name)}_selects")

    def _show_folder_problem(self, problem: str | None) -> None:
        self.folder_error.show_message(problem)
        mark_invalid(self.folder_edit, problem is not None)

    def _changed(self) -> None:
        self.shot_list.setEnabled(self.chosen.isChecked())
        self.changed.emit()

    def _browse(self) -> None:
        title = self.tr("Folder to export the selects into")
        chosen = QFileDialog.getExistingDirectory(self, title, self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)
