"""The shot list from the keyboard: add, rename, duplicate, reorder, remove with undo, renumber; the shot on
screen follows, and is announced only when it changes."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.projects.shot_delegate import counts_text
from sora2_desktop.ui.projects.shot_panel import ShotPanel
from tests.ui.projects.conftest import FakeSession, codes, prompts

CTRL = Qt.KeyboardModifier.ControlModifier
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def press(
    qtbot: QtBot, panel: ShotPanel, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    panel.view.setFocus()
    qtbot.keyClick(panel.view, key, modifiers)


def test_the_list_shows_the_projects_shots_in_order_and_the_first_is_on_screen(panel: ShotPanel) -> None:
    assert codes(panel) == ["SH010", "SH020", "SH030"]
    assert panel.project_combo.currentText() == "Untitled"  # a new database starts with one
    current = panel.current_shot()
    assert current is not None and current.code == "SH010"
    assert panel.model.index(1).data(panel.model.ExcerptRole) == "A harbour at dawn"
    assert panel.empty_label.isHidden()


def test_a_shot_says_how_many_takes_and_keepers_it_has(panel: ShotPanel, session: FakeSession) -> None:
    shot = panel.model.shot_at(0)
    assert shot is not None
    take = Task(request=GenerationRequest(prompt="p"), created_at=datetime.now(UTC), phase=TaskPhase.SUCCESS)
    assert panel.model.index(0).data(panel.model.CountsRole) == (0, 0)
    session.store.add(take.with_(shot_id=shot.id, take_number=1))
    stored = session.store.add(take.with_(shot_id=shot.id, take_number=2, mark=TakeMark.CIRCLED))
    assert panel.model.index(0).data(panel.model.CountsRole) == (0, 0)  # counted once, until a take changes
    session.task_changed.emit(stored)
    assert panel.model.index(0).data(panel.model.CountsRole) == (2, 1)
    assert counts_text(2, 1) == "2 take(s) · 1 circled" and counts_text(0, 0) == ""


def test_ctrl_n_adds_a_shot_after_the_current_one_with_its_settings_and_an_empty_prompt(
    qtbot: QtBot, panel: ShotPanel
) -> None:
    with qtbot.waitSignal(panel.shot_created) as created:
        press(qtbot, panel, Qt.Key.Key_N, CTRL)
    new = created.args[0]
    assert codes(panel) == ["SH010", "SH015", "SH020", "SH030"] and new.code == "SH015"
    assert new.settings.get("prompt", "") == "" and new.settings["model"] == "sora-2"
    assert new.settings["duration"] == 10
    assert panel.current_shot() is not None and panel.current_shot().id == new.id  # type: ignore[union-attr]


def test_f2_renames_the_shot_in_place(qtbot: QtBot, panel: ShotPanel) -> None:
    press(qtbot, panel, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Hero walks in")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(panel.model.shot_at(0), "title", None) == "Hero walks in")  # a queued commit
    shot = panel.model.shot_at(0)
    assert shot is not None and shot.code == "SH010" and panel.current_shot() == shot
    assert panel.model.index(0).data() == "SH010 Hero walks in"


def test_ctrl_d_duplicates_the_shot_below_it(qtbot: QtBot, panel: ShotPanel) -> None:
    panel.select_shot(panel.model.shots()[1].id)
    press(qtbot, panel, Qt.Key.Key_D, CTRL)
    assert prompts(panel) == ["A lighthouse in fog", "A harbour at dawn", "A harbour at dawn", "Gulls over the pier"]
    assert codes(panel) == ["SH010", "SH020", "SH025", "SH030"]
    assert panel.current_shot() == panel.model.shot_at(2)


def test_ctrl_up_and_down_move_the_shot_and_it_stays_on_screen(qtbot: QtBot, panel: ShotPanel) -> None:
    selected: list[object] = []
    panel.shot_selected.connect(selected.append)
    assert not panel.move_up_action.isEnabled()  # the first shot cannot go higher
    press(qtbot, panel, Qt.Key.Key_Down, CTRL)
    press(qtbot, panel, Qt.Key.Key_Down, CTRL)
    assert codes(panel) == ["SH020", "SH030", "SH010"]  # codes move with their shots
    assert panel.current_shot() is not None and panel.current_shot().code == "SH010"  # type: ignore[union-attr]
    assert not panel.move_down_action.isEnabled()
    press(qtbot, panel, Qt.Key.Key_Up, CTRL)
    assert codes(panel) == ["SH020", "SH010", "SH030"]
    assert selected == []  # the same shot all along: the composer is not reloaded


def test_renumber_gives_codes_in_the_current_order(qtbot: QtBot, panel: ShotPanel) -> None:
    press(qtbot, panel, Qt.Key.Key_Down, CTRL)
    panel.renumber_action.trigger()
    assert codes(panel) == ["SH010", "SH020", "SH030"]
    assert prompts(panel)[:2] == ["A harbour at dawn", "A lighthouse in fog"]


def test_delete_removes_the_shot_and_ctrl_z_or_the_bar_brings_it_back(qtbot: QtBot, panel: ShotPanel) -> None:
    panel.select_shot(panel.model.shots()[1].id)
    press(qtbot, panel, Qt.Key.Key_Delete)
    assert codes(panel) == ["SH010", "SH030"]
    assert panel.current_shot() is not None and panel.current_shot().code == "SH030"  # type: ignore[union-attr]
    assert not panel.undo_bar.isHidden() and "SH020" in panel.undo_bar.label.text()
    press(qtbot, panel, Qt.Key.Key_Z, CTRL)
    assert codes(panel) == ["SH010", "SH020", "SH030"]
    assert panel.current_shot() is not None and panel.current_shot().code == "SH020"  # type: ignore[union-attr]
    assert panel.undo_bar.isHidden() and not panel.undo_remove_action.isEnabled()
    press(qtbot, panel, Qt.Key.Key_Delete)
    panel.undo_bar.undo_button.click()
    assert codes(panel) == ["SH010", "SH020", "SH030"]


def test_removing_every_shot_says_how_to_add_one(qtbot: QtBot, panel: ShotPanel) -> None:
    selected: list[object] = []
    panel.shot_selected.connect(selected.append)
    for _ in range(3):
        press(qtbot, panel, Qt.Key.Key_Delete)
    assert codes(panel) == [] and panel.current_shot() is None and selected[-1] is None
    assert not panel.empty_label.isHidden() and "Ctrl+N" in panel.empty_label.text()
    assert not panel.remove_shot_action.isEnabled()


def test_a_drop_asks_the_service_to_move_the_shot(panel: ShotPanel) -> None:
    model = panel.model
    data = model.mimeData([model.index(0)])
    # Dropped between SH020 and SH030: the view removes nothing itself (False); the list follows the service.
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert codes(panel) == ["SH020", "SH010", "SH030"]
    data = model.mimeData([model.index(2)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())  # on the empty space below
    assert codes(panel) == ["SH020", "SH010", "SH030"]
    model.dropMimeData(model.mimeData([model.index(2)]), Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert codes(panel) == ["SH030", "SH020", "SH010"]


def test_saving_the_shots_settings_does_not_announce_another_shot(panel: ShotPanel, projects: ProjectService) -> None:
    selected: list[object] = []
    panel.shot_selected.connect(selected.append)
    shot = panel.current_shot()
    assert shot is not None
    projects.save_shot_settings(shot.id, {"prompt": "A lighthouse in fog, at night"})
    assert selected == []
    current = panel.current_shot()
    assert current is not None and current.settings["prompt"] == "A lighthouse in fog, at night"


def test_choosing_another_project_shows_its_shots(qtbot: QtBot, panel: ShotPanel, projects: ProjectService) -> None:
    trailer = projects.create_project("Trailer")  # made with its first shot, SH010
    assert panel.project_combo.count() == 2  # projects_changed refilled the chooser
    with qtbot.waitSignal(panel.shot_selected) as selected:
        panel.project_combo.setCurrentIndex(1)
        panel.project_combo.activated.emit(1)
    assert selected.args[0].project_id == trailer.id
    assert codes(panel) == ["SH010"] and projects.current_project().id == trailer.id
