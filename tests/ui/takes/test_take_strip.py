"""TakeStrip: the shown shot's takes only, kept current by the session; a finished take is brought in place and
selected when nothing plays, without taking the focus; keepers only and the order from the toolbar."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.takes import poster_loader
from sora2_desktop.ui.takes.poster_loader import PosterJob
from sora2_desktop.ui.takes.take_delegate import POSTER
from sora2_desktop.ui.takes.take_filter import TakeOrder
from sora2_desktop.ui.takes.take_model import TakeListModel
from sora2_desktop.ui.takes.take_strip import TakeStrip
from tests.ui.takes.fake_session import OTHER_SHOT, SHOT, FakeSession, make_take


class Window(QWidget):
    """The strip beside a prompt field, as in the main window."""

    def __init__(self, session: FakeSession) -> None:
        super().__init__()
        self.playing = False
        self.prompt = QLineEdit(self)
        self.strip = TakeStrip(session, self, is_playing=lambda: self.playing)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.strip)
        self.resize(900, 600)


@pytest.fixture
def session(qapp: object) -> FakeSession:
    fake = FakeSession()
    fake.projects.add(
        make_take(11, 1),
        make_take(12, 2, TaskPhase.PROCESSING),
        make_take(21, 1, shot_id=OTHER_SHOT),
    )
    return fake


@pytest.fixture
def window(qtbot: QtBot, session: FakeSession) -> Iterator[Window]:
    widget = Window(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def shown(strip: TakeStrip) -> list[int]:
    return [strip.proxy.task_at(row).local_id or 0 for row in range(strip.proxy.rowCount())]


def test_no_shot_then_a_shot_with_its_takes_only(window: Window) -> None:
    strip = window.strip
    assert strip.pages.currentWidget() is strip.empty_label
    assert "Choose a shot" in strip.empty_label.text()
    strip.show_shot(SHOT)
    assert shown(strip) == [11, 12]
    assert strip.pages.currentWidget() is strip.view
    assert strip.count_label.text() == "2 take(s)"


def test_a_shot_without_takes_says_what_to_do(window: Window) -> None:
    window.strip.show_shot(99)
    assert window.strip.pages.currentWidget() is window.strip.empty_label
    assert window.strip.empty_label.text() == "No takes yet — write the prompt and press Generate (Ctrl+Enter)"


def test_changes_of_other_shots_are_ignored_and_a_new_take_appears(window: Window, session: FakeSession) -> None:
    strip = window.strip
    strip.show_shot(SHOT)
    session.task_changed.emit(make_take(22, 2, TaskPhase.PROCESSING, shot_id=OTHER_SHOT))
    assert shown(strip) == [11, 12]
    session.task_changed.emit(make_take(13, 3, TaskPhase.QUEUED))
    assert shown(strip) == [11, 12, 13]
    assert strip.current_take() is None  # a new take running is not selected


def test_a_finished_take_is_selected_when_nothing_plays_and_the_focus_stays(
    qtbot: QtBot, window: Window, session: FakeSession
) -> None:
    strip = window.strip
    strip.show_shot(SHOT)
    window.activateWindow()
    window.prompt.setFocus()
    qtbot.waitUntil(window.prompt.hasFocus)
    with qtbot.waitSignal(strip.take_selected) as blocker:
        session.task_changed.emit(make_take(12, 2, TaskPhase.SUCCESS))
    assert blocker.args[0].local_id == 12
    assert strip.current_take() is not None and strip.current_take().local_id == 12  # type: ignore[union-attr]
    assert window.prompt.hasFocus()
    selected: list[object] = []
    strip.take_selected.connect(selected.append)
    session.task_changed.emit(make_take(12, 2, TaskPhase.SUCCESS, rating=2))  # already finished: not again
    assert selected == []


def test_a_finished_take_waits_while_something_plays(window: Window, session: FakeSession) -> None:
    strip = window.strip
    strip.show_shot(SHOT)
    strip.select_take(11)
    window.playing = True
    selected: list[object] = []
    strip.take_selected.connect(selected.append)
    session.task_changed.emit(make_take(12, 2, TaskPhase.SUCCESS))
    assert selected == []
    assert strip.current_take().local_id == 11  # type: ignore[union-attr]
    assert strip.model.task_at(1).phase == TaskPhase.SUCCESS  # shown as done all the same


def test_a_take_finishing_in_another_shot_selects_nothing(window: Window, session: FakeSession) -> None:
    strip = window.strip
    strip.show_shot(SHOT)
    selected: list[object] = []
    strip.take_selected.connect(selected.append)
    session.task_changed.emit(make_take(21, 1, TaskPhase.SUCCESS, shot_id=OTHER_SHOT))
    assert selected == []


def save_poster(path: Path, colour: str = "green") -> Path:
    image = QImage(160, 90, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def poster_middle(strip: TakeStrip, row: int) -> QColor:
    """The colour in the middle of the card's poster, as the grid paints it now."""
    card = strip.view.visualRect(strip.proxy.index(row, 0))
    frame = strip.view.viewport().grab().toImage()
    return QColor(frame.pixel(card.left() + 8 + POSTER.width() // 2, card.top() + 8 + POSTER.height() // 2))


def test_the_poster_arrives_in_place(qtbot: QtBot, window: Window, session: FakeSession, tmp_path: Path) -> None:
    strip = window.strip
    strip.show_shot(SHOT)
    session.poster_ready.emit(11, str(save_poster(tmp_path / "p.png")))
    qtbot.waitUntil(lambda: strip.model.has_poster(11))
    assert strip.model.index(0, 0).data(TakeListModel.PosterRole) is not None


def test_a_poster_already_beside_the_video_is_found(qtbot: QtBot, session: FakeSession, tmp_path: Path) -> None:
    video = tmp_path / "Trailer_SH010_T01_16x9.mp4"
    video.write_bytes(b"")
    save_poster(tmp_path / "Trailer_SH010_T01_16x9.poster.png")
    session.videos[11] = video
    session.videos[13] = tmp_path / "gone.mp4"  # its poster is there, its video is not: no poster shown
    save_poster(tmp_path / "gone.poster.png")
    session.projects.add(make_take(13, 3))
    strip = TakeStrip(session)
    qtbot.addWidget(strip)
    strip.show_shot(SHOT)
    qtbot.waitUntil(lambda: strip.model.has_poster(11))
    assert strip.posters.wait()
    qtbot.waitUntil(lambda: not strip.posters.pending())  # everything read has been delivered
    assert strip.model.index(1, 0).data(TakeListModel.PosterRole) is None  # still running
    assert not strip.model.has_poster(13)


def test_a_card_paints_a_placeholder_without_touching_a_file_until_the_worker_brings_its_poster(
    qtbot: QtBot, window: Window, session: FakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    video = tmp_path / "take1.mp4"
    video.write_bytes(b"")
    save_poster(tmp_path / "take1.poster.png", "#3060c0")
    session.videos[11] = video
    release = threading.Event()
    on_gui_thread: list[bool] = []
    read = poster_loader.read_poster

    def held(job: PosterJob, size: QSize) -> QImage | None:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        release.wait(10)
        return read(job, size)

    def no_file_io(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a file was read while painting")

    monkeypatch.setattr(poster_loader, "read_poster", held)
    strip = window.strip
    changed: list[tuple[int, int]] = []
    strip.model.dataChanged.connect(
        lambda top, bottom, roles=(): (
            changed.append((top.row(), bottom.row())) if TakeListModel.PosterRole in roles else None
        )
    )
    try:
        strip.show_shot(SHOT)
        with monkeypatch.context() as paint:
            for cls, name in (
                (QPixmap, "load"),
                (QImage, "load"),
                (QImageReader, "read"),
                (Path, "is_file"),
                (Path, "stat"),
            ):
                paint.setattr(cls, name, no_file_io)
            placeholder = poster_middle(strip, 0)  # the grid painted while the worker is still held
        assert placeholder != QColor("#3060c0")
        assert not strip.model.has_poster(11)
    finally:
        release.set()
    qtbot.waitUntil(lambda: strip.model.has_poster(11))
    assert on_gui_thread == [False]  # read in the pool, once
    assert changed == [(0, 0)]  # only its card was repainted
    assert poster_middle(strip, 0) == QColor("#3060c0")


def test_activating_a_take_and_moving_between_takes(qtbot: QtBot, window: Window) -> None:
    strip = window.strip
    strip.show_shot(SHOT)
    strip.focus_takes()
    qtbot.waitUntil(strip.view.hasFocus)
    assert strip.current_take().local_id == 11  # type: ignore[union-attr]
    with qtbot.waitSignal(strip.take_selected) as moved:
        qtbot.keyClick(strip.view, Qt.Key.Key_Right)
    assert moved.args[0].local_id == 12
    with qtbot.waitSignal(strip.take_activated) as opened:
        qtbot.keyClick(strip.view, Qt.Key.Key_Return)
    assert opened.args[0].local_id == 12


def test_keepers_only_from_the_key_and_the_empty_state(qtbot: QtBot, window: Window, session: FakeSession) -> None:
    strip = window.strip
    strip.show_shot(SHOT)
    strip.focus_takes()
    qtbot.waitUntil(strip.view.hasFocus)
    qtbot.keyClick(strip.view, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    assert strip.keepers_action.isChecked()
    assert shown(strip) == []
    assert "No circled takes" in strip.empty_label.text()
    session.projects.set_mark(12, TakeMark.CIRCLED)
    assert shown(strip) == [12]
    assert strip.count_label.text() == "2 take(s) · 1 circled"
    strip.set_keepers_only(False)
    assert shown(strip) == [11, 12]


def test_order_by_rating_from_the_combo(window: Window, session: FakeSession) -> None:
    strip = window.strip
    strip.show_shot(SHOT)
    session.projects.set_rating(12, 4)
    strip.set_order(TakeOrder.RATING)
    assert strip.order_combo.currentData() == TakeOrder.RATING
    assert shown(strip) == [12, 11]


def test_selected_takes_in_take_order(window: Window, session: FakeSession) -> None:
    strip = window.strip
    session.projects.add(make_take(13, 3))
    strip.show_shot(SHOT)
    strip.view.selectAll()
    assert [t.local_id for t in strip.selected_takes()] == [11, 12, 13]


def test_keepers_only_and_the_order_are_remembered_across_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    first = FakeSession(AppSettings(profile))
    first.projects.add(
        make_take(11, 1, mark=TakeMark.CIRCLED, rating=1), make_take(12, 2, mark=TakeMark.CIRCLED, rating=4)
    )
    first.projects.add(make_take(13, 3))
    strip = TakeStrip(first)
    qtbot.addWidget(strip)
    assert not strip.keepers_action.isChecked() and strip.proxy.order == TakeOrder.TAKE  # the defaults
    strip.keepers_action.trigger()  # as the button or Shift+C does
    strip.order_combo.setCurrentIndex(strip.order_combo.findData(TakeOrder.RATING))
    first.settings.sync()

    again = FakeSession(AppSettings(profile))  # the next start reads the file afresh
    again.projects.tasks = dict(first.projects.tasks)
    restarted = TakeStrip(again)
    qtbot.addWidget(restarted)
    restarted.show_shot(SHOT)
    assert restarted.keepers_action.isChecked()
    assert restarted.order_combo.currentData() == TakeOrder.RATING
    assert shown(restarted) == [12, 11]  # circled only, most stars first
    restarted.set_keepers_only(False)
    restarted.set_order(TakeOrder.TAKE)
    again.settings.sync()
    assert (AppSettings(profile).takes_keepers_only, AppSettings(profile).takes_order) == (False, "take")
