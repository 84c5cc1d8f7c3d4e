"""Shot list frames: what a spreadsheet writes for a frame ("landscape", "16:9", "1280x720", "720p") read as the
option the model takes in that mode (catalogue data: an aspect ratio, a size or a resolution)."""

from __future__ import annotations

import re
from collections.abc import Callable

from sora2_desktop.api.model_spec import FrameChoice

_PIXELS = re.compile(r"^(\d+)\s*[x*×]\s*(\d+)$")
_RATIO = re.compile(r"^(\d+(?:\.\d+)?)\s*[:/]\s*(\d+(?:\.\d+)?)$")
_SMALLEST_SIDE = 100  # "16x9" is a ratio, no video is 16 pixels wide
_SHAPE_WORDS = {
    "landscape": "landscape",
    "horizontal": "landscape",
    "wide": "landscape",
    "portrait": "portrait",
    "vertical": "portrait",
    "tall": "portrait",
    "square": "square",
}


def frame_value(text: str, choice: FrameChoice) -> str | None:
    """The option of `choice` that `text` means, or None when it means none of them. A shape alone picks the
    model's default when it has that shape, else its first option that has it; a size must be one the model
    makes (1920x1080 is not quietly made 1792x1024); a resolution follows a size's short side (1280x720 → 720p).
    A resolution mode takes no shape: the reference image sets it."""
    wanted = text.strip().lower()
    exact = next((option for option in choice.options if option.lower() == wanted), None)
    if exact is not None:
        return exact
    pixels = _pixels(wanted)
    ratio = _ratio(wanted)
    if pixels is not None and max(pixels) < _SMALLEST_SIDE:
        ratio, pixels = pixels, None  # "16x9", as file names write a ratio
    shape = _SHAPE_WORDS.get(wanted) or _shape_of(ratio or pixels)
    if choice.param == "size":
        if pixels is not None:
            return next((option for option in choice.options if _pixels(option) == pixels), None)
        return _with_shape(choice, shape, lambda option: _shape_of(_pixels(option)))
    if choice.param == "resolution":
        short = f"{min(pixels)}p" if pixels is not None else None
        return next((option for option in choice.options if option.lower() == short), None)
    return _with_shape(choice, shape, lambda option: _SHAPE_WORDS.get(option.lower()))


def frame_words(choice: FrameChoice) -> tuple[str, ...]:
    """The options as a spreadsheet would write them: "landscape", "1280x720", "720p"."""
    return tuple(option.replace("*", "x") if choice.param == "size" else option for option in choice.options)


def _with_shape(choice: FrameChoice, shape: str | None, shape_of: Callable[[str], str | None]) -> str | None:
    if shape is None:
        return None
    ordered = (choice.default, *(option for option in choice.options if option != choice.default))
    return next((option for option in ordered if shape_of(option) == shape), None)


def _pixels(text: str) -> tuple[int, int] | None:
    match = _PIXELS.match(text.strip())
    if match is None or not int(match[1]) or not int(match[2]):
        return None
    return int(match[1]), int(match[2])


def _ratio(text: str) -> tuple[float, float] | tuple[int, int] | None:
    match = _RATIO.match(text)
    if match is None or not float(match[1]) or not float(match[2]):
        return None
    return float(match[1]), float(match[2])


def _shape_of(sides: tuple[float, float] | tuple[int, int] | None) -> str | None:
    if sides is None:
        return None
    width, height = sides
    return "landscape" if width > height else "portrait" if width < height else "square"
