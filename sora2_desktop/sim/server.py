"""SimServer: the stand-in served over real HTTP on loopback — an API origin and a separate CDN origin."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from sora2_desktop.resources import resource_path
from sora2_desktop.sim.contract import INDEX_PATH, STARTING_BALANCE_USD
from sora2_desktop.sim.faults import FaultPlan
from sora2_desktop.sim.handlers import ApiHandler, CdnHandler, OriginServer, envelope
from sora2_desktop.sim.media.clips import ClipSpec, DemoClips, picture_size
from sora2_desktop.sim.service import Clock, SimService, SimTask
from sora2_desktop.sim.uploads import UPLOADS_PATH, UploadStore

TICK_S = 0.05  # how often finished tasks are checked for owed callbacks
CALLBACK_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it reached an origin; `time` is the sim clock's Unix seconds."""

    origin: str  # "api" or "cdn"
    method: str
    path: str  # with the query string, as sent
    headers: dict[str, str]  # lower-case names
    body: bytes
    time: float

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "method": self.method,
            "path": self.path,
            "headers": self.headers,
            "body": self.body.decode("utf-8", "replace"),
            "time": self.time,
        }


class SimServer:
    """Start with `start()` (or `with SimServer() as sim:`); then point a client at `api_base`."""

    def __init__(
        self,
        *,
        speed: float = 1.0,
        require_key: str | None = None,
        host: str = "127.0.0.1",
        api_port: int = 0,
        cdn_port: int = 0,
        rate_limit_per_minute: int = 10_000,
        max_running_tasks: int = 1_000,
        clock: Callable[[], float] | None = None,
        contract: str = "seed",
        balance_usd: float = STARTING_BALANCE_USD,
    ) -> None:
        self.clock: Clock = clock or time.time
        self.faults = FaultPlan()
        self.service = SimService(
            faults=self.faults,
            clock=self.clock,
            speed=speed,
            require_key=require_key,
            rate_limit_per_minute=rate_limit_per_minute,
            max_running_tasks=max_running_tasks,
            contract=contract,
            balance_usd=balance_usd,
        )
        self.requests: list[RecordedRequest] = []
        # (taskId, callback URL, HTTP status or error name): what the callback mode actually delivered.
        self.callbacks: list[tuple[str, str, str]] = []
        # Each finished task's own video, built from resources/demo_media on first download (sim/media).
        self.clips = DemoClips(resource_path("demo_media"))
        self.uploads = UploadStore()  # demo mode's image host: start images posted by the app (uploads.py)
        self.api_base = ""
        self.cdn_base = ""
        self._host, self._api_port, self._cdn_port = host, api_port, cdn_port
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._origins: list[OriginServer] = []
        self._threads: list[threading.Thread] = []

    # --- lifecycle --------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._origins:
            return self
        api = OriginServer((self._host, self._api_port), ApiHandler, self)
        try:
            cdn = OriginServer((self._host, self._cdn_port), CdnHandler, self)
        except OSError:
            api.server_close()
            raise
        self._origins = [api, cdn]
        self.api_base = _base(api)
        self.cdn_base = _base(cdn)
        self.service.result_base = self.cdn_base
        self._stopping.clear()
        # A short poll interval keeps stop() quick: shutdown() waits for the serve loop's next wake-up.
        self._spawn("api", api.serve_forever, (TICK_S,))
        self._spawn("cdn", cdn.serve_forever, (TICK_S,))
        self._spawn("tick", self._tick, ())
        return self

    def _spawn(self, name: str, target: Callable[..., None], args: tuple[float, ...]) -> None:
        thread = threading.Thread(target=target, args=args, name=f"sim-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        # Both origins at once: each shutdown() waits for its serve loop's next wake-up.
        closers = [threading.Thread(target=origin.shutdown, daemon=True) for origin in self._origins]
        for closer in closers:
            closer.start()
        for closer, origin in zip(closers, self._origins, strict=True):
            closer.join(timeout=5)
            origin.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._origins, self._threads = [], []

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def uploads_url(self) -> str | None:
        """Where demo mode posts a local image and where it is served back (uploads.py); None once stopped."""
        return f"{self.api_base}{UPLOADS_PATH}" if self._origins else None

    @property
    def models_index_url(self) -> str | None:
        """The model index this stand-in publishes (at /docs/, like the service's web host); None once stopped."""
        return f"{self.api_base}{INDEX_PATH}" if self._origins else None

    def set_contract(self, contract: str) -> None:
        """Play the "seed" or the "later" version of the service's pages from the next request on."""
        self.service.set_contract(contract)

    # --- demo videos ------------------------------------------------------------------------------

    def clip_spec(self, task: SimTask | str) -> ClipSpec:
        """What the task's video is: the asked size and seconds, its model's frame rate, its look."""
        found = task if isinstance(task, SimTask) else self.service.task(task)
        if found is None:
            raise KeyError(f"no task {task}")
        width, height = picture_size(found.body["input"])
        return ClipSpec(width, height, found.fps, found.duration, found.look)

    def video(self, task: SimTask | str) -> bytes:
        """The MP4 the CDN serves for a task (by task or taskId): the same bytes on every request."""
        return self.clips.clip(self.clip_spec(task))

    # --- test helpers -----------------------------------------------------------------------------

    def record(self, origin: str, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        with self._lock:
            self.requests.append(RecordedRequest(origin, method, path, headers, body, self.clock()))

    def requests_snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests)

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()  # same list object: code holding a reference sees it emptied

    def finish_all(self) -> None:
        """Every running task reaches its final state now; owed callbacks are sent right away."""
        self.service.finish_all()
        self._send_callbacks()

    # --- callback mode ----------------------------------------------------------------------------

    def _tick(self) -> None:
        # A thread, not a timer per task: states come from the clock, which tests may move at any moment.
        while not self._stopping.wait(TICK_S):
            self._send_callbacks()

    def _send_callbacks(self) -> None:
        for task in self.service.take_finished_callbacks():
            threading.Thread(target=self._post_callback, args=(task,), name="sim-callback", daemon=True).start()

    def _post_callback(self, task: SimTask) -> None:
        url = task.callback_url or ""
        parts = urlsplit(url)
        body = envelope(200, "success", self.service.status_data(task))
        conn_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_type(parts.hostname or "", parts.port, timeout=CALLBACK_TIMEOUT_S)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            outcome = str(conn.getresponse().status)
        except (OSError, http.client.HTTPException) as exc:
            outcome = type(exc).__name__  # best effort, like the real service: no retry
        finally:
            conn.close()
        with self._lock:
            self.callbacks.append((task.task_id, url, outcome))


def _base(origin: OriginServer) -> str:
    host, port = origin.server_address[:2]
    host = host.decode() if isinstance(host, bytes) else host
    return f"http://{host}:{port}"


__all__ = ["RecordedRequest", "SimServer"]
