"""Re-run questions: what a re-run will cost, and the two cases that ask whatever "Don't ask again" said — input the
service flagged (it will be flagged again) and an estimate above the key's known balance."""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from sora2_desktop.core.account.estimate import Estimate
from sora2_desktop.core.tasks.fail_codes import FailCause, FailPart
from sora2_desktop.ui.common import confirm
from sora2_desktop.ui.common.money_text import usd, usd_estimate

_translate = QCoreApplication.translate


class FlaggedChoice(enum.Enum):
    RERUN = "rerun"  # send it unchanged anyway
    EDIT = "edit"  # load it into the form to change first
    NO = "no"


def cost_line(estimate: Estimate) -> str:
    """ "Estimated ≈$0.15 · leaves ≈$74.72", or the estimate alone while the balance is unknown."""
    after = estimate.balance_after_usd
    if after is None:
        return _translate("RerunQuestion", "Estimated {cost}; balance unknown.").format(
            cost=usd_estimate(estimate.total_usd)
        )
    return _translate("RerunQuestion", "Estimated {cost} · leaves {after}.").format(
        cost=usd_estimate(estimate.total_usd), after=usd_estimate(after)
    )


def _flagged_words(part: FailPart) -> str:
    if part == FailPart.INPUT_IMAGE:
        return _translate(
            "RerunQuestion",
            "The service flagged this image; sending it unchanged will be flagged again and may be charged. "
            "Re-run anyway?",
        )
    if part == FailPart.OUTPUT:
        return _translate(
            "RerunQuestion",
            "The service flagged the video this prompt made; sending it unchanged will likely be flagged again "
            "and may be charged. Re-run anyway?",
        )
    if part == FailPart.PROMPT_OR_IMAGE:
        return _translate(
            "RerunQuestion",
            "The service flagged this prompt or image; sending it unchanged will be flagged again and may be "
            "charged. Re-run anyway?",
        )
    return _translate(
        "RerunQuestion",
        "The service flagged this prompt; sending it unchanged will be flagged again and may be charged. "
        "Re-run anyway?",
    )


def ask_flagged(parent: QWidget | None, cause: FailCause, estimate: Estimate) -> FlaggedChoice:
    """Asked before re-running flagged input, in demo mode too: the useful answer is usually "Edit in the form"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(box.tr("Re-run flagged input?"))
    box.setText(_flagged_words(cause.part))
    box.setInformativeText(
        _translate("RerunQuestion", "{cost} Edit in the form to change it first.").format(cost=cost_line(estimate))
    )
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Yes | buttons.Open | buttons.No)
    box.button(buttons.Yes).setText(box.tr("Re-run anyway"))
    box.button(buttons.Open).setText(box.tr("Edit in the form"))
    box.setDefaultButton(buttons.No)
    box.setEscapeButton(buttons.No)
    answer = confirm.runner(box)
    box.deleteLater()
    if answer == buttons.Yes:
        return FlaggedChoice.RERUN
    if answer == buttons.Open:
        return FlaggedChoice.EDIT
    return FlaggedChoice.NO


def ask_over_balance(parent: QWidget | None, estimate: Estimate) -> bool:
    """Asked whenever the estimate exceeds a known balance (demo too: the stand-in keeps a balance); default No."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(box.tr("Above the balance"))
    box.setText(
        _translate(
            "RerunQuestion", "This re-run is estimated at {cost}; the key's balance is {balance}. Submit anyway?"
        ).format(cost=usd_estimate(estimate.total_usd), balance=usd(estimate.balance_usd or 0.0))
    )
    box.setInformativeText(
        _translate(
            "RerunQuestion",
            "The service refuses a task the balance cannot pay for; prices are your estimates (Settings).",
        )
    )
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Yes | buttons.No)
    box.button(buttons.Yes).setText(box.tr("Submit anyway"))
    box.setDefaultButton(buttons.No)
    box.setEscapeButton(buttons.No)
    answer = confirm.runner(box)
    box.deleteLater()
    return answer == buttons.Yes
