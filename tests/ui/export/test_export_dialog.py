"""The export dialog over a real Session: the live count follows the choices, a bad folder is said at its field,
an export shows its summary and what was skipped, choices are remembered, Cancel leaves no half file, and the
File menu's Ctrl+Shift+E opens it."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.export import selects
from sora2_desktop.core.projects.model import Project, TakeMark
from sora2_desktop.core.session import Session
from sora2_desktop.ui.export.export_dialog import ExportDialog
from tests.core.export.export_rig import ExportRig
from tests.helpers.wait import wait_until


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.from_dir(tmp_path / "profile").ensure()


@pytest.fixture
def project(profile: Profile) -> Project:
    """SH010: T01 circled, T02 hold, T03 circled with no file; SH020: T01 circled. Then the rig lets go."""
    rig = ExportRig(profile.root)
    first, second = rig.shot(0), rig.shot(1)
    rig.take(first, content=os.urandom(400_000))
    rig.take(first, mark=TakeMark.HOLD, content=os.urandom(500_000))
    rig.take(first, content=b"")
    rig.take(second, content=os.urandom(600_000))
    made = rig.project
    rig.close()
    return made


@pytest.fixture
def session(profile: Profile, project: Project, run_async: Any) -> Iterator[Session]:
    made = Session(profile, AppSettings(profile), SecretStore())
    yield made
    run_async(made.aclose())


def make_dialog(qtbot: QtBot, session: Session, project: Project) -> ExportDialog:
    shots = session.projects.shots(project.id)
    dialog = ExportDialog(session, project, shots[1], None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose_marks(dialog: ExportDialog, key: str) -> None:
    dialog.options.marks.setCurrentIndex(dialog.options.marks.findData(key))


def test_the_count_follows_the_takes_and_shots_chosen(
    qtbot: QtBot, profile: Profile, project: Project, session: Session
) -> None:
    dialog = make_dialog(qtbot, session, project)
    assert dialog.count.text() == "2 take(s) in 2 shot(s), 977 KB; 1 take(s) not on disk (left out)"
    choose_marks(dialog, "circled,hold")
    qtbot.waitUntil(lambda: dialog.count.text().startswith("3 take(s) in 2 shot(s), 1.43 MB"))
    dialog.options.chosen.setChecked(True)  # the current shot (SH020) comes checked
    qtbot.waitUntil(lambda: dialog.count.text() == "1 take(s) in 1 shot(s), 586 KB")
    dialog.options.shot_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: dialog.count.text() == "No takes match.")
    assert not dialog.export_button.isEnabled()


def test_a_mark_set_in_the_window_while_the_dialog_is_open_changes_the_count(
    qtbot: QtBot, profile: Profile, project: Project, session: Session
) -> None:
    dialog = make_dialog(qtbot, session, project)
    hold = session.projects.takes(session.projects.shots(dialog.options._project.id)[0].id)[1]
    assert hold.local_id is not None
    session.projects.set_mark(hold.local_id, TakeMark.CIRCLED)  # emits Session.task_changed
    qtbot.waitUntil(lambda: dialog.count.text().startswith("3 take(s) in 2 shot(s)"))


def test_a_folder_that_cannot_be_used_is_said_at_its_field_and_nothing_starts(
    qtbot: QtBot, profile: Profile, project: Project, session: Session, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, session, project)
    for typed, said in (
        ("", "Choose the folder to export into."),
        ("relative/out", "Give the folder's whole path (from / or a drive letter)."),
        (str(profile.database_path), "This is a file, not a folder."),
    ):
        dialog.options.folder_edit.setText(typed)
        dialog.export_button.click()
        assert dialog.options.folder_error.text() == said and not dialog.options.folder_error.isHidden()
        assert not dialog.running
    dialog.options.folder_edit.setText(str(tmp_path / "out"))
    assert dialog.options.folder_error.isHidden()


def test_an_export_shows_its_summary_and_what_was_skipped_and_remembers_the_choices(
    qtbot: QtBot, profile: Profile, project: Project, session: Session, tmp_path: Path, run_async: Any
) -> None:
    dialog = make_dialog(qtbot, session, project)
    out = tmp_path / "handoff"
    dialog.options.folder_edit.setText(str(out))
    for name, box in dialog.options.format_boxes.items():
        box.setChecked(name == "csv")
    dialog.options.link.setChecked(True)
    dialog.export_button.click()
    assert dialog.running and not dialog.options.isEnabled() and dialog.close_button.text() == "Cancel"
    run_async(wait_until(lambda: not dialog.running, what="the export to end"))
    assert sorted(path.name for path in out.iterdir() if path.suffix == ".mp4") == [
        "Trailer_SH010_T01_16x9.mp4",
        "Trailer_SH020_T01_16x9.mp4",
    ]
    assert dialog.summary.text().startswith("Exported 2 take(s) of 2 shot(s)")
    notes = dialog.notes.toPlainText()
    assert "Wrote: Trailer-selects.csv" in notes
    assert "SH010 T03: its file is not on disk" in notes
    assert dialog.show_button.isVisible() and dialog.options.isEnabled() and dialog.close_button.text() == "Close"
    settings = AppSettings(profile)
    assert settings.export_formats == "csv" and settings.export_link is True
    assert settings.export_folders == {str(project.id): str(out)}
    again = make_dialog(qtbot, session, project)
    assert again.options.folder_edit.text() == str(out) and again.options.link.isChecked()
    assert [name for name, box in again.options.format_boxes.items() if box.isChecked()] == ["csv"]


def test_cancel_stops_the_copy_and_leaves_no_half_file(
    qtbot: QtBot,
    profile: Profile,
    project: Project,
    session: Session,
    tmp_path: Path,
    run_async: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selects, "CHUNK_BYTES", 64 * 1024)
    reached, release = threading.Event(), threading.Event()
    copy_range = selects._copy_range or selects._buffered

    def held_copy(reader: int, writer: int, offset: int) -> int:
        if offset > 0:  # the first file is partly written: hold it there until the test has pressed Cancel
            reached.set()
            release.wait(10)
        return copy_range(reader, writer, offset)

    monkeypatch.setattr(selects, "_copy_range", held_copy)
    dialog = make_dialog(qtbot, session, project)
    out = tmp_path / "handoff"
    dialog.options.folder_edit.setText(str(out))
    dialog.export_button.click()
    run_async(wait_until(reached.is_set, what="the copy to be under way"))
    dialog.close_button.click()  # "Cancel" while it runs
    release.set()
    run_async(wait_until(lambda: not dialog.running, what="the cancel to end the export"))
    assert dialog.summary.text() == "Cancelled. 0 take(s) exported before the cancel stay in the folder."
    assert list(out.iterdir()) == []
    assert dialog.isVisible()  # Cancel stops the export; the dialog stays to say so


def test_ctrl_shift_e_in_the_file_menu_opens_the_dialog_for_the_current_project(
    qtbot: QtBot, profile: Profile, project: Project, session: Session
) -> None:
    from sora2_desktop.ui.window.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    action = window.findChild(QAction, "export_selects")
    assert isinstance(action, QAction) and action.shortcut() == QKeySequence("Ctrl+Shift+E")
    action.trigger()
    dialog = window.findChild(ExportDialog)
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    assert dialog.windowTitle() == f"Export selects — {window.shots.current_project().name}"  # type: ignore[union-attr]
    action.trigger()  # a second time: the same dialog comes to the front
    assert len(window.findChildren(ExportDialog)) == 1
    dialog.close()
    window.close()


@pytest.mark.parametrize("how", ["close", "escape", "close button"])
def test_an_idle_dialog_closes_every_way(qtbot: QtBot, session: Session, project: Project, how: str) -> None:
    dialog = make_dialog(qtbot, session, project)
    if how == "close":
        dialog.close()
    elif how == "escape":
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    else:
        dialog.close_button.click()
    assert not dialog.isVisible()
