"""Confirm before spending: one question with a "Don't ask again" box, remembered per kind in the settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from sora2_desktop.core.config.settings import AppSettings

# The settings that remember "Don't ask again", by kind of spending; AppSettings.reset(name) asks again.
SETTING_OF_KIND = {"rerun": "confirm_rerun", "takes": "confirm_takes"}


def _exec(box: QMessageBox) -> int:
    """Runs the dialog; tests replace this (a modal loop cannot be clicked through headless without timers)."""
    return box.exec()


# Swappable in tests: `confirm.runner = lambda box: QMessageBox.StandardButton.Yes`.
runner: Callable[[QMessageBox], int] = _exec


def confirm_spending(
    parent: QWidget | None, settings: AppSettings, kind: str, question: str, details: str, *, demo: bool
) -> bool:
    """True when the person agrees to spend (or said "Don't ask again" before, or nothing is charged: demo)."""
    if demo:
        return True
    setting = SETTING_OF_KIND[kind]
    if not getattr(settings, setting):
        return True
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(box.tr("Confirm"))
    box.setText(question)
    box.setInformativeText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(box.tr("Submit"))
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    again = QCheckBox(box.tr("Don't ask again"))
    box.setCheckBox(again)
    answer = runner(box)
    agreed = answer == QMessageBox.StandardButton.Yes
    if agreed and again.isChecked():
        setattr(settings, setting, False)
    box.deleteLater()
    return agreed
