"""VideoPlayer: plays one finished video with play/pause, seek, volume, loop, frame steps and full screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaMetaData, QMediaPlayer, QtAudio, QVideoSink
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sora2_desktop.core.runtime.media_calls import post_play, post_source, post_unload
from sora2_desktop.ui.common.palette import muted_palette
from sora2_desktop.ui.common.time_text import format_clock

# When a file does not say its frame rate, a frame step assumes 30 fps: close enough to move one frame or so.
_FALLBACK_FRAME_MS = 1000.0 / 30.0
_SEEK_JUMP_MS = 5000
DEFAULT_VOLUME = 0.8  # until a person sets their own (AppSettings.player_volume keeps it)


def as_url(source: QUrl | str | Path) -> QUrl:
    """A QUrl for a local path or a URL string; a bare Windows path like `C:\\clip.mp4` stays a file path."""
    if isinstance(source, QUrl):
        return source
    text = str(source)
    return QUrl(text) if "://" in text else QUrl.fromLocalFile(text)


class VideoPlayer(QWidget):
    """A video surface over one row of transport controls; keys work while the player has focus, and a click on
    a control leaves it there, so Space still means play/pause after pressing Mute."""

    position_changed = Signal(int)
    playback_error = Signal(str)
    # A person moved the volume or pressed mute: the window keeps both for the next run (`restore_audio`).
    volume_changed = Signal(float)
    muted_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        # Over 60 lines on purpose: the widget's controls are built and laid out in the order they appear on
        # screen, which reads better in one place than split across helpers that each run once.
        super().__init__(parent)
        self.setObjectName("videoPlayer")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.media_player = QMediaPlayer(self)
        self._audio = QAudioOutput(self)
        self.media_player.setAudioOutput(self._audio)
        self._video = QVideoWidget()
        self._video.setMinimumSize(160, 90)
        self.media_player.setVideoOutput(self._video)
        # In full screen the video widget is its own window, out of the player's focus chain: it forwards keys.
        self._video.installEventFilter(self)
        self._video.fullScreenChanged.connect(self._on_full_screen_changed)

        self._message = QLabel()
        self._message.setObjectName("videoPlayerMessage")
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setMargin(24)
        self._message.setPalette(muted_palette(self._message))
        message_font = self._message.font()
        message_font.setPointSizeF(message_font.pointSizeF() * 1.15)
        self._message.setFont(message_font)
        self._surface = QStackedWidget()
        self._surface.addWidget(self._message)
        self._surface.addWidget(self._video)
        self._surface.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.play_button = self._button(QStyle.StandardPixmap.SP_MediaPlay, self.tr("Play (Space)"))
        self.play_button.clicked.connect(self.toggle_play)
        self.step_back_button = self._button(
            QStyle.StandardPixmap.SP_MediaSeekBackward, self.tr("Back one frame (←; Shift+← back 5 s)")
        )
        self.step_back_button.clicked.connect(lambda: self.step(-1))
        self.step_forward_button = self._button(
            QStyle.StandardPixmap.SP_MediaSeekForward, self.tr("Forward one frame (→; Shift+→ forward 5 s)")
        )
        self.step_forward_button.clicked.connect(lambda: self.step(1))
        self.seek_slider = QSlider(Qt.Orientation.Horizontal)
        self.seek_slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.seek_slider.setToolTip(self.tr("Position"))
        self.seek_slider.sliderMoved.connect(self.media_player.setPosition)
        self.time_label = QLabel()
        # Room for the widest text up front, so the bar does not shift as the digits change.
        self.time_label.setMinimumWidth(self.time_label.fontMetrics().horizontalAdvance("00:00:00 / 00:00:00"))
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.loop_button = self._button(QStyle.StandardPixmap.SP_BrowserReload, self.tr("Loop (L)"))
        self.loop_button.setCheckable(True)
        self.loop_button.toggled.connect(self.set_loop)
        self.mute_button = self._button(QStyle.StandardPixmap.SP_MediaVolume, self.tr("Mute (M)"))
        self.mute_button.setCheckable(True)
        self.mute_button.toggled.connect(self.set_muted)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setMaximumWidth(90)
        self.volume_slider.setToolTip(self.tr("Volume"))
        self.volume_slider.valueChanged.connect(lambda value: self.set_volume(value / 100))
        self.full_screen_button = self._button(
            QStyle.StandardPixmap.SP_TitleBarMaxButton, self.tr("Full screen (F; Esc leaves)")
        )
        self.full_screen_button.clicked.connect(self.toggle_full_screen)

        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 4, 2)
        bar: list[QWidget] = [self.play_button, self.step_back_button, self.step_forward_button, self.seek_slider]
        bar += [self.time_label, self.loop_button, self.mute_button, self.volume_slider, self.full_screen_button]
        for widget in bar:
            controls.addWidget(widget, 1 if widget is self.seek_slider else 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._surface, 1)
        layout.addLayout(controls)

        self.media_player.positionChanged.connect(self._on_position)
        self.media_player.durationChanged.connect(self._on_duration)
        self.media_player.playbackStateChanged.connect(self._on_state)
        self.media_player.errorOccurred.connect(self._on_error)
        self._frame_ms = _FALLBACK_FRAME_MS
        self.media_player.metaDataChanged.connect(self._read_frame_rate)
        self._apply_volume(DEFAULT_VOLUME)
        self.clear()

    def _button(self, icon: QStyle.StandardPixmap, tooltip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tooltip)
        button.setAutoRaise(True)
        # Reachable by Tab, but a click leaves focus on the player so Space keeps meaning play/pause.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    # --- public API -------------------------------------------------------------------------------------------

    def load(self, source: QUrl | str | Path, *, autoplay: bool = True) -> bool:
        """Play a local file; anything else (an http, file-less, tcp:// or ftp:// address) is refused with a
        message: only files the app saved reach the media player. False when refused."""
        url = as_url(source)
        if not url.isLocalFile():
            post_unload(self.media_player)
            self._show_message(self.tr("Only saved videos play here; this address is not opened."))
            return False
        self._surface.setCurrentWidget(self._video)
        self._set_controls_enabled(True)
        self._frame_ms = _FALLBACK_FRAME_MS
        post_source(self.media_player, url)
        # durationChanged only fires on a change: until the new file reports its length, the bar shows none.
        self._on_duration(0)
        if autoplay:
            post_play(self.media_player)
        return True

    def show_note(self, text: str) -> None:
        """No video, and why (still saving, link expired, downloads paused): in place of the picture."""
        if self._surface.currentWidget() is self._message:
            self._message.setText(text)  # a progress update: the player is already empty
            return
        post_unload(self.media_player)
        self._show_message(text)

    def clear(self) -> None:
        post_unload(self.media_player)
        self._show_message(self.tr("No video selected"))

    def play(self) -> None:
        self.media_player.play()

    def pause(self) -> None:
        self.media_player.pause()

    def toggle_play(self) -> None:
        if self.media_player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.pause()
        else:
            self.play()

    def step(self, frames: int) -> None:
        """Pause and move `frames` frames (negative: back), using the file's own frame rate when it has one."""
        self.pause()
        self.seek_by(round(frames * self._frame_ms))

    def seek_by(self, delta_ms: int) -> None:
        target = self.media_player.position() + delta_ms
        duration = self.media_player.duration()
        self.media_player.setPosition(max(0, min(target, duration) if duration > 0 else target))

    def set_loop(self, loop: bool) -> None:
        loops = QMediaPlayer.Loops.Infinite.value if loop else QMediaPlayer.Loops.Once.value
        self.media_player.setLoops(loops)
        with QSignalBlocker(self.loop_button):
            self.loop_button.setChecked(loop)

    def is_looping(self) -> bool:
        return self.media_player.loops() == QMediaPlayer.Loops.Infinite.value

    def volume(self) -> float:
        """The volume as the slider shows it, 0.0-1.0 on a loudness scale (not the raw linear gain)."""
        return self.volume_slider.value() / 100

    def set_volume(self, volume: float) -> None:
        self.volume_changed.emit(self._apply_volume(volume))

    def is_muted(self) -> bool:
        return self._audio.isMuted()

    def set_muted(self, muted: bool) -> None:
        self._apply_muted(muted)
        self.muted_changed.emit(muted)

    def restore_audio(self, volume: float, muted: bool) -> None:
        """Volume and mute as a person left them last time; not a change, so neither signal fires."""
        self._apply_volume(volume)
        self._apply_muted(muted)

    def _apply_volume(self, volume: float) -> float:
        volume = max(0.0, min(1.0, volume))
        # Ears hear loudness logarithmically; a linear slider would do all its work in the first fifth.
        self._audio.setVolume(
            QtAudio.convertVolume(
                volume, QtAudio.VolumeScale.LogarithmicVolumeScale, QtAudio.VolumeScale.LinearVolumeScale
            )
        )
        with QSignalBlocker(self.volume_slider):
            self.volume_slider.setValue(round(volume * 100))
        return volume

    def _apply_muted(self, muted: bool) -> None:
        self._audio.setMuted(muted)
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else QStyle.StandardPixmap.SP_MediaVolume
        self.mute_button.setIcon(self.style().standardIcon(icon))
        self.mute_button.setToolTip(self.tr("Unmute (M)") if muted else self.tr("Mute (M)"))
        with QSignalBlocker(self.mute_button):
            self.mute_button.setChecked(muted)

    def toggle_full_screen(self) -> None:
        if self._surface.currentWidget() is self._video:
            self._video.setFullScreen(not self._video.isFullScreen())

    def is_full_screen(self) -> bool:
        return self._video.isFullScreen()

    def video_sink(self) -> QVideoSink:
        return self._video.videoSink()

    def message_text(self) -> str:
        """What the surface says instead of a picture ("No video selected", an error), or "" while it plays."""
        return self._message.text() if self._surface.currentWidget() is self._message else ""

    # --- keys -------------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._video:
            if event.type() == QEvent.Type.KeyPress and self._video.isFullScreen():
                assert isinstance(event, QKeyEvent)
                return self._handle_key(event)
            if event.type() == QEvent.Type.MouseButtonDblClick:
                self.toggle_full_screen()
                return True
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key == Qt.Key.Key_Space:
            self.toggle_play()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            sign = -1 if key == Qt.Key.Key_Left else 1
            if shift:
                self.seek_by(sign * _SEEK_JUMP_MS)
            else:
                self.step(sign)
        elif key == Qt.Key.Key_F:
            self.toggle_full_screen()
        elif key == Qt.Key.Key_M:
            self.set_muted(not self.is_muted())
        elif key == Qt.Key.Key_L:
            self.set_loop(not self.is_looping())
        elif key == Qt.Key.Key_Escape and self._video.isFullScreen():
            self._video.setFullScreen(False)
        else:
            # Esc outside full screen belongs to whatever dialog holds the player.
            return False
        event.accept()
        return True

    # --- player events ----------------------------------------------------------------------------------------

    def _on_position(self, position: int) -> None:
        if not self.seek_slider.isSliderDown():
            self.seek_slider.setValue(position)
        self._update_time_label(position)
        self.position_changed.emit(position)

    def _on_duration(self, duration: int) -> None:
        self.seek_slider.setRange(0, max(0, duration))
        self.seek_slider.setPageStep(max(1, duration // 10))
        self._update_time_label(self.media_player.position())

    def _update_time_label(self, position: int) -> None:
        duration = self.media_player.duration()
        self.time_label.setText(f"{format_clock(position)} / {format_clock(duration)}")

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setToolTip(self.tr("Pause (Space)") if playing else self.tr("Play (Space)"))

    def _read_frame_rate(self) -> None:
        rate = self.media_player.metaData().value(QMediaMetaData.Key.VideoFrameRate)
        try:
            fps = float(rate)
        except (TypeError, ValueError):
            fps = 0.0
        # Some containers report 0 or a wild value (1000 fps timebases); fall back rather than step nowhere.
        self._frame_ms = 1000.0 / fps if 1.0 <= fps <= 240.0 else _FALLBACK_FRAME_MS

    def _on_error(self, error: QMediaPlayer.Error, detail: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        name = self.media_player.source().fileName() or self.media_player.source().toString()
        reasons = {
            QMediaPlayer.Error.ResourceError: self.tr(
                "The file could not be opened. It may have been moved or deleted."
            ),
            QMediaPlayer.Error.FormatError: self.tr("The file is not a video this player can read. It may be damaged."),
            QMediaPlayer.Error.NetworkError: self.tr("The video could not be fetched over the network."),
            QMediaPlayer.Error.AccessDeniedError: self.tr("You do not have permission to read this file."),
        }
        reason = reasons.get(error, self.tr("Playback stopped unexpectedly."))
        text = self.tr("Can't play {name}").format(name=name) + "\n\n" + reason
        if detail:
            text += "\n" + self.tr("({detail})").format(detail=detail)
        if self._video.isFullScreen():
            self._video.setFullScreen(False)
        self._show_message(text)
        self.playback_error.emit(text)

    def _on_full_screen_changed(self, full_screen: bool) -> None:
        icon = (
            QStyle.StandardPixmap.SP_TitleBarNormalButton if full_screen else QStyle.StandardPixmap.SP_TitleBarMaxButton
        )
        self.full_screen_button.setIcon(self.style().standardIcon(icon))
        if not full_screen:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._surface.setCurrentWidget(self._message)
        self._set_controls_enabled(False)
        # A failed file can leave the last good file's duration in the player; the bar must not show it.
        self.seek_slider.setRange(0, 0)
        self.time_label.setText(f"{format_clock(0)} / {format_clock(0)}")

    def _set_controls_enabled(self, enabled: bool) -> None:
        for widget in (
            self.play_button,
            self.step_back_button,
            self.step_forward_button,
            self.seek_slider,
            self.loop_button,
            self.full_screen_button,
        ):
            widget.setEnabled(enabled)
