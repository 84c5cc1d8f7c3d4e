"""`sora2-desktop --self-test`: proves that a build works on this machine, with no screen and no person.

It starts Qt offscreen (unless QT_QPA_PLATFORM says otherwise), builds the real main window on a throw-away
profile (or the one given), asks keyring which keychain backend answers (without reading or writing any secret),
and decodes one frame of the bundled demo clip through QtMultimedia. It prints TWO lines, the app's and the
player's, because a packaging run must tell "the app is broken" from "this machine lacks media support":

    self-test ok: window=ok keychain=SecretService timelines=fcpxml+xml+edl qt=6.11.3
    self-test player: ok frame=640x360 multimedia=ffmpeg

The app line says `self-test FAILED: ...` (the same fields, the failed ones saying why) when a check fails; the
player line says `self-test player: unavailable: <what is missing - what to do>` when Qt has no media backend
here, or `self-test player: FAILED: ...` when it has one and still cannot decode. Exit code: 0 all well, 1 the app
(or a working backend) failed, 3 the app is fine but this machine cannot play video. A missing keychain is not a
failure (the app then keeps the key for the session only): it reports `keychain=none`. Both lines are written to
`self-test.txt` in the profile folder, because a windowed Windows executable has no stdout to read them from.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

FRAME_TIMEOUT_S = 10.0
REPORT_FILE_NAME = "self-test.txt"
_FIELD_ORDER = ("window", "keychain", "timelines", "qt", "error")
EXIT_OK, EXIT_BROKEN, EXIT_NO_MEDIA = 0, 1, 3
# The OpenTimelineIO adapter behind each timeline format the export writes (found through entry points and plugin
# manifests, which a bundle can lose without any import failing).
_TIMELINE_ADAPTERS = {"fcpxml": "fcpx_xml", "xml": "fcp_xml", "edl": "cmx_3600"}


class CheckFailed(Exception):
    """One check did not pass; its message goes into the report line."""


def run(profile_dir: Path | None = None) -> int:
    """Runs every check; prints the two report lines; returns the process exit code (EXIT_*)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")  # qasync picks PyQt6 first when both are installed
    fields: dict[str, str] = {}
    player: list[str] = ["FAILED: not reached"]  # the player line's text, set by the player's check
    ok = True
    report_dir: Path | None = None
    with tempfile.TemporaryDirectory(prefix="sora2-self-test-") as scratch:
        root = Path(profile_dir) if profile_dir is not None else Path(scratch)
        try:
            from PySide6 import QtCore

            fields["qt"] = QtCore.qVersion()
            ok = _run_checks(root, fields, player)
            report_dir = root if profile_dir is not None else None
        except Exception as exc:  # anything that escapes the checks: a missing module in a bundle, a Qt abort
            ok = False
            fields["error"] = _describe(exc)
    ordered = sorted(fields.items(), key=lambda kv: _FIELD_ORDER.index(kv[0]) if kv[0] in _FIELD_ORDER else 99)
    line = ("self-test ok: " if ok else "self-test FAILED: ") + " ".join(f"{k}={v}" for k, v in ordered)
    player_line = f"self-test player: {player[0]}"
    _print(line + "\n" + player_line)
    if report_dir is not None:
        with contextlib.suppress(OSError):
            (report_dir / REPORT_FILE_NAME).write_text(line + "\n" + player_line + "\n", encoding="utf-8")
    if not ok or player[0].startswith("FAILED"):
        return EXIT_BROKEN
    return EXIT_NO_MEDIA if player[0].startswith("unavailable") else EXIT_OK


def _run_checks(root: Path, fields: dict[str, str], player: list[str]) -> bool:
    import qasync
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Sora 2 Desktop")
    app.setOrganizationName("Sora2Desktop")
    app.setDesktopFileName("sora2-desktop")
    # The same loop the app runs on (qasync), so the window is built exactly as at a normal start.
    return bool(qasync.run(_checks(root, fields, player)))


async def _checks(root: Path, fields: dict[str, str], player: list[str]) -> bool:
    from sora2_desktop.core.config.profile import Profile
    from sora2_desktop.core.config.secrets import SecretStore
    from sora2_desktop.core.config.settings import AppSettings
    from sora2_desktop.core.session import Session
    from sora2_desktop.ui.window.main_window import MainWindow

    ok = True

    def record(name: str, check: Callable[[], str]) -> None:
        nonlocal ok
        try:
            fields[name] = check()
        except Exception as exc:
            ok = False
            fields[name] = f"FAILED({_describe(exc)})"

    profile = Profile.from_dir(root).ensure()
    session = Session(profile, AppSettings(profile), SecretStore())
    try:
        window = MainWindow(session)
        try:
            window.show()
            await asyncio.sleep(0.2)  # let the loop lay out and paint the window
            record("window", lambda: _check_window(window))
            record("keychain", _keychain_backend)
            record("timelines", _timeline_adapters)
            player[0] = await _check_player()
        finally:
            window.close()
            window.deleteLater()
            await asyncio.sleep(0)
    finally:
        await session.aclose()
    return ok


