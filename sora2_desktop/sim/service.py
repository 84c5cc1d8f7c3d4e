"""SimService: the stand-in's state machine — keys, limits, validation, and tasks moving pending → final."""

from __future__ import annotations

import collections
import itertools
import json
import math
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sora2_desktop.sim.contract import SORA_2, STARTING_BALANCE_USD, ModelRules, models_for
from sora2_desktop.sim.faults import TASK_FAIL_KINDS, TASK_RESULT_KINDS, FaultPlan
from sora2_desktop.sim.images import check_image_url, is_loopback_url

Clock = Callable[[], float]  # Unix seconds, like time.time

RESULT_TTL_S = 15 * 24 * 3600  # result URLs are valid for 15 days
# Service-time ranges in seconds (before dividing by `speed`), from API.md's "generation time".
PENDING_S = (3.0, 15.0)
TOTAL_S = {10: (180.0, 300.0), 15: (240.0, 360.0)}
# Other durations (4/8/12 s): no published figure; about 18-30 s of service time per second of video, as for 10 s.
TOTAL_S_PER_VIDEO_SECOND = (18.0, 30.0)
# The parameters that set the frame; a model takes one of them per mode and refuses the others.
FRAME_PARAMS = ("aspect_ratio", "size", "resolution")
# Input checks (safety, image fetch) fail early: soon after the task leaves the queue.
EARLY_FAIL_S = (5.0, 30.0)

FAIL_MESSAGES = {
    "CONTENT_VIOLATION": "The prompt or reference image was flagged by the content safety system.",
    "INVALID_IMAGE_URL": "The service could not fetch the reference image.",
}


class ManualClock:
    """A clock that moves only when told to: `advance(seconds)`. Starts at a fixed, realistic Unix time."""

    def __init__(self, start: float = 1_767_965_610.0) -> None:
        self._lock = threading.Lock()
        self._now = start

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, now: float) -> None:
        with self._lock:
            self._now = now


