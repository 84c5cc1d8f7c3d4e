"""Selection: which takes an export takes — shots in shot-list order, takes of the chosen marks in take order,
only succeeded ones, shots with none left out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sora2_desktop.core.export.selection import Selection, select_takes, take_mark
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.task import TaskPhase
from tests.core.export.export_rig import ExportRig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[ExportRig]:
    made = ExportRig(tmp_path)
    yield made
    made.close()


def picked(rig: ExportRig, selection: Selection) -> list[tuple[str, list[int | None]]]:
    return [(shot.code, [task.take_number for task in tasks]) for shot, tasks in select_takes(rig.projects, selection)]


def test_circled_takes_by_default_in_shot_list_order_and_take_order(rig: ExportRig) -> None:
    first, second, third = rig.shot(0), rig.shot(1), rig.shot(2)
    rig.take(second)  # T01 circled
    rig.take(second, mark=TakeMark.NO_GOOD)  # T02
    rig.take(second)  # T03 circled
    rig.take(first, mark=TakeMark.HOLD)
    rig.take(third, mark=None)
    rig.projects.move_shot(third.id, 0)  # the shot list's order, not the codes', is the export's
    rig.take(third)  # T02 circled
    assert picked(rig, Selection(rig.project.id)) == [("SH030", [2]), ("SH020", [1, 3])]


def test_marks_none_takes_every_succeeded_take_and_a_mark_set_takes_those(rig: ExportRig) -> None:
    shot = rig.shot(0)
    rig.take(shot)
    rig.take(shot, mark=TakeMark.HOLD)
    rig.take(shot, mark=None)
    rig.take(shot, mark=TakeMark.NO_GOOD)
    rig.take(shot, mark=None, phase=TaskPhase.FAILED, content=b"")
    rig.take(shot, mark=None, phase=TaskPhase.PROCESSING, content=b"")
    assert picked(rig, Selection(rig.project.id, marks=None)) == [("SH010", [1, 2, 3, 4])]
    holds_and_keepers = frozenset({TakeMark.HOLD, TakeMark.CIRCLED})
    assert picked(rig, Selection(rig.project.id, marks=holds_and_keepers)) == [("SH010", [1, 2])]
    assert picked(rig, Selection(rig.project.id, marks=frozenset({TakeMark.NO_GOOD}))) == [("SH010", [4])]


def test_chosen_shots_only_in_shot_list_order_whatever_order_they_are_given_in(rig: ExportRig) -> None:
    shots = [rig.shot(index) for index in range(3)]
    for shot in shots:
        rig.take(shot)
    selection = Selection(rig.project.id, shot_ids=(shots[2].id, shots[0].id))
    assert picked(rig, selection) == [("SH010", [1]), ("SH030", [1])]
    assert picked(rig, Selection(rig.project.id, shot_ids=())) == []


def test_a_removed_shot_is_not_exported(rig: ExportRig) -> None:
    kept, removed = rig.shot(0), rig.shot(1)
    rig.take(kept)
    rig.take(removed)
    rig.projects.remove_shot(removed.id)
    assert picked(rig, Selection(rig.project.id)) == [("SH010", [1])]


def test_a_take_picked_in_compare_before_marks_existed_counts_as_circled(rig: ExportRig) -> None:
    shot = rig.shot(0)
    task = rig.take(shot, mark=None).with_(chosen=True)
    assert take_mark(task) == TakeMark.CIRCLED
    assert take_mark(task.with_(mark=TakeMark.HOLD)) == TakeMark.HOLD
    assert take_mark(task.with_(chosen=False)) is None
