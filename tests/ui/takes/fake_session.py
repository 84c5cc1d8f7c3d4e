"""A stand-in for the Session the take views use: its two signals, `local_video` and `downloads_for` (a DONE record
per video in `videos`), `settings` when given, and `projects` with the ProjectService's take and review methods
over tasks held in memory (each change announced by task_changed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.projects.model import PromptVersion, TakeMark
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.tasks.task import Task, TaskPhase

NOW = datetime(2026, 1, 9, 12, 0, 0, tzinfo=UTC)
SHOT = 7
OTHER_SHOT = 8


def make_take(
    local_id: int,
    number: int,
    phase: TaskPhase = TaskPhase.SUCCESS,
    *,
    shot_id: int = SHOT,
    prompt: str = "A red fox runs through snow",
    **changes: object,
) -> Task:
    submitted = None if phase in (TaskPhase.QUEUED, TaskPhase.SUBMITTING) else NOW - timedelta(seconds=100)
    task = Task(
        request=GenerationRequest(prompt=prompt),
        created_at=NOW - timedelta(seconds=120),
        phase=phase,
        local_id=local_id,
        task_id=f"task_{local_id:08d}" if submitted else None,
        submitted_at=submitted,
        shot_id=shot_id,
        take_number=number,
    )
    return task.with_(**changes) if changes else task


class FakeProjects:
    def __init__(self, session: FakeSession) -> None:
        self._session = session
        self.tasks: dict[int, Task] = {}
        self.version_rows: dict[int, PromptVersion] = {}
        self.calls: list[tuple[str, int, object]] = []

    def add(self, *tasks: Task) -> None:
        for task in tasks:
            assert task.local_id is not None
            self.tasks[task.local_id] = task

    def takes(self, shot_id: int) -> list[Task]:
        found = [t for t in self.tasks.values() if t.shot_id == shot_id]
        return sorted(found, key=lambda t: t.take_number or 0)

    def version(self, version_id: int) -> PromptVersion | None:
        return self.version_rows.get(version_id)

    def _change(self, name: str, local_id: int, value: object, **changes: object) -> Task | None:
        self.calls.append((name, local_id, value))
        task = self.tasks.get(local_id)
        if task is None:
            return None
        task = self.tasks[local_id] = task.with_(**changes)
        self._session.task_changed.emit(task)
        return task

    def set_mark(self, local_id: int, mark: TakeMark | None) -> Task | None:
        return self._change("set_mark", local_id, mark, mark=mark)

    def set_rating(self, local_id: int, stars: int) -> Task | None:
        return self._change("set_rating", local_id, stars, rating=stars)

    def set_review_note(self, local_id: int, note: str) -> Task | None:
        return self._change("set_review_note", local_id, note, review_note=note)


class FakeSession(QObject):
    task_changed = Signal(object)
    poster_ready = Signal(int, str)

    def __init__(self, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.projects = FakeProjects(self)
        self.videos: dict[int, Path] = {}
        self.time_scale = 1.0
        if settings is not None:  # the strip remembers its filter and order only where the session has settings
            self.settings = settings

    def local_video(self, task: Task) -> Path | None:
        return self.videos.get(task.local_id or -1)

    def downloads_for(self, task: Task) -> list[Download]:
        video = self.videos.get(task.local_id or -1)
        if video is None or task.local_id is None:
            return []
        return [Download(task.local_id, 0, f"https://cdn.example/{video.name}", path=video, state=DownloadState.DONE)]
