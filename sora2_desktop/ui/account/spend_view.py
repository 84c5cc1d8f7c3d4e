"""The spend view: per local day, the takes and what they were expected to cost, beside the balance's change."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QDate, QLocale, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.account.spend import SpendDay, SpendSummary
from sora2_desktop.ui.common.money_text import usd, usd_estimate
from sora2_desktop.ui.common.palette import muted_palette

_ROLE = Qt.ItemDataRole
DAY, TAKES, ESTIMATED, BALANCE = range(4)
_Index = QModelIndex | QPersistentModelIndex


class SpendTableModel(QAbstractTableModel):
    """One row per day, newest first, then the total row."""

    def __init__(self, summary: SpendSummary, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SpendDay] = [*summary.days, summary.total]
        self._headers = (self.tr("Day"), self.tr("Takes"), self.tr("Estimated"), self.tr("Balance change"))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == _ROLE.DisplayRole:
            return self._headers[section]
        return None

    def row(self, index: int) -> SpendDay:
        return self._rows[index]

    def data(self, index: _Index, role: int = _ROLE.DisplayRole) -> object:
        if not index.isValid():
            return None
        day, column = self._rows[index.row()], index.column()
        if role == _ROLE.DisplayRole:
            return self._text(day, column)
        if role == _ROLE.ToolTipRole:
            return self._tip(day, column)
        if role == _ROLE.TextAlignmentRole and column != DAY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == _ROLE.FontRole and day.day is None:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, day: SpendDay, column: int) -> str:
        if column == DAY:
            return self.tr("Total") if day.day is None else _date_text(day.day)
        if column == TAKES:
            return str(day.takes)
        if column == ESTIMATED:
            if day.takes and day.not_estimated == day.takes:
                return self.tr("not estimated")
            text = usd_estimate(day.estimated_usd)
            if day.not_estimated:
                text += " " + self.tr("+ %n not estimated", "", day.not_estimated)
            return text
        if day.charged_usd is None:
            return "—"
        text = usd(-day.charged_usd)
        if day.topped_up_usd:
            text += " " + self.tr("(top-up {0})").format(usd(day.topped_up_usd))
        return text

    def _tip(self, day: SpendDay, column: int) -> str | None:
        if column == ESTIMATED and day.not_estimated:
            return self.tr("Takes made before the app estimated costs are not counted in the estimate.")
        if column == BALANCE:
            if day.charged_usd is None:
                return self.tr("The balance was not read twice that day, so there is nothing to compare.")
            return self.tr(
                "What the key's balance fell by between its first and last reading of the day; top-ups are set apart."
            )
        return None


def _date_text(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


class SpendDialog(QDialog):
    """Shows a summary made when opened (Session → Account.spend): it does not follow later changes."""

    def __init__(self, summary: SpendSummary, parent: QWidget | None = None, *, demo: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Spend"))
        self.resize(560, 420)
        self.model = SpendTableModel(summary, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BALANCE, QHeaderView.ResizeMode.Stretch)
        sentences = [
            self.tr(
                "Estimates use the prices in Settings ▸ Prices: the service states no prices. The balance change "
                "comes from the key's balance as the app read it."
            )
        ]
        if demo:
            sentences.append(self.tr("Demo mode: the stand-in's figures; nothing was charged."))
        self.note = QLabel(" ".join(sentences))
        self.note.setWordWrap(True)
        self.note.setPalette(muted_palette(self.note))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not summary.days:
            layout.addWidget(QLabel(self.tr("Nothing generated yet.")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
