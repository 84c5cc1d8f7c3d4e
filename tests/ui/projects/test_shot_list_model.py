"""ShotListModel's take counts: read once per shot, and read again only when a change can alter them."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.model import Shot, TakeMark
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.projects.shot_list_model import ShotListModel

SHOT = Shot(id=7, project_id=1, code="SH010", position=0)


def take(local_id: int, phase: TaskPhase = TaskPhase.PROCESSING, mark: TakeMark | None = None) -> Task:
    request = GenerationRequest(prompt="A lighthouse in fog")
    return Task(request=request, created_at=datetime.now(UTC), phase=phase, shot_id=SHOT.id, mark=mark).with_(
        local_id=local_id
    )


class Takes:
    """The store's takes of the shot, counting how often they are read."""

    def __init__(self, *takes: Task) -> None:
        self.takes = list(takes)
        self.reads = 0

    def __call__(self, shot_id: int) -> list[Task]:
        self.reads += 1
        return [t for t in self.takes if t.shot_id == shot_id]


def counts(model: ShotListModel) -> tuple[int, int]:
    value = model.index(0).data(ShotListModel.CountsRole)
    assert isinstance(value, tuple)
    return value


def test_a_poll_answer_for_a_counted_take_reads_nothing_and_repaints_nothing(qtbot: QtBot) -> None:
    takes = Takes(take(1), take(2))
    model = ShotListModel(takes)
    model.set_shots([SHOT])
    assert counts(model) == (2, 0) and takes.reads == 1
    with qtbot.assertNotEmitted(model.dataChanged):
        model.take_changed(take(1, TaskPhase.SUCCESS))
    assert counts(model) == (2, 0) and takes.reads == 1


def test_a_new_take_or_a_new_mark_is_counted_again(qtbot: QtBot) -> None:
    takes = Takes(take(1), take(2))
    model = ShotListModel(takes)
    model.set_shots([SHOT])
    assert counts(model) == (2, 0)
    takes.takes.append(take(3))
    with qtbot.waitSignal(model.dataChanged):
        model.take_changed(take(3))
    assert counts(model) == (3, 0) and takes.reads == 2
    takes.takes[0] = take(1, TaskPhase.SUCCESS, TakeMark.CIRCLED)
    with qtbot.waitSignal(model.dataChanged):
        model.take_changed(takes.takes[0])
    assert counts(model) == (3, 1) and takes.reads == 3


def test_a_change_to_a_shot_never_counted_or_to_no_shot_reads_nothing(qtbot: QtBot) -> None:
    takes = Takes(take(1))
    model = ShotListModel(takes)
    model.set_shots([SHOT])
    model.take_changed(take(1))  # not drawn yet: counted when it is
    loose = Task(request=GenerationRequest(prompt="p"), created_at=datetime.now(UTC), phase=TaskPhase.SUCCESS)
    model.take_changed(loose.with_(local_id=9))
    assert takes.reads == 0
    assert counts(model) == (1, 0) and takes.reads == 1
