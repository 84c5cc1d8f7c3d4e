"""PlayerBar: the player's row of transport controls, built in the order they appear on screen. It only shows;
the player connects the controls to what they do."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFontDatabase, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from sora2_desktop.ui.results.player_keys import LOOP_KEYS
from sora2_desktop.ui.results.scrubber import Scrubber

_Icon = QStyle.StandardPixmap

# Narrower than this, the bar drops the volume slider (Mute stays) and shows the position without the length (in
# the time's tooltip): at 1024×700 the player is ~460 px wide and the seek bar, the one control that must have
# room, had been squeezed to a stub by the full time and the volume.
COMPACT_BELOW_PX = 620
SEEK_MIN_PX = 80


class PlayerBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.play_button = self._button(_Icon.SP_MediaPlay, self.tr("Play (Space; L faster, J back, K stop)"))
        self.step_back_button = self._button(
            _Icon.SP_MediaSeekBackward, self.tr("Back one frame (←; Shift+← back one second)")
        )
        self.step_forward_button = self._button(
            _Icon.SP_MediaSeekForward, self.tr("Forward one frame (→; Shift+→ forward one second)")
        )
        self.seek_slider = Scrubber()
        self.seek_slider.setMinimumWidth(SEEK_MIN_PX)
        self.seek_slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.seek_slider.setToolTip(self.tr("Position (I / O mark in and out)"))
        # The shuttle speed when it is not plain play (2×, ◀ 1×): a person pressing L three times sees where it went.
        self.speed_label = QLabel()
        self.time_label = QLabel()
        # Fixed-width digits and room for the widest text up front, so the bar does not shift as frames count.
        self.time_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        metrics = self.time_label.fontMetrics()
        self._time_widths = {
            compact: metrics.horizontalAdvance("00:00:00:00" if compact else "00:00:00:00 / 00:00:00:00") + 8
            for compact in (False, True)
        }
        self._time = ("", "")
        self._rate_tip = ""
        self._compact = False
        self.time_label.setMinimumWidth(self._time_widths[False])
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        loop_keys = QKeySequence(LOOP_KEYS).toString(QKeySequence.SequenceFormat.NativeText)
        self.loop_button = self._button(_Icon.SP_BrowserReload, self.tr("Loop ({0})").format(loop_keys))
        self.loop_button.setCheckable(True)
        self.mute_button = self._button(_Icon.SP_MediaVolume, self.tr("Mute (M)"))
        self.mute_button.setCheckable(True)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setMaximumWidth(90)
        self.volume_slider.setToolTip(self.tr("Volume"))
        self.full_screen_button = self._button(_Icon.SP_TitleBarMaxButton, self.tr("Full screen (F; Esc leaves)"))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        row: list[QWidget] = [self.play_button, self.step_back_button, self.step_forward_button, self.seek_slider]
        row += [
            self.speed_label,
            self.time_label,
            self.loop_button,
            self.mute_button,
            self.volume_slider,
            self.full_screen_button,
        ]
        for widget in row:
            layout.addWidget(widget, 1 if widget is self.seek_slider else 0)

    def set_time(self, position: str, length: str) -> None:
        """The timecode shown: position and length (the length in the tooltip when the bar is compact)."""
        self._time = (position, length)
        self._show_time()

    def set_time_tip(self, tip: str) -> None:
        self._rate_tip = tip
        self._show_time()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        super().resizeEvent(event)
        compact = event.size().width() < COMPACT_BELOW_PX
        if compact != self._compact:
            self._compact = compact
            self.volume_slider.setVisible(not compact)
            self.time_label.setMinimumWidth(self._time_widths[compact])
            self._show_time()

    def _show_time(self) -> None:
        position, length = self._time
        self.time_label.setText(position if self._compact else f"{position} / {length}")
        length_tip = self.tr("Length {0}").format(length) if self._compact else ""
        self.time_label.setToolTip("\n".join(tip for tip in (length_tip, self._rate_tip) if tip))

    def _button(self, icon: QStyle.StandardPixmap, tooltip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tooltip)
        button.setAutoRaise(True)
        # Reachable by Tab, but a click leaves focus on the player so Space keeps meaning play/pause.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def show_playing(self, playing: bool, speed: int) -> None:
        """`speed` is the shuttle's: 0 stopped, 2 twice forward, -1 backward."""
        icon = _Icon.SP_MediaPause if playing else _Icon.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        tip = self.tr("Pause (Space)") if playing else self.tr("Play (Space; L faster, J back, K stop)")
        self.play_button.setToolTip(tip)
        if speed < 0:
            self.speed_label.setText(self.tr("◀ {0}×").format(-speed))
        else:
            self.speed_label.setText(self.tr("{0}×").format(speed) if speed > 1 else "")

    def show_muted(self, muted: bool) -> None:
        icon = _Icon.SP_MediaVolumeMuted if muted else _Icon.SP_MediaVolume
        self.mute_button.setIcon(self.style().standardIcon(icon))
        self.mute_button.setToolTip(self.tr("Unmute (M)") if muted else self.tr("Mute (M)"))
        with QSignalBlocker(self.mute_button):
            self.mute_button.setChecked(muted)

    def show_looping(self, loop: bool) -> None:
        with QSignalBlocker(self.loop_button):
            self.loop_button.setChecked(loop)

    def show_full_screen(self, full_screen: bool) -> None:
        icon = _Icon.SP_TitleBarNormalButton if full_screen else _Icon.SP_TitleBarMaxButton
        self.full_screen_button.setIcon(self.style().standardIcon(icon))

    def set_controls_enabled(self, enabled: bool) -> None:
        """Mute and volume stay: they are a person's setting, not the video's."""
        for widget in (
            self.play_button,
            self.step_back_button,
            self.step_forward_button,
            self.seek_slider,
            self.loop_button,
            self.full_screen_button,
        ):
            widget.setEnabled(enabled)
