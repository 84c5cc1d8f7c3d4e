"""The question before a click whose estimate is above the key's known balance: default No, asked in demo mode too
(the stand-in keeps a balance as well), and never remembered: each such click is asked about."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from sora2_desktop.core.account.estimate import Estimate
from sora2_desktop.ui.common import confirm
from sora2_desktop.ui.common.money_text import usd, usd_estimate


def over_balance_question(estimate: Estimate) -> str:
    balance = estimate.balance_usd if estimate.balance_usd is not None else 0.0
    return QCoreApplication.translate(
        "OverBalance", "This click is estimated at {0}; the key's balance is {1}. Submit anyway?"
    ).format(usd_estimate(estimate.total_usd), usd(balance))


def confirm_over_balance(parent: QWidget | None, estimate: Estimate) -> bool:
    """True when the person chooses to submit anyway. The service refuses what the balance cannot pay for, or
    the key runs dry mid-batch; the estimate may also be off (prices are the person's figures)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(box.tr("Above the balance"))
    box.setText(over_balance_question(estimate))
    box.setInformativeText(
        box.tr("Estimates use the prices in Settings; the service may refuse the submit or stop part of the batch.")
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(box.tr("Submit anyway"))
    box.button(QMessageBox.StandardButton.No).setText(box.tr("Don't submit"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    answer = confirm.runner(box)  # tests answer through the same seam as the other spending questions
    box.deleteLater()
    return answer == QMessageBox.StandardButton.Yes
