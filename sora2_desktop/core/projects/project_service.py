"""ProjectService: the operations on projects, shots, prompt versions and review marks (Session.projects)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from sora2_desktop.core.projects import source_frame
from sora2_desktop.core.projects.model import Project, PromptVersion, Shot, TakeMark, shot_code
from sora2_desktop.core.projects.project_store import ProjectStore
from sora2_desktop.core.projects.shot_codes import code_between
from sora2_desktop.core.projects.source_frame import SourceFrame
from sora2_desktop.core.projects.take_files import take_stem
from sora2_desktop.core.results.files import video_stem
from sora2_desktop.core.tasks.task import Task

if TYPE_CHECKING:
    from sora2_desktop.core.projects.shot_list_check import PlannedShot
    from sora2_desktop.core.storage.task_store import TaskStore

NEW_PROJECT = "Untitled"  # what a profile with no project left starts with (the migration writes the same name)
MAX_STARS = 5
# A new shot takes its neighbour's model and settings (a trailer is mostly made with one set-up), not its words.
_NOT_INHERITED = ("prompt", "images")


class ProjectService(QObject):
    """Every change is written to SQLite at once and announced by a signal; the views re-read what they show.
    A take is a Task (one generation): its shot, number, prompt version and review marks are Task fields
    (shot_id, take_number, version_id, mark, rating, review_note, in_ms, out_ms); a changed take comes by
    Session.task_changed like every other task change (`emit_task`).

    `store` is read at each call: demo mode switches the session to another database, and the projects with it."""

    projects_changed = Signal()  # added, renamed, removed, reordered
    shots_changed = Signal(int)  # project id: its shots were added, renamed, moved, removed or edited

    def __init__(
        self, store: Callable[[], TaskStore], emit_task: Callable[[Task], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._emit_task = emit_task

    def _db(self) -> ProjectStore:
        return self._store().projects

    # -- projects ---------------------------------------------------------------------------------------------

    def projects(self) -> list[Project]:
        """In order; never empty: a database whose projects are all gone gets a new "Untitled" one."""
        found = self._db().projects()
        return found or [self.create_project(NEW_PROJECT)]

    def project(self, project_id: int) -> Project | None:
        return self._db().project(project_id)

    def create_project(self, name: str, folder: str | None = None, name_template: str | None = None) -> Project:
        """A new project, last in the list, with its first shot SH010 ready for a prompt."""
        project = self._db().add_project(name.strip() or NEW_PROJECT, folder or None, name_template)
        self._db().add_shot(project.id, shot_code(1), 0, {}, "")
        self.projects_changed.emit()
        return project

    def rename_project(self, project_id: int, name: str) -> Project:
        return self.update_project(replace(self._project(project_id), name=name))

    def update_project(self, project: Project) -> Project:
        """Writes its name, folder and file-name template (an empty name keeps the old one)."""
        stored = self._project(project.id)
        fixed = replace(project, name=project.name.strip() or stored.name)
        self._db().write_project(fixed)
        self.projects_changed.emit()
        return self._project(project.id)

    def current_project(self) -> Project:
        """The one the person last worked in (set_current_project, kept in the database across restarts)."""
        db = self._db()
        current = db.opened_project_id()
        project = None if current is None else db.project(current)
        return project or self.projects()[0]

    def set_current_project(self, project_id: int) -> None:
        self._project(project_id)
        self._db().mark_opened(project_id)

    # -- shots ------------------------------------------------------------------------------------------------

    def shots(self, project_id: int) -> list[Shot]:
        return self._db().shots(project_id)

    def shot(self, shot_id: int) -> Shot | None:
        """The shot, a removed one too (a take in the activity view keeps its shot's code)."""
        return self._db().shot(shot_id)

    def add_shot(self, project_id: int, settings: dict[str, Any] | None = None, after: int | None = None) -> Shot:
        """A new shot after the shot `after` (None: at the end), coded between its neighbours (SH015). Without
        `settings` it takes the model settings of the shot it follows, with no prompt and no images."""
        self._project(project_id)
        visible = self._db().shots(project_id)
        at = len(visible) - 1 if after is None else next((i for i, s in enumerate(visible) if s.id == after), None)
        if at is None:
            raise LookupError(f"no shot {after} in project {project_id}")
        before = visible[at] if at >= 0 else None
        following = visible[at + 1] if at + 1 < len(visible) else None
        if settings is None:
            source = before.settings if before is not None else {}
            settings = {key: value for key, value in source.items() if key not in _NOT_INHERITED}
        everyone = self._db().shots(project_id, removed_too=True)
        return self._insert(project_id, before, following, everyone, settings, "")

    def duplicate_shot(self, shot_id: int) -> Shot:
        """Settings and title copied, no takes, placed right after it."""
        original = self._shot(shot_id)
        everyone = self._db().shots(original.project_id, removed_too=True)
        visible = self._db().shots(original.project_id)
        at = next((index for index, shot in enumerate(visible) if shot.id == shot_id), None)
        following = visible[at + 1] if at is not None and at + 1 < len(visible) else None
        return self._insert(original.project_id, original, following, everyone, dict(original.settings), original.title)

    def rename_shot(self, shot_id: int, title: str) -> Shot:
        shot = self._shot(shot_id).with_(title=title.strip())
        self._db().write_shot(shot)
        self.shots_changed.emit(shot.project_id)
        return shot

    def save_shot_settings(self, shot_id: int, settings: dict[str, Any]) -> Shot:
        """The composer's draft, as typed; announced only when it differs from what is stored."""
        shot = self._shot(shot_id)
        if _same(shot.settings, settings):
            return shot
        self._db().write_settings(shot_id, settings)
        self.shots_changed.emit(shot.project_id)
        return self._shot(shot_id)

    def move_shot(self, shot_id: int, to_position: int) -> list[Shot]:
        """Move it to `to_position` among the shots shown (0 first); codes unchanged. Returns the shots shown."""
        moving = self._shot(shot_id)
        everyone = self._db().shots(moving.project_id, removed_too=True)
        visible = [shot for shot in self._db().shots(moving.project_id) if shot.id != shot_id]
        to_position = max(0, min(to_position, len(visible)))
        rest = [shot for shot in everyone if shot.id != shot_id]
        # Placed just before the shot now at `to_position` (removed shots keep their places among the rest).
        at = rest.index(visible[to_position]) if to_position < len(visible) else len(rest)
        rest.insert(at, moving)
        self._db().write_order([(shot.id, position, shot.code) for position, shot in enumerate(rest)])
        self.shots_changed.emit(moving.project_id)
        return self.shots(moving.project_id)

    def renumber_shots(self, project_id: int) -> list[Shot]:
        """Codes SH010, SH020 … in the current order of the shots shown (removed ones keep theirs)."""
        visible = self._db().shots(project_id)
        self._db().write_order([(shot.id, shot.position, shot_code(n)) for n, shot in enumerate(visible, start=1)])
        self.shots_changed.emit(project_id)
        return self.shots(project_id)

    def remove_shot(self, shot_id: int) -> None:
        """Hidden at once, takes and all; undo_remove_shot brings it back. Its takes stay in the activity view."""
        shot = self._shot(shot_id)
        self._db().set_removed(shot_id, True)
        self.shots_changed.emit(shot.project_id)

    def undo_remove_shot(self, shot_id: int) -> Shot | None:
        """Back in its place with its takes; a new code if a renumbering gave its code to another shot meanwhile.
        None when there is no such shot."""
        shot = self._db().shot(shot_id)
        if shot is None:
            return None
        self._db().set_removed(shot_id, False)
        visible = self._db().shots(shot.project_id)
        if any(other.code == shot.code for other in visible if other.id != shot_id):
            at = next(index for index, other in enumerate(visible) if other.id == shot_id)
            before = visible[at - 1].code if at > 0 else None
            after = visible[at + 1].code if at + 1 < len(visible) else None
            everyone = self._db().shots(shot.project_id, removed_too=True)
            shot = shot.with_(code=code_between(before, after, (other.code for other in everyone)))
            self._db().write_shot(shot)
        self.shots_changed.emit(shot.project_id)
        return self._db().shot(shot_id)

    def import_shots(self, project_id: int, shots: Sequence[PlannedShot], replacing: Sequence[int] = ()) -> list[Shot]:
        """An imported shot list: the shots at the end of the project with their codes, and the untouched shots
        `replacing` hidden, in one transaction. ValueError when a code is one a shot kept already has.
        `undo_import` takes it back."""
        self._project(project_id)
        kept = {shot.code.upper() for shot in self._db().shots(project_id) if shot.id not in replacing}
        clash = [planned.code for planned in shots if planned.code.upper() in kept]
        if clash:
            raise ValueError(f"shot codes already in project {project_id}: {', '.join(clash)}")
        made = self._db().append_shots(project_id, [(s.code, s.title, s.settings) for s in shots], replacing)
        self.shots_changed.emit(project_id)
        return made

    def undo_import(self, project_id: int, shot_ids: Sequence[int], replaced: Sequence[int] = ()) -> None:
        """The imported shots hidden again (their takes with them) and the shots they replaced back."""
        self._db().set_removed_many(shot_ids, replaced)
        self.shots_changed.emit(project_id)

    # -- takes and versions -----------------------------------------------------------------------------------

    def takes(self, shot_id: int) -> list[Task]:
        """Take 1 first."""
        return self._db().takes(shot_id)

    def versions(self, shot_id: int) -> list[PromptVersion]:
        return self._db().versions(shot_id)

    def version(self, version_id: int) -> PromptVersion | None:
        return self._db().version(version_id)

    def place_takes(self, shot_id: int, prompt: str, version_id: int | None = None) -> tuple[int, int]:
        """(prompt version id, number of the first new take) for takes about to be stored in the shot: the
        version `version_id` if it is the shot's (a re-run), else the shot's latest when its prompt is this one,
        else a new version; numbers follow the shot's highest take. Call it right before the takes are stored
        (no await in between), so two submits never share numbers."""
        shot = self._shot(shot_id)
        db = self._db()
        kept = None if version_id is None else db.version(version_id)
        if kept is None or kept.shot_id != shot.id:
            versions = db.versions(shot.id)
            kept = versions[-1] if versions and versions[-1].prompt.strip() == prompt.strip() else None
            kept = kept or db.add_version(shot.id, prompt)
        return kept.id, db.highest_take(shot.id) + 1

    def placing(self, store_and_send: Callable[..., list[Task]]) -> Callable[..., list[Task]]:
        """TaskRunner.submit wrapped for SubmissionService: with a `shot_id`, the takes get their version and
        numbers (place_takes) at the moment they are stored."""

        def place_and_send(
            requests: list[Any], *, shot_id: int | None = None, version_id: int | None = None, **kwargs: Any
        ) -> list[Task]:
            if shot_id is None or not requests:
                return store_and_send(requests, **kwargs)
            version, first = self.place_takes(shot_id, requests[0].prompt, version_id)
            # A fresh Generate from the shot's draft records the frame its start image came from (a re-run
            # keeps its version and brings its own take's lineage).
            lineage = self.draft_source_frame(shot_id) if version_id is None else None
            if lineage is not None and kwargs.get("source_frame") is None and str(requests[0].mode) == "image-to-video":
                kwargs["source_frame"] = lineage
            return store_and_send(requests, shot_id=shot_id, version_id=version, first_take=first, **kwargs)

        return place_and_send

    def draft_source_frame(self, shot_id: int) -> SourceFrame | None:
        """The lineage of the start image in the shot's draft, while that image is listed in image-to-video."""
        shot = self._db().shot(shot_id)
        return None if shot is None else source_frame.for_takes(shot.settings)

    def file_place(self, download_dir: Callable[[], Path]) -> Callable[[Task, int], tuple[Path, str]]:
        """For the downloader: (folder, file name without suffix) of a task's result. A take of a shot is named
        by its project's template and saved in the project's folder if it has one; any other task keeps
        today's name in `download_dir()`."""

        def place(task: Task, url_index: int) -> tuple[Path, str]:
            shot = None if task.shot_id is None or task.take_number is None else self._db().shot(task.shot_id)
            project = None if shot is None else self._db().project(shot.project_id)
            if shot is None or project is None or task.take_number is None:
                return Path(download_dir()), video_stem(task, url_index)
            folder = Path(project.folder).expanduser() if project.folder else Path(download_dir())
            stem = take_stem(project.name_template, project.name, shot.code, task.take_number, task.request, url_index)
            return folder, stem

        return place

    # -- review marks (each emits Session.task_changed with the updated take) ---------------------------------

    def set_mark(self, local_id: int, mark: TakeMark | None) -> Task | None:
        return self._review(local_id, mark=None if mark is None else str(TakeMark(mark)))

    def set_rating(self, local_id: int, stars: int) -> Task | None:
        """0-5 stars; a number outside is brought to the nearest end."""
        return self._review(local_id, rating=max(0, min(MAX_STARS, int(stars))))

    def set_review_note(self, local_id: int, note: str) -> Task | None:
        return self._review(local_id, review_note=note.strip())

    def set_in_out(self, local_id: int, in_ms: int | None, out_ms: int | None) -> Task | None:
        """In and out marks in milliseconds (None: not set). ValueError when one is negative or out < in."""
        if (in_ms is not None and in_ms < 0) or (out_ms is not None and out_ms < 0):
            raise ValueError("in and out marks are times from the start of the take")
        if in_ms is not None and out_ms is not None and out_ms < in_ms:
            raise ValueError("the out mark comes before the in mark")
        return self._review(local_id, in_ms=in_ms, out_ms=out_ms)

    # -- internals --------------------------------------------------------------------------------------------

    def _review(self, local_id: int, **values: object) -> Task | None:
        task = self._db().write_review(local_id, **values)
        if task is not None:
            self._emit_task(task)
        return task

    def _project(self, project_id: int) -> Project:
        project = self._db().project(project_id)
        if project is None:
            raise LookupError(f"no project {project_id}")
        return project

    def _shot(self, shot_id: int) -> Shot:
        shot = self._db().shot(shot_id)
        if shot is None:
            raise LookupError(f"no shot {shot_id}")
        return shot

    def _insert(
        self,
        project_id: int,
        before: Shot | None,
        following: Shot | None,
        everyone: list[Shot],
        settings: dict[str, Any],
        title: str,
    ) -> Shot:
        code = code_between(
            before.code if before else None, following.code if following else None, (s.code for s in everyone)
        )
        position = before.position + 1 if before is not None else (following.position if following else 0)
        if before is None and following is None:
            position = max((shot.position + 1 for shot in everyone), default=0)
        shot = self._db().add_shot(project_id, code, position, settings, title)
        self.shots_changed.emit(project_id)
        return shot


def _same(stored: dict[str, Any], settings: dict[str, Any]) -> bool:
    return json.dumps(stored, sort_keys=True, default=str) == json.dumps(settings, sort_keys=True, default=str)
