"""Image URL guard: the app never fetches (nor sends the service) an image URL that leads to this computer, its
network, a link-local (cloud metadata) address or one with a password in it; every redirect is judged too.

A real HTTP server on loopback stands in for the internet: the client reaches it as an HTTP proxy, so a URL can
name any host while the guard sees the addresses an injected resolver gives for it."""

from __future__ import annotations

import asyncio
import ipaddress
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from sora2_desktop.api.request import GenerationRequest, Mode
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.images.check import ImageRejected, check_image_url
from sora2_desktop.core.images.resolver import ImageResolver, ImageSource
from sora2_desktop.core.images.url_guard import ImageUrlGuard, address_problem, api_is_local, url_form_problem
from sora2_desktop.core.tasks.submission import SubmissionService
from sora2_desktop.core.tasks.task import Task

# What the injected resolver answers for each name; anything else "does not exist".
DNS = {
    "images.example.com": ["93.184.216.34"],
    "metadata.example.com": ["169.254.169.254"],
    "v6-metadata.example.com": ["fe80::a9fe:a9fe%eth0"],
    "nas.example.com": ["10.0.0.5"],
    "split.example.com": ["93.184.216.34", "192.168.1.10"],  # one public, one private: both are judged
    "mapped.example.com": ["::ffff:169.254.169.254"],
}


async def fake_resolver(host: str, port: int) -> Sequence[str]:
    if host not in DNS:
        raise OSError(-2, "Name or service not known")
    return DNS[host]


def _png() -> bytes:
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


class _Internet(BaseHTTPRequestHandler):
    """Answers as whichever host the absolute URL names (it is the client's proxy); records every request."""

    seen: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads what arrived
    png = b""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, *, body: bool) -> None:
        _Internet.seen.append(self.path)
        path = urlsplit(self.path).path
        targets = {
            "/to-metadata": "http://metadata.example.com/latest/meta-data/iam/",
            "/to-nas": "http://nas.example.com/admin",
            "/to-password": "http://user:pw@images.example.com/cat.png",
            "/to-cat": "/cat.png",
        }
        if path in targets:
            self.send_response(302)
            self.send_header("Location", targets[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, payload = (200, _Internet.png) if path == "/cat.png" else (404, b"no")
        self.send_response(status)
        self.send_header("Content-Type", "image/png" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)


@pytest.fixture(scope="module")
def proxy(qapp: object) -> Iterator[str]:
    _Internet.png = _png()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Internet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def remote_guard() -> ImageUrlGuard:
    return ImageUrlGuard(allow_local=lambda: False, resolver=fake_resolver)


def check(url: str, proxy: str, guard: ImageUrlGuard | None = None) -> str | None:
    """None when the URL passes; else the reason. Requests travel through the loopback 'internet'."""

    async def run() -> str | None:
        async with httpx.AsyncClient(trust_env=False, proxy=proxy) as http:
            try:
                await check_image_url(url, http, guard=guard or remote_guard())
            except ImageRejected as rejected:
                return rejected.reason
        return None

    _Internet.seen.clear()
    return asyncio.run(run())


# --- the address rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "local_ok", "words"),
    [
        ("169.254.169.254", False, "link-local"),
        ("fe80::1", False, "link-local"),
        ("::ffff:169.254.169.254", False, "link-local"),
        ("0.0.0.0", False, "no server"),
        ("::", False, "no server"),
        ("224.0.0.1", False, "no server"),
        ("ff02::1", False, "no server"),
        ("255.255.255.255", False, "no server"),
        ("127.0.0.1", True, "this computer"),
        ("::1", True, "this computer"),
        ("10.1.2.3", True, "private network"),
        ("192.168.0.9", True, "private network"),
        ("172.16.4.4", True, "private network"),
        ("100.64.0.1", True, "private network"),  # carrier-grade NAT: not reachable from the internet either
        ("fd00::5", True, "private network"),
    ],
)
def test_addresses_the_app_never_fetches_from_while_the_api_is_remote(address: str, local_ok: bool, words: str) -> None:
    ip = ipaddress.ip_address(address)
    problem = address_problem(ip, allow_local=False)
    assert problem is not None and words in problem
    # With the API on this computer (the demo stand-in) loopback and private are fine; link-local never.
    assert (address_problem(ip, allow_local=True) is None) == local_ok


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address), allow_local=False) is None


