"""TakeListModel and TakeFilterProxy: a shot's takes in order, kept current row by row; keepers only; by rating."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPixmap

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.takes.take_filter import TakeFilterProxy, TakeOrder
from sora2_desktop.ui.takes.take_model import TakeListModel
from tests.ui.takes.fake_session import NOW, make_take

M = TakeListModel


@pytest.fixture
def model(qapp: object) -> TakeListModel:
    return TakeListModel(now=lambda: NOW)


def codes(model: TakeListModel | TakeFilterProxy) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def red_poster() -> QImage:
    image = QImage(32, 18, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    return image


def test_takes_are_listed_take_one_first_whatever_the_order_given(model: TakeListModel) -> None:
    model.set_takes([make_take(13, 3), make_take(11, 1), make_take(12, 2)])
    assert codes(model) == ["T01", "T02", "T03"]
    assert model.index(0, 0).data(M.TaskRole).local_id == 11


def test_a_new_take_is_inserted_at_its_place_and_a_known_one_updated(model: TakeListModel) -> None:
    model.set_takes([make_take(11, 1), make_take(13, 3)])
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, _last: inserted.append(first))
    assert model.upsert(make_take(12, 2, TaskPhase.PROCESSING)) == 1
    assert inserted == [1]
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=(): changed.append(top.row()))
    assert model.upsert(make_take(13, 3, mark=TakeMark.CIRCLED)) == 2
    assert changed == [2]
    assert model.task_at(2).mark == TakeMark.CIRCLED
    assert codes(model) == ["T01", "T02", "T03"]


def test_remove(model: TakeListModel) -> None:
    model.set_takes([make_take(11, 1), make_take(12, 2)])
    assert model.remove(11)
    assert not model.remove(11)
    assert codes(model) == ["T02"]


def test_a_poster_handed_in_repaints_its_card_only_and_goes_with_the_shot(model: TakeListModel) -> None:
    model.set_takes([make_take(11, 1), make_take(12, 2), make_take(13, 3, TaskPhase.PROCESSING)])
    assert all(model.index(row, 0).data(M.PosterRole) is None for row in range(3))  # placeholders until it comes
    changed: list[tuple[int, int, list[int]]] = []
    model.dataChanged.connect(lambda top, bottom, roles=(): changed.append((top.row(), bottom.row(), list(roles))))
    model.set_poster_image(12, red_poster())
    assert changed == [(1, 1, [M.PosterRole])]
    pixmap = model.index(1, 0).data(M.PosterRole)
    assert isinstance(pixmap, QPixmap) and QColor(pixmap.toImage().pixel(5, 5)) == QColor("red")
    assert model.has_poster(12) and not model.has_poster(11)
    model.set_poster_image(99, red_poster())  # a take no longer shown (another shot came): dropped
    model.set_poster_image(11, QImage())  # nothing decoded: the placeholder stays
    assert changed == [(1, 1, [M.PosterRole])]
    model.set_takes([make_take(12, 2)])
    assert model.index(0, 0).data(M.PosterRole) is None


def test_tick_touches_running_takes_only(model: TakeListModel) -> None:
    model.set_takes([make_take(11, 1), make_take(12, 2, TaskPhase.PROCESSING), make_take(13, 3)])
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=(): changed.append(top.row()))
    model.tick()
    assert changed == [1]
    assert 0.0 < model.index(1, 0).data(M.ProgressRole) < 1.0


def test_tooltip_and_accessible_text_say_mark_stars_and_note(model: TakeListModel) -> None:
    model.set_takes([make_take(11, 1, mark=TakeMark.CIRCLED, rating=4, review_note="best light")])
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "T01" in tip and "Circled" in tip and "4 star" in tip and "best light" in tip
    assert "Circled" in model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)


def make_proxy(model: TakeListModel) -> TakeFilterProxy:
    proxy = TakeFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def test_keepers_only_shows_circled_takes_and_follows_a_new_mark(model: TakeListModel) -> None:
    model.set_takes([make_take(11, 1, mark=TakeMark.CIRCLED), make_take(12, 2, mark=TakeMark.HOLD), make_take(13, 3)])
    proxy = make_proxy(model)
    proxy.set_keepers_only(True)
    assert codes(proxy) == ["T01"]
    model.upsert(make_take(13, 3, mark=TakeMark.CIRCLED))
    assert codes(proxy) == ["T01", "T03"]
    proxy.set_keepers_only(False)
    assert codes(proxy) == ["T01", "T02", "T03"]


def test_by_rating_puts_most_stars_first_then_circled_then_take_order(model: TakeListModel) -> None:
    model.set_takes(
        [
            make_take(11, 1, rating=2),
            make_take(12, 2, rating=5),
            make_take(13, 3, rating=2, mark=TakeMark.CIRCLED),
            make_take(14, 4, rating=2, mark=TakeMark.NO_GOOD),
            make_take(15, 5),
        ]
    )
    proxy = make_proxy(model)
    assert codes(proxy) == ["T01", "T02", "T03", "T04", "T05"]
    proxy.set_order(TakeOrder.RATING)
    assert codes(proxy) == ["T02", "T03", "T01", "T04", "T05"]
    model.upsert(make_take(15, 5, rating=3))  # re-sorted as it is rated
    assert codes(proxy) == ["T02", "T05", "T03", "T01", "T04"]
