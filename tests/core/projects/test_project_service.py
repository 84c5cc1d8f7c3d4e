"""ProjectService: projects, shots (codes, order, duplicates, removal and undo), prompt versions, take numbers and
review marks, over a real TaskStore; demo mode's store switch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase


class Rig:
    """A service over a store in a temporary folder; `emitted` holds what it handed to Session.task_changed, and
    `store` can be swapped the way demo mode swaps the session's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store = TaskStore(folder / "tasks.sqlite3")
        self.emitted: list[Task] = []
        self.shots_heard: list[int] = []
        self.projects_heard = 0
        self.service = ProjectService(lambda: self.store, self.emitted.append)
        self.service.shots_changed.connect(self.shots_heard.append)
        self.service.projects_changed.connect(self._heard_projects)

    def _heard_projects(self) -> None:
        self.projects_heard += 1

    def submit(self, shot_id: int | None, prompt: str, takes: int = 1, version_id: int | None = None) -> list[Task]:
        """What TaskRunner.submit does behind ProjectService.placing: a row per take, numbered and versioned."""

        def store_and_send(
            requests: list[GenerationRequest],
            *,
            shot_id: int | None = None,
            version_id: int | None = None,
            first_take: int = 1,
        ) -> list[Task]:
            made = Task(request=requests[0], created_at=datetime.now(UTC), phase=TaskPhase.SUCCESS, shot_id=shot_id)
            return [
                self.store.add(
                    made.with_(request=request, version_id=version_id, take_number=shot_id and first_take + n)
                )
                for n, request in enumerate(requests)
            ]

        send = self.service.placing(store_and_send)
        return send([GenerationRequest(prompt=prompt)] * takes, shot_id=shot_id, version_id=version_id)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    made = Rig(tmp_path)
    yield made
    made.store.close()


def codes(rig: Rig, project_id: int) -> list[str]:
    return [shot.code for shot in rig.service.shots(project_id)]


# -- projects -----------------------------------------------------------------------------------------------------


def test_a_new_profile_has_one_project_with_one_shot_and_it_is_current(rig: Rig) -> None:
    (project,) = rig.service.projects()
    assert project.name == "Untitled" and rig.service.current_project() == project
    assert codes(rig, project.id) == ["SH010"]


def test_projects_are_made_renamed_and_the_current_one_is_remembered(rig: Rig, tmp_path: Path) -> None:
    first = rig.service.current_project()
    trailer = rig.service.create_project("  Trailer ", folder=str(tmp_path / "out"))
    assert rig.projects_heard == 1
    assert [p.name for p in rig.service.projects()] == ["Untitled", "Trailer"]
    assert codes(rig, trailer.id) == ["SH010"]  # ready for its first prompt
    assert rig.service.current_project() == first  # making one does not switch to it: the window decides
    rig.service.set_current_project(trailer.id)
    renamed = rig.service.rename_project(trailer.id, "Teaser")
    assert renamed.name == "Teaser" and renamed.folder == str(tmp_path / "out")
    assert rig.service.rename_project(trailer.id, "  ").name == "Teaser"  # an empty name keeps the old one
    templated = rig.service.update_project(replace(renamed, name_template="{shot}_{take}"))
    assert templated.name_template == "{shot}_{take}"
    with pytest.raises(LookupError):
        rig.service.set_current_project(999)

    rig.store.close()
    rig.store = TaskStore(tmp_path / "tasks.sqlite3")  # a restart
    assert rig.service.current_project().name == "Teaser"


def test_the_service_follows_the_store_demo_mode_switches_to(rig: Rig, tmp_path: Path) -> None:
    real = rig.store
    rig.service.create_project("Real work")
    demo_folder = tmp_path / "demo"
    demo_folder.mkdir()
    rig.store = TaskStore(demo_folder / "tasks.sqlite3")
    assert [p.name for p in rig.service.projects()] == ["Untitled"]
    rig.store.close()
    rig.store = real
    assert [p.name for p in rig.service.projects()] == ["Untitled", "Real work"]


# -- shots --------------------------------------------------------------------------------------------------------


def test_shots_are_added_at_the_end_or_slotted_in_between_with_editor_codes(rig: Rig) -> None:
    project = rig.service.current_project()
    (first,) = rig.service.shots(project.id)
    second = rig.service.add_shot(project.id)
    third = rig.service.add_shot(project.id)
    assert codes(rig, project.id) == ["SH010", "SH020", "SH030"]
    between = rig.service.add_shot(project.id, after=first.id)
    assert between.code == "SH015"
    assert [s.id for s in rig.service.shots(project.id)] == [first.id, between.id, second.id, third.id]
    tight = rig.service.add_shot(project.id, after=first.id)  # SH010 → SH012 → SH015
    assert tight.code == "SH012"
    rig.service.add_shot(project.id, after=first.id)
    rig.service.add_shot(project.id, after=first.id)  # SH010, SH011: no room left, a free code at the end
    assert codes(rig, project.id) == ["SH010", "SH040", "SH011", "SH012", "SH015", "SH020", "SH030"]
    assert rig.shots_heard == [project.id] * 6
    with pytest.raises(LookupError):
        rig.service.add_shot(project.id, after=9999)


