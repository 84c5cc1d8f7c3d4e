"""CompareTakesDialog: takes of one shot side by side, played in step, so a person can pick (circle) the best; with
their prompt versions' changed words and differing settings below, and a way to restore a take's settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoSink
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.media import playback_support
from sora2_desktop.core.runtime.media_calls import post_unload
from sora2_desktop.core.tasks.task import Task
from sora2_desktop.ui.results.video_player import format_clock
from sora2_desktop.ui.takes.version_compare import VersionCompare

# Players drift apart by a frame or two a minute; past ~80 ms (two frames at 25 fps) the eye notices.
DRIFT_LIMIT_MS = 80
_SYNC_INTERVAL_MS = 250
MIN_TAKES, MAX_TAKES = 2, 4


@dataclass(frozen=True)
class Take:
    """One take to compare: its task's local id, its video on disk, and whether it is circled (picked) already;
    with its task, its code ("T03") and prompt version number when it belongs to a shot."""

    local_id: int
    video: Path
    chosen: bool = False
    task: Task | None = None
    code: str = ""
    version: int | None = None

    def title(self, index: int) -> str:
        name = self.code or QCoreApplication.translate("CompareTakes", "Take {number}").format(number=index + 1)
        if self.version is not None:
            return QCoreApplication.translate("CompareTakes", "{take} · prompt v{version}").format(
                take=name, version=self.version
            )
        return name


class CompareTakesDialog(QDialog):
    """2-4 videos in a grid under one transport; player 0 is the clock the others follow, and the only one heard."""

    take_picked = Signal(int)  # the local id of the take the person picked (to circle); show_picked() confirms it
    restore_requested = Signal(object)  # the Task whose settings the person wants back in the shot's composer

    def __init__(self, takes: Sequence[Take], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if not MIN_TAKES <= len(takes) <= MAX_TAKES:
            raise ValueError(f"compare needs {MIN_TAKES}-{MAX_TAKES} takes, got {len(takes)}")
        self.takes = list(takes)
        self._picked: int | None = None
        self._circled: set[int] = set()  # every take shown as circled (a shot may keep several)
        self._unplayable: set[int] = set()  # indexes of takes whose file cannot be played (never pickable)
        self.setWindowTitle(self.tr("Compare takes"))
        self.players: list[QMediaPlayer] = []
        self.pick_buttons: list[QPushButton] = []
        self.restore_buttons: list[QPushButton] = []
        self.realign_count = 0
        self._video_widgets: list[QVideoWidget] = []
        self._titles: list[QLabel] = []

        grid = QGridLayout()
        columns = len(takes) if len(takes) <= 3 else 2
        for index, take in enumerate(takes):
            grid.addLayout(self._make_cell(index, take.video), index // columns, index % columns)

        self.play_button = QToolButton()
        self.play_button.setToolTip(self.tr("Play all (Space)"))
        self.play_button.clicked.connect(self.toggle_play)
        self.seek_slider = QSlider(Qt.Orientation.Horizontal)
        self.seek_slider.setToolTip(self.tr("Position of every take"))
        self.seek_slider.sliderMoved.connect(self.seek)
        self.time_label = QLabel(f"{format_clock(0)} / {format_clock(0)}")
        self.time_label.setMinimumWidth(self.time_label.fontMetrics().horizontalAdvance("00:00:00 / 00:00:00"))
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.loop_button = QToolButton()
        self.loop_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.loop_button.setToolTip(self.tr("Loop all"))
        self.loop_button.setCheckable(True)
        self.loop_button.toggled.connect(self.set_loop)
        transport = QHBoxLayout()
        transport.addWidget(self.play_button)
        transport.addWidget(self.seek_slider, 1)
        transport.addWidget(self.time_label)
        transport.addWidget(self.loop_button)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.unavailable_label: QLabel | None = None
        if not (support := playback_support.current()).available:  # Qt's players here are inert stand-ins
            text = self.tr("Video can't play on this computer, but takes can still be picked. {remedy}")
            self.unavailable_label = QLabel(text.format(remedy=support.remedy().text))
            self.unavailable_label.setWordWrap(True)
            layout.addWidget(self.unavailable_label)
        layout.addLayout(grid, 1)
        layout.addLayout(transport)
        self.versions: VersionCompare | None = None
        self.other_combo: QComboBox | None = None
        if all(take.task is not None for take in takes):
            layout.addLayout(self._make_versions())
        layout.addWidget(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.toggle_play)

        clock = self.players[0]
        clock.positionChanged.connect(self._on_clock_position)
        clock.playbackStateChanged.connect(self._on_clock_state)
        for player in self.players:
            player.durationChanged.connect(self._on_duration)
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(_SYNC_INTERVAL_MS)
        self._sync_timer.timeout.connect(self.realign)
        self._on_clock_state(clock.playbackState())
        self.resize(440 * columns, 300 * ((len(takes) + columns - 1) // columns) + 80)
        picked = [take.local_id for take in takes if take.chosen]
        if picked:
            self.show_circled(set(picked))
            self._picked = picked[-1]

    def _make_cell(self, index: int, path: Path) -> QVBoxLayout:
        player = QMediaPlayer(self)
        # Every take gets an audio output, muted but the first: the same clock source keeps their pace alike.
        audio = QAudioOutput(self)
        audio.setMuted(index != 0)
        player.setAudioOutput(audio)
        video = QVideoWidget()
        video.setMinimumSize(192, 108)
        player.setVideoOutput(video)
        player.errorOccurred.connect(lambda _error, detail, i=index: self._on_error(i, detail))
        player.setSource(QUrl.fromLocalFile(str(path)))  # a new player: nothing to tear down yet
        take = self.takes[index]
        title = QLabel(take.title(index))
        title.setToolTip(str(path))
        pick = QPushButton(self.tr("Pick this take"))
        pick.setAutoDefault(False)
        pick.setToolTip(self.tr("Circle {take}: keep it as a good take of this shot").format(take=take.title(index)))
        pick.clicked.connect(lambda _checked=False, i=index: self.take_picked.emit(self.takes[i].local_id))
        restore = QPushButton(self.tr("Restore settings"))
        restore.setAutoDefault(False)
        restore.setToolTip(self.tr("Put {take}'s prompt and settings back in the shot").format(take=take.title(index)))
        restore.setVisible(take.task is not None)
        restore.clicked.connect(lambda _checked=False, i=index: self.restore_requested.emit(self.takes[i].task))
        self.players.append(player)
        self._video_widgets.append(video)
        self._titles.append(title)
        self.pick_buttons.append(pick)
        self.restore_buttons.append(restore)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(pick)
        row.addWidget(restore)
        row.addStretch(1)
        cell = QVBoxLayout()
        cell.addWidget(title)
        cell.addWidget(video, 1)
        cell.addLayout(row)
        return cell

    def _make_versions(self) -> QVBoxLayout:
        """The first take's prompt against another's (the second, or the one chosen in the combo)."""
        self.versions = VersionCompare(self)
        box = QVBoxLayout()
        if len(self.takes) > 2:
            self.other_combo = QComboBox(self)
            self.other_combo.setAccessibleName(self.tr("Compare the prompt of the first take with"))
            for index, take in enumerate(self.takes[1:], start=1):
                self.other_combo.addItem(
                    self.tr("Prompt of {first} against {other}").format(
                        first=self.takes[0].title(0), other=take.title(index)
                    ),
                    index,
                )
            self.other_combo.currentIndexChanged.connect(lambda i: self.compare_versions(i + 1))
            box.addWidget(self.other_combo)
        box.addWidget(self.versions)
        self.compare_versions(1)
        return box

    def compare_versions(self, other: int) -> None:
        """Show the first take's prompt against take `other`'s (an index into the takes shown)."""
        first, second = self.takes[0], self.takes[other]
        if self.versions is None or first.task is None or second.task is None:
            return
        self.versions.show_pair(first.task, second.task, first.title(0), second.title(other))
        if self.other_combo is not None and self.other_combo.currentIndex() != other - 1:
            self.other_combo.setCurrentIndex(other - 1)

    def current_take(self) -> Task | None:
        """The take whose buttons have the focus (the review keys act on it), else the first."""
        for take, pick, restore in zip(self.takes, self.pick_buttons, self.restore_buttons, strict=True):
            if pick.hasFocus() or restore.hasFocus():
                return take.task
        return self.takes[0].task

    # --- picking ----------------------------------------------------------------------------------------------

    def show_picked(self, local_id: int) -> None:
        """Show `local_id` as circled (its button says so and rests); takes circled before stay circled."""
        self._picked = local_id
        self.show_circled(self._circled | {local_id})

    def show_circled(self, local_ids: set[int]) -> None:
        """Show exactly `local_ids` as circled (a mark cleared elsewhere makes its take pickable again)."""
        self._circled = set(local_ids)
        for index, (take, button) in enumerate(zip(self.takes, self.pick_buttons, strict=True)):
            circled = take.local_id in self._circled
            button.setText(self.tr("✓ Circled") if circled else self.tr("Pick this take"))
            button.setEnabled(not circled and index not in self._unplayable)

    def picked(self) -> int | None:
        """The local id last shown as picked, if any."""
        return self._picked

    def take_number(self, local_id: int) -> int:
        """1 for the first take shown, as the titles count."""
        return next(i for i, take in enumerate(self.takes, start=1) if take.local_id == local_id)

    # --- transport --------------------------------------------------------------------------------------------

    def is_playing(self) -> bool:
        return self.players[0].playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def play(self) -> None:
        for player in self.players:
            player.play()

    def pause(self) -> None:
        for player in self.players:
            player.pause()
        # Paused is when a person looks closest: make every take show the same moment.
        self.seek(self.players[0].position())

    def toggle_play(self) -> None:
        if self.is_playing():
            self.pause()
        else:
            self.play()

    def seek(self, position: int) -> None:
        for player in self.players:
            player.setPosition(max(0, min(position, player.duration())) if player.duration() > 0 else position)

    def set_loop(self, loop: bool) -> None:
        loops = QMediaPlayer.Loops.Infinite.value if loop else QMediaPlayer.Loops.Once.value
        for player in self.players:
            player.setLoops(loops)
        if self.loop_button.isChecked() != loop:
            self.loop_button.setChecked(loop)

    def is_looping(self) -> bool:
        return self.players[0].loops() == QMediaPlayer.Loops.Infinite.value

    def video_sinks(self) -> list[QVideoSink]:
        return [widget.videoSink() for widget in self._video_widgets]

    def realign(self) -> None:
        """Move any take that has drifted more than DRIFT_LIMIT_MS from take 1 back onto take 1's position."""
        clock = self.players[0]
        target = clock.position()
        for player in self.players[1:]:
            if player.error() != QMediaPlayer.Error.NoError:
                continue
            if player.duration() and target > player.duration():
                continue  # a shorter take has simply ended; leave it on its last frame
            if self.is_playing() and player.playbackState() != QMediaPlayer.PlaybackState.PlayingState:
                # It reached its end a moment before take 1 looped; start it again with the rest.
                player.play()
            if abs(player.position() - target) > DRIFT_LIMIT_MS:
                player.setPosition(target)
                self.realign_count += 1

    # --- events -----------------------------------------------------------------------------------------------

    def _on_clock_position(self, position: int) -> None:
        if not self.seek_slider.isSliderDown():
            self.seek_slider.setValue(position)
        longest = max(player.duration() for player in self.players)
        self.time_label.setText(f"{format_clock(position)} / {format_clock(longest)}")

    def _on_duration(self, _duration: int) -> None:
        longest = max(player.duration() for player in self.players)
        self.seek_slider.setRange(0, longest)
        self._on_clock_position(self.players[0].position())

    def _on_clock_state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setToolTip(self.tr("Pause all (Space)") if playing else self.tr("Play all (Space)"))
        if playing:
            self._sync_timer.start()
        else:
            self._sync_timer.stop()

    def _on_error(self, index: int, detail: str) -> None:
        self._titles[index].setText(
            self.tr("Take {number}: can't play this file ({detail})").format(number=index + 1, detail=detail)
        )
        self._unplayable.add(index)
        self.pick_buttons[index].setEnabled(False)

    def done(self, result: int) -> None:
        # Decoders hold file handles and threads; a closed dialog must not keep them until garbage collection.
        self._sync_timer.stop()
        for player in self.players:
            post_unload(player)
        super().done(result)
