"""The spend view: a row per day with its takes, estimate and balance change, then the total row."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QLocale, Qt
from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.account.spend import summarize_spend
from sora2_desktop.core.storage.balance_store import BalanceReading
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.account.spend_view import SpendDialog


def take(day: int, usd: float | None) -> Task:
    return Task(
        GenerationRequest(prompt="x"), datetime(2026, 3, day, 12, tzinfo=UTC), TaskPhase.SUCCESS, cost_estimate_usd=usd
    )


def texts(dialog: SpendDialog) -> list[list[str]]:
    model = dialog.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_days_newest_first_then_the_total(qtbot: QtBot) -> None:
    readings = [
        BalanceReading(datetime(2026, 3, 3, 10, tzinfo=UTC), 10.0),
        BalanceReading(datetime(2026, 3, 3, 11, tzinfo=UTC), 9.55),
        BalanceReading(datetime(2026, 3, 3, 12, tzinfo=UTC), 29.55),
    ]
    tasks = [take(3, 0.15), take(3, 0.30), take(2, None), take(2, 0.15)]
    dialog = SpendDialog(summarize_spend(tasks, readings, UTC))
    qtbot.addWidget(dialog)
    dialog.show()

    def day(d: int) -> str:
        return QLocale().toString(QDate(2026, 3, d), QLocale.FormatType.ShortFormat)

    assert texts(dialog) == [
        [day(3), "2", "≈$0.45", "−$0.45 (top-up $20.00)"],
        [day(2), "2", "≈$0.15 + 1 not estimated", "—"],
        ["Total", "4", "≈$0.60 + 1 not estimated", "−$0.45 (top-up $20.00)"],
    ]
    total = dialog.model.index(2, 0)
    assert total.data(Qt.ItemDataRole.FontRole).bold()
    assert "not read twice" in dialog.model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert dialog.model.row(0).day == date(2026, 3, 3)
    assert "demo" not in dialog.note.text().lower()


def test_a_day_of_older_takes_only_reads_not_estimated_and_demo_says_so(qtbot: QtBot) -> None:
    dialog = SpendDialog(summarize_spend([take(2, None)], [], UTC), demo=True)
    qtbot.addWidget(dialog)
    assert texts(dialog)[0][2] == "not estimated"
    assert "Demo mode" in dialog.note.text()
