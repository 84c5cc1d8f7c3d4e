"""Start frames: which frame size an image-to-video take of a model makes, and a video frame cropped (centre) and
scaled to exactly that size, so the service starts from the picture as framed and never stretches it.

The options a model offers are data (its spec in the catalogue); only the meaning of an option word in pixels is
here, in `frame_pixels`, the one place that knows it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QImage

from sora2_desktop.api.model_spec import IMAGE_TO_VIDEO, ModelSpec

# Sora 2's two aspect ratios are 16:9 frames at 720 lines (the service's own videos are 1280×720 / 720×1280).
_ASPECTS = {"landscape": (1280, 720), "portrait": (720, 1280)}
_SIZE = re.compile(r"^\s*(\d{2,5})\s*[*x×]\s*(\d{2,5})\s*$")  # Sora 2 Pro's sizes: "1280*720"
_LINES = re.compile(r"^\s*(\d{3,4})p\s*$")  # "720p", "1080p": 16:9 at that many lines


class StartFrameError(ValueError):
    """No start image can be made for this model or setting; str(error) is a sentence for a person."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("StartFrame", text)


@dataclass(frozen=True)
class TargetFrame:
    """The frame an image-to-video take makes: the request parameter that sets it, its value, and the pixels."""

    param: str  # "aspect_ratio", "size" or "resolution"
    option: str  # the value sent, e.g. "landscape", "1792*1024", "1080p"
    width: int
    height: int


def frame_pixels(param: str, option: str, *, portrait: bool = False) -> tuple[int, int]:
    """Width and height of a frame option: an aspect ratio (landscape 1280×720, portrait 720×1280), a size
    ("1792*1024" → 1792×1024) or a resolution ("720p" → 1280×720, "1080p" → 1920×1080; a resolution names lines,
    not a shape, so it is turned upright when `portrait`). StartFrameError for a word it cannot read."""
    if param == "aspect_ratio" and option in _ASPECTS:
        return _ASPECTS[option]
    size = _SIZE.match(option) if param == "size" else None
    if size is not None:
        return int(size[1]), int(size[2])
    lines = _LINES.match(option) if param == "resolution" else None
    if lines is not None:
        short = int(lines[1])
        long = (short * 16 // 9 + 1) // 2 * 2  # 16:9, to an even width as encoders want (720 → 1280, 1080 → 1920)
        return (short, long) if portrait else (long, short)
    raise StartFrameError(_tr("The frame setting “{0}” = “{1}” has no known size in pixels.").format(param, option))


def draft_is_portrait(draft: Mapping[str, Any]) -> bool:
    """Whether a shot's draft frames upright: its size when it has one ("720*1280"), else its aspect ratio. Sora 2
    Pro's image-to-video takes a resolution only, so the shot's other frame choice says which way round it is."""
    size = _SIZE.match(str(draft.get("size") or ""))
    if size is not None:
        return int(size[2]) > int(size[1])
    return draft.get("aspect_ratio") == "portrait"


def target_frame(spec: ModelSpec, draft: Mapping[str, Any]) -> TargetFrame:
    """The frame an image-to-video take of `spec` makes with a shot's draft: the draft's value of the parameter
    the model takes in that mode when the model offers it, else the model's default. StartFrameError when the
    model takes no start image."""
    if IMAGE_TO_VIDEO not in spec.modes:
        raise StartFrameError(_tr("{0} does not start from an image; choose a model that does.").format(spec.title))
    choice = spec.frame_for(IMAGE_TO_VIDEO)
    wanted = draft.get(choice.param)
    option = wanted if isinstance(wanted, str) and wanted in choice.options else choice.default
    width, height = frame_pixels(choice.param, option, portrait=draft_is_portrait(draft))
    return TargetFrame(choice.param, option, width, height)


def crop_rect(width: int, height: int, target_width: int, target_height: int) -> QRect:
    """The largest centred part of a width×height picture with the target's proportions."""
    if width * target_height > target_width * height:  # wider than the target: the sides go
        kept = max(1, round(height * target_width / target_height))
        return QRect((width - kept) // 2, 0, kept, height)
    kept = max(1, round(width * target_height / target_width))  # taller (or the same): top and bottom go
    return QRect(0, (height - kept) // 2, width, kept)


def fit_start_frame(image: QImage, width: int, height: int) -> QImage:
    """`image` centre-cropped to width:height and scaled (smoothly) to exactly width×height, opaque. Pure: call it
    in a worker thread for big frames. StartFrameError for an empty image."""
    if image.isNull() or image.width() < 1 or image.height() < 1:
        raise StartFrameError(_tr("The frame is empty."))
    if width < 1 or height < 1:
        raise StartFrameError(_tr("The target frame has no size."))
    cropped = image.copy(crop_rect(image.width(), image.height(), width, height))
    scaled = cropped.scaled(
        width, height, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    return scaled.convertToFormat(QImage.Format.Format_RGB32)
