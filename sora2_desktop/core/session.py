"""Session: the UI's one door into the core — the operations the window needs and the signals its views show."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from sora2_desktop.api import ApiKey, GenerationRequest
from sora2_desktop.core.account.account import Account
from sora2_desktop.core.catalogue.catalogue_service import CatalogueService
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.images.source import ImageSource
from sora2_desktop.core.images.url_guard import api_is_local
from sora2_desktop.core.projects.project_service import ProjectService
from sora2_desktop.core.prompts.library import PromptLibrary
from sora2_desktop.core.results.download_memory import DownloadMemory
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.export import export_copy
from sora2_desktop.core.runtime.http_pool import HttpPool
from sora2_desktop.core.session_history import HistoryReads
from sora2_desktop.core.session_services import LaterServices
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.connection_state import ConnectionState
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.task import Task

if TYPE_CHECKING:  # imported where first used: httpx, the runner, the downloader and QtMultimedia wait for activate()
    import asyncio  # where used: the composer is on screen before asyncio's import (app.py)

    from sora2_desktop.api.client import ApixoClient
    from sora2_desktop.core.images.host import ImageHost
    from sora2_desktop.core.images.resolver import ImageResolver
    from sora2_desktop.core.results.downloader import ResultDownloader
    from sora2_desktop.core.results.poster_frames import PosterMaker
    from sora2_desktop.core.tasks.runner import TaskRunner
    from sora2_desktop.core.tasks.submission import SubmissionService, SubmitResult

log = logging.getLogger(__name__)

# The stand-in runs this many times faster than the service in demo mode: a 10 s clip is "ready" in ~25 s.
DEMO_SPEED = 10.0
DEMO_KEY = "demo-key"


class Session(QObject, LaterServices, HistoryReads):
    """Built once at start-up; `activate()` connects it (to the service with a key, or to the stand-in).

    The window calls its operations and listens to its signals; the parts behind them (store, runner,
    downloader, poster maker, client) are its own."""

    activated = Signal()
    task_changed = Signal(Task)  # a task as stored (or as it stands, for a passing note): one row to update
    download_changed = Signal(Download)  # a download's state or (throttled) progress
    poster_ready = Signal(int, str)  # local id of the task, poster PNG path
    auth_required = Signal(str)  # the service refused the key (a sentence); polling waits for set_api_key()
    tasks_submitted = Signal(list)  # list[Task]: the takes that submit() or rerun() just stored
    connection_changed = Signal(ConnectionState)  # connected / unreachable / key refused, from real answers

    def __init__(
        self,
        profile: Profile,
        settings: AppSettings,
        secrets: SecretStore,
        *,
        api_base_override: str | None = None,
        demo_speed: float = DEMO_SPEED,
        timing: PollTiming | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.settings = settings
        self.secrets = secrets
        self._api_base_override = api_base_override
        self._demo_speed = demo_speed
        self._timing_override = timing  # tests run against a fast stand-in and poll to match
        self.models = CatalogueService(profile, settings, parent=self)  # what each model takes and costs
        self.account = Account(self.models, parent=self)  # the key's balance and what a click costs
        self.account.follow(self.tasks_submitted, self.task_changed)
        self.prompts = PromptLibrary.in_folder(profile.root, parent=self)  # saved prompts, craft terms
        self._store = TaskStore(profile.database_path)
        self._store.stop_automatic_checkpoints()  # the session checkpoints from a worker thread (_checkpoint)
        # Projects → shots → takes, in whichever database is current (demo mode has its own).
        self.projects = ProjectService(lambda: self._store, self.task_changed.emit, parent=self)
        # frames, sheets and exports: made when first asked for (session_services.py)
        self._checkpoints = QTimer(self, interval=30_000)
        self._checkpoints.timeout.connect(self._checkpoint)
        self._checkpoints.start()
        self._checkpoint_job: asyncio.Task[None] | None = None
        self._http = HttpPool()  # made ahead in a worker (prepare_connection) or with the first request
        self._images: ImageResolver | None = None
        self._client: ApixoClient | None = None
        self._runner: TaskRunner | None = None
        self._downloader: ResultDownloader | None = None
        self._submission: SubmissionService | None = None
        self._downloads = DownloadMemory()  # the records the views asked for, kept current by download_changed
        self.closed = False  # after aclose(): late timers (posters, notes) must not touch the closed store
        self._posters: PosterMaker | None = None  # made with the first poster asked for (_poster_maker)
        self.demo = False
        self._sim: object | None = None

    def prepare_connection(self, *, demo: bool = False) -> None:
        """Make the HTTP pool on the calling thread (app.py: a worker, while the window's parts are built), and import
        what activate() uses, so that it does not spend ~0.1 s of the GUI thread importing httpx, building its TLS
        context (and the client's regular expressions), the runner and the downloader, and for `demo` the stand-in
        (25 ms: a demo start's first frames waited 50-80 ms for activate())."""
        try:
            import sora2_desktop.api.client
            import sora2_desktop.core.results.downloader
            import sora2_desktop.core.tasks.runner
            import sora2_desktop.core.tasks.submission

            if demo:
                import sora2_desktop.sim.server  # noqa: F401

            self._http.warm()
        except Exception:  # made again where it is used, which reports the failure; nothing waits for this one
            log.warning("the HTTP pool could not be made ahead", exc_info=True)

    def _image_resolver(self) -> ImageResolver:
        if self._images is None:
            from sora2_desktop.core.images.resolver import ImageResolver

            local = lambda: api_is_local(self._client.base_url if self._client else self.api_base)  # noqa: E731
            # Local image URLs only while the API is too (url_guard.py)
            self._images = ImageResolver(self._http.client(), self._image_host, allow_local=local)
        return self._images

    # -- connecting -------------------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._runner is not None

    def stored_key(self) -> ApiKey | None:
        return self.secrets.load_api_key() or None

    @property
    def history(self) -> Path:
        """The database the views show (demo mode has its own): a view reloads when it changes."""
        return Path(self._store.path)

    @property
    def api_base(self) -> str:
        return self._api_base_override or self.settings.api_base_url

    @property
    def time_scale(self) -> float:
        """How much faster than the service's clock tasks run (1.0 but in demo mode and tests)."""
        return self._runner.timing.time_scale if self._runner is not None else 1.0

    @property
    def polling_paused(self) -> bool:
        """True while the service refuses the key: nothing is sent until set_api_key()."""
        return self._runner is not None and self._runner.paused

    def activate(self, *, demo: bool = False, key: ApiKey | None = None) -> None:
        """Connect and resume every unfinished task (the ones crash recovery changed come by task_changed).
        With `demo`, start the in-process stand-in first; else use `key`, or the stored key read now."""
        if self._runner is not None:
            return
        timing = self._timing_override or PollTiming(
            first_delay_s=float(self.settings.first_poll_delay_s),
            interval_s=float(self.settings.poll_interval_s),
            callback_interval_s=float(self.settings.callback_poll_interval_s),
        )
        downloads = lambda: Path(self.settings.download_dir)  # noqa: E731 - read at each download: a setting
        if demo:
            from sora2_desktop.sim.server import SimServer  # demo only: keep it off the normal start-up path

            sim = SimServer(speed=self._demo_speed).start()
            self._sim = sim
            self.models.follow_index_of(lambda: sim.models_index_url)  # its own model index, while it runs
            base, key = sim.api_base, ApiKey(DEMO_KEY)
            timing = replace(timing, time_scale=1.0 / self._demo_speed)
            # Demo tasks and files live apart (<profile>/demo/): the real history never shows them.
            demo_profile = Profile.from_dir(self.profile.root / "demo").ensure()
            self._switch_store(demo_profile.database_path)
            downloads = lambda: demo_profile.downloads_dir  # noqa: E731
        else:
            stored = key or self.stored_key()
            if stored is None:
                raise RuntimeError("activate() without a key and outside demo mode")
            base, key = self.api_base, stored
        from sora2_desktop.core.runtime.logging_setup import register_secret  # after the window's first stage

        register_secret(key.reveal())
        self.demo = demo
        from sora2_desktop.api.client import ApixoClient
        from sora2_desktop.core.results.downloader import ResultDownloader
        from sora2_desktop.core.tasks.runner import TaskRunner
        from sora2_desktop.core.tasks.submission import SubmissionService

        self._client = ApixoClient(base, key, http=self._http.client())
        spec_for = lambda model_id: self.models.current().spec_for(model_id)  # noqa: E731 - at each request
        runner = self._runner = TaskRunner(self._store, self._client, timing, models=spec_for, parent=self)
        downloader = self._downloader = ResultDownloader(
            self._store,
            self._client,
            downloads,
            retry_scale=min(1.0, timing.time_scale),
            size_cap=lambda: self.settings.download_size_cap_bytes,
            place=self.projects.file_place(downloads),  # a take is named by its project's template
            parent=self,
        )
        placing = self.projects.placing(runner.submit)  # takes of a shot get their prompt version and numbers
        self._submission = SubmissionService(self._image_resolver(), placing, self.models.current)
        runner.task_changed.connect(self.task_changed)
        runner.auth_required.connect(self.auth_required)
        runner.connection_changed.connect(self.connection_changed)
        runner.succeeded.connect(downloader.enqueue)
        downloader.download_changed.connect(self._on_download_changed)
        downloader.file_ready.connect(self._make_poster)
        runner.start()
        downloader.start()
        self.account.attach(self._client, runner.limiter, self._store.balances)
        self._downloads.clear()  # the start settles expired links in one write, without download_changed
        log.info("session active (%s) against %s", "demo" if demo else "service", base)
        self.activated.emit()

    async def deactivate(self) -> None:
        """Disconnect and go back to the real history (how demo mode is left); `activate()` connects again."""
        import asyncio

        if self._runner is None:
            return
        await self._disconnect()
        if self.demo:
            if self._checkpoint_job is not None:
                await asyncio.gather(self._checkpoint_job, return_exceptions=True)
            self._switch_store(self.profile.database_path)
        self.demo = False
        self._downloads.clear()

    async def _disconnect(self) -> None:
        """Stop the runner, the downloader and the stand-in (each writes where it stopped). The runner first: a
        task it finds done while the downloader stops would start a download nobody cancels."""
        await self.account.detach()
        if self._runner is not None:
            await self._runner.stop()
        if self._downloader is not None:
            await self._downloader.stop()
        self._runner = self._downloader = self._client = self._submission = None
        if self._sim is not None:
            self._sim.stop()  # type: ignore[attr-defined]
            self._sim = None

    def _switch_store(self, path: Path) -> None:
        if Path(self._store.path) == Path(path):
            return
        if self._checkpoint_job is None or self._checkpoint_job.done():
            self._store.close()  # else a worker thread's checkpoint still holds it: it closes with Python
        self._store = TaskStore(path)
        self._store.stop_automatic_checkpoints()

    def set_api_key(self, key: ApiKey | None) -> None:
        """The person saved a new key in Settings: use it from the next request on."""
        if key is None or self.demo:
            return
        from sora2_desktop.core.runtime.logging_setup import register_secret

        register_secret(key.reveal())
        if self._client is not None:
            self._client.api_key = key
        if self._runner is not None:
            self._runner.set_api_key_changed()

    def _image_host(self) -> ImageHost | None:
        from sora2_desktop.core.images.host import image_host_for

        return image_host_for(self.settings, self.secrets.load_secret("s3_secret_access_key") or "", self._sim)

    # -- generating -------------------------------------------------------------------------------------------

    async def submit(
        self, request: GenerationRequest, images: Sequence[ImageSource], takes: int, shot_id: int | None = None
    ) -> SubmitResult:
        """Judge `request` with `images` (its own image_urls are not looked at), make the images public, then
        store and send `takes` tasks (takes of the shot `shot_id`, of a new prompt version if its prompt was
        edited). The result holds the stored tasks, or errors at the form's fields."""
        if self._submission is None:
            raise RuntimeError("session not active")
        result = await self._submission.submit(request, images, takes, shot_id)
        if result.tasks:
            self.tasks_submitted.emit(result.tasks)
        return result

    async def check_image_url(self, url: str) -> str | None:
        """None when `url` answers with an image the service takes; else why not, in words for a person."""
        return await self._image_resolver().check_url(url)

    def rerun(self, task: Task, duration: int | None = None) -> list[Task]:
        """Send a stored task's request again (as one new take of its shot and prompt version, if it had one),
        with another duration if given."""
        if self._submission is None:
            return []
        request = task.request if duration is None else replace(task.request, duration=duration)
        tasks = self._submission.send_again(request, task.shot_id, task.version_id, task.source_frame)
        self.tasks_submitted.emit(tasks)
        return tasks

    def cancel(self, local_id: int) -> None:
        """Stop waiting for a task in any phase: it ends locally as CANCELLED (nothing more is sent for it)."""
        if self._runner is not None:
            self._runner.cancel(local_id)

    def retry_now(self, local_id: int) -> None:
        """Send a not-sent submit (or ask about a task) now instead of after its wait."""
        if self._runner is not None:
            self._runner.retry_now(local_id)

    def remove(self, task: Task) -> None:
        """Forget a task and its download records (the service has no cancel: a running task still finishes
        there, unfollowed). Its files on disk stay."""
        if task.local_id is None:
            return
        if self._runner is not None:
            self._runner.remove(task)
        else:
            self._store.remove(task.local_id)
        self._downloads.forget(task.local_id)

    # -- the views' lists -------------------------------------------------------------------------------------

    def downloads_for(self, task: Task) -> list[Download]:
        """The task's download records with live progress; read from the database once, then kept in memory."""
        if task.local_id is None:
            return []
        read = self._downloader.downloads_for if self._downloader is not None else self._store.downloads_for
        return self._downloads.records(task.local_id, read)

    def local_video(self, task: Task) -> Path | None:
        """The first result file of `task` that is complete on disk, if any."""
        for record in self.downloads_for(task):
            if record.state == DownloadState.DONE and record.path is not None and record.path.is_file():
                return record.path
        return None

    # -- results ----------------------------------------------------------------------------------------------

    def redownload(self, task: Task) -> str | None:
        """Fetch again what of `task` is not on disk. None when it is under way; else why not, for a person."""
        if self._downloader is None:
            return self.tr("Not connected to the service.")
        return self._downloader.redownload(task)

    async def export(self, video: Path, target: Path) -> Path:
        """Copy `video` (and its sidecar) to `target`; raises OSError with the system's reason."""
        return await export_copy(video, target)

    def _on_download_changed(self, record: Download) -> None:
        if self.closed:
            return
        self._downloads.note(record)
        self.download_changed.emit(record)

    def _make_poster(self, task: Task, path: Path) -> None:
        if task.local_id is not None:
            self._poster_maker().request(str(task.local_id), path)

    def _poster_maker(self) -> PosterMaker:
        """Made at the first poster asked for (QtMultimedia); the session's child: never freed by a worker thread."""
        if self._posters is None:
            from sora2_desktop.core.results.poster_frames import PosterMaker

            self._posters = PosterMaker(parent=self)
            self._posters.poster_ready.connect(self._on_poster_ready)
        return self._posters

    def _on_poster_ready(self, key: str, path: str) -> None:
        self.poster_ready.emit(int(key), path)

    def _checkpoint(self) -> None:
        import asyncio

        if self._checkpoint_job is None or self._checkpoint_job.done():
            checkpoint = asyncio.to_thread(self._store.checkpoint_in_worker_thread)
            self._checkpoint_job = asyncio.get_event_loop().create_task(checkpoint)

    async def aclose(self) -> None:
        import asyncio

        self.closed = True
        self.models.cancel_refresh()
        self._checkpoints.stop()
        if self._checkpoint_job is not None:
            await asyncio.gather(self._checkpoint_job, return_exceptions=True)
        await self._disconnect()
        await self._http.aclose()
        self._store.close()