def test_a_new_shot_takes_its_neighbours_settings_but_not_its_words(rig: Rig) -> None:
    project = rig.service.current_project()
    (first,) = rig.service.shots(project.id)
    draft = {"prompt": "Hero walks in", "model": "sora-2-pro", "size": "1792*1024", "images": [{"source": "a.png"}]}
    rig.service.save_shot_settings(first.id, draft)
    added = rig.service.add_shot(project.id)
    assert added.settings == {"model": "sora-2-pro", "size": "1792*1024"}
    given = rig.service.add_shot(project.id, settings={"prompt": "Given"})
    assert given.settings == {"prompt": "Given"}


def test_duplicating_copies_settings_and_title_but_no_takes(rig: Rig) -> None:
    project = rig.service.current_project()
    (first,) = rig.service.shots(project.id)
    last = rig.service.add_shot(project.id)
    rig.service.save_shot_settings(first.id, {"prompt": "Dawn", "duration": 15})
    rig.service.rename_shot(first.id, " Opening ")
    rig.submit(first.id, "Dawn", takes=2)
    copy = rig.service.duplicate_shot(first.id)
    assert (copy.code, copy.title, copy.settings) == ("SH015", "Opening", {"prompt": "Dawn", "duration": 15})
    assert [s.id for s in rig.service.shots(project.id)] == [first.id, copy.id, last.id]
    assert rig.service.takes(copy.id) == [] and rig.service.versions(copy.id) == []
    assert len(rig.service.takes(first.id)) == 2


def test_saving_the_same_settings_again_is_not_announced(rig: Rig) -> None:
    project = rig.service.current_project()
    (shot,) = rig.service.shots(project.id)
    saved = rig.service.save_shot_settings(shot.id, {"prompt": "Fog", "takes": 2})
    rig.service.save_shot_settings(shot.id, {"takes": 2, "prompt": "Fog"})
    assert saved.settings == {"prompt": "Fog", "takes": 2} and rig.shots_heard == [project.id]
    assert rig.service.shot(shot.id) == saved


def test_moving_keeps_codes_and_renumbering_follows_the_order(rig: Rig) -> None:
    project = rig.service.current_project()
    a, b, c = rig.service.shots(project.id)[0], rig.service.add_shot(project.id), rig.service.add_shot(project.id)
    moved = rig.service.move_shot(c.id, 0)
    assert [s.code for s in moved] == ["SH030", "SH010", "SH020"]
    assert [s.code for s in rig.service.move_shot(c.id, 99)] == ["SH010", "SH020", "SH030"]
    assert [s.code for s in rig.service.move_shot(a.id, 1)] == ["SH020", "SH010", "SH030"]
    assert [s.id for s in rig.service.renumber_shots(project.id)] == [b.id, a.id, c.id]
    assert codes(rig, project.id) == ["SH010", "SH020", "SH030"]


def test_a_removed_shot_is_hidden_and_undo_brings_it_back_with_its_takes(rig: Rig) -> None:
    project = rig.service.current_project()
    a = rig.service.shots(project.id)[0]
    b = rig.service.add_shot(project.id)
    c = rig.service.add_shot(project.id)
    takes = rig.submit(b.id, "Storm", takes=3)
    rig.service.remove_shot(b.id)
    assert codes(rig, project.id) == ["SH010", "SH030"]
    assert rig.service.shot(b.id) is not None  # its takes keep their shot's code in the activity view
    assert rig.store.count() == 3  # nothing deleted

    restored = rig.service.undo_remove_shot(b.id)
    assert restored is not None and restored.code == "SH020"
    assert [s.id for s in rig.service.shots(project.id)] == [a.id, b.id, c.id]
    assert [t.local_id for t in rig.service.takes(b.id)] == [t.local_id for t in takes]
    assert rig.service.undo_remove_shot(9999) is None


def test_undo_after_a_renumbering_gives_the_shot_a_free_code(rig: Rig) -> None:
    project = rig.service.current_project()
    rig.service.add_shot(project.id)
    b = rig.service.add_shot(project.id)
    rig.service.add_shot(project.id)  # SH010 SH020 SH030 SH040
    rig.service.remove_shot(b.id)  # SH030 goes
    rig.service.renumber_shots(project.id)  # SH010 SH020 SH030: its code is now another shot's
    restored = rig.service.undo_remove_shot(b.id)
    assert restored is not None
    assert codes(rig, project.id) == ["SH010", "SH020", "SH025", "SH030"]


