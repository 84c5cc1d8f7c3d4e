"""ShotImportDialog: the preview of an imported shot list — every row as the shot it would become, each bad cell
marked with why, cells fixed in place, rows left out — and nothing imported until the person presses Import."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.ui.common.field_errors import ErrorLabel
from sora2_desktop.ui.common.palette import muted_palette
from sora2_desktop.ui.compose.delivery_rows import MAX_TAKES
from sora2_desktop.ui.projects.shot_import_model import (
    COL_CODE,
    COL_DURATION,
    COL_FRAME,
    COL_IMAGE,
    COL_LINE,
    COL_MODE,
    COL_MODEL,
    COL_PROMPT,
    COL_TAKES,
    COL_TITLE,
    ProblemRole,
    ShotImportModel,
)

# Widths that show a typical value whole; the prompt takes the rest. (Sizing to contents would read every row.)
_WIDTHS = {
    COL_LINE: 64,
    COL_CODE: 84,
    COL_TITLE: 140,
    COL_MODEL: 100,
    COL_MODE: 110,
    COL_DURATION: 80,
    COL_FRAME: 170,
    COL_TAKES: 56,
    COL_IMAGE: 150,
}


class ShotImportDialog(QDialog):
    """`model` holds the rows; the dialog accepts only while every row taken in is ready (the caller imports
    `model.planned()` then)."""

    def __init__(
        self,
        model: ShotImportModel,
        project_name: str,
        file_name: str,
        *,
        ignored_columns: Sequence[str] = (),
        replaced_codes: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.setWindowTitle(self.tr("Import shot list"))
        self.setSizeGripEnabled(True)
        self.resize(1100, 620)
        heading = QLabel(self.tr("Shots for “{0}” from {1}").format(project_name, file_name), self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label = QLabel(self._notes(ignored_columns, replaced_codes), self)
        self.notes_label.setPalette(muted_palette(self.notes_label))
        self.notes_label.setWordWrap(True)
        self.notes_label.setVisible(bool(self.notes_label.text()))

        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName(self.tr("Rows of the shot list"))
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_PROMPT, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)

        self.problem_label = ErrorLabel(self)  # the chosen cell's problem, in full: a tooltip needs a mouse
        self.next_button = QPushButton(self.tr("Next &problem"), self)
        self.next_button.setShortcut(QKeySequence("F8"))
        self.next_button.setToolTip(self.tr("Go to the next cell that needs a fix (F8)"))
        self.help_button = QToolButton(self)
        self.help_button.setText(self.tr("The file's columns"))
        self.help_button.setCheckable(True)
        self.help_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.help_button.setArrowType(Qt.ArrowType.RightArrow)
        self.help_label = QLabel(format_help(), self)
        self.help_label.setWordWrap(True)
        self.help_label.setTextFormat(Qt.TextFormat.RichText)
        self.help_label.setPalette(muted_palette(self.help_label))
        self.help_label.hide()
        self.summary_label = QLabel(self)
        self.summary_label.setAccessibleName(self.tr("Summary"))

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        problem_row = QHBoxLayout()
        problem_row.addWidget(self.problem_label, 1)
        problem_row.addWidget(self.next_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary_label, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(problem_row)
        layout.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.help_label)
        layout.addLayout(bottom)

        model.summary_changed.connect(self._update_summary)
        model.dataChanged.connect(lambda *_: self._show_problem(self.table.currentIndex()))
        self.table.selectionModel().currentChanged.connect(lambda current, _old: self._show_problem(current))
        self.next_button.clicked.connect(self.go_to_next_problem)
        self.help_button.toggled.connect(self._toggle_help)
        self._update_summary()
        first = model.first_problem()
        self._go_to(first if first.isValid() else model.index(0, COL_PROMPT))

    def go_to_next_problem(self) -> None:
        """The next bad cell below the chosen one (wrapping round), chosen and in view."""
        found = self.model.first_problem(self.table.currentIndex().row())
        if found.isValid():
            self._go_to(found)
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def accept(self) -> None:
        if self.import_button.isEnabled():  # Enter in the table must not get round a disabled Import
            super().accept()

    def _go_to(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.table.scrollTo(index)

    def _show_problem(self, index: QModelIndex) -> None:
        problem = index.data(ProblemRole) if index.isValid() else ""
        if problem:
            line = self.model.index(index.row(), COL_LINE).data()
            header = self.model.headerData(index.column(), Qt.Orientation.Horizontal)
            problem = self.tr("Line {0}, {1}: {2}").format(line, header, problem)
        self.problem_label.show_message(problem or None)

    def _update_summary(self) -> None:
        ready, bad, left_out = self.model.ready_count(), self.model.bad_count(), self.model.left_out_count()
        parts = [self.tr("%n shot(s) ready", "", ready)]
        if bad:
            parts.append(self.tr("%n row(s) need a fix", "", bad))
        if left_out:
            parts.append(self.tr("%n left out", "", left_out))
        self.summary_label.setText(", ".join(parts))
        self.import_button.setText(self.tr("Import %n shot(s)", "", ready))
        self.import_button.setEnabled(ready > 0 and bad == 0)
        self.next_button.setEnabled(bad > 0)
        if bad:
            self.import_button.setToolTip(self.tr("Fix the marked cells, or clear a row's box to leave it out"))
        else:
            self.import_button.setToolTip("")

    def _toggle_help(self, shown: bool) -> None:
        self.help_label.setVisible(shown)
        self.help_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _notes(self, ignored: Sequence[str], replaced: Sequence[str]) -> str:
        notes = []
        if replaced:
            notes.append(self.tr("The empty shot {0} is replaced by the list.").format(", ".join(replaced)))
        if ignored:
            notes.append(self.tr("Columns not used: {0}.").format(", ".join(ignored)))
        return " ".join(notes)


def format_help() -> str:
    """The CSV format (core/projects/shot_list_csv.py says the same), for the person writing the spreadsheet."""
    return QCoreApplication.translate(
        "ShotImportDialog",
        "The first row names the columns (any case; other columns are ignored). Save as “CSV UTF-8”; commas or "
        "semicolons both work. Only <b>prompt</b> is required; an empty cell takes the model's default.<br>"
        "<b>code</b>: SH010 (empty: numbered after the project's last shot) · <b>title</b> · <b>prompt</b> · "
        "<b>model</b>: sora-2 or “Sora 2 Pro” · <b>mode</b>: text-to-video or image-to-video (empty: "
        "image-to-video when there is an image) · <b>duration</b>: seconds · <b>frame</b> (or aspect, "
        "aspect_ratio, size, resolution): landscape, portrait, 16:9, 1280x720, 720p · <b>takes</b>: 1–{most} · "
        "<b>image</b>: a file next to the CSV (or a path) or an https:// address; several separated by “|”.",
    ).format(most=MAX_TAKES)
