"""`sora2-desktop --self-test`: proves that a build works on this machine, with no screen and no person.

It starts Qt offscreen (unless QT_QPA_PLATFORM says otherwise), builds the real main window on a throw-away
profile (or the one given), decodes one frame of the bundled demo clip through QtMultimedia, and asks keyring which
keychain backend answers, without reading or writing any secret. It prints ONE line and returns 0 when all is well:

    self-test ok: window=ok frame=640x360 keychain=SecretService timelines=fcpxml+xml+edl qt=6.11.3 multimedia=ffmpeg

or `self-test FAILED: ...` (the same fields, the failed ones saying why) and returns 1. A missing keychain is not a
failure (the app then keeps the key for the session only): it reports `keychain=none`. The same line is written to
`self-test.txt` in the profile folder, because a windowed Windows executable has no stdout to read it from.
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
_FIELD_ORDER = ("window", "frame", "keychain", "timelines", "qt", "multimedia", "error")
# The OpenTimelineIO adapter behind each timeline format the export writes (found through entry points and plugin
# manifests, which a bundle can lose without any import failing).
_TIMELINE_ADAPTERS = {"fcpxml": "fcpx_xml", "xml": "fcp_xml", "edl": "cmx_3600"}


class CheckFailed(Exception):
    """One check did not pass; its message goes into the report line."""


def run(profile_dir: Path | None = None) -> int:
    """Runs every check; prints the one-line report; returns the process exit code (0 ok, 1 failed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")  # qasync picks PyQt6 first when both are installed
    fields: dict[str, str] = {}
    ok = True
    report_dir: Path | None = None
    with tempfile.TemporaryDirectory(prefix="sora2-self-test-") as scratch:
        root = Path(profile_dir) if profile_dir is not None else Path(scratch)
        try:
            from PySide6 import QtCore

            fields["qt"] = QtCore.qVersion()
            ok = _run_checks(root, fields)
            report_dir = root if profile_dir is not None else None
        except Exception as exc:  # anything that escapes the checks: a missing module in a bundle, a Qt abort
            ok = False
            fields["error"] = _describe(exc)
    ordered = sorted(fields.items(), key=lambda kv: _FIELD_ORDER.index(kv[0]) if kv[0] in _FIELD_ORDER else 99)
    line = ("self-test ok: " if ok else "self-test FAILED: ") + " ".join(f"{k}={v}" for k, v in ordered)
    _print(line)
    if report_dir is not None:
        with contextlib.suppress(OSError):
            (report_dir / REPORT_FILE_NAME).write_text(line + "\n", encoding="utf-8")
    return 0 if ok else 1


def _run_checks(root: Path, fields: dict[str, str]) -> bool:
    import qasync
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Sora 2 Desktop")
    app.setOrganizationName("Sora2Desktop")
    app.setDesktopFileName("sora2-desktop")
    # The same loop the app runs on (qasync), so the window is built exactly as at a normal start.
    return bool(qasync.run(_checks(root, fields)))


async def _checks(root: Path, fields: dict[str, str]) -> bool:
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
            try:
                fields["frame"] = await _decode_one_frame()
            except Exception as exc:
                ok = False
                fields["frame"] = f"FAILED({_describe(exc)})"
            record("keychain", _keychain_backend)
            record("timelines", _timeline_adapters)
            fields["multimedia"] = _multimedia_backend()
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


def _multimedia_backend() -> str:
    """Which QtMultimedia backend plays video: the plugin actually loaded where the OS tells (Linux), else the one
    Qt picks (QT_MEDIA_BACKEND, or ffmpeg when its plugin is present, as Qt 6.5+ prefers it)."""
    loaded = _loaded_media_plugins()
    if loaded:
        return "+".join(loaded)
    override = os.environ.get("QT_MEDIA_BACKEND")
    if override:
        return override
    available = _available_media_plugins()
    if "ffmpeg" in available:
        return "ffmpeg"
    return "+".join(available) or "none"


def _plugin_backend(file_name: str) -> str | None:
    stem = file_name.split(".", 1)[0]
    stem = stem.removeprefix("lib")
    return stem.removesuffix("mediaplugin") if stem.endswith("mediaplugin") else None


def _loaded_media_plugins() -> list[str]:
    maps = Path("/proc/self/maps")
    try:
        text = maps.read_text(errors="replace")
    except OSError:
        return []
    found: list[str] = []
    for line in text.splitlines():
        name = _plugin_backend(line.rsplit("/", 1)[-1]) if "/multimedia/" in line else None
        if name and name not in found:
            found.append(name)
    return found


def _available_media_plugins() -> list[str]:
    from PySide6.QtCore import QCoreApplication

    found: list[str] = []
    for folder in QCoreApplication.libraryPaths():
        media = Path(folder) / "multimedia"
        if media.is_dir():
            for entry in sorted(media.iterdir()):
                name = _plugin_backend(entry.name)
                if name and name not in found:
                    found.append(name)
    return found


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
        print(line, file=stream, flush=True)
