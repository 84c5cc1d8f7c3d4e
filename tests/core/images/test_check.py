"""Reference-image checks: local files by content, and URLs against a real HTTP server on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from sora2_desktop.core.images.check import (
    MAX_IMAGE_BYTES,
    CheckedImage,
    ImageRejected,
    check_image_url,
    check_local_image,
    sniff_image_type,
)
from sora2_desktop.core.images.url_guard import ImageUrlGuard

GIF_1X1 = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
HEIC_HEAD = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(40)
PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(40)
# An extended-format WebP header: VP8X chunk with a 300x200 canvas (stored as width-1, height-1, 24-bit LE).
WEBP_VP8X = (
    b"RIFF\x30\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00"
    + (299).to_bytes(3, "little")
    + (199).to_bytes(3, "little")
)


def encode_image(fmt: str, width: int = 7, height: int = 5, quality: int = -1) -> bytes:
    """A real image file made by Qt's encoders (QImage works without a QApplication)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs want bytes for the format; this PySide6 build accepts only str at run time.
    assert image.save(buffer, fmt, quality)  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rejected(path: Path) -> str:
    with pytest.raises(ImageRejected) as caught:
        check_local_image(path)
    return caught.value.reason


# --- magic bytes ----------------------------------------------------------------------------------------


def test_sniff_knows_the_three_allowed_types_and_nothing_else() -> None:
    assert sniff_image_type(encode_image("JPEG")) == "image/jpeg"
    assert sniff_image_type(encode_image("PNG")) == "image/png"
    assert sniff_image_type(encode_image("WEBP")) == "image/webp"
    for other in (GIF_1X1, HEIC_HEAD, PDF_HEAD, b"", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"<html></html>"):
        assert sniff_image_type(other) is None


# --- local files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mime", "quality"),
    [
        ("JPEG", "image/jpeg", -1),
        ("PNG", "image/png", -1),
        ("WEBP", "image/webp", 80),
        ("WEBP", "image/webp", 100),
    ],
)
def test_real_images_pass_with_type_size_and_dimensions(tmp_path: Path, fmt: str, mime: str, quality: int) -> None:
    data = encode_image(fmt, 33, 21, quality)
    path = write(tmp_path, "picture.bin", data)  # the name says nothing: the content decides
    assert check_local_image(path) == CheckedImage(str(path), mime, len(data), True, 33, 21)


def test_extended_webp_dimensions(tmp_path: Path) -> None:
    checked = check_local_image(write(tmp_path, "wide.webp", WEBP_VP8X))
    assert (checked.mime, checked.width, checked.height) == ("image/webp", 300, 200)


def test_jpeg_dimensions_found_behind_a_large_exif_block(tmp_path: Path) -> None:
    jpeg = encode_image("JPEG", 40, 30)
    app1 = b"\xff\xe1" + (60_002).to_bytes(2, "big") + b"Exif\x00\x00" + bytes(59_994)
    checked = check_local_image(write(tmp_path, "phone.jpg", jpeg[:2] + app1 + jpeg[2:]))
    assert (checked.width, checked.height) == (40, 30)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (GIF_1X1, "a GIF image"),
        (HEIC_HEAD, "a HEIC/HEIF photo"),
        (PDF_HEAD, "a PDF document"),
        (b"hello, this is just text\n", "not a JPG, PNG or WebP image"),
    ],
)
def test_wrong_content_is_refused_even_with_an_image_name(tmp_path: Path, data: bytes, expected: str) -> None:
    reason = rejected(write(tmp_path, "holiday.jpg", data))
    assert "“holiday.jpg”" in reason
    assert expected in reason


def test_oversize_file_says_its_size_and_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    with path.open("wb") as stream:
        stream.write(encode_image("PNG"))
        stream.truncate(11 * 1024 * 1024)  # sparse: no 11 MB written to disk
    assert rejected(path) == "“huge.png” is 11.0 MB; the limit is 10 MB."


def test_one_byte_over_the_limit_never_reads_as_exactly_ten(tmp_path: Path) -> None:
    path = tmp_path / "edge.png"
    with path.open("wb") as stream:
        stream.write(encode_image("PNG"))
        stream.truncate(MAX_IMAGE_BYTES + 1)
    assert "10.1 MB; the limit is 10 MB" in rejected(path)
    with path.open("r+b") as stream:
        stream.truncate(MAX_IMAGE_BYTES)
    assert check_local_image(path).size == MAX_IMAGE_BYTES


def test_missing_empty_folder_and_broken_link(tmp_path: Path) -> None:
    assert "was not found" in rejected(tmp_path / "gone.png")
    assert "is empty" in rejected(write(tmp_path, "empty.png", b""))
    folder = tmp_path / "album.png"
    folder.mkdir()
    assert "is a folder" in rejected(folder)
    link = tmp_path / "link.png"
    link.symlink_to(tmp_path / "deleted.png")
    assert "link to a file that no longer exists" in rejected(link)


# --- URLs against a loopback server ---------------------------------------------------------------------

PNG = encode_image("PNG", 12, 8)
JPEG = encode_image("JPEG", 16, 9)
WEBP = encode_image("WEBP", 10, 10)


