"""Import shot list: the preview marks each bad cell with why, keeps Import disabled while a row taken in needs a
fix, fixes a cell edited in place, leaves rows out by their box, and writes nothing before Import (then undo
takes the import back); Export shot list writes the project's shots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.projects.shot_list_check import ShotListRules, check_row
from sora2_desktop.core.projects.shot_list_csv import parse_shot_list
from sora2_desktop.core.session import Session
from sora2_desktop.ui.common.palette import error_color
from sora2_desktop.ui.projects.shot_import_dialog import ShotImportDialog
from sora2_desktop.ui.projects.shot_import_model import (
    COL_CODE,
    COL_DURATION,
    COL_IMAGE,
    COL_LINE,
    COL_MODEL,
    COL_PROMPT,
    ProblemRole,
    ShotImportModel,
)
from sora2_desktop.ui.projects.shot_list_actions import ShotListActions
from sora2_desktop.ui.projects.shot_panel import ShotPanel
from sora2_desktop.ui.window.main_window import MainWindow
from tests.helpers.keychain import MemoryKeyring
from tests.ui.projects.conftest import FakeSession, codes

CSV = (
    "code,title,prompt,model,duration,aspect,takes,image\n"
    "SH100,Opening,A lighthouse in fog,Sora 2,15,landscape,2,\n"
    "SH110,,A harbour at dawn,sora-2,12,,,\n"  # Sora 2 takes 10 or 15 s
    ",,Gulls over the pier,sora-3,,,,\n"  # no such model
    ",,Waves on the rocks,sora-2,,,,image.png\n"  # no such file
    ",Close,Keeper's hands,Sora 2 Pro,8,1280x720,1,\n"
)


def preview(qtbot: QtBot, text: str = CSV, taken: frozenset[str] = frozenset()) -> ShotImportDialog:
    rules = ShotListRules(shipped_catalogue(), Path("/nonexistent-folder"), 4, taken)
    rows = parse_shot_list(text, rules.folder).rows
    model = ShotImportModel(rows, [check_row(row, rules) for row in rows], rules)
    dialog = ShotImportDialog(model, "Trailer", "shots.csv", ignored_columns=["Notes"])
    model.setParent(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def cell(dialog: ShotImportDialog, row: int, column: int) -> QModelIndex:
    return dialog.model.index(row, column)


def test_each_bad_cell_is_marked_at_its_cell_and_import_stays_disabled(qtbot: QtBot) -> None:
    dialog = preview(qtbot)
    duration, model, image = cell(dialog, 1, COL_DURATION), cell(dialog, 2, COL_MODEL), cell(dialog, 3, COL_IMAGE)
    assert duration.data(ProblemRole) == "Sora 2 takes 10 or 15 s."
    assert model.data(ProblemRole) == "Unknown model “sora-3”: use Sora 2 (sora-2) or Sora 2 Pro (sora-2-pro)."
    assert image.data(ProblemRole) == "No file image.png next to the CSV."
    assert duration.data() == "⚠ 12" and duration.data(Qt.ItemDataRole.ToolTipRole) == "Sora 2 takes 10 or 15 s."
    assert duration.data(Qt.ItemDataRole.ForegroundRole) == error_color(QApplication.palette())
    # Every other cell is fine, and shows the value the shot will have.
    marked = {
        (row, column)
        for row in range(dialog.model.rowCount())
        for column in range(1, dialog.model.columnCount())
        if cell(dialog, row, column).data(ProblemRole)
    }
    assert marked == {(1, COL_DURATION), (2, COL_MODEL), (3, COL_IMAGE)}
    assert cell(dialog, 4, COL_MODEL).data() == "Sora 2 Pro" and cell(dialog, 0, COL_DURATION).data() == "15 s"
    assert [cell(dialog, row, COL_CODE).data() for row in range(5)] == ["SH100", "SH110", "SH010", "SH020", "SH030"]
    assert dialog.summary_label.text() == "2 shot(s) ready, 3 row(s) need a fix"
    assert not dialog.import_button.isEnabled() and dialog.import_button.text() == "Import 2 shot(s)"
    # The first problem is chosen at once and said in full under the table.
    assert dialog.table.currentIndex() == duration
    assert dialog.problem_label.text() == "Line 3, Duration: Sora 2 takes 10 or 15 s."
    dialog.go_to_next_problem()
    assert dialog.table.currentIndex() == model
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter does not get round the disabled Import
    assert dialog.isVisible() and dialog.result() == 0


def test_editing_a_cell_in_place_judges_it_again(qtbot: QtBot) -> None:
    dialog = preview(qtbot)
    index = cell(dialog, 1, COL_DURATION)
    dialog.table.setCurrentIndex(index)
    dialog.table.edit(index)
    editor = dialog.table.viewport().findChild(QLineEdit)  # the delegate's editor, on the cell
    assert isinstance(editor, QLineEdit) and editor.text() == "12"  # the text as typed in the file
    editor.selectAll()
    qtbot.keyClicks(editor, "10")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not index.data(ProblemRole))
    assert index.data() == "10 s"
    assert dialog.summary_label.text() == "3 shot(s) ready, 2 row(s) need a fix"
    dialog.model.setData(cell(dialog, 2, COL_MODEL), "Sora 2 Pro")
    dialog.model.setData(cell(dialog, 3, COL_IMAGE), "")  # no image: text-to-video
    assert dialog.summary_label.text() == "5 shot(s) ready"
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "Import 5 shot(s)"
    assert dialog.problem_label.isHidden()


def test_rows_left_out_block_nothing(qtbot: QtBot) -> None:
    dialog = preview(qtbot)
    for row in (1, 2, 3):
        dialog.model.set_included(row, False)
    assert cell(dialog, 1, COL_LINE).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert not cell(dialog, 1, COL_DURATION).data(ProblemRole)  # a row left out is not judged
    assert dialog.summary_label.text() == "2 shot(s) ready, 3 left out"
    assert dialog.import_button.isEnabled()
    assert [(shot.code, shot.settings["prompt"]) for shot in dialog.model.planned()] == [
        ("SH100", "A lighthouse in fog"),
        ("SH010", "Keeper's hands"),  # numbered: the project (of this preview) has no shot yet
    ]
    # Space on the line cell takes the row back in.
    dialog.table.setCurrentIndex(cell(dialog, 1, COL_LINE))
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert cell(dialog, 1, COL_LINE).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not dialog.import_button.isEnabled()


def test_a_code_taken_or_repeated_is_marked_and_fixing_one_clears_both(qtbot: QtBot) -> None:
    text = "code,prompt\nSH010,a\nSH050,b\nSH050,c\n"
    dialog = preview(qtbot, text, taken=frozenset({"SH010"}))
    problems = [cell(dialog, row, COL_CODE).data(ProblemRole) for row in range(3)]
    assert problems == [
        "SH010 is already a shot of this project: give another code, or leave it empty.",
        "SH050 is also the code of the row on line 4.",
        "SH050 is also the code of the row on line 3.",
    ]
    dialog.model.setData(cell(dialog, 2, COL_CODE), "")  # numbered instead
    dialog.model.setData(cell(dialog, 0, COL_CODE), "SH040")
    assert [cell(dialog, row, COL_CODE).data(ProblemRole) for row in range(3)] == ["", "", ""]
    assert [cell(dialog, row, COL_CODE).data() for row in range(3)] == ["SH040", "SH050", "SH020"]
    assert cell(dialog, 2, COL_CODE).data(Qt.ItemDataRole.FontRole).italic()  # numbered by the app


def test_the_prompt_keeps_its_line_breaks_and_shows_on_one_line(qtbot: QtBot) -> None:
    dialog = preview(qtbot, 'prompt\n"Line one\nline two"\n')
    assert cell(dialog, 0, COL_PROMPT).data() == "Line one line two"
    assert cell(dialog, 0, COL_PROMPT).data(Qt.ItemDataRole.EditRole) == "Line one\nline two"
    assert dialog.model.planned()[0].settings["prompt"] == "Line one\nline two"


# -- through the File menu's actions, on the real ProjectService ------------------------------------------------


@pytest.fixture
def actions(qtbot: QtBot, panel: ShotPanel, session: FakeSession) -> Iterator[ShotListActions]:
    session.models = type("Models", (), {"current": staticmethod(shipped_catalogue)})()  # type: ignore[attr-defined]
    window = QWidget()
    qtbot.addWidget(window)
    made = ShotListActions(session, panel, window)  # type: ignore[arg-type]
    yield made
    for widget in window.findChildren(QWidget):
        if widget.isWindow():
            widget.close()


def test_nothing_is_written_before_import_and_undo_takes_the_import_back(
    qtbot: QtBot, tmp_path: Path, actions: ShotListActions, panel: ShotPanel, run_async: Callable[..., Any]
) -> None:
    (tmp_path / "shots.csv").write_text("code,prompt,duration\n,A keeper,10\nSH900,A storm,12\n", encoding="utf-8")
    before = codes(panel)
    dialog = run_async(actions.import_from(tmp_path / "shots.csv"))
    assert isinstance(dialog, ShotImportDialog) and dialog.isVisible()
    assert not dialog.import_button.isEnabled()
    dialog.reject()
    assert codes(panel) == before  # cancelled: nothing written

    dialog = run_async(actions.import_from(tmp_path / "shots.csv"))
    assert isinstance(dialog, ShotImportDialog)
    dialog.model.setData(dialog.model.index(1, COL_DURATION), "15")
    assert codes(panel) == before  # fixed, not yet imported
    heard: list[str] = []
    actions.status_message.connect(heard.append)
    dialog.import_button.click()
    assert codes(panel) == [*before, "SH040", "SH900"]
    current = panel.current_shot()
    assert current is not None and current.code == "SH040"  # the first imported shot is on screen
    assert heard == ["Imported 2 shot(s): SH040 to SH900."]
    assert panel.undo_bar.isVisible() and panel.undo_bar.label.text() == heard[0]
    panel.undo_remove_action.trigger()  # Ctrl+Z in the shot list, as after a removal
    assert codes(panel) == before
    assert heard[-1] == "Import undone: 2 shot(s) taken out."


def test_a_file_that_is_no_shot_list_says_why_and_opens_no_preview(
    tmp_path: Path, actions: ShotListActions, run_async: Callable[..., Any]
) -> None:
    (tmp_path / "notes.csv").write_text("scene,words\n1,hello\n", encoding="utf-8")
    assert run_async(actions.import_from(tmp_path / "notes.csv")) is None
    boxes = [box for box in QApplication.topLevelWidgets() if isinstance(box, QMessageBox) and box.isVisible()]
    assert [box.text() for box in boxes] == ["“notes.csv” cannot be imported"]
    assert "no “prompt” column (it has: scene, words)" in boxes[0].informativeText()


def test_export_writes_the_projects_shots_in_order(
    tmp_path: Path, actions: ShotListActions, panel: ShotPanel, run_async: Callable[..., Any]
) -> None:
    target = tmp_path / "out.csv"
    assert run_async(actions.export_to(target))
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "code,title,prompt,model,mode,duration,frame,takes,image"
    assert [line.split(",")[0] for line in lines[1:]] == codes(panel)
    assert lines[1].startswith("SH010,,A lighthouse in fog,sora-2,text-to-video,10,landscape,1,")


def test_the_window_has_the_entries_in_its_file_and_generate_menus(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, run_async: Callable[..., Any]
) -> None:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    session = Session(profile, AppSettings(profile), SecretStore())
    window = MainWindow(session)
    qtbot.addWidget(window)
    try:
        menus = {action.text(): action.menu() for action in window.menuBar().actions()}
        file_entries = [action.text() for action in menus["&File"].actions()]
        assert {"&Import shot list…", "Expor&t shot list…"} <= set(file_entries)
        generate_entries = [action.text() for action in menus["&Generate"].actions()]
        assert "Generate &all shots…" in generate_entries
    finally:
        window.close()
        run_async(session.aclose())
