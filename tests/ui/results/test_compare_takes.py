"""CompareTakesDialog: every take decodes, one transport seeks and plays them all, drift is pulled back, picks emit
the take's local id and show which take is picked."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame
from pytestqt.qtbot import QtBot

from sora2_desktop.resources import resource_path
from sora2_desktop.ui.results.compare_takes import DRIFT_LIMIT_MS, CompareTakesDialog, Take
from tests.helpers.qt_messages import expects_broken_media_warning

DEMO_CLIP = resource_path("demo_clip.mp4")


def takes(*videos: Path, chosen: int | None = None) -> list[Take]:
    """Takes with local ids 11, 12, …; `chosen` is the one already picked."""
    return [Take(11 + i, Path(video), chosen == 11 + i) for i, video in enumerate(videos)]


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[CompareTakesDialog]:
    widget = CompareTakesDialog(takes(DEMO_CLIP, DEMO_CLIP))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: all(p.duration() > 0 for p in widget.players), timeout=10_000)
    yield widget
    widget.reject()


def frame_counters(dialog: CompareTakesDialog) -> list[list[int]]:
    counts: list[list[int]] = []
    for sink in dialog.video_sinks():
        count = [0]

        def on_frame(frame: QVideoFrame, count: list[int] = count) -> None:
            if frame.isValid():
                count[0] += 1

        sink.videoFrameChanged.connect(on_frame)
        counts.append(count)
    return counts


def test_takes_needs_two_to_four(qtbot: QtBot) -> None:
    with pytest.raises(ValueError):
        CompareTakesDialog(takes(DEMO_CLIP))


def test_both_takes_decode_frames_and_only_the_first_is_heard(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    counts = frame_counters(dialog)
    dialog.play()
    qtbot.waitUntil(lambda: all(c[0] >= 5 for c in counts), timeout=10_000)
    assert dialog.is_playing()
    audio = [p.audioOutput() for p in dialog.players]
    assert [a.isMuted() for a in audio if a is not None] == [False, True]


def test_shared_seek_moves_every_take(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    dialog.seek(3000)
    assert [p.position() for p in dialog.players] == [3000, 3000]
    dialog.seek_slider.setSliderDown(True)
    dialog.seek_slider.setValue(1500)
    dialog.seek_slider.sliderMoved.emit(1500)
    dialog.seek_slider.setSliderDown(False)
    assert [p.position() for p in dialog.players] == [1500, 1500]


def test_play_pause_all_and_space(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    dialog.play_button.click()
    qtbot.waitUntil(
        lambda: all(p.playbackState() == QMediaPlayer.PlaybackState.PlayingState for p in dialog.players),
        timeout=5_000,
    )
    qtbot.waitUntil(lambda: dialog.players[0].position() > 300, timeout=5_000)
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    assert all(p.playbackState() == QMediaPlayer.PlaybackState.PausedState for p in dialog.players)
    positions = [p.position() for p in dialog.players]
    assert positions[0] == positions[1]


def test_drift_is_pulled_back(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    dialog.play()
    qtbot.waitUntil(lambda: dialog.players[0].position() > 200, timeout=5_000)
    clock, follower = dialog.players
    follower.setPosition(clock.position() + 1500)
    qtbot.waitUntil(lambda: dialog.realign_count >= 1, timeout=5_000)
    qtbot.wait(100)
    assert abs(follower.position() - clock.position()) < DRIFT_LIMIT_MS * 2


def test_loop_all(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    dialog.loop_button.click()
    assert dialog.is_looping()
    assert all(p.loops() == QMediaPlayer.Loops.Infinite.value for p in dialog.players)
    dialog.seek(4700)
    dialog.play()
    qtbot.waitUntil(lambda: 0 < dialog.players[0].position() < 1000 and dialog.is_playing(), timeout=10_000)


def test_pick_this_take_emits_its_local_id(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    with qtbot.waitSignal(dialog.take_picked) as blocker:
        dialog.pick_buttons[1].click()
    assert blocker.args == [12]
    assert dialog.picked() is None  # shown as picked only once the pick is stored (show_picked)
    assert dialog.take_number(12) == 2


def test_show_picked_circles_a_take_and_keeps_earlier_circles(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    dialog.show_picked(12)
    assert [b.text() for b in dialog.pick_buttons] == ["Pick this take", "✓ Circled"]
    assert [b.isEnabled() for b in dialog.pick_buttons] == [True, False]
    dialog.show_picked(11)  # a shot may keep several circled takes
    assert [b.text() for b in dialog.pick_buttons] == ["✓ Circled", "✓ Circled"]
    assert [b.isEnabled() for b in dialog.pick_buttons] == [False, False]
    assert dialog.picked() == 11
    dialog.show_circled({12})  # a mark cleared elsewhere
    assert [b.isEnabled() for b in dialog.pick_buttons] == [True, False]


def test_a_take_picked_before_opens_as_picked(qtbot: QtBot) -> None:
    dialog = CompareTakesDialog(takes(DEMO_CLIP, DEMO_CLIP, DEMO_CLIP, chosen=13))
    qtbot.addWidget(dialog)
    assert dialog.picked() == 13
    assert [b.text() for b in dialog.pick_buttons] == ["Pick this take", "Pick this take", "✓ Circled"]
    dialog.reject()


@expects_broken_media_warning
def test_a_broken_take_is_named_and_cannot_be_picked(qtbot: QtBot, tmp_path: Path) -> None:
    fake = tmp_path / "broken.mp4"
    fake.write_text("not a video\n" * 50)
    dialog = CompareTakesDialog(takes(DEMO_CLIP, fake, DEMO_CLIP))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.pick_buttons[1].isEnabled(), timeout=10_000)
    assert dialog.pick_buttons[0].isEnabled() and dialog.pick_buttons[2].isEnabled()
    dialog.show_picked(13)  # picking another take does not make the broken one pickable
    assert [b.isEnabled() for b in dialog.pick_buttons] == [True, False, False]
    dialog.reject()


def test_takes_of_a_shot_show_their_versions_side_by_side_and_restore(qtbot: QtBot) -> None:
    from sora2_desktop.core.tasks.task import TaskPhase
    from tests.ui.takes.fake_session import make_take

    first = make_take(11, 1, TaskPhase.SUCCESS, prompt="A red fox runs through snow")
    third = make_take(13, 3, TaskPhase.SUCCESS, prompt="A grey fox runs through snow")
    shot_takes = [
        Take(11, Path(DEMO_CLIP), task=first, code="T01", version=1),
        Take(13, Path(DEMO_CLIP), task=third, code="T03", version=2),
    ]
    dialog = CompareTakesDialog(shot_takes)
    qtbot.addWidget(dialog)
    try:
        assert dialog._titles[1].text() == "T03 · prompt v2"
        assert dialog.versions is not None
        assert "line-through" in dialog.versions.left_prompt.toHtml()
        assert "grey" in dialog.versions.right_prompt.toPlainText()
        with qtbot.waitSignal(dialog.restore_requested) as blocker:
            dialog.restore_buttons[1].click()
        assert blocker.args == [third]
        assert dialog.current_take() == first
    finally:
        dialog.reject()


def test_takes_without_a_task_have_no_versions_or_restore(qtbot: QtBot, dialog: CompareTakesDialog) -> None:
    assert dialog.versions is None
    assert not any(b.isVisibleTo(dialog) for b in dialog.restore_buttons)
