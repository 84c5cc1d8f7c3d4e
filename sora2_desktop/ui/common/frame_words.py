"""Frame words: how a frame value the service takes ("landscape", "1280*720", "720p") reads to a person.

Which frame parameter a model takes, and its values, are catalogue data; a value this module has no words for
(a refresh may bring one) is shown as the service spells it, never hidden.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

_translate = QCoreApplication.translate
_SIZE = re.compile(r"^\s*(\d+)\s*[*x×]\s*(\d+)\s*$")
_ASPECT_SHAPES = {"landscape": (16, 9), "portrait": (9, 16), "square": (1, 1)}


def size_pixels(value: str) -> tuple[int, int] | None:
    """(width, height) of a size value such as "1280*720"."""
    match = _SIZE.match(value)
    if not match or not int(match[1]) or not int(match[2]):
        return None
    return int(match[1]), int(match[2])


def frame_shape(param: str, value: str) -> tuple[int, int] | None:
    """The frame's proportions for its icon; None for a resolution (the reference image sets the shape)."""
    if param == "aspect_ratio":
        return _ASPECT_SHAPES.get(value)
    if param == "size":
        return size_pixels(value)
    return None


def _orientation(width: int, height: int) -> str:
    if width > height:
        return _translate("FrameWords", "landscape")
    if width < height:
        return _translate("FrameWords", "portrait")
    return _translate("FrameWords", "square")


def frame_word(param: str, value: str) -> str:
    """Short, for the task list: "landscape", "1280×720", "720p"."""
    if param == "aspect_ratio" and value in _ASPECT_SHAPES:
        return _orientation(*_ASPECT_SHAPES[value])
    pixels = size_pixels(value) if param == "size" else None
    if pixels is not None:
        return f"{pixels[0]}×{pixels[1]}"
    return value


def frame_label(param: str, value: str) -> str:
    """The form's choice: "Landscape 16:9", "1280×720 (landscape)", "720p"."""
    if param == "aspect_ratio" and value == "landscape":
        return _translate("FrameWords", "Landscape 16:9")
    if param == "aspect_ratio" and value == "portrait":
        return _translate("FrameWords", "Portrait 9:16")
    pixels = size_pixels(value) if param == "size" else None
    if pixels is not None:
        return _translate("FrameWords", "{width}×{height} ({orientation})").format(
            width=pixels[0], height=pixels[1], orientation=_orientation(*pixels)
        )
    return value


def frame_tip(param: str, value: str) -> str:
    if param == "aspect_ratio" and value == "landscape":
        return _translate("FrameWords", "For film, TV and desktop screens")
    if param == "aspect_ratio" and value == "portrait":
        return _translate("FrameWords", "For phones and social media")
    pixels = size_pixels(value) if param == "size" else None
    if pixels is not None:
        return _translate("FrameWords", "A {orientation} video of {width} × {height} pixels").format(
            orientation=_orientation(*pixels), width=pixels[0], height=pixels[1]
        )
    if param == "resolution":
        return _translate("FrameWords", "{value} video; its shape follows the reference image").format(value=value)
    return value


def param_label(param: str) -> str:
    """The form's label for the frame parameter (with its mnemonic)."""
    if param == "size":
        return _translate("FrameWords", "Si&ze:")
    if param == "resolution":
        return _translate("FrameWords", "Re&solution:")
    return _translate("FrameWords", "&Aspect ratio:")


def param_name(param: str) -> str:
    """The parameter in a sentence: "aspect ratio", "size", "resolution"."""
    if param == "size":
        return _translate("FrameWords", "size")
    if param == "resolution":
        return _translate("FrameWords", "resolution")
    return _translate("FrameWords", "aspect ratio")