def test_the_form_of_an_address_is_judged_without_the_network() -> None:
    assert url_form_problem("https://images.example.com/cat.png") is None
    assert "user name and password" in (url_form_problem("https://me:secret@images.example.com/cat.png") or "")
    assert "user name and password" in (url_form_problem("https://me@images.example.com/cat.png") or "")
    for bad in ("file:///etc/passwd", "ftp://images.example.com/cat.png", "gopher://x/", "https://", "https://[::1"):
        assert "https://" in (url_form_problem(bad) or ""), bad


def test_the_api_counts_as_local_only_on_loopback() -> None:
    assert (
        api_is_local("http://127.0.0.1:8765")
        and api_is_local("http://localhost:9000/")
        and api_is_local("http://[::1]:1")
    )
    assert not api_is_local("https://api.apixo.ai") and not api_is_local("https://10.0.0.5") and not api_is_local("::")


# --- the guard against a real HTTP exchange --------------------------------------------------------------------


def test_a_public_address_is_fetched(proxy: str) -> None:
    assert check("http://images.example.com/cat.png", proxy) is None
    assert _Internet.seen  # it really went out


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://metadata.example.com/latest/meta-data/", "link-local"),
        ("http://v6-metadata.example.com/", "link-local"),
        ("http://mapped.example.com/", "link-local"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://nas.example.com/photo.png", "private network"),
        ("http://split.example.com/photo.png", "private network"),
        ("http://127.0.0.1:9/cat.png", "this computer"),
        ("http://localhost/cat.png", "this computer"),
        ("http://shop.localhost/cat.png", "this computer"),
        ("http://0.0.0.0/cat.png", "no server"),
        ("http://nowhere.example.com/cat.png", "could not be found"),
        ("http://user:pw@images.example.com/cat.png", "user name and password"),
    ],
)
def test_a_refused_address_is_never_requested(proxy: str, url: str, words: str) -> None:
    reason = check(url, proxy)
    assert reason is not None and words in reason
    assert _Internet.seen == []  # refused before anything was sent


@pytest.mark.parametrize(
    ("start", "words"),
    [("/to-metadata", "link-local"), ("/to-nas", "private network"), ("/to-password", "user name and password")],
)
def test_a_redirect_to_a_refused_address_is_not_followed(proxy: str, start: str, words: str) -> None:
    reason = check(f"http://images.example.com{start}", proxy)
    assert reason is not None and words in reason
    # The public first hop was asked; the redirect's target never was.
    assert _Internet.seen and all(urlsplit(seen).hostname == "images.example.com" for seen in _Internet.seen)


def test_a_redirect_to_a_public_address_is_followed(proxy: str) -> None:
    assert check("http://images.example.com/to-cat", proxy) is None
    assert "http://images.example.com/cat.png" in _Internet.seen


def test_loopback_is_fine_while_the_api_is_on_this_computer(proxy: str) -> None:
    """The demo and the tests: the stand-in on loopback fetches loopback image servers, so the app may too."""
    local = ImageUrlGuard(allow_local=lambda: True, resolver=fake_resolver)
    assert check(f"{proxy}/cat.png", proxy, local) is None
    assert check("http://nas.example.com/photo.png", proxy, local) is not None  # 404 here, but it was asked
    assert _Internet.seen
    assert "link-local" in (check("http://metadata.example.com/", proxy, local) or "")


# --- the same rule before the service is asked to fetch it ---------------------------------------------------------


def test_a_refused_image_address_is_never_sent_to_the_service(proxy: str) -> None:
    sent: list[list[GenerationRequest]] = []

    def store_and_send(requests: list[GenerationRequest], **_recorded: object) -> list[Task]:
        sent.append(requests)
        return []

    async def run() -> list[str]:
        async with httpx.AsyncClient(trust_env=False, proxy=proxy) as http:
            resolver = ImageResolver(http, lambda: None, allow_local=lambda: False, resolver=fake_resolver)
            service = SubmissionService(resolver, store_and_send, shipped_catalogue)
            request = GenerationRequest(prompt="a boat", mode=Mode.IMAGE_TO_VIDEO)
            bad = await service.submit(request, [ImageSource("http://metadata.example.com/x.png", False)], 1)
            good = await service.submit(request, [ImageSource("http://images.example.com/cat.png", False)], 1)
            assert good.accepted
            return [error.message for error in bad.errors]

    _Internet.seen.clear()
    messages = asyncio.run(run())
    assert len(messages) == 1 and "link-local" in messages[0] and "metadata.example.com" in messages[0]
    assert [[r.image_urls for r in batch] for batch in sent] == [[("http://images.example.com/cat.png",)]]
