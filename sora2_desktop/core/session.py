"""Session: what one running app holds — profile, settings, key, task store, API client, runner, demo stand-in."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

import httpx
from PySide6.QtCore import QObject, QTimer, Signal

from sora2_desktop.api import ApiKey, GenerationRequest
from sora2_desktop.api.client import ApixoClient
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.images.host import DEFAULT_PREFIX, ImageHost, image_host_from_settings
from sora2_desktop.core.images.resolver import ImageResolver, ImageSource
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.downloader import ResultDownloader
from sora2_desktop.core.results.poster_frames import PosterMaker, poster_path_for
from sora2_desktop.core.runtime.logging_setup import register_secret
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.runner import TaskRunner
from sora2_desktop.core.tasks.task import Task

log = logging.getLogger(__name__)

# The stand-in runs this many times faster than the service in demo mode: a 10 s clip is "ready" in ~25 s.
DEMO_SPEED = 10.0
DEMO_KEY = "demo-key"


class Session(QObject):
    """Built once at start-up; `activate()` connects it (to the service with a key, or to the stand-in)."""

    activated = Signal()
    poster_ready = Signal(int, str)  # local id of the task, poster PNG path

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
        self.store = TaskStore(profile.database_path)
        self.store.stop_automatic_checkpoints()
        self._checkpoints = QTimer(self, interval=30_000)
        self._checkpoints.timeout.connect(self._checkpoint)
        self._checkpoints.start()
        self._checkpoint_job: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None
        self._images: ImageResolver | None = None
        self.client: ApixoClient | None = None
        self.runner: TaskRunner | None = None
        self.downloader: ResultDownloader | None = None
        self.recovered: list[Task] = []  # tasks whose state crash recovery changed at activation
        self.closed = False  # after aclose(): late timers (posters, notes) must not touch the closed store
        # Parented to the session: Qt objects left to Python's cycle collector can be freed on a worker thread.
        self.posters = PosterMaker(parent=self)
        self.posters.poster_ready.connect(lambda key, path: self.poster_ready.emit(int(key), path))
        self.demo = False
        self._sim: object | None = None

    @property
    def http(self) -> httpx.AsyncClient:
        """One connection pool for the app's life (API, image checks, downloads); made on first use, since its
        TLS set-up costs a tenth of a second that the first paint should not wait for."""
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=False)
        return self._http

    @property
    def images(self) -> ImageResolver:
        if self._images is None:
            self._images = ImageResolver(self.http, self._image_host)
        return self._images

    # -- connecting -------------------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.runner is not None

    def stored_key(self) -> ApiKey | None:
        key = self.secrets.load_api_key()
        return key if key else None

    @property
    def api_base(self) -> str:
        return self._api_base_override or self.settings.api_base_url

    def activate(self, *, demo: bool = False) -> TaskRunner:
        """Connect and resume every unfinished task. With `demo`, start the in-process stand-in first."""
        if self.runner is not None:
            return self.runner
        timing = self._timing_override or PollTiming(
            first_delay_s=float(self.settings.first_poll_delay_s),
            interval_s=float(self.settings.poll_interval_s),
            callback_interval_s=float(self.settings.callback_poll_interval_s),
        )
        if demo:
            from sora2_desktop.sim.server import SimServer  # demo only: keep it off the normal start-up path

            sim = SimServer(speed=self._demo_speed).start()
            self._sim = sim
            base, key = sim.api_base, ApiKey(DEMO_KEY)
            timing = PollTiming(
                first_delay_s=timing.first_delay_s,
                interval_s=timing.interval_s,
                callback_interval_s=timing.callback_interval_s,
                time_scale=1.0 / self._demo_speed,
            )
        else:
            stored = self.stored_key()
            if stored is None:
                raise RuntimeError("activate() without a key and outside demo mode")
            base, key = self.api_base, stored
        register_secret(key.reveal())
        self.demo = demo
        self.client = ApixoClient(base, key, http=self.http)
        self.runner = TaskRunner(self.store, self.client, timing, parent=self)
        self.downloader = ResultDownloader(
            self.store,
            self.client,
            lambda: Path(self.settings.download_dir),
            retry_scale=min(1.0, timing.time_scale),
            parent=self,
        )
        self.runner.succeeded.connect(self.downloader.enqueue)
        self.downloader.file_ready.connect(self._make_poster)
        self.recovered = self.runner.start()
        self.downloader.start()
        log.info("session active (%s) against %s", "demo" if demo else "service", base)
        self.activated.emit()
        return self.runner

    def set_api_key(self, key: ApiKey | None) -> None:
        """The person saved a new key in Settings: use it from the next request on."""
        if key is None or self.demo:
            return
        register_secret(key.reveal())
        if self.client is not None:
            self.client.api_key = key
        if self.runner is not None:
            self.runner.set_api_key_changed()

    # -- intents ----------------------------------------------------------------------------------------------

    async def prepare_and_submit(
        self, request: GenerationRequest, images: Sequence[ImageSource], takes: int
    ) -> list[Task]:
        """Make every image public (check URLs, upload files), then store and submit `takes` tasks.
        Raises ImageProblem for an image that cannot be used; validation is the caller's, before this."""
        if self.runner is None:
            raise RuntimeError("session not active")
        urls = await self.images.resolve(images) if images else ()
        final = GenerationRequest(**{**request.__dict__, "image_urls": urls})
        return self.runner.submit([final] * max(1, takes))

    def _image_host(self) -> ImageHost | None:
        s = self.settings
        return image_host_from_settings(
            endpoint=s.s3_endpoint,
            bucket=s.s3_bucket,
            region=s.s3_region,
            access_key_id=s.s3_access_key_id,
            secret_access_key=self.secrets.load_secret("s3_secret_access_key") or "",
            public_base_url=s.s3_public_base_url or None,
            prefix=s.s3_prefix or DEFAULT_PREFIX,
        )

    # -- results ----------------------------------------------------------------------------------------------

    def downloads_for(self, task: Task) -> list[Download]:
        if task.local_id is None:
            return []
        if self.downloader is not None:
            return self.downloader.downloads_for(task.local_id)
        return self.store.downloads_for(task.local_id)

    def local_video(self, task: Task) -> Path | None:
        """The first result file of `task` that is complete on disk, if any."""
        for record in self.downloads_for(task):
            if record.state == DownloadState.DONE and record.path is not None and record.path.is_file():
                return record.path
        return None

    def existing_poster(self, task: Task) -> Path | None:
        video = self.local_video(task)
        if video is None:
            return None
        poster = poster_path_for(video)
        return poster if poster.is_file() else None

    def request_poster(self, task: Task) -> None:
        video = self.local_video(task)
        if video is not None and task.local_id is not None:
            self.posters.request(str(task.local_id), video)

    def _make_poster(self, task: Task, path: Path) -> None:
        if task.local_id is not None:
            self.posters.request(str(task.local_id), path)

    def _checkpoint(self) -> None:
        if self._checkpoint_job is None or self._checkpoint_job.done():
            self._checkpoint_job = asyncio.get_event_loop().create_task(
                asyncio.to_thread(self.store.checkpoint_in_worker_thread)
            )

    async def aclose(self) -> None:
        self.closed = True
        self._checkpoints.stop()
        if self._checkpoint_job is not None:
            await asyncio.gather(self._checkpoint_job, return_exceptions=True)
        if self.downloader is not None:
            await self.downloader.stop()
        if self.runner is not None:
            await self.runner.stop()
        if self._http is not None:
            await self._http.aclose()
        self.store.close()
        if self._sim is not None:
            self._sim.stop()  # type: ignore[attr-defined]
