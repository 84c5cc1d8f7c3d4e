"""The contact sheet dialog over a real Session: the count follows the scope and marks, bad choices are said at
their field, a sheet is written and can be opened, Cancel leaves nothing, and the File and Shot menus open it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.projects.model import Project, TakeMark
from sora2_desktop.core.session import Session
from sora2_desktop.ui.export import contact_sheet_dialog
from sora2_desktop.ui.export.contact_sheet_dialog import ContactSheetDialog
from tests.core.export.export_rig import MEDIA, ExportRig
from tests.helpers.wait import wait_until

LANDSCAPE = MEDIA / "landscape_1280x720_24fps.mp4"
PORTRAIT = MEDIA / "portrait_720x1280_30fps.mp4"


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.from_dir(tmp_path / "profile").ensure()


@pytest.fixture
def project(profile: Profile) -> Project:
    """SH010: T01 circled, T02 hold (portrait), T03 circled with no file; SH020: T01 circled."""
    rig = ExportRig(profile.root)
    first, second = rig.shot(0), rig.shot(1)
    rig.take(first, content=LANDSCAPE, rating=4)
    rig.take(first, mark=TakeMark.HOLD, content=PORTRAIT, review_note="Use the tilt")
    rig.take(first, content=b"")
    rig.take(second, content=LANDSCAPE)
    made = rig.project
    rig.close()
    return made


@pytest.fixture
def session(profile: Profile, project: Project, run_async: Any) -> Iterator[Session]:
    made = Session(profile, AppSettings(profile), SecretStore())
    yield made
    run_async(made.aclose())


def make_dialog(qtbot: QtBot, session: Session, project: Project, *, whole_project: bool = True) -> ContactSheetDialog:
    shots = session.projects.shots(project.id)
    dialog = ContactSheetDialog(session, project, shots[1], None, whole_project=whole_project)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose_marks(dialog: ContactSheetDialog, key: str) -> None:
    dialog.marks.setCurrentIndex(dialog.marks.findData(key))


def test_the_count_follows_the_scope_and_the_marks(qtbot: QtBot, session: Session, project: Project) -> None:
    dialog = make_dialog(qtbot, session, project)
    assert dialog.whole.isChecked() and dialog.marks.currentData() == "all"
    assert dialog.count.text() == "4 take(s) on 1 page(s); 1 without a file (shown as a blank card)"
    choose_marks(dialog, "hold")
    assert dialog.count.text() == "1 take(s) on 1 page(s)"
    choose_marks(dialog, "no_good")
    assert dialog.count.text() == "No takes match." and not dialog.make_button.isEnabled()
    choose_marks(dialog, "circled")
    dialog.one_shot.setChecked(True)
    assert dialog.one_shot.text() == "&Only SH020"
    assert dialog.count.text() == "1 take(s) on 1 page(s)" and dialog.make_button.isEnabled()


def test_bad_choices_are_said_at_their_field_and_nothing_starts(
    qtbot: QtBot, session: Session, project: Project, profile: Profile, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, session, project)
    for typed, said in (
        ("", "Choose the folder to write the sheet into."),
        ("relative/out", "Give the folder's whole path (from / or a drive letter)."),
        (str(profile.database_path), "This is a file, not a folder."),
    ):
        dialog.folder_edit.setText(typed)
        dialog.make_button.click()
        assert dialog.folder_error.text() == said and not dialog.folder_error.isHidden()
        assert not dialog.running
    dialog.folder_edit.setText(str(tmp_path / "out"))
    assert dialog.folder_error.isHidden()
    dialog.pdf.setChecked(False)
    dialog.png.setChecked(False)
    dialog.make_button.click()
    assert dialog.formats_error.text() == "Choose PDF, PNG or both." and not dialog.running
    assert dialog.folder_edit.text() == str(tmp_path / "out")  # what was typed stays
    dialog.png.setChecked(True)
    assert dialog.formats_error.isHidden()


def test_a_sheet_is_written_then_opened_and_shown_in_its_folder(
    qtbot: QtBot,
    session: Session,
    project: Project,
    tmp_path: Path,
    run_async: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(contact_sheet_dialog.QDesktopServices, "openUrl", opened.append)
    dialog = make_dialog(qtbot, session, project)
    out = tmp_path / "sheets"
    dialog.folder_edit.setText(str(out))
    dialog.make_button.click()
    assert dialog.running and dialog.close_button.text() == "Cancel" and not dialog.marks.isEnabled()
    run_async(wait_until(lambda: not dialog.running, what="the sheet to be written"))
    assert sorted(path.name for path in out.iterdir()) == ["Trailer_contact_sheet.pdf", "Trailer_contact_sheet_p1.png"]
    assert dialog.summary.text() == f"Wrote Trailer_contact_sheet.pdf and Trailer_contact_sheet_p1.png to {out}."
    assert dialog.open_button.isVisible() and dialog.show_button.isVisible()
    assert dialog.close_button.text() == "Close" and dialog.marks.isEnabled()
    dialog.open_button.click()
    dialog.show_button.click()
    assert [url.toLocalFile() for url in opened] == [str(out / "Trailer_contact_sheet.pdf"), str(out)]


def test_cancel_leaves_no_sheet(
    qtbot: QtBot, session: Session, project: Project, tmp_path: Path, run_async: Any
) -> None:
    dialog = make_dialog(qtbot, session, project)
    out = tmp_path / "sheets"
    dialog.folder_edit.setText(str(out))
    dialog.make_button.click()
    dialog.close_button.click()  # "Cancel", before the first frame is read
    run_async(wait_until(lambda: not dialog.running, what="the cancel to end the sheet"))
    assert dialog.summary.text() == "Cancelled: no sheet was written."
    assert not out.exists() or list(out.iterdir()) == []
    assert dialog.isVisible() and not dialog.open_button.isVisible()


def test_the_file_and_shot_menus_open_it_for_the_project_or_the_shot_on_screen(
    qtbot: QtBot, session: Session, project: Project
) -> None:
    from sora2_desktop.ui.window.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    for name, whole in (("contact_sheet", True), ("shot_contact_sheet", False)):
        action = window.findChild(QAction, name)
        assert isinstance(action, QAction)
        action.trigger()
        (dialog,) = shown(window)
        assert dialog.windowTitle() == f"Contact sheet — {window.shots.current_project().name}"  # type: ignore[union-attr]
        assert dialog.whole.isChecked() is whole and dialog.one_shot.isChecked() is not whole
        action.trigger()  # a second time: the same dialog comes to the front
        assert shown(window) == [dialog]
        dialog.close()
        assert shown(window) == []
    window.close()


def shown(window: QWidget) -> list[ContactSheetDialog]:
    return [dialog for dialog in window.findChildren(ContactSheetDialog) if dialog.isVisible()]


@pytest.fixture
def not_the_last_window() -> Iterator[None]:
    """Alone on screen, the dialog is the last window: closing it would quit the test's event loop (in the app,
    the main window stays)."""
    before = QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(False)
    yield
    QApplication.setQuitOnLastWindowClosed(before)


@pytest.mark.usefixtures("not_the_last_window")
def test_closing_while_it_runs_cancels_then_closes(
    qtbot: QtBot, session: Session, project: Project, tmp_path: Path, run_async: Any
) -> None:
    dialog = make_dialog(qtbot, session, project)
    out = tmp_path / "sheets"
    dialog.folder_edit.setText(str(out))
    dialog.make_button.click()
    dialog.close()
    assert dialog.isVisible()  # it stays until the page under way is done and the sheet removed
    run_async(wait_until(lambda: not dialog.running, what="the cancel to end the sheet"))
    assert not dialog.isVisible()
    assert not out.exists() or list(out.iterdir()) == []
