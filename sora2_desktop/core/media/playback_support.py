"""Whether this machine can play video through Qt Multimedia, decided once and kept: the player, Compare, frame
grabs, posters and the self-test all ask `current()` before they make a QMediaPlayer.

Qt does not crash when its media backend cannot load (Windows N without the Media Feature Pack, Windows Server
without Media Foundation, a Linux box without the libraries the FFmpeg plugin links to): it falls back to a dummy
backend whose players do nothing and say "Not available". The module itself can also fail to import (a DLL it
links to is missing). Both end here as `PlaybackSupport(available=False, problem=…)`, with the remedy for this OS.
"""

from __future__ import annotations

import ctypes
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from sora2_desktop import multimedia_fallback

# Microsoft's page listing the Media Feature Pack for each Windows N release (and how to add it in Settings).
MEDIA_FEATURE_PACK_URL = (
    "https://support.microsoft.com/en-us/topic/media-feature-pack-list-for-windows-n-editions-"
    "c1c6fffa-d052-8338-7a79-a4bb980a700a"
)
# What Qt's FFmpeg plugin links to beyond Qt and its own FFmpeg (readelf -d libffmpegmediaplugin.so), by distro.
DEBIAN_PACKAGES = "libegl1 libgl1 libx11-6 libxext6 libxrandr2 libxkbcommon0"
RPM_PACKAGES = "mesa-libEGL mesa-libGL libX11 libXext libXrandr libxkbcommon"


@dataclass(frozen=True)
class Remedy:
    """How a person gets playback back on this OS: a sentence, and a page to open when there is one."""

    text: str
    link_text: str = ""
    url: str = ""


@dataclass(frozen=True)
class PlaybackSupport:
    available: bool
    backend: str = ""  # the Qt Multimedia plugin that plays ("ffmpeg", "windows", "darwin"), "" when none
    problem: str = ""  # what failed, as the system said it (a library's name, a DLL error); "" when available
    platform: str = sys.platform

    def remedy(self) -> Remedy:
        return remedy_for(self.platform)

    def summary(self) -> str:
        """One line for a log or the self-test: what is missing and what to do."""
        return f"{self.problem} - {self.remedy().text}" if self.problem else ""


_decided: PlaybackSupport | None = None


def current() -> PlaybackSupport:
    """The answer for this process, probed at the first call (the Qt application must exist by then)."""
    global _decided
    if _decided is None:
        _decided = probe()
    return _decided


def probe() -> PlaybackSupport:
    """Asks Qt now: imports Qt Multimedia and makes one player (no source, no output) to see if a backend answers."""
    try:
        from PySide6 import QtMultimedia
    except (ImportError, OSError) as exc:
        return PlaybackSupport(False, problem=_did_not_load(_one_line(exc)))
    failed = multimedia_fallback.stand_in_reason(QtMultimedia)  # its DLL did not load: inert stand-ins came instead
    if failed is not None:
        return PlaybackSupport(False, problem=_did_not_load(failed))
    player = QtMultimedia.QMediaPlayer()
    try:
        available = player.isAvailable()
    finally:
        del player  # no parent: Python owns it, and it never had a source, so no decoder thread to wait for
    if available:
        return PlaybackSupport(True, backend=backend_name())
    return PlaybackSupport(False, problem=_why_no_backend())


def remedy_for(platform: str) -> Remedy:
    if platform == "win32":
        return Remedy(
            _tr(
                "Windows lacks its media components (Media Foundation). On a Windows N edition add the Media "
                "Feature Pack (Settings > Apps > Optional features > Add a feature), then restart; on Windows "
                "Server add the Media Foundation feature."
            ),
            _tr("Media Feature Pack for Windows N (Microsoft)"),
            MEDIA_FEATURE_PACK_URL,
        )
    if platform.startswith("linux"):
        return Remedy(
            _tr(
                "Install the graphics and video libraries the player needs with your package manager "
                "(Debian/Ubuntu: {debian}; Rocky/RHEL/Fedora: {rpm}), then start the app again."
            ).format(debian=DEBIAN_PACKAGES, rpm=RPM_PACKAGES)
        )
    return Remedy(_tr("Reinstall Sora 2 Desktop; if the player still does not start, send us `--self-test`'s output."))


def backend_name() -> str:
    """Which Qt Multimedia plugin plays: the one loaded where the OS tells (Linux), else the one Qt would pick."""
    loaded = _loaded_media_plugins()
    if loaded:
        return "+".join(loaded)
    available = [name for name, _path in media_plugins()]
    if "ffmpeg" in available:  # Qt 6.5+ prefers it, and PySide6's wheels bring it on every platform
        return "ffmpeg"
    return "+".join(available) or "none"


def media_plugins() -> list[tuple[str, Path]]:
    """(backend name, file) of each Qt Multimedia plugin in Qt's plugin folders."""
    found: list[tuple[str, Path]] = []
    for folder in QCoreApplication.libraryPaths():
        media = Path(folder) / "multimedia"
        if media.is_dir():
            for entry in sorted(media.iterdir()):
                name = _plugin_backend(entry.name)
                if name and name not in (n for n, _p in found):
                    found.append((name, entry))
    return found


def _why_no_backend() -> str:
    """Loads each plugin file the way Qt did, to hear the system name the library that is missing or broken."""
    plugins = media_plugins()
    if not plugins:
        folders = ", ".join(QCoreApplication.libraryPaths()) or "-"
        return _tr("No Qt Multimedia plugin was found (looked in {folders}).").format(folders=folders)
    for name, path in plugins:
        try:
            ctypes.CDLL(str(path))
        except OSError as exc:
            return _tr("Qt's {backend} media plugin could not load: {error}").format(backend=name, error=_one_line(exc))
    return _tr("Qt found no working media backend.")


def _plugin_backend(file_name: str) -> str | None:
    stem = file_name.split(".", 1)[0].removeprefix("lib")
    return stem.removesuffix("mediaplugin") if stem.endswith("mediaplugin") else None


def _loaded_media_plugins() -> list[str]:
    try:
        text = Path("/proc/self/maps").read_text(errors="replace")
    except OSError:
        return []
    found: list[str] = []
    for line in text.splitlines():
        name = _plugin_backend(line.rsplit("/", 1)[-1]) if "/multimedia/" in line else None
        if name and name not in found:
            found.append(name)
    return found


def _did_not_load(error: str) -> str:
    return _tr("Qt Multimedia did not load ({error}).").format(error=error)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlaybackSupport", text)
