"""A project with shots and takes over a real TaskStore, each take's file on disk where the test wants it: what
the export of selects reads (Session.projects and Session.local_video), without a session."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.export.export_service import ExportService
from sora2_desktop.core.projects.model import Project, Shot, TakeMark
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase

DEMO_CLIP = Path(__file__).resolve().parents[3] / "resources" / "demo_clip.mp4"
MEDIA = Path(__file__).resolve().parents[2] / "data" / "media"
CREATED = datetime(2025, 3, 4, 9, 30, 15, tzinfo=UTC)
FINISHED = datetime(2025, 3, 4, 9, 34, 2, tzinfo=UTC)


class ExportRig:
    """`project` "Trailer" (files under `downloads`), its first shot SH010; `take()` adds a succeeded take with
    its file and download record; `files` is what local_video answers. `folder` can be a profile's: once the rig
    is closed, a Session there sees the same projects, takes and files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.store = TaskStore(folder / "tasks.sqlite3")
        self.projects = ProjectService(lambda: self.store, lambda task: None)
        self.downloads = folder / "downloads"
        self.downloads.mkdir(exist_ok=True)
        self.project: Project = self.projects.create_project("Trailer", folder=str(self.downloads))
        self.files: dict[int, Path] = {}
        self.exports = ExportService(self.projects, self.local_video)

    def local_video(self, task: Task) -> Path | None:
        path = self.files.get(task.local_id or 0)
        return path if path is not None and path.is_file() else None

    def shot(self, index: int = 0) -> Shot:
        """The project's `index`-th shot, made (SH020, SH030 …) if there are fewer."""
        while len(self.projects.shots(self.project.id)) <= index:
            self.projects.add_shot(self.project.id)
        return self.projects.shots(self.project.id)[index]

    def take(
        self,
        shot: Shot,
        *,
        mark: TakeMark | None = TakeMark.CIRCLED,
        content: bytes | Path = DEMO_CLIP,
        phase: TaskPhase = TaskPhase.SUCCESS,
        prompt: str = "A lighthouse at dusk, waves breaking",
        **fields: object,
    ) -> Task:
        """A take of `shot` (the next number, its prompt version), marked, with a file of `content` (bytes, or a
        copy of a file) unless `content` is empty."""
        version, number = self.projects.place_takes(shot.id, prompt)
        request = GenerationRequest(prompt=prompt, duration=10, aspect_ratio="landscape")
        task = self.store.add(
            Task(
                request=request,
                created_at=CREATED,
                phase=phase,
                task_id=f"task-{shot.code}-{number}",
                completed_at=FINISHED,
                cost_estimate_usd=0.15,
                catalogue_version="2025-03-01",
                shot_id=shot.id,
                take_number=number,
                version_id=version,
            )
        )
        assert task.local_id is not None
        if mark is not None:
            self.projects.set_mark(task.local_id, mark)
        review = {key: value for key, value in fields.items() if key in ("rating", "review_note", "in_ms", "out_ms")}
        if review:
            self.store.projects.write_review(task.local_id, **review)
        data = content.read_bytes() if isinstance(content, Path) else content
        if data:
            path = self.downloads / f"download_{shot.code}_{number}.mp4"
            path.write_bytes(data)
            path.with_suffix(".json").write_text(f'{{"take": {number}}}', encoding="utf-8")
            self.files[task.local_id] = path
            # As the downloader records it, so a Session on this folder finds the file too (Session.local_video).
            url = f"https://cdn.example/{task.task_id}.mp4"
            self.store.downloads.upsert(Download(task.local_id, 0, url, path=path, state=DownloadState.DONE))
        stored = self.store.projects.task(task.local_id)
        assert stored is not None
        return stored

    def close(self) -> None:
        self.store.close()
