"""Selection: which takes of a project leave the app (shots and marks), read in shot-list and take order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sora2_desktop.core.projects.model import Shot, TakeMark
from sora2_desktop.core.tasks.task import Task, TaskPhase

if TYPE_CHECKING:
    from sora2_desktop.core.projects.project_service import ProjectService

KEEPERS: frozenset[TakeMark] = frozenset({TakeMark.CIRCLED})


@dataclass(frozen=True)
class Selection:
    """`shot_ids` None: every shot of the project; `marks` None: every take whatever its mark (unmarked too)."""

    project_id: int
    shot_ids: tuple[int, ...] | None = None
    marks: frozenset[TakeMark] | None = KEEPERS


def take_mark(task: Task) -> TakeMark | None:
    """The take's mark as a selection reads it: a take picked in Compare before marks existed is circled."""
    return TakeMark.CIRCLED if task.circled else task.mark


def select_takes(projects: ProjectService, selection: Selection) -> list[tuple[Shot, list[Task]]]:
    """Shots in shot-list order, each with its succeeded takes of the selection's marks in take order; shots
    with none are left out. Whether a take's file is still on disk is the export's question (it reports those)."""
    shots = projects.shots(selection.project_id)
    if selection.shot_ids is not None:
        wanted = set(selection.shot_ids)
        shots = [shot for shot in shots if shot.id in wanted]
    chosen: list[tuple[Shot, list[Task]]] = []
    for shot in shots:
        takes = [
            task
            for task in projects.takes(shot.id)
            if task.phase == TaskPhase.SUCCESS and (selection.marks is None or take_mark(task) in selection.marks)
        ]
        if takes:
            chosen.append((shot, takes))
    return chosen
