"""Fault suite, privacy: the key never reaches the log even inside a traceback, a bad key is never sent, and a
hostile image address never makes the app (or the service) fetch this machine's or its network's services.

Each case drives the real client, runner and scheduler (tests/helpers/runner_rig.py) against the hostile loopback
service (tests/helpers/hostile_server.py): the other tasks keep being polled to the end, nothing is lost or
sent twice, and the person reads a sentence about what happened."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Coroutine, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from sora2_desktop.api import GenerationRequest, Mode, TaskStatus
from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.api.secret import ApiKey, InvalidApiKeyError
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.config.secrets import API_KEY_ENV, SecretStore
from sora2_desktop.core.images.resolver import ImageResolver, ImageSource
from sora2_desktop.core.runtime import logging_setup
from sora2_desktop.core.runtime.logging_setup import register_secret, setup_logging
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.submission import SubmissionService
from sora2_desktop.core.tasks.task import TaskPhase
from tests.helpers.hostile_server import HostileServer
from tests.helpers.keychain import MemoryKeyring
from tests.helpers.runner_rig import RunnerRig, is_sentence

RunAsync = Callable[[Coroutine[Any, Any, Any]], Any]
KEY = "sk-test-key"  # RunnerRig's key


@pytest.fixture
def app_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's own log set-up (file handler with the secret filter) on a temporary profile."""
    monkeypatch.setattr(logging_setup, "_known_secrets", set())
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in ("", "httpx", "httpcore")}
    path = setup_logging(tmp_path / "logs")
    ours = [h for h in root.handlers if getattr(h, "_sora2", False)]
    for handler in ours:
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.CRITICAL + 1)  # keep pytest's stderr clean; the file is what is checked
    try:
        yield path
    finally:
        for handler in ours:
            root.removeHandler(handler)
            handler.close()
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def test_a_fault_whose_traceback_carries_the_key_is_logged_without_it(
    run_async: RunAsync, store: TaskStore, server: HostileServer, app_log: Path
) -> None:
    """A proxy (or a library) puts the Authorization header into an exception's text, twice, for one task: the
    runner logs the traceback and retries; the log keeps the traceback and loses the key; all three finish."""

    async def scenario() -> None:
        register_secret(KEY)
        rig = RunnerRig(store, server.base_url)
        real_status = rig.client.status
        faults = {"left": 2}

        async def leaky_status(task_id: str, spec: ModelSpec) -> TaskStatus:
            if task_id == "task_0002" and faults["left"]:
                faults["left"] -= 1
                try:
                    raise ConnectionError(f"proxy refused: Authorization: Bearer {KEY}; api_key={KEY}")
                except ConnectionError as cause:
                    raise RuntimeError(f"status query with key {KEY} failed") from cause
            return await real_status(task_id, spec)

        rig.client.status = leaky_status  # type: ignore[method-assign]
        ids = rig.submit(3)
        for local_id in ids:
            await rig.until(local_id, TaskPhase.SUCCESS)
        leaky = rig.local_id_of("task_0002")
        assert rig.runner.unexpected_faults == 2
        assert rig.notes_seen(leaky) and all(is_sentence(words) for words in rig.notes_seen(leaky))
        assert server.submits == 3 and sorted(rig.row(i).task_id or "" for i in ids) == [
            "task_0001",
            "task_0002",
            "task_0003",
        ]
        await rig.close()

    run_async(scenario())
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = app_log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "ConnectionError" in text  # the traceback is kept
    assert KEY not in text
    assert "<hidden>" in text


@pytest.mark.parametrize("bad_key", ["sk-test\nX-Injected: 1", "sk-test\x00key", "sk-test\tkey"])
def test_a_key_with_control_characters_is_never_sent(
    run_async: RunAsync, store: TaskStore, server: HostileServer, memory_keyring: MemoryKeyring, bad_key: str
) -> None:
    """Set by hand in APIXO_API_KEY: the app does not use it (no request carries it, no task is stuck as
    "answer lost"), says why, and a good key then works as usual."""
    secrets = SecretStore(environ={API_KEY_ENV: bad_key})
    assert secrets.load_api_key() is None and secrets.api_key_refused
    with pytest.raises(InvalidApiKeyError) as refused:
        ApiKey(bad_key)
    assert "control characters" in str(refused.value) and "sk-test" not in str(refused.value)

    async def scenario() -> None:
        rig = RunnerRig(store, server.base_url)
        ids = rig.submit(2)
        for local_id in ids:
            await rig.until(local_id, TaskPhase.SUCCESS)
        await rig.close()

    run_async(scenario())
    assert server.submits == 2  # only the good key's tasks reached the service


class _HostileImages(BaseHTTPRequestHandler):
    """An image host that redirects to the cloud metadata address, or serves a real PNG."""

    png = b""
    seen: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads what arrived

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)

    def _answer(self, body: bool) -> None:
        _HostileImages.seen.append(self.path)
        if self.path.endswith("/steal"):
            self.send_response(302)
            self.send_header("Location", "http://metadata.example.com/latest/meta-data/iam/security-credentials/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.png)))
        self.end_headers()
        if body:
            self.wfile.write(self.png)


async def _public_dns(host: str, port: int) -> Sequence[str]:
    return {"images.example.com": ["93.184.216.34"], "metadata.example.com": ["169.254.169.254"]}[host]


def test_an_image_address_that_redirects_to_the_metadata_service_is_refused_and_others_go_on(
    run_async: RunAsync, store: TaskStore, server: HostileServer, qapp: object
) -> None:
    """The person pastes an image address whose server redirects to 169.254.169.254: the app stops before
    following, the form says why, nothing is sent for it, and the tasks already running finish."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image, data = QImage(4, 4, QImage.Format.Format_RGB32), QByteArray()
    image.fill(QColor("navy"))
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    _HostileImages.png, _HostileImages.seen = bytes(data.data()), []
    images = ThreadingHTTPServer(("127.0.0.1", 0), _HostileImages)
    threading.Thread(target=images.serve_forever, daemon=True).start()
    proxy = f"http://127.0.0.1:{images.server_address[1]}"  # reached as a proxy: URLs may name public hosts

    async def scenario() -> None:
        rig = RunnerRig(store, server.base_url)
        running = rig.submit(2)
        async with httpx.AsyncClient(trust_env=False, proxy=proxy) as http:
            resolver = ImageResolver(http, lambda: None, allow_local=lambda: False, resolver=_public_dns)
            service = SubmissionService(resolver, rig.runner.submit, shipped_catalogue)
            request = GenerationRequest(prompt="a kite over dunes", mode=Mode.IMAGE_TO_VIDEO)
            refused = await service.submit(request, [ImageSource("http://images.example.com/steal", False)], 1)
            accepted = await service.submit(request, [ImageSource("http://images.example.com/kite.png", False)], 1)
        assert [e.field for e in refused.errors] == ["image_urls"]
        assert "link-local" in refused.errors[0].message and is_sentence(refused.errors[0].message)
        assert accepted.accepted and len(accepted.tasks) == 1
        ids = [*running, *(t.local_id for t in accepted.tasks if t.local_id is not None)]
        for local_id in ids:
            await rig.until(local_id, TaskPhase.SUCCESS)
        assert server.submits == 3  # the refused one never reached the service
        assert len(store.all()) == 3
        await rig.close()

    try:
        run_async(scenario())
    finally:
        images.shutdown()
        images.server_close()
    assert not any("metadata" in seen for seen in _HostileImages.seen)  # the redirect was never followed