class _Handler(BaseHTTPRequestHandler):
    seen_authorization: list[str | None] = []  # noqa: RUF012 - shared on purpose: the test reads what came in

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _answer(self, *, send_body: bool) -> None:
        _Handler.seen_authorization.append(self.headers.get("Authorization"))
        path = self.path
        if path == "/image.png":  # no Range support: answers 200 with the whole body
            self._send(200, "image/png", PNG, send_body)
        elif path == "/ranged.jpg":
            self._send_ranged(JPEG, send_body)
        elif path == "/no-head.webp":
            if not send_body:
                self._send(405, "text/plain", b"", False)
            else:
                self._send(200, "image/webp", WEBP, True)
        elif path == "/lying.png":  # the header says PNG; the bytes are a GIF
            self._send(200, "image/png", GIF_1X1, send_body)
        elif path == "/page":
            self._send(200, "text/html; charset=utf-8", b"<p>Not found, but politely.</p>", send_body)
        elif path == "/huge.jpg":
            self._send(200, "image/jpeg", JPEG, send_body, length=12 * 1024 * 1024 + 300_000)
        elif path == "/unsized.png":  # HTTP/1.0, no Content-Length: the body ends when the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            if send_body:
                self.wfile.write(PNG)
        elif path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/image.png")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, "text/plain", b"nothing here", send_body)

    def _send(self, status: int, mime: str, body: bytes, send_body: bool, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if send_body:
            # The client may stop reading once it has seen enough.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def _send_ranged(self, body: bytes, send_body: bool) -> None:
        first, last = self.headers.get("Range", "").removeprefix("bytes=").split("-") if send_body else ("0", "")
        part = body[int(first) : int(last) + 1] if send_body else body
        self.send_response(206 if send_body else 200)
        self.send_header("Content-Type", "image/jpeg")
        if send_body:
            self.send_header("Content-Range", f"bytes {first}-{int(first) + len(part) - 1}/{len(body)}")
        self.send_header("Content-Length", str(len(part)))
        self.end_headers()
        if send_body:
            self.wfile.write(part)


@pytest.fixture(scope="module")
def image_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# The stand-in's case: the API is on this computer, so a loopback image server may be fetched (url_guard.py).
LOCAL_GUARD = ImageUrlGuard(allow_local=lambda: True)


def check_url(url: str, guard: ImageUrlGuard = LOCAL_GUARD, **client_options: object) -> CheckedImage:
    async def run() -> CheckedImage:
        async with httpx.AsyncClient(trust_env=False, **client_options) as http:  # type: ignore[arg-type]
            return await check_image_url(url, http, guard=guard)

    return asyncio.run(run())


def url_rejected(url: str) -> str:
    with pytest.raises(ImageRejected) as caught:
        check_url(url)
    return caught.value.reason


def test_image_url_served_whole(image_server: str) -> None:
    url = f"{image_server}/image.png"
    assert check_url(url) == CheckedImage(url, "image/png", len(PNG), False, 12, 8)


def test_image_url_served_by_range(image_server: str) -> None:
    checked = check_url(f"{image_server}/ranged.jpg")
    assert (checked.mime, checked.size, checked.width, checked.height) == ("image/jpeg", len(JPEG), 16, 9)


def test_head_refused_falls_back_to_get(image_server: str) -> None:
    assert check_url(f"{image_server}/no-head.webp").mime == "image/webp"


def test_redirect_is_followed_and_unsized_body_is_counted(image_server: str) -> None:
    assert check_url(f"{image_server}/moved").size == len(PNG)
    assert check_url(f"{image_server}/unsized.png").size == len(PNG)


def test_bad_urls_say_why(image_server: str) -> None:
    assert url_rejected(f"{image_server}/missing.png") == "The address answered 404 Not Found."
    assert url_rejected(f"{image_server}/page") == "The address is not an image (text/html)."
    assert url_rejected(f"{image_server}/huge.jpg") == "The image at this address is 12.3 MB; the limit is 10 MB."
    assert "a GIF image" in url_rejected(f"{image_server}/lying.png")
    assert "http:// or https://" in url_rejected("ftp://example.com/cat.png")
    assert "http:// or https://" in url_rejected("/home/me/cat.png")


def test_unreachable_address() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again on leaving: nothing listens there
    assert url_rejected(f"http://127.0.0.1:{port}/cat.png").startswith("The address could not be reached: ")


def test_the_api_key_never_goes_to_an_image_address(image_server: str) -> None:
    _Handler.seen_authorization.clear()
    check_url(f"{image_server}/moved", headers={"Authorization": "Bearer sk-live-secret"})
    assert _Handler.seen_authorization
    assert set(_Handler.seen_authorization) == {None}


def test_an_address_with_a_user_name_and_password_is_refused_before_any_request(image_server: str) -> None:
    _Handler.seen_authorization.clear()
    user_info_url = image_server.replace("http://", "http://someone:password@") + "/image.png"
    assert "user name and password" in url_rejected(user_info_url)
    assert _Handler.seen_authorization == []  # nothing was sent
