"""Start-up problems: the one window shown (before any Session exists) when the app cannot start on a profile."""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

# For tests and scripted runs, where nobody can click: the choice to take instead of showing the dialog modally
# ("quit" or "new_history"), and where to save a picture of the dialog first.
ANSWER_ENV = "SORA2_STARTUP_PROBLEM_ANSWER"
SCREENSHOT_ENV = "SORA2_STARTUP_PROBLEM_SCREENSHOT"


class Problem(enum.Enum):
    CORRUPT_DATABASE = "corrupt database"  # facts: path, kept_as
    NEWER_DATABASE = "newer database"  # facts: path, found, known
    DATABASE_UNUSABLE = "database unusable"  # facts: path, detail
    PROFILE_FOLDER = "profile folder"  # facts: folder, detail
    NOT_ANSWERING = "not answering"  # facts: folder


class Choice(enum.Enum):
    QUIT = "quit"
    NEW_HISTORY = "new_history"


def _tr(text: str) -> str:
    return QCoreApplication.translate("StartupProblem", text)


def _words(problem: Problem, facts: dict[str, str]) -> tuple[str, str]:
    """(what happened, what the person can do), in the reader's language."""
    if problem is Problem.CORRUPT_DATABASE:
        return (
            _tr("The task history in {path} is damaged and cannot be read.").format(**facts),
            _tr(
                "Start with a new history: the damaged file is kept next to it as {kept_as}, nothing is deleted, "
                "and videos already saved stay where they are. Or quit and leave the file as it is."
            ).format(**facts),
        )
    if problem is Problem.NEWER_DATABASE:
        return (
            _tr("This history was written by a newer version (schema {found}; this version knows {known}).").format(
                **facts
            ),
            _tr(
                "Update Sora 2 Desktop, or start with another profile (--profile FOLDER). The file {path} was "
                "not changed."
            ).format(**facts),
        )
    if problem is Problem.DATABASE_UNUSABLE:
        return (
            _tr("The task history in {path} cannot be opened: {detail}.").format(**facts),
            _tr(
                "Check that the file and its folder can be written and that the disk has room, then start again; "
                "or start with another profile (--profile FOLDER)."
            ).format(**facts),
        )
    if problem is Problem.PROFILE_FOLDER:
        return (
            _tr("Sora 2 Desktop cannot keep its files in {folder}: {detail}.").format(**facts),
            _tr(
                "Make that folder writable (or free some space), or start with another profile folder: "
                "sora2-desktop --profile FOLDER."
            ).format(**facts),
        )
    return (
        _tr("Sora 2 Desktop is already running on the profile in {folder}, but it does not answer.").format(**facts),
        _tr(
            "Wait a moment and start again. If it stays stuck, end the other Sora 2 Desktop in your task manager, "
            "or start with another profile (--profile FOLDER)."
        ).format(**facts),
    )


def build_dialog(problem: Problem, facts: dict[str, str]) -> tuple[QMessageBox, dict[object, Choice]]:
    """The dialog, and which of its buttons means which choice."""
    what, todo = _words(problem, facts)
    box = QMessageBox()
    box.setObjectName("startupProblem")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_tr("Sora 2 Desktop cannot start"))
    box.setText(what)
    box.setInformativeText(todo)
    choices: dict[object, Choice] = {}
    if problem is Problem.CORRUPT_DATABASE:
        fresh = box.addButton(_tr("Start with a new history"), QMessageBox.ButtonRole.AcceptRole)
        choices[fresh] = Choice.NEW_HISTORY
    quit_button = box.addButton(_tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    choices[quit_button] = Choice.QUIT
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    return box, choices


def _exec(box: QMessageBox, choices: dict[object, Choice]) -> Choice:
    scripted = os.environ.get(ANSWER_ENV)
    if scripted:
        if shot := os.environ.get(SCREENSHOT_ENV):
            box.show()
            box.grab().save(str(Path(shot)), "PNG")
            box.hide()
        return Choice(scripted) if scripted in Choice._value2member_map_ else Choice.QUIT
    box.exec()
    return choices.get(box.clickedButton(), Choice.QUIT)


# Swappable in in-process tests: `startup_problem.runner = lambda box, choices: Choice.QUIT`.
runner: Callable[[QMessageBox, dict[object, Choice]], Choice] = _exec


def ask(problem: Problem, **facts: object) -> Choice:
    """Show the problem and wait for the person's choice (Quit unless the problem offers another way)."""
    from PySide6.QtWidgets import QApplication

    from sora2_desktop.ui.common.theme import apply_theme

    app = QApplication.instance()
    if isinstance(app, QApplication):
        # In the app's full look: until now a start makes do with Fusion and the palette (theme_palette.first_look).
        apply_theme(app)
    box, choices = build_dialog(problem, {name: str(value) for name, value in facts.items()})
    try:
        return runner(box, choices)
    finally:
        box.deleteLater()
