"""The project dialog: a name is needed, the file-name template is shown as the name it gives, a broken one
cannot be accepted."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from sora2_desktop.core.projects.model import DEFAULT_NAME_TEMPLATE, Project
from sora2_desktop.ui.projects.project_dialog import ProjectDialog, template_example


def test_the_template_is_shown_as_the_file_name_it_gives() -> None:
    assert template_example(DEFAULT_NAME_TEMPLATE, "Trailer") == "Trailer_SH010_T04_16x9.mp4"
    assert template_example("{shot}-{take}", "") == "SH010-T04.mp4"
    assert template_example("{scene}_{take}", "Trailer") is None  # a name it does not know
    assert template_example("{shot", "Trailer") is None
    assert template_example("", "Trailer") is None


def test_ok_needs_a_name_and_a_template_that_works(qtbot: QtBot) -> None:
    dialog = ProjectDialog(None, "/videos")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # a new project needs its name
    dialog.name_edit.setText("Trailer")
    assert ok.isEnabled() and "Trailer_SH010_T04_16x9.mp4" in dialog.example.text()
    dialog.template_edit.setText("{scene}")
    assert not ok.isEnabled() and "{project}" in dialog.example.text()


def test_an_existing_project_is_edited_as_it_is_and_an_empty_folder_means_the_default(qtbot: QtBot) -> None:
    project = Project(3, "Trailer", "/work/trailer", "{shot}_{take}")
    dialog = ProjectDialog(project, "/videos")
    qtbot.addWidget(dialog)
    assert dialog.values() == ("Trailer", "/work/trailer", "{shot}_{take}")
    dialog.folder_edit.setText("  ")
    assert dialog.values() == ("Trailer", None, "{shot}_{take}")
    assert dialog.folder_edit.placeholderText() == "/videos"
