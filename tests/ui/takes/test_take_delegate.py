"""TakeDelegate: every kind of card paints without a warning, and marks change what is drawn."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QListView, QStyle, QStyleOptionViewItem

from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.takes.poster_loader import SOURCE_TEXT
from sora2_desktop.ui.takes.take_delegate import POSTER, TakeDelegate
from sora2_desktop.ui.takes.take_model import TakeListModel
from tests.ui.takes.fake_session import NOW, make_take


def render(
    view: QListView, model: TakeListModel, task: Task, *, selected: bool = False, poster: QImage | None = None
) -> QImage:
    model.set_takes([task])
    if poster is not None:  # as PosterLoader hands it in: decoded in a worker
        model.set_poster_image(task.local_id or 0, poster)
    return paint_with(TakeDelegate(view), view, model, selected=selected)


@pytest.fixture
def view(qapp: object) -> QListView:
    return QListView()


@pytest.fixture
def poster() -> QImage:
    image = QImage(160, 90, QImage.Format.Format_RGB32)
    image.fill(QColor("#3060c0"))
    return image


CARDS = [
    make_take(11, 1),
    make_take(11, 1, TaskPhase.PROCESSING),
    make_take(11, 1, TaskPhase.SUBMITTING),
    make_take(11, 1, TaskPhase.FAILED, fail_code="500"),
    make_take(11, 1, mark=TakeMark.CIRCLED, rating=5, review_note="the one\nwith the gull"),
    make_take(11, 1, mark=TakeMark.HOLD, rating=2),
    make_take(11, 1, mark=TakeMark.NO_GOOD),
]


@pytest.mark.parametrize("task", CARDS, ids=lambda t: f"{t.phase}-{t.mark}")
@pytest.mark.parametrize("selected", [False, True])
def test_every_card_paints(view: QListView, poster: QImage, task: Task, selected: bool) -> None:
    model = TakeListModel(now=lambda: NOW)
    image = render(view, model, task, selected=selected, poster=poster)
    assert image.size().width() >= POSTER.width()


def test_card_size_holds_poster_and_three_lines(view: QListView) -> None:
    model = TakeListModel(now=lambda: NOW)
    model.set_takes([make_take(11, 1)])
    option = QStyleOptionViewItem()
    option.initFrom(view)
    size = TakeDelegate(view).sizeHint(option, model.index(0, 0))
    assert size.width() > POSTER.width()
    assert size.height() >= POSTER.height() + 3 * view.fontMetrics().height()


def test_marks_are_drawn(view: QListView, poster: QImage) -> None:
    model = TakeListModel(now=lambda: NOW)
    plain = render(view, model, make_take(11, 1), poster=poster)
    assert render(view, model, make_take(11, 1, mark=TakeMark.CIRCLED), poster=poster) != plain
    assert render(view, model, make_take(11, 1, mark=TakeMark.HOLD), poster=poster) != plain
    assert render(view, model, make_take(11, 1, rating=3), poster=poster) != plain
    veiled = render(view, model, make_take(11, 1, mark=TakeMark.NO_GOOD), poster=poster)
    # A no-good take recedes: the middle of its poster is darker than the plain one's.
    middle = (8 + POSTER.width() // 2, 8 + POSTER.height() // 2 + 20)
    assert QColor(veiled.pixel(*middle)).lightness() < QColor(plain.pixel(*middle)).lightness()


def test_the_poster_is_drawn_when_there_is_one(view: QListView, poster: QImage) -> None:
    with_poster = render(view, TakeListModel(now=lambda: NOW), make_take(11, 1), poster=poster)
    without = render(view, TakeListModel(now=lambda: NOW), make_take(11, 1))
    middle = (8 + POSTER.width() // 2, 8 + POSTER.height() // 2 + 20)
    assert QColor(with_poster.pixel(*middle)) == QColor("#3060c0")
    assert QColor(without.pixel(*middle)) != QColor("#3060c0")


def test_a_poster_is_scaled_once_and_the_least_recently_drawn_go_past_the_budget(qapp: object) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QPixmap

    from sora2_desktop.ui.takes.take_delegate import _FittedPosters

    one_poster = 192 * 108 * 4
    posters = _FittedPosters(budget=2 * one_poster)
    first, second, third = (QPixmap(160, 90) for _ in range(3))
    scaled = posters.get(first, POSTER, 1.0)
    assert scaled.size() == POSTER
    assert posters.get(first, POSTER, 1.0).cacheKey() == scaled.cacheKey()  # kept, not scaled again
    second_scaled = posters.get(second, POSTER, 1.0)
    posters.get(first, POSTER, 1.0)  # drawn again: now the most recent
    posters.get(third, POSTER, 1.0)  # over the budget: `second` goes, `first` stays
    assert posters.get(first, POSTER, 1.0).cacheKey() == scaled.cacheKey()
    assert posters.get(second, POSTER, 1.0).cacheKey() != second_scaled.cacheKey()  # scaled anew
    sharp = posters.get(first, POSTER, 2.0)  # a high-DPI screen: the card's size in device pixels
    assert sharp.size() == QSize(POSTER.width() * 2, POSTER.height() * 2)
    assert sharp.deviceIndependentSize().toSize() == POSTER
    fitted = QPixmap(POSTER * 2)  # as PosterLoader delivers it: already the card's size at the screen's ratio
    fitted.setDevicePixelRatio(2.0)
    assert posters.get(fitted, POSTER, 2.0).cacheKey() == fitted.cacheKey()  # drawn as it is, nothing cached
    assert posters.get(fitted, POSTER, 1.0).size() == POSTER  # another screen's ratio: fitted again


def counted(view: QListView) -> tuple[TakeDelegate, list[int]]:
    """A delegate that counts the cards it paints (a card drawn from its cache is not painted)."""
    delegate = TakeDelegate(view)
    painted: list[int] = []
    paint_card = delegate._paint_card
    delegate._paint_card = lambda *args: (painted.append(1), paint_card(*args))[-1]  # type: ignore[method-assign]
    return delegate, painted


def paint_with(delegate: TakeDelegate, view: QListView, model: TakeListModel, *, selected: bool = False) -> QImage:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    size = delegate.sizeHint(option, model.index(0, 0))
    option.rect = QRect(0, 0, size.width(), size.height())
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("#202020"))
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    return image


def test_a_finished_card_is_painted_once_and_again_when_its_mark_poster_or_selection_changes(
    view: QListView, poster: QImage
) -> None:
    model = TakeListModel(now=lambda: NOW)
    task = make_take(11, 1)
    model.set_takes([task])
    model.set_poster_image(11, poster)
    delegate, painted = counted(view)
    plain = paint_with(delegate, view, model)
    assert plain == render(view, TakeListModel(now=lambda: NOW), task, poster=poster)  # as a fresh delegate draws
    assert paint_with(delegate, view, model) == plain and len(painted) == 1  # the second time from the cache
    circled = task.with_(mark=TakeMark.CIRCLED)
    model.upsert(circled)
    assert paint_with(delegate, view, model) == render(view, TakeListModel(now=lambda: NOW), circled, poster=poster)
    assert paint_with(delegate, view, model) != plain
    selected = paint_with(delegate, view, model, selected=True)
    assert selected == render(view, TakeListModel(now=lambda: NOW), circled, selected=True, poster=poster)
    assert len(painted) == 3
    red = QImage(160, 90, QImage.Format.Format_RGB32)
    red.fill(QColor("red"))
    model.set_poster_image(11, red)  # the poster made again
    middle = (8 + POSTER.width() // 2, 8 + POSTER.height() // 2 + 20)
    assert QColor(paint_with(delegate, view, model, selected=True).pixel(*middle)) == QColor("red")
    assert len(painted) == 4


def test_a_shot_shown_again_keeps_its_cards_until_a_poster_file_changes(view: QListView, poster: QImage) -> None:
    model = TakeListModel(now=lambda: NOW)
    task = make_take(11, 1)
    delegate, painted = counted(view)

    def show(source: str, color: str) -> None:  # as the strip shows a shot: its takes, then posters read anew
        model.set_takes([task])
        image = QImage(poster)
        image.fill(QColor(color))
        image.setText(SOURCE_TEXT, source)  # as PosterLoader names the file it read
        model.set_poster_image(11, image)

    middle = (8 + POSTER.width() // 2, 8 + POSTER.height() // 2 + 20)
    show("poster.png|1000|20000", "blue")
    assert QColor(paint_with(delegate, view, model).pixel(*middle)) == QColor("blue")
    show("poster.png|1000|20000", "blue")
    paint_with(delegate, view, model)
    assert len(painted) == 1
    show("poster.png|2000|21000", "green")  # made again in the meantime
    assert QColor(paint_with(delegate, view, model).pixel(*middle)) == QColor("green")
    assert len(painted) == 2


@pytest.mark.parametrize("task", CARDS, ids=lambda t: f"{t.phase}-{t.mark}")
@pytest.mark.parametrize("selected", [False, True])
def test_a_card_from_the_cache_is_the_card_painted_in_place(
    view: QListView, poster: QImage, task: Task, selected: bool
) -> None:
    from sora2_desktop.ui.takes.take_delegate import _paint_cell

    model = TakeListModel(now=lambda: NOW)
    cached = render(view, model, task, selected=selected, poster=poster)
    delegate = TakeDelegate(view)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    option.rect = QRect(0, 0, cached.width(), cached.height())
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    direct = QImage(cached.size(), QImage.Format.Format_ARGB32)
    direct.fill(QColor("#202020"))
    painter = QPainter(direct)
    _paint_cell(painter, option)
    fraction = float(model.index(0, 0).data(TakeListModel.ProgressRole) or 0.0)
    delegate._paint_card(painter, option, task, model.index(0, 0).data(TakeListModel.PosterRole), fraction)
    painter.end()
    assert cached == direct
