"""Bad input, twenty-odd kinds: each is refused with a message at the wrong field, and nothing typed is lost."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from sora2_desktop.api import GenerationRequest, Mode, RequestType
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from tests.e2e.conftest import AppUnderTest
from tests.helpers.wait import wait_until

pytestmark = pytest.mark.e2e

PROMPT = "A red kite over a wheat field, aerial view, golden hour"


class _Site(http.server.BaseHTTPRequestHandler):
    """A loopback web server with a page that is not an image, and nothing else (404)."""

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        if self.path.startswith("/page.png"):
            body = b"<html><body>not an image</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Ctx:
    app: AppUnderTest
    tmp: Path
    site: str

    def form_with(self, request: GenerationRequest) -> None:
        self.app.window.form.load_request(request)

    def add_image(self, source: str) -> None:
        self.app.window.form.image_picker.add_source(source)

    def file(self, name: str, data: bytes) -> str:
        path = self.tmp / name
        path.write_bytes(data)
        return str(path)

    def png(self, name: str = "ok.png") -> str:
        path = self.tmp / name
        image = QImage(32, 18, QImage.Format.Format_RGB32)
        image.fill(0x224488)
        assert image.save(str(path), "PNG")
        return str(path)


I2V = GenerationRequest(prompt=PROMPT, mode=Mode.IMAGE_TO_VIDEO)
CALLBACK = GenerationRequest(prompt=PROMPT, request_type=RequestType.CALLBACK)


@dataclass(frozen=True)
class FormCase:
    name: str
    setup: Callable[[Ctx], None]
    field: str  # the form field the message must appear at
    expected: str  # words the message must contain (case-insensitive)
    generate: bool = True


def _big_file(ctx: Ctx) -> None:
    path = ctx.tmp / "huge.png"
    with path.open("wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.truncate(11 * 1024 * 1024)
    ctx.form_with(I2V)
    ctx.add_image(str(path))


def _over_limit_paste(ctx: Ctx) -> None:
    editor = ctx.app.window.form.prompt_editor
    editor.set_text(PROMPT)
    editor.editor().insertPlainText("x" * 10_001)


FORM_CASES = [
    FormCase("empty prompt", lambda c: c.form_with(GenerationRequest(prompt="")), "prompt", "write a prompt"),
    FormCase("blank prompt", lambda c: c.form_with(GenerationRequest(prompt="   \n\t ")), "prompt", "write a prompt"),
    FormCase("image-to-video without images", lambda c: c.form_with(I2V), "image_urls", "at least one"),
    FormCase(
        "callback without a URL",
        lambda c: c.form_with(CALLBACK),
        "callback_url",
        "needs a url",
    ),
    FormCase(
        "callback over plain http",
        lambda c: c.form_with(GenerationRequest(**{**CALLBACK.__dict__, "callback_url": "http://example.com/cb"})),
        "callback_url",
        "https://",
    ),
    FormCase(
        "callback that is not a URL",
        lambda c: c.form_with(GenerationRequest(**{**CALLBACK.__dict__, "callback_url": "my server"})),
        "callback_url",
        "https://",
    ),
    FormCase(
        "callback with no host",
        lambda c: c.form_with(GenerationRequest(**{**CALLBACK.__dict__, "callback_url": "https://"})),
        "callback_url",
        "https://",
    ),
    FormCase(
        "a GIF named .png",
        lambda c: (c.form_with(I2V), c.add_image(c.file("cat.png", b"GIF89a" + b"\x00" * 64))),
        "image_urls",
        "gif",
        generate=False,
    ),
    FormCase(
        "a text file named .jpg",
        lambda c: (c.form_with(I2V), c.add_image(c.file("notes.jpg", b"just some words, not a picture"))),
        "image_urls",
        "jpg, png or webp",
        generate=False,
    ),
    FormCase("an 11 MB image", _big_file, "image_urls", "10 mb", generate=False),
    FormCase(
        "a file that does not exist",
        lambda c: (c.form_with(I2V), c.add_image(str(c.tmp / "gone" / "missing.png"))),
        "image_urls",
        "missing.png",
        generate=False,
    ),
    FormCase(
        "an empty file",
        lambda c: (c.form_with(I2V), c.add_image(c.file("empty.webp", b""))),
        "image_urls",
        "empty",
        generate=False,
    ),
    FormCase(
        "a folder instead of an image",
        lambda c: (c.form_with(I2V), c.add_image(str(c.tmp))),
        "image_urls",
        "folder",
        generate=False,
    ),
    FormCase(
        "a PDF named .webp",
        lambda c: (c.form_with(I2V), c.add_image(c.file("doc.webp", b"%PDF-1.7\n" + b"0" * 64))),
        "image_urls",
        "pdf",
        generate=False,
    ),
    FormCase(
        "an ftp address",
        lambda c: (c.form_with(I2V), c.add_image("ftp://example.com/a.png")),
        "image_urls",
        "http",
        generate=False,
    ),
    FormCase(
        "an image URL that answers 404",
        lambda c: (c.form_with(I2V), c.add_image(f"{c.site}/missing.png")),
        "image_urls",
        "404",
    ),
    FormCase(
        "an image URL that is a web page",
        lambda c: (c.form_with(I2V), c.add_image(f"{c.site}/page.png")),
        "image_urls",
        "web page",
    ),
    FormCase(
        "a local image with no image host set up",
        lambda c: (c.form_with(I2V), c.add_image(c.png())),
        "image_urls",
        "image host",
    ),
    FormCase("a paste past 10,000 characters", _over_limit_paste, "prompt_notice", "10,000", generate=False),
]


def form_message(app: AppUnderTest, field: str) -> str:
    form = app.window.form
    if field == "prompt_notice":
        return form.prompt_editor.notice()
    return form.field_error(field)


@pytest.mark.parametrize("case", FORM_CASES, ids=[c.name for c in FORM_CASES])
def test_bad_form_input_is_shown_at_its_field(
    case: FormCase, make_app: Callable[..., AppUnderTest], run_async: Any, tmp_path: Path, site: str
) -> None:
    app = make_app()
    ctx = Ctx(app, tmp_path, site)
    case.setup(ctx)
    draft_before = app.window.form.values()

    async def scenario() -> None:
        if case.generate:
            app.window.compose.generate()
        await wait_until(
            lambda: case.expected.lower() in form_message(app, case.field).lower(),
            timeout=10,
            what=f"{case.expected!r} at {case.field} (shown: {form_message(app, case.field)!r})",
        )

    run_async(scenario())
    assert app.window.model.rowCount() == 0  # nothing was submitted
    assert app.window.form.values() == draft_before  # nothing the person typed was lost
    assert not [r for r in app.sim.requests if r.method == "POST"]


@dataclass(frozen=True)
class SettingsCase:
    name: str
    field: str
    value: str
    expected: str


SETTINGS_CASES = [
    SettingsCase("API address over plain http", "api_base_url", "http://api.example.com", "https"),
    SettingsCase("API address that is not a URL", "api_base_url", "api dot apixo", "https"),
    SettingsCase("API key with spaces", "api_key", "sk abc def", "spaces"),
    SettingsCase("download folder left empty", "download_dir", "   ", "folder"),
    SettingsCase("image host endpoint that is not a URL", "s3_endpoint", "http://", "server address"),
]


@pytest.mark.parametrize("case", SETTINGS_CASES, ids=[c.name for c in SETTINGS_CASES])
def test_bad_settings_are_shown_at_their_field(case: SettingsCase, make_app: Callable[..., AppUnderTest]) -> None:
    app = make_app()
    app.window.open_settings()
    (dialog,) = [d for d in app.window.findChildren(SettingsDialog) if d.isVisible()]
    editor = dialog.field(case.field).editor
    editor.setText(case.value)  # type: ignore[attr-defined]
    dialog.accept()
    assert dialog.isVisible()  # not saved, not closed
    error = dialog.field(case.field).error or ""
    assert case.expected.lower() in error.lower(), error
    assert editor.text() == case.value  # type: ignore[attr-defined]
    assert dialog.current_tab() == dict(api_base_url="account", api_key="account", download_dir="downloads").get(
        case.field, "image_host"
    )
