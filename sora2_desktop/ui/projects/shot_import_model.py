"""ShotImportModel: the rows of a shot list being imported, as the shots they would become, each bad cell marked
with why; cells are edited in place (and judged again), rows left out by their check box."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication

from sora2_desktop.api.model_spec import IMAGE_TO_VIDEO
from sora2_desktop.core.projects.shot_list_check import (
    CodeChoice,
    PlannedShot,
    RowCheck,
    ShotListRules,
    assign_codes,
    check_row,
)
from sora2_desktop.core.projects.shot_list_csv import SheetRow
from sora2_desktop.core.projects.shot_list_problems import CellProblem, problem_text
from sora2_desktop.ui.common.frame_words import frame_label
from sora2_desktop.ui.common.palette import error_color, muted_text_color

COL_LINE, COL_CODE, COL_TITLE, COL_PROMPT, COL_MODEL, COL_MODE, COL_DURATION, COL_FRAME, COL_TAKES, COL_IMAGE = range(
    10
)
# The CSV column each table column shows (the first is the row's line in the file and its check box).
COLUMN_KEYS: tuple[str, ...] = ("", "code", "title", "prompt", "model", "mode", "duration", "frame", "takes", "image")
ProblemRole = Qt.ItemDataRole.UserRole + 1  # the sentence at a bad cell ("" when it is fine)
_Index = QModelIndex | QPersistentModelIndex
_translate = QCoreApplication.translate
_MARK = "⚠ "  # not only red: the mark reads in any colour vision and in a screen reader


class ShotImportModel(QAbstractTableModel):
    """Holds the rows as typed (`SheetRow`), whether each is taken in, and each one's check. Nothing here writes to
    the project: `planned()` is what an import would add."""

    summary_changed = Signal()

    def __init__(
        self, rows: Sequence[SheetRow], checks: Sequence[RowCheck], rules: ShotListRules, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._rows = list(rows)
        self._checks = list(checks)
        self._included = [True] * len(self._rows)
        self._rules = rules
        self._codes = assign_codes(self._rows, self._included, rules)

    # -- what the dialog reads ----------------------------------------------------------------------------------

    def ready_count(self) -> int:
        """Rows taken in with nothing to fix."""
        return sum(1 for row in range(len(self._rows)) if self._included[row] and not self._row_problems(row))

    def bad_count(self) -> int:
        """Rows taken in that need a fix: while there is one, nothing can be imported."""
        return sum(1 for row in range(len(self._rows)) if self._included[row] and self._row_problems(row))

    def left_out_count(self) -> int:
        return self._included.count(False)

    def planned(self) -> list[PlannedShot]:
        """The shots an import adds, in the rows' order. ValueError while a row taken in needs a fix."""
        if self.bad_count():
            raise ValueError("rows taken in still need a fix")
        shots = []
        for row, sheet_row in enumerate(self._rows):
            if self._included[row]:
                settings = self._checks[row].settings(sheet_row.cell("prompt").strip())
                shots.append(PlannedShot(self._codes[row].code, sheet_row.cell("title").strip(), settings))
        return shots

    def first_problem(self, after: int = -1) -> QModelIndex:
        """The first bad cell of a row taken in below row `after` (wrapping), for "Next problem"."""
        count = len(self._rows)
        for step in range(1, count + 1):
            row = (after + step) % count
            if self._included[row]:
                problems = self._row_problems(row)
                for column, key in enumerate(COLUMN_KEYS):
                    if key in problems:
                        return self.index(row, column)
        return QModelIndex()

    def set_included(self, row: int, included: bool) -> None:
        self.setData(self.index(row, COL_LINE), _state(included), Qt.ItemDataRole.CheckStateRole)

    # -- Qt's model ----------------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMN_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMN_KEYS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _headers()[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_LINE:
            return self.tr("The row's line in the file; clear the box to leave the row out")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_LINE:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if column == COL_LINE:
            return self._line_data(row, role)
        key = COLUMN_KEYS[column]
        problem = self._row_problems(row).get(key) if self._included[row] else None
        if role == Qt.ItemDataRole.EditRole:
            return self._rows[row].cell(key)
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._rows[row].cell(key) if problem is not None else self._shown(row, key)
            return _MARK + _one_line(text) if problem is not None else _one_line(text)
        if role in (ProblemRole, Qt.ItemDataRole.ToolTipRole):
            if problem is not None:
                return problem_text(problem)
            return "" if role == ProblemRole else self._tip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            palette = QGuiApplication.palette()
            if problem is not None:
                return error_color(palette)
            return muted_text_color(palette) if not self._included[row] or self._filled_in(row, key) else None
        if role == Qt.ItemDataRole.BackgroundRole and problem is not None:
            tint = QColor(error_color(QGuiApplication.palette()))
            tint.setAlpha(40)
            return tint
        if role == Qt.ItemDataRole.FontRole and self._filled_in(row, key):
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row, column = index.row(), index.column()
        if column == COL_LINE and role == Qt.ItemDataRole.CheckStateRole:
            self._included[row] = Qt.CheckState(value) == Qt.CheckState.Checked
        elif column != COL_LINE and role == Qt.ItemDataRole.EditRole:
            key = COLUMN_KEYS[column]
            if str(value) == self._rows[row].cell(key):
                return False
            self._rows[row] = self._rows[row].with_cell(key, str(value))
            # One row's cells read again (a local image's first bytes: microseconds), the codes of all rows.
            self._checks[row] = check_row(self._rows[row], self._rules)
        else:
            return False
        self._codes = assign_codes(self._rows, self._included, self._rules)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMN_KEYS) - 1))
        if self._rows:  # a code cleared or taken elsewhere: every row's code may have changed
            self.dataChanged.emit(self.index(0, COL_CODE), self.index(len(self._rows) - 1, COL_CODE))
        self.summary_changed.emit()
        return True

    # -- cells ---------------------------------------------------------------------------------------------------

    def _row_problems(self, row: int) -> dict[str, CellProblem]:
        problems = dict(self._checks[row].problems)
        code: CodeChoice = self._codes[row]
        if code.problem is not None:
            problems["code"] = code.problem
        return problems

    def _line_data(self, row: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self._rows[row].line)
        if role == Qt.ItemDataRole.CheckStateRole:
            return _state(self._included[row])
        if role == Qt.ItemDataRole.ToolTipRole:
            if not self._included[row]:
                return self.tr("Left out: this row is not imported")
            count = len(self._row_problems(row))
            return self.tr("%n cell(s) to fix", "", count) if count else self.tr("Ready")
        if role == Qt.ItemDataRole.ForegroundRole and self._included[row] and self._row_problems(row):
            return error_color(QGuiApplication.palette())
        return None

    def _filled_in(self, row: int, key: str) -> bool:
        """A value the row left empty, filled from the model's defaults (or a code numbered for it)."""
        if key == "code":
            return self._included[row] and self._codes[row].automatic
        return key in self._checks[row].defaults

    def _shown(self, row: int, key: str) -> str:
        """The value as the shot would have it: "Sora 2 Pro", "Image to video", "8 s", "1280×720 (landscape)"."""
        check, text = self._checks[row], self._rows[row].cell(key)
        if key == "code":
            return self._codes[row].code if self._included[row] else text
        if key == "model" and check.spec is not None:
            return check.spec.title
        if key == "mode" and check.mode is not None:
            return self.tr("Image to video") if check.mode == IMAGE_TO_VIDEO else self.tr("Text to video")
        if key == "duration" and check.duration is not None:
            return self.tr("{0} s").format(check.duration)
        if key == "frame" and check.frame is not None:
            return frame_label(*check.frame)
        if key == "takes" and check.takes is not None:
            return str(check.takes)
        if key == "image" and check.images:
            return ", ".join(_image_name(image.source, image.is_local) for image in check.images)
        return text

    def _tip(self, row: int, key: str) -> str:
        if key == "code" and self._included[row] and self._codes[row].automatic:
            return self.tr("Numbered after the project's last shot")
        if key in self._checks[row].defaults:
            return self.tr("Left empty: the model's default")
        if key == "image":
            return "\n".join(image.source for image in self._checks[row].images)
        return self._rows[row].cell(key) if key in ("prompt", "title") else ""


def _headers() -> tuple[str, ...]:
    return (
        _translate("ShotImportModel", "Line"),
        _translate("ShotImportModel", "Code"),
        _translate("ShotImportModel", "Title"),
        _translate("ShotImportModel", "Prompt"),
        _translate("ShotImportModel", "Model"),
        _translate("ShotImportModel", "Mode"),
        _translate("ShotImportModel", "Duration"),
        _translate("ShotImportModel", "Frame"),
        _translate("ShotImportModel", "Takes"),
        _translate("ShotImportModel", "Image"),
    )


def _state(included: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if included else Qt.CheckState.Unchecked


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def _image_name(source: str, is_local: bool) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1] if is_local else source
