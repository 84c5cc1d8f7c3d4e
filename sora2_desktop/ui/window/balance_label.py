"""BalanceLabel: the key's balance in the status bar ("Balance $74.87"); a click opens the spend per day."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QPushButton, QWidget

from sora2_desktop.core.account.account import Account
from sora2_desktop.ui.common.money_text import usd
from sora2_desktop.ui.common.palette import muted_text_color


def _clock(moment: datetime) -> str:
    """The local wall-clock time of a UTC moment ("14:02")."""
    return moment.astimezone().strftime("%H:%M")


class BalanceLabel(QPushButton):
    """Flat, so it reads as a label; a failed read leaves the last figure in a muted colour with its time."""

    def __init__(self, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._account = account
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._normal = self.palette()
        self._demo = False
        account.balance_changed.connect(self.refresh)
        self.refresh()

    def set_demo(self, demo: bool) -> None:
        """In demo mode the figure is the stand-in's play money: say so, so nobody takes it for their key's."""
        self._demo = demo
        self.refresh()

    def refresh(self) -> None:
        account = self._account
        balance, read_at, stale = account.balance(), account.read_at(), account.stale
        click = self.tr("Click for the spend per day.")
        if balance is None:
            never_read = read_at is None and not stale
            self.setText(self.tr("Balance …") if never_read else self.tr("Balance unknown"))
            why = (
                self.tr("The key's balance has not been read yet.")
                if never_read
                else self.tr("The service did not tell the key's balance.")
            )
            self.setToolTip(f"{why} {click}")
            stale = False
        else:
            self.setText((self.tr("Demo balance {0}") if self._demo else self.tr("Balance {0}")).format(usd(balance)))
            when = _clock(read_at) if read_at is not None else "?"
            tip = self.tr("Read at {0}; prices are estimates you can edit in Settings.").format(when)
            if self._demo:
                tip = self.tr("The stand-in's play money: nothing is charged in demo mode.") + " " + tip
            if stale:
                self.setText(self.tr("Balance {0} · {1}").format(usd(balance), when))
                tip = self.tr("The last reading failed: this is the balance read at {0}.").format(when) + " " + tip
            self.setToolTip(f"{tip} {click}")
        self.setAccessibleName(self.text())
        palette = QPalette(self._normal)
        if stale:
            palette.setColor(QPalette.ColorRole.ButtonText, muted_text_color(self._normal))
        self.setPalette(palette)
        self.setProperty("stale", stale)  # for tests and style sheets
