"""CardCache, raster_bands and the poster's source: a card's look is kept only for the very take and poster file it
was painted from, the least recently drawn go past the budget, bands draw the same pixels as one call, and a poster
read names its file as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.ui.takes import raster_bands
from sora2_desktop.ui.takes.card_cache import CardCache, CardKey
from sora2_desktop.ui.takes.poster_loader import SOURCE_TEXT, PosterJob, read_poster
from tests.ui.takes.fake_session import make_take


def key(local_id: int, state: int = 0) -> CardKey:
    return CardKey(local_id, state, 208, 170, 1.0, 1, 0, "font")


def test_a_card_is_found_only_for_its_take_and_its_poster(qapp: object) -> None:
    cards = CardCache()
    take = make_take(11, 1)
    pixmap = QPixmap(208, 170)
    cards.put(key(11), take, "a.png|1|2", pixmap)
    assert cards.get(key(11), take, "a.png|1|2") is pixmap
    assert cards.get(key(11), make_take(11, 1), "a.png|1|2") is pixmap  # the same take read again
    assert cards.get(key(11), take.with_(mark=TakeMark.CIRCLED), "a.png|1|2") is None
    assert cards.get(key(11), take, "a.png|3|2") is None  # the poster made again
    assert cards.get(key(11, state=1), take, "a.png|1|2") is None  # another state: selected, hovered…
    assert cards.canvas(key(11)) is pixmap  # painted over, not allocated anew


def test_the_least_recently_drawn_go_past_the_budget(qapp: object) -> None:
    one = 208 * 170 * 4
    cards = CardCache(budget=2 * one)
    takes = [make_take(n, n) for n in (1, 2, 3)]
    for take in takes[:2]:
        cards.put(key(take.local_id or 0), take, "", QPixmap(208, 170))
    assert cards.get(key(1), takes[0], "") is not None  # now the most recent
    cards.put(key(3), takes[2], "", QPixmap(208, 170))
    assert len(cards) == 2
    assert cards.get(key(2), takes[1], "") is None
    assert cards.get(key(1), takes[0], "") is not None
    replaced = QPixmap(208, 170)
    cards.put(key(1), takes[0].with_(rating=3), "", replaced)  # a new look in place: still two cards
    assert len(cards) == 2
    assert cards.get(key(3), takes[2], "") is not None


def _painted(ratio: float, draw: object) -> QImage:
    image = QImage(int(220 * ratio), int(240 * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("#202020"))
    painter = QPainter(image)
    draw(painter)  # type: ignore[operator]
    painter.end()
    return image


@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_bands_draw_the_same_pixels_as_one_call(qapp: object, ratio: float) -> None:
    tall = QRect(10, 5, 190, 230)  # over the 96 lines at which Qt hands work to its threads
    veil = QColor(0, 0, 0, 120)
    assert _painted(ratio, lambda p: raster_bands.fill(p, tall, veil)) == _painted(
        ratio, lambda p: p.fillRect(tall, veil)
    )
    source = QImage(int(190 * ratio), int(200 * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    for y in range(source.height()):  # every line its own colour: a band drawn at the wrong height shows
        for x in range(0, source.width(), 7):
            source.setPixelColor(x, y, QColor.fromHsv((y * 3) % 360, 200, 200, 100 + y % 155))
    pixmap = QPixmap.fromImage(source)
    pixmap.setDevicePixelRatio(ratio)
    at = QPointF(12, 9)
    banded = _painted(ratio, lambda p: raster_bands.draw_pixmap(p, at, pixmap))
    assert banded == _painted(ratio, lambda p: p.drawPixmap(at, pixmap))
    assert banded != _painted(ratio, lambda p: None)


def test_a_poster_read_names_its_file_as_it_was(qapp: object, tmp_path: Path) -> None:
    path = tmp_path / "take.poster.png"
    image = QImage(160, 90, QImage.Format.Format_RGB32)
    image.fill(QColor("blue"))
    assert image.save(str(path))
    job = PosterJob(11, path)
    first = read_poster(job, QSize(192, 108))
    assert first is not None and first.text(SOURCE_TEXT).startswith(f"{path}|")
    again = read_poster(job, QSize(192, 108))
    assert again is not None and again.text(SOURCE_TEXT) == first.text(SOURCE_TEXT)  # the same file: the same name
    image.fill(QColor("red"))
    image.setPixelColor(3, 3, QColor("white"))  # another size on disk, whatever the clock's grain
    assert image.save(str(path))
    remade = read_poster(job, QSize(192, 108))
    assert remade is not None and remade.text(SOURCE_TEXT) != first.text(SOURCE_TEXT)
