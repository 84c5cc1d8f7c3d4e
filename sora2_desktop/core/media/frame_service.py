"""FrameService (`Session.frames`): a take's frames as files — a full-size PNG, a start image fitted to a model's
frame in the project's `frames/` folder — and that image put where the service can fetch it, before Generate."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QImage

from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.media.probe import MediaProbeError, probe
from sora2_desktop.core.media.start_frame import TargetFrame, fit_start_frame, target_frame
from sora2_desktop.core.projects.model import Project, take_code
from sora2_desktop.core.projects.take_files import safe_name

if TYPE_CHECKING:
    # Imported where a frame is grabbed or uploaded: QtMultimedia and httpx are not needed to open the window.
    from sora2_desktop.core.images.resolver import ImageResolver

FRAMES_FOLDER = "frames"
PNG_SUFFIX = ".png"
PNG_QUALITY = 80
_MAX_CLASH_NUMBER = 10_000


def _tr(text: str) -> str:
    return QCoreApplication.translate("FrameService", text)


@dataclass(frozen=True)
class StartImage:
    """A start image on disk and the frame it was fitted to."""

    path: Path
    target: TargetFrame


def frame_stem(project: str, shot_code: str | None, take_number: int | None, timecode: str) -> str:
    """`Trailer_SH020_T03_00-00-04-12`: project, shot, take and the frame's timecode, safe on every file system."""
    parts = [project, shot_code or "", take_code(take_number) if take_number else "", timecode.replace(":", "-")]
    return safe_name("_".join(part for part in parts if part))


class FrameService(QObject):
    """`profile_dir()` is where start images of a project without a folder go (the demo has its own); `resolver()`
    is the session's ImageResolver, whose upload cache lets Generate reuse what `prepare` uploaded."""

    def __init__(
        self, profile_dir: Callable[[], Path], resolver: Callable[[], ImageResolver], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._profile_dir = profile_dir
        self._resolver = resolver

    def frames_folder(self, project: Project | None) -> Path:
        """`<project folder>/frames`, or `<profile>/frames` for a project that keeps its files in the downloads."""
        base = Path(project.folder).expanduser() if project is not None and project.folder else self._profile_dir()
        return base / FRAMES_FOLDER

    async def grab(self, video: Path, at_ms: int | None) -> QImage:
        """The frame on screen at `at_ms` (None: the last frame), full size. FrameGrabError says why not."""
        from sora2_desktop.core.media.frame_grab import grab_frame

        return await grab_frame(video, at_ms)

    async def last_frame(self, video: Path) -> tuple[int, Fraction] | None:
        """The number of the video's last frame (from 0) and its frame rate, read from the file's boxes; None when
        they cannot be read (the player's own figures are the fallback)."""
        try:
            info = await asyncio.to_thread(probe, video)
        except (MediaProbeError, OSError):
            return None
        return max(0, info.frame_count - 1), info.frame_rate

    async def save_png(self, image: QImage, target: Path) -> Path:
        """Write `image` as a PNG at `target` (replacing what is there, whole or not at all). OSError says why not."""
        await asyncio.to_thread(_write_png, image, target)
        return target

    async def save_frame(self, video: Path, at_ms: int | None, target: Path) -> QImage:
        """The frame at `at_ms` of `video` saved as a full-size PNG at `target`; returns the frame."""
        image = await self.grab(video, at_ms)
        await self.save_png(image, target)
        return image

    async def start_image(
        self, video: Path, at_ms: int | None, spec: ModelSpec, draft: Mapping[str, Any], folder: Path, stem: str
    ) -> StartImage:
        """The frame at `at_ms` (None: the last) fitted to the frame an image-to-video take of `spec` makes with the
        shot's `draft` (start_frame.target_frame), saved as `folder/<stem>_<W>x<H>.png` under a name not yet taken.
        StartFrameError (no start image for that model), FrameGrabError or OSError say why not."""
        target = target_frame(spec, draft)
        image = await self.grab(video, at_ms)
        path = await asyncio.to_thread(_fit_and_write, image, target, folder, f"{stem}_{target.width}x{target.height}")
        return StartImage(path, target)

    async def prepare(self, image: Path) -> str:
        """Upload `image` now, as Generate would (the resolver keeps the address, so Generate reuses it): a missing
        image host or a refused upload shows at once, not at Generate. Returns the address; ImageProblem says
        why not."""
        from sora2_desktop.core.images.source import ImageSource

        (url,) = await self._resolver().resolve([ImageSource(str(image), True)])
        return url


def _fit_and_write(image: QImage, target: TargetFrame, folder: Path, stem: str) -> Path:
    fitted = fit_start_frame(image, target.width, target.height)
    folder.mkdir(parents=True, exist_ok=True)
    path = _free_name(folder, stem)
    _write_png(fitted, path)
    return path


def _free_name(folder: Path, stem: str) -> Path:
    for number in range(1, _MAX_CLASH_NUMBER):
        path = folder / f"{stem if number == 1 else f'{stem} ({number})'}{PNG_SUFFIX}"
        if not path.exists():
            return path
    raise FileExistsError(f"no free name for {stem!r} in {folder}")


def _write_png(image: QImage, target: Path) -> None:
    """PNG bytes to a temporary file beside `target`, then renamed over it: never a half-written picture."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".frame-", suffix=PNG_SUFFIX, dir=target.parent)
    os.close(handle)
    try:
        # Qt's PNG "quality" 80 is zlib level 1: half the time of the default for a file about a tenth larger,
        # which keeps a 1792×1024 grab under 200 ms (benchmarks/frame_grab.py). PNG stays lossless either way.
        if not image.save(temporary, "PNG", PNG_QUALITY):  # type: ignore[call-overload]  # the stubs miss (str, str, int)
            raise OSError(_tr("The picture could not be written as a PNG to {0}.").format(target.parent))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