def _check_window(window: object) -> str:
    from PySide6.QtWidgets import QMainWindow

    assert isinstance(window, QMainWindow)
    if not window.isVisible() or window.windowHandle() is None:
        raise CheckFailed("main window not shown")
    if window.windowIcon().isNull():
        raise CheckFailed("no window icon (resources/icons missing from the build?)")
    picture = window.grab()  # renders every child widget: styles, fonts and image plugins all work
    if picture.isNull() or picture.width() < 100:
        raise CheckFailed("main window did not render")
    return "ok"


async def _check_player() -> str:
    """The player line's text: `ok frame=WxH multimedia=…`, `unavailable: …` (no backend on this machine), or
    `FAILED: …` (a backend answers, yet the bundled clip does not decode: the build is at fault)."""
    from sora2_desktop.core.media import playback_support

    support = playback_support.current()
    if not support.available:
        return f"unavailable: {support.summary()}"
    try:
        frame = await _decode_one_frame()
    except Exception as exc:
        return f"FAILED: frame=FAILED({_describe(exc)}) multimedia={support.backend}"
    return f"ok frame={frame} multimedia={playback_support.backend_name()}"


async def _decode_one_frame() -> str:
    """Plays the bundled demo clip into a QVideoSink (no audio output) until the first frame arrives."""
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink

    from sora2_desktop.core.runtime.media_calls import post_unload
    from sora2_desktop.resources import resource_path

    clip = resource_path("demo_clip.mp4")
    if not clip.is_file():
        raise CheckFailed(f"no demo clip at {clip}")
    loop = asyncio.get_running_loop()
    got: asyncio.Future[str] = loop.create_future()
    player = QMediaPlayer()
    sink = QVideoSink()

    def on_frame(frame: QVideoFrame) -> None:
        if got.done() or not frame.isValid():
            return
        image = frame.toImage()
        if image.isNull():
            got.set_exception(CheckFailed("frame did not convert to an image"))
        else:
            got.set_result(f"{image.width()}x{image.height()}")

    def on_error(_error: QMediaPlayer.Error, text: str) -> None:
        if not got.done():
            got.set_exception(CheckFailed(f"player error: {text or _error.name}"))

    sink.videoFrameChanged.connect(on_frame)
    player.errorOccurred.connect(on_error)
    player.setVideoSink(sink)
    player.setSource(QUrl.fromLocalFile(str(clip)))
    player.play()
    try:
        return await asyncio.wait_for(got, FRAME_TIMEOUT_S)
    except TimeoutError:
        raise CheckFailed(f"no frame within {FRAME_TIMEOUT_S:g} s") from None
    finally:
        # Posted: a stop() from Python code can deadlock with the decoder threads (see core/media_calls.py).
        post_unload(player)
        player.deleteLater()
        sink.deleteLater()


def _keychain_backend() -> str:
    """The keyring backend that answers here, e.g. `SecretService`, `Windows`, `macOS`; `none` when keyring fell back
    to its failing or null backend. Only asks which backend is viable: no secret is read or written."""
    import keyring
    import keyring.backends.chainer

    from sora2_desktop.core.config.secrets import keychain_usable

    backend = keyring.get_keyring()
    if not keychain_usable(backend):
        return "none"
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return "+".join(_backend_name(b) for b in backend.backends)
    return _backend_name(backend)


def _timeline_adapters() -> str:
    import opentimelineio as otio

    available = set(otio.adapters.available_adapter_names())
    missing = [name for name, adapter in _TIMELINE_ADAPTERS.items() if adapter not in available]
    if missing:
        raise CheckFailed(f"no OpenTimelineIO adapter for {', '.join(missing)}")
    return "+".join(_TIMELINE_ADAPTERS)


def _backend_name(backend: object) -> str:
    module = type(backend).__module__
    return module.rsplit(".", 1)[-1] if module.startswith("keyring.backends.") else type(backend).__name__


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().replace("\n", " ")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _print(line: str) -> None:
    """Prints the report; a windowed Windows build has no stdout, so it borrows the parent's console if any."""
    stream = sys.stdout
    if stream is None and sys.platform == "win32":
        try:
            import ctypes

            if ctypes.windll.kernel32.AttachConsole(-1):  # type: ignore[attr-defined]
                stream = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115  (lives until exit)
        except (OSError, AttributeError):
            stream = None
    if stream is not None:
        try:
            print(line, file=stream, flush=True)
        except UnicodeEncodeError:  # a redirected Windows stdout is cp1252; the system's words may not fit it
            print(line.encode("ascii", "backslashreplace").decode("ascii"), file=stream, flush=True)
