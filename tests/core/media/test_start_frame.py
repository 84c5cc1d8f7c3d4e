"""Start frames: the model's frame in pixels from its spec and the shot's draft, and a frame centre-cropped and
scaled to exactly that size without stretching, both ways round."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter

from sora2_desktop.api.model_spec import FrameChoice
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.media.start_frame import (
    StartFrameError,
    crop_rect,
    draft_is_portrait,
    fit_start_frame,
    frame_pixels,
    target_frame,
)

SORA_2 = shipped_catalogue().spec_for("sora-2")
SORA_2_PRO = shipped_catalogue().spec_for("sora-2-pro")
RED, GREEN, BLUE = QColor(220, 20, 20), QColor(20, 200, 20), QColor(20, 20, 220)


def banded(width: int, height: int, *, across: bool) -> QImage:
    """Three equal bands, red / green / blue, stacked top to bottom (`across`) or left to right."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    for index, colour in enumerate((RED, GREEN, BLUE)):
        if across:
            painter.fillRect(QRect(0, height * index // 3, width, height // 3 + 1), colour)
        else:
            painter.fillRect(QRect(width * index // 3, 0, width // 3 + 1, height), colour)
    painter.end()
    return image


def near(actual: QColor, expected: QColor) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(actual.getRgb()[:3], expected.getRgb()[:3], strict=True))


def colours_at_edges(image: QImage) -> list[QColor]:
    w, h = image.width(), image.height()
    return [image.pixelColor(x, y) for x, y in ((1, 1), (w - 2, 1), (1, h - 2), (w - 2, h - 2), (w // 2, h // 2))]


def test_a_portrait_frame_for_a_landscape_model_is_its_centre_at_exactly_1280_by_720() -> None:
    target = target_frame(SORA_2, {"model": "sora-2", "aspect_ratio": "landscape"})
    assert (target.param, target.option, target.width, target.height) == ("aspect_ratio", "landscape", 1280, 720)
    frame = banded(720, 1280, across=True)  # the middle third (427-853) holds the centre 720×405 crop
    fitted = fit_start_frame(frame, target.width, target.height)
    assert (fitted.width(), fitted.height()) == (1280, 720)
    assert all(near(colour, GREEN) for colour in colours_at_edges(fitted))  # no red or blue: the centre only


def test_a_landscape_frame_for_a_portrait_shot_keeps_its_centre_upright() -> None:
    target = target_frame(SORA_2, {"aspect_ratio": "portrait"})
    assert (target.width, target.height) == (720, 1280)
    fitted = fit_start_frame(banded(1280, 720, across=False), target.width, target.height)
    assert (fitted.width(), fitted.height()) == (720, 1280)
    assert all(near(colour, GREEN) for colour in colours_at_edges(fitted))


def test_nothing_is_stretched_a_circle_stays_round() -> None:
    """A disc in the middle of a portrait frame keeps equal width and height after the fit (a stretch would not)."""
    frame = QImage(720, 1280, QImage.Format.Format_RGB32)
    frame.fill(QColor("white"))
    painter = QPainter(frame)
    painter.setBrush(QColor("black"))
    painter.drawEllipse(QRect(260, 540, 200, 200))
    painter.end()
    fitted = fit_start_frame(frame, 1280, 720)
    black = [(x, y) for y in range(0, 720, 2) for x in range(0, 1280, 2) if fitted.pixelColor(x, y).lightness() < 100]
    xs, ys = [x for x, _ in black], [y for _, y in black]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    # 200 source pixels across a 720-wide crop scaled to 1280: ~355 both ways.
    assert abs(width - height) <= 6 and 340 <= width <= 370


def test_the_same_shape_is_only_scaled() -> None:
    fitted = fit_start_frame(banded(640, 360, across=False), 1280, 720)
    assert (fitted.width(), fitted.height()) == (1280, 720)
    assert near(fitted.pixelColor(2, 360), RED) and near(fitted.pixelColor(1277, 360), BLUE)
    assert crop_rect(640, 360, 1280, 720) == QRect(0, 0, 640, 360)


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ({"resolution": "720p", "size": "1280*720"}, ("720p", 1280, 720)),
        ({"resolution": "1080p", "size": "1792*1024"}, ("1080p", 1920, 1080)),
        # A resolution names lines, not a shape: a shot framed upright (its size) gets an upright start image.
        ({"resolution": "1080p", "size": "1024*1792"}, ("1080p", 1080, 1920)),
        ({"resolution": "720p", "size": "", "aspect_ratio": "portrait"}, ("720p", 720, 1280)),
        # A draft with no (or no offered) resolution takes the model's default.
        ({"resolution": "", "size": "1280*720"}, ("720p", 1280, 720)),
        ({"resolution": "4k"}, ("720p", 1280, 720)),
    ],
)
def test_sora_2_pro_image_to_video_resolutions(draft: dict[str, str], expected: tuple[str, int, int]) -> None:
    target = target_frame(SORA_2_PRO, draft)
    assert (target.param, target.option, target.width, target.height) == ("resolution", *expected)


def test_a_frame_option_is_data_from_the_spec_and_sizes_read_as_pixels() -> None:
    """A model whose image-to-video frame is a size (as Sora 2 Pro's text-to-video is) gives those pixels."""
    sized = replace(
        SORA_2_PRO,
        frame={**SORA_2_PRO.frame, "image-to-video": FrameChoice("size", ("1792*1024", "1024*1792"), "1792*1024")},
    )
    assert (target_frame(sized, {"size": "1024*1792"}).width, target_frame(sized, {}).height) == (1024, 1024)
    assert frame_pixels("size", "1792*1024") == (1792, 1024)
    assert frame_pixels("resolution", "1080p") == (1920, 1080)
    assert frame_pixels("resolution", "720p", portrait=True) == (720, 1280)
    assert frame_pixels("aspect_ratio", "portrait") == (720, 1280)
    with pytest.raises(StartFrameError, match="square"):
        frame_pixels("aspect_ratio", "square")


def test_a_model_without_image_to_video_says_so() -> None:
    text_only = replace(SORA_2, modes=("text-to-video",), frame={"text-to-video": SORA_2.frame["text-to-video"]})
    with pytest.raises(StartFrameError, match="does not start from an image"):
        target_frame(text_only, {})


def test_orientation_of_a_draft() -> None:
    assert draft_is_portrait({"size": "720*1280", "aspect_ratio": "landscape"})
    assert not draft_is_portrait({"size": "1280*720", "aspect_ratio": "portrait"})
    assert draft_is_portrait({"size": "", "aspect_ratio": "portrait"})
    assert not draft_is_portrait({})


def test_an_empty_frame_is_refused() -> None:
    with pytest.raises(StartFrameError):
        fit_start_frame(QImage(), 1280, 720)