# -- versions and takes -------------------------------------------------------------------------------------------


def test_takes_are_numbered_within_their_shot_and_an_edited_prompt_makes_a_new_version(rig: Rig) -> None:
    project = rig.service.current_project()
    shot = rig.service.shots(project.id)[0]
    other = rig.service.add_shot(project.id)
    first = rig.submit(shot.id, "A lighthouse in fog", takes=3)
    rig.submit(other.id, "Something else")
    same = rig.submit(shot.id, "A lighthouse in fog ")  # a trailing space is no new wording
    edited = rig.submit(shot.id, "A lighthouse in thick fog", takes=2)

    v1, v2 = rig.service.versions(shot.id)
    assert (v1.number, v1.prompt, v2.number, v2.prompt) == (1, "A lighthouse in fog", 2, "A lighthouse in thick fog")
    assert [t.take_number for t in first + same + edited] == [1, 2, 3, 4, 5, 6]
    assert [t.version_id for t in first + same + edited] == [v1.id] * 4 + [v2.id] * 2
    assert [t.take_number for t in rig.service.takes(shot.id)] == [1, 2, 3, 4, 5, 6]
    assert [t.take_number for t in rig.service.takes(other.id)] == [1]
    assert rig.service.version(v2.id) == v2 and rig.service.version(9999) is None


def test_a_re_run_keeps_its_version_and_gets_the_next_number(rig: Rig) -> None:
    shot = rig.service.shots(rig.service.current_project().id)[0]
    (old,) = rig.submit(shot.id, "Dawn")
    rig.submit(shot.id, "Dawn, later", takes=2)
    (again,) = rig.submit(shot.id, "Dawn", version_id=old.version_id)
    assert (again.version_id, again.take_number) == (old.version_id, 4)
    assert len(rig.service.versions(shot.id)) == 2


def test_a_version_of_another_shot_is_not_borrowed(rig: Rig) -> None:
    project = rig.service.current_project()
    shot, other = rig.service.shots(project.id)[0], rig.service.add_shot(project.id)
    (theirs,) = rig.submit(other.id, "Rain")
    (mine,) = rig.submit(shot.id, "Rain", version_id=theirs.version_id)
    assert mine.version_id != theirs.version_id
    assert [v.id for v in rig.service.versions(shot.id)] == [mine.version_id]


def test_a_task_outside_any_shot_is_stored_as_before(rig: Rig) -> None:
    (task,) = rig.submit(None, "Loose")
    assert (task.shot_id, task.take_number, task.version_id) == (None, None, None)


# -- review marks -------------------------------------------------------------------------------------------------


def test_marks_stars_notes_and_in_out_are_stored_and_announced(rig: Rig) -> None:
    shot = rig.service.shots(rig.service.current_project().id)[0]
    (take,) = rig.submit(shot.id, "Fog")
    local_id = take.local_id or 0
    circled = rig.service.set_mark(local_id, TakeMark.CIRCLED)
    assert circled is not None and circled.mark == TakeMark.CIRCLED
    assert rig.service.set_rating(local_id, 7) is not None  # brought to the nearest end
    assert rig.service.set_review_note(local_id, "  best light  ") is not None
    marked = rig.service.set_in_out(local_id, 1_200, 8_000)
    assert marked is not None
    stored = rig.store.get(local_id)
    assert stored is not None and stored == marked
    assert (stored.mark, stored.rating, stored.review_note, stored.in_ms, stored.out_ms) == (
        TakeMark.CIRCLED,
        5,
        "best light",
        1_200,
        8_000,
    )
    assert [t.local_id for t in rig.emitted] == [local_id] * 4 and rig.emitted[-1] == stored
    cleared = rig.service.set_mark(local_id, None)
    assert cleared is not None and cleared.mark is None
    lowest = rig.service.set_rating(local_id, -1)
    assert lowest is not None and lowest.rating == 0


def test_in_and_out_must_be_in_order(rig: Rig) -> None:
    shot = rig.service.shots(rig.service.current_project().id)[0]
    (take,) = rig.submit(shot.id, "Fog")
    with pytest.raises(ValueError):
        rig.service.set_in_out(take.local_id or 0, 5_000, 1_000)
    with pytest.raises(ValueError):
        rig.service.set_in_out(take.local_id or 0, -1, None)
    only_in = rig.service.set_in_out(take.local_id or 0, 5_000, None)
    assert only_in is not None and (only_in.in_ms, only_in.out_ms) == (5_000, None)
    assert not [t for t in rig.emitted if t.in_ms == 1_000]


def test_marking_a_task_that_is_gone_says_so_and_announces_nothing(rig: Rig) -> None:
    assert rig.service.set_mark(12345, TakeMark.HOLD) is None
    assert rig.service.set_rating(12345, 3) is None
    assert rig.emitted == []
