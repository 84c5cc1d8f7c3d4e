"""VideoPlayer: plays one finished video as an editor expects — J/K/L, frame steps, timecode, in and out marks,
the last frame held, loop — with volume and full screen. Transport moves the picture, player_keys holds the keys,
PlayerBar is the row of controls."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QtAudio, QVideoSink
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from sora2_desktop.core.media import playback_support
from sora2_desktop.core.media.playback_support import PlaybackSupport
from sora2_desktop.core.runtime.media_calls import post_play, post_source, post_unload
from sora2_desktop.ui.common.palette import muted_palette
from sora2_desktop.ui.common.time_text import format_clock
from sora2_desktop.ui.results.in_out import InOut
from sora2_desktop.ui.results.playback_errors import playback_error_text
from sora2_desktop.ui.results.player_bar import PlayerBar
from sora2_desktop.ui.results.player_keys import install_player_keys
from sora2_desktop.ui.results.player_unavailable import PlayerUnavailable
from sora2_desktop.ui.results.timecode import FALLBACK_FPS, frame_count, timecode, timecode_at
from sora2_desktop.ui.results.transport import Transport

__all__ = ["DEFAULT_VOLUME", "VideoPlayer", "as_url", "format_clock"]  # compare_takes takes format_clock here

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
    # A person set or cleared a mark: (in ms, out ms), -1 for none. set_in_out (a take's stored marks) is silent.
    in_out_changed = Signal(int, int)
    playback_error = Signal(str)
    # A person moved the volume or pressed mute: the window keeps both for the next run (`restore_audio`).
    volume_changed = Signal(float)
    muted_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, support: PlaybackSupport | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoPlayer")
        self.support = support or playback_support.current()
        # Without a backend Qt's players are inert stand-ins: kept, so every caller still has one to talk to.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.media_player = QMediaPlayer(self)
        self._audio = QAudioOutput(self)
        self.media_player.setAudioOutput(self._audio)
        self.transport = Transport(self.media_player, self)
        self._marks = InOut()
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
        self.unavailable: PlayerUnavailable | None = None
        if not self.support.available:
            self.unavailable = PlayerUnavailable(self.support)
            self._surface.addWidget(self.unavailable)
        self._surface.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.bar = PlayerBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._surface, 1)
        layout.addWidget(self.bar)
        self.bar.setHidden(self.unavailable is not None)  # nothing it could control
        self._connect_bar()
        self.media_player.positionChanged.connect(self._on_position)
        self.media_player.durationChanged.connect(self._on_duration)
        self.media_player.playbackStateChanged.connect(self._show_transport)
        self.media_player.errorOccurred.connect(self._on_error)
        self.transport.speed_changed.connect(self._show_transport)
        self.transport.frame_rate_changed.connect(self._on_frame_rate)
        self.keys = install_player_keys(self, self)
        self._apply_volume(DEFAULT_VOLUME)
        self.clear()

    def _connect_bar(self) -> None:
        bar = self.bar
        # The bar's parts, by the names the pane, the tests and the window have always used.
        self.play_button, self.seek_slider, self.time_label = bar.play_button, bar.seek_slider, bar.time_label
        self.step_back_button, self.step_forward_button = bar.step_back_button, bar.step_forward_button
        self.loop_button, self.mute_button, self.volume_slider = bar.loop_button, bar.mute_button, bar.volume_slider
        self.full_screen_button = bar.full_screen_button
        bar.play_button.clicked.connect(self.toggle_play)
        bar.step_back_button.clicked.connect(lambda: self.step(-1))
        bar.step_forward_button.clicked.connect(lambda: self.step(1))
        bar.seek_slider.sliderMoved.connect(self.media_player.setPosition)
        bar.loop_button.toggled.connect(self.set_loop)
        bar.mute_button.toggled.connect(self.set_muted)
        bar.volume_slider.valueChanged.connect(lambda value: self.set_volume(value / 100))
        bar.full_screen_button.clicked.connect(self.toggle_full_screen)

    # --- public API -------------------------------------------------------------------------------------------

    def load(self, source: QUrl | str | Path, *, autoplay: bool = True) -> bool:
        """Play a local file; anything else (an http, file-less, tcp:// or ftp:// address) is refused with a
        message: only files the app saved reach the media player. False when refused."""
        url = as_url(source)
        if self.unavailable is not None and url.isLocalFile():
            self.unavailable.set_file(Path(url.toLocalFile()))  # for the system's player, from the panel
            return True
        if not url.isLocalFile():
            post_unload(self.media_player)
            self._show_message(self.tr("Only saved videos play here; this address is not opened."))
            return False
        self._surface.setCurrentWidget(self._video)
        self.bar.set_controls_enabled(True)
        self.transport.reset()
        self._set_marks(InOut(), announce=False)  # the take's own marks come by set_in_out
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
        self.transport.play()

    def pause(self) -> None:
        self.transport.stop()

    def toggle_play(self) -> None:
        self.transport.toggle_play()

    def shuttle_forward(self) -> None:
        self.transport.forward()

    def shuttle_backward(self) -> None:
        self.transport.backward()

    def shuttle_stop(self) -> None:
        self.transport.stop()

    def shuttle_speed(self) -> int:
        return self.transport.shuttle.speed

    def step(self, frames: int) -> None:
        """Pause and move `frames` frames (negative: back), at the file's own frame rate."""
        self.transport.step(frames)

    def step_seconds(self, seconds: int) -> None:
        self.transport.step_seconds(seconds)

    def go_to_start(self) -> None:
        self.transport.go_to_start()

    def go_to_end(self) -> None:
        self.transport.go_to_end()

    def frame(self) -> int:
        """The frame on screen, counted from 0."""
        return self.transport.frame()

    def set_loop(self, loop: bool) -> None:
        self.media_player.setLoops(QMediaPlayer.Loops.Infinite.value if loop else QMediaPlayer.Loops.Once.value)
        self.bar.show_looping(loop)

    def is_looping(self) -> bool:
        return self.media_player.loops() == QMediaPlayer.Loops.Infinite.value

    # --- in and out marks -------------------------------------------------------------------------------------

    def in_out(self) -> InOut:
        return self._marks

    def set_in_out(self, in_ms: int | None, out_ms: int | None) -> None:
        """The take's stored marks, shown without announcing a change."""
        self._set_marks(InOut.from_task(in_ms, out_ms), announce=False)

    def mark_in(self) -> None:
        if self._has_video():
            self._set_marks(self._marks.with_in(self._here()))

    def mark_out(self) -> None:
        if self._has_video():
            self._set_marks(self._marks.with_out(self._here()))

    def clear_in(self) -> None:
        self._set_marks(self._marks.with_in(None))

    def clear_out(self) -> None:
        self._set_marks(self._marks.with_out(None))

    def clear_in_out(self) -> None:
        self._set_marks(InOut())

    def go_to_in(self) -> None:
        self._go_to_mark(self._marks.in_ms)

    def go_to_out(self) -> None:
        self._go_to_mark(self._marks.out_ms)

    def _go_to_mark(self, at: int | None) -> None:
        if at is not None and self._has_video():
            self.transport.stop()
            self.media_player.setPosition(at)

    def _here(self) -> int:
        """The position of the frame on screen: a mark is a frame, not the instant between two."""
        return self.transport.frame_ms(self.transport.frame())

    def _set_marks(self, marks: InOut, *, announce: bool = True) -> None:
        if marks == self._marks:
            return
        self._marks = marks
        self.seek_slider.set_marks(marks)
        if announce:
            self.in_out_changed.emit(*marks.as_signal())

    # --- sound ------------------------------------------------------------------------------------------------

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
        self.bar.show_muted(muted)

    # --- the surface ------------------------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self._has_video():
            self._video.setFullScreen(not self._video.isFullScreen())

    def is_full_screen(self) -> bool:
        return self._video.isFullScreen()

    def video_sink(self) -> QVideoSink:
        return self._video.videoSink()

    def message_text(self) -> str:
        """What the surface says instead of a picture ("No video selected", an error), or "" while it plays."""
        if self.unavailable is not None:
            return self.unavailable.headline.text()
        return self._message.text() if self._surface.currentWidget() is self._message else ""

    def _has_video(self) -> bool:
        return self._surface.currentWidget() is self._video

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._video:
            if event.type() == QEvent.Type.KeyPress and self._video.isFullScreen():
                # Full screen, the picture is its own window, out of reach of the shortcuts on the player.
                assert isinstance(event, QKeyEvent)
                if event.key() == Qt.Key.Key_Escape:
                    self._video.setFullScreen(False)
                    return True
                return self.keys.handle_key(event)
            if event.type() == QEvent.Type.MouseButtonDblClick:
                self.toggle_full_screen()
                return True
        return super().eventFilter(watched, event)

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
        rate = self.transport.rate
        length = timecode(frame_count(self.media_player.duration(), rate), rate)
        self.bar.set_time(timecode_at(position, rate), length)

    def _on_frame_rate(self) -> None:
        if self.transport.rate_known:
            tip = self.tr("Timecode at {0:g} fps").format(float(self.transport.rate))
        else:
            tip = self.tr("The file does not say its frame rate; timecode and frame steps assume {0} fps.")
            tip = tip.format(int(FALLBACK_FPS))
        self.bar.set_time_tip(tip)
        self._update_time_label(self.media_player.position())

    def _show_transport(self) -> None:
        speed = self.transport.shuttle.speed
        self.bar.show_playing(self.transport.is_playing() or speed != 0, speed)

    def _on_error(self, error: QMediaPlayer.Error, detail: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        name = self.media_player.source().fileName() or self.media_player.source().toString()
        text = playback_error_text(error, name, detail)
        if self._video.isFullScreen():
            self._video.setFullScreen(False)
        self._show_message(text)
        self.playback_error.emit(text)

    def _on_full_screen_changed(self, full_screen: bool) -> None:
        self.bar.show_full_screen(full_screen)
        if not full_screen:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        if self.unavailable is not None:
            self.unavailable.set_file(None, text)
        self._surface.setCurrentWidget(self._message if self.unavailable is None else self.unavailable)
        self.bar.set_controls_enabled(False)
        # A failed file can leave the last good file's duration in the player; the bar must not show it.
        self.seek_slider.setRange(0, 0)
        self._set_marks(InOut(), announce=False)
        self.transport.reset()
        self._update_time_label(0)