class ServiceError(Exception):
    """An error answer: `code` goes into both the HTTP status and the envelope's code field."""

    def __init__(self, code: int, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


@dataclass
class SimTask:
    task_id: str
    key: str
    body: dict[str, Any]
    created: float  # clock seconds
    started: float  # pending → processing
    ends: float  # processing → success/failed
    fail_code: str | None = None
    fail_msg: str | None = None
    not_video: bool = False
    evil_name: bool = False
    notified: bool = False  # callback sent (or not needed)
    model: str = "sora-2"
    fps: int = 30  # frame rate of its demo video: the model's (contract.py)
    look: int = 0  # its place in the round-robin of demo looks: consecutive tasks never look alike (sim/media)

    @property
    def duration(self) -> int:
        return int(self.body["input"]["duration"])

    @property
    def callback_url(self) -> str | None:
        return self.body.get("callback_url") if self.body.get("request_type") == "callback" else None

    def state(self, now: float) -> str:
        if now >= self.ends:
            return "failed" if self.fail_code else "success"
        return "processing" if now >= self.started else "pending"


def validate(raw: bytes, rules: ModelRules = SORA_2) -> dict[str, Any]:
    """The submit body, checked as the service checks it for the model `rules` describe; ServiceError(400) whose
    message names the parameter (`input.duration must be one of 4, 8, 12 (got 10)`) if not."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ServiceError(400, "Invalid request: the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ServiceError(400, "Invalid request: the body must be a JSON object")
    inp = body.get("input")
    if not isinstance(inp, dict):
        raise ServiceError(400, "input is required and must be an object")
    prompt = inp.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ServiceError(400, "input.prompt is required and must not be empty")
    if len(prompt) > rules.prompt_max:
        raise ServiceError(400, f"input.prompt is too long: {len(prompt)} characters (at most {rules.prompt_max})")
    mode = _one_of("input.mode", inp.get("mode"), tuple(rules.frame))
    duration = inp.get("duration", rules.default_duration)
    if isinstance(duration, bool) or duration not in rules.durations:
        _one_of("input.duration", duration, rules.durations)
    inp["duration"] = duration
    frame = rules.frame[mode]
    for param in FRAME_PARAMS:
        if param in inp and param != frame.param:
            raise ServiceError(400, f"input.{param} is not taken by {rules.model} in {mode}: use input.{frame.param}")
    inp[frame.param] = _one_of(f"input.{frame.param}", inp.get(frame.param, frame.default), frame.options)
    body["provider"] = _one_of("provider", body.get("provider", rules.default_provider), rules.providers)
    urls = inp.get("image_urls")
    if urls is not None and (not isinstance(urls, list) or not all(isinstance(u, str) for u in urls)):
        raise ServiceError(400, "input.image_urls must be a list of URLs")
    if mode == "image-to-video" and not urls:
        raise ServiceError(400, "input.image_urls is required for image-to-video")
    if mode == "image-to-video" and rules.exactly_one_image and len(urls or []) != 1:
        raise ServiceError(
            400, f"input.image_urls must hold exactly one URL for image-to-video (got {len(urls or [])})"
        )
    if rules.watermark:
        inp.setdefault("remove_watermark", True)
        if not isinstance(inp["remove_watermark"], bool):
            raise ServiceError(400, "input.remove_watermark must be true or false")
    body.setdefault("request_type", "async")
    if body["request_type"] not in ("async", "callback"):
        raise ServiceError(400, f"request_type must be async or callback, not {json.dumps(body['request_type'])}")
    callback = body.get("callback_url")
    if body["request_type"] == "callback" and (not isinstance(callback, str) or not callback.strip()):
        raise ServiceError(400, "callback_url is required when request_type is callback")
    return body


def _one_of(name: str, value: Any, options: tuple[Any, ...]) -> Any:
    """`value` when it is among `options` (a bool never is); else the 400 that names the parameter."""
    if isinstance(value, bool) or value not in options:
        allowed = ", ".join(str(option) for option in options)
        raise ServiceError(400, f"{name} must be one of {allowed} (got {json.dumps(value)})")
    return value


class SimService:
    """All tasks of all keys. States come from the clock on demand, so a fast or fake clock just works."""

    def __init__(
        self,
        *,
        faults: FaultPlan,
        clock: Clock | None = None,
        speed: float = 1.0,
        require_key: str | None = None,
        rate_limit_per_minute: int = 10_000,
        max_running_tasks: int = 1_000,
        seed: int | None = None,
        contract: str = "seed",
        balance_usd: float = STARTING_BALANCE_USD,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.faults = faults
        self.clock: Clock = clock or time.time
        self.speed = speed
        self.require_key = require_key
        self.rate_limit_per_minute = rate_limit_per_minute
        self.max_running_tasks = max_running_tasks
        self.result_base = ""  # the CDN origin; set by the server once it has a port
        self._models = models_for(contract)
        self.contract = contract
        self.starting_balance_usd = balance_usd
        self._balances: dict[str, float] = {}  # per key, from its first debit on
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._tasks: dict[str, SimTask] = {}
        self._hits: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._looks = itertools.count()

    # --- keys and limits --------------------------------------------------------------------------

    def authorize(self, authorization: str | None) -> str:
        """The key from an `Authorization: Bearer …` header, or ServiceError(401)."""
        scheme, _, key = (authorization or "").strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise ServiceError(401, "Unauthorized: missing or invalid API key")
        if self.require_key is not None and key != self.require_key:
            raise ServiceError(401, "Unauthorized: invalid API key")
        return key

    def count_request(self, key: str) -> None:
        """Sliding one-minute window per key. A refused request is not counted, so waiting always helps."""
        now = self.clock()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - 60.0:
                hits.popleft()
            if len(hits) >= self.rate_limit_per_minute:
                wait = max(1, math.ceil(hits[0] + 60.0 - now))
                raise ServiceError(429, "Rate limit exceeded: too many requests, try again later", retry_after=wait)
            hits.append(now)

    # --- the contract and the balance ---------------------------------------------------------------

    def set_contract(self, contract: str) -> None:
        """Play another version of the service's pages from the next request on (ValueError for unknown ones)."""
        models = models_for(contract)
        with self._lock:
            self._models, self.contract = models, contract

    def models(self) -> dict[str, ModelRules]:
        with self._lock:
            return dict(self._models)

    def balance(self, key: str) -> float:
        with self._lock:
            return round(self._balances.get(key, self.starting_balance_usd), 6)

    def set_balance(self, key: str, usd: float) -> None:
        with self._lock:
            self._balances[key] = usd

    # --- tasks ------------------------------------------------------------------------------------

    def submit(self, key: str, raw: bytes, model: str = "sora-2") -> SimTask:
        rules = self.models()[model]
        body = validate(raw, rules)
        now = self.clock()
        with self._lock:
            running = sum(1 for t in self._tasks.values() if t.key == key and now < t.ends)
        if running >= self.max_running_tasks:
            # 429, not 400: the request is fine and will succeed once tasks finish, so the client should wait
            # and retry (API.md's rule for 429), not show an error and give up the draft (its rule for 400).
            raise ServiceError(429, f"Too many running tasks: at most {self.max_running_tasks} per key", retry_after=10)
        if self.faults.take("insufficient_credits") is not None:
            raise ServiceError(400, "Insufficient credits")
        price = rules.price(int(body["input"]["duration"]))
        task = self._new_task(key, body, now)
        task.model, task.fps = model, rules.frame_rate
        with self._lock:
            left = self._balances.get(key, self.starting_balance_usd) - price
            if left < -1e-9:
                raise ServiceError(402, "Insufficient balance: top up your account to create this task")
            self._balances[key] = left
            if task.fail_code is None:
                task.look = next(self._looks)
            self._tasks[task.task_id] = task
        return task

    def _new_task(self, key: str, body: dict[str, Any], now: float) -> SimTask:
        with self._lock:
            pending = self._rng.uniform(*PENDING_S)
            duration = int(body["input"]["duration"])
            low, high = TOTAL_S.get(duration) or tuple(s * duration for s in TOTAL_S_PER_VIDEO_SECOND)
            total = self._rng.uniform(low, high)
            early = pending + self._rng.uniform(*EARLY_FAIL_S)
        task_id = "task_" + secrets.token_hex(6)
        task = SimTask(task_id, key, body, now, now + pending / self.speed, now + total / self.speed)
        urls: list[str] = body["input"].get("image_urls") or []
        if body["input"]["mode"] == "image-to-video":
            for url in urls:
                problem = check_image_url(url)
                if problem:
                    task.fail_code, task.fail_msg = "INVALID_IMAGE_URL", problem
                    break
        if task.fail_code is None:
            fault = self.faults.take_first(TASK_FAIL_KINDS)
            if fault is not None:
                kind, params = fault
                code = {
                    "content_violation": "CONTENT_VIOLATION",
                    "invalid_image_url": "INVALID_IMAGE_URL",
                }.get(kind, str(params.get("code", "RENDER_TIMEOUT")))
                task.fail_code = code
                default = FAIL_MESSAGES.get(code, f"Generation failed ({code}).")
                if code == "INVALID_IMAGE_URL" and urls:
                    default = f"The service could not fetch the image URL {urls[0]}"
                task.fail_msg = str(params.get("message", default))
        if task.fail_code in FAIL_MESSAGES:
            task.ends = now + early / self.speed
        if task.fail_code is None:
            for kind in TASK_RESULT_KINDS:
                if self.faults.take(kind) is not None:
                    setattr(task, kind, True)
        if task.callback_url is None or not is_loopback_url(task.callback_url):
            task.notified = True  # never call a host off this machine
        return task

    def task(self, task_id: str) -> SimTask | None:
        with self._lock:
            return self._tasks.get(task_id)

    def tasks(self) -> list[SimTask]:
        with self._lock:
            return list(self._tasks.values())

    def status(self, key: str, task_id: str | None, model: str = "sora-2") -> dict[str, Any]:
        """The `data` of a status answer; ServiceError(400) for a missing id, another key's task, or a task of
        another model (each model has its own status route)."""
        if not task_id:
            raise ServiceError(400, "taskId is required")
        task = self.task(task_id)
        if task is None or task.key != key or task.model != model:
            raise ServiceError(400, f"Task not found: {task_id}")
        return self.status_data(task)

    def status_data(self, task: SimTask) -> dict[str, Any]:
        now = self.clock()
        state = task.state(now)
        final = state in ("success", "failed")
        data: dict[str, Any] = {
            "taskId": task.task_id,
            "state": state,
            "param": json.dumps(task.body),
            "resultJson": json.dumps({"resultUrls": [self.result_url(task)]}) if state == "success" else "",
            "failCode": task.fail_code if state == "failed" else None,
            "failMsg": task.fail_msg if state == "failed" else None,
            "createTime": _ms(task.created),
            "completeTime": _ms(task.ends) if final else None,
            "costTime": _ms(task.ends) - _ms(task.created) if final else None,
        }
        return data

    def result_url(self, task: SimTask) -> str:
        if task.evil_name:
            # A hostile CDN name: a client that trusts the last path segment would write outside its folder.
            return f"{self.result_base}/videos/{task.task_id}/..%2F..%2Fevil.mp4"
        return f"{self.result_base}/videos/{task.task_id}.mp4"

    def downloadable(self, task_id: str) -> SimTask | None:
        """The task whose video the CDN may serve now: finished with success and not yet expired."""
        task = self.task(task_id)
        now = self.clock()
        if task is None or task.state(now) != "success" or now > task.ends + RESULT_TTL_S:
            return None
        return task

    def finish_all(self) -> None:
        """Every running task reaches its final state now (keeping its planned outcome)."""
        now = self.clock()
        with self._lock:
            for task in self._tasks.values():
                if now < task.ends:
                    task.started = min(task.started, now)
                    task.ends = now

    def take_finished_callbacks(self) -> list[SimTask]:
        """Finished tasks whose loopback callback is still owed; each is returned once."""
        now = self.clock()
        with self._lock:
            due = [t for t in self._tasks.values() if not t.notified and now >= t.ends]
            for task in due:
                task.notified = True
        return due


def _ms(seconds: float) -> int:
    return round(seconds * 1000)
