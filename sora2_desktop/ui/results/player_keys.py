"""The player's keys, wherever a person is looking at takes: the player itself, the take strip, Compare.

`install_player_keys(widget, player)` makes them shortcuts on `widget` and its children, so they work while
anything inside it has focus (not only after a click into the picture). A text field inside still gets its
letters: Qt lets the focused editor claim a key before a shortcut does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from sora2_desktop.ui.common.shortcuts import GROUP_PLAYER, Shortcut, register

# Loop is Ctrl+/ as in Resolve: L is the shuttle now, and Ctrl+L already focuses the prompt.
LOOP_KEYS = "Ctrl+/"

register(
    Shortcut("Space", "Play / pause", GROUP_PLAYER),
    Shortcut("L", "Play forward; again for 2×, 4×, 8×", GROUP_PLAYER),
    Shortcut("J", "Play backward (frame by frame); again for 2×, 4×, 8×", GROUP_PLAYER),
    Shortcut("K", "Pause and reset the speed", GROUP_PLAYER),
    Shortcut("J, L", "With K held: one frame back / forward", GROUP_PLAYER),
    Shortcut("Left, Right", "One frame back / forward", GROUP_PLAYER),
    Shortcut("Shift+Left, Shift+Right", "One second back / forward", GROUP_PLAYER),
    Shortcut("Home, End", "First / last frame", GROUP_PLAYER),
    Shortcut("I, O", "Mark in / out", GROUP_PLAYER),
    Shortcut("Shift+I, Shift+O", "Go to the in / out mark", GROUP_PLAYER),
    Shortcut("Alt+I, Alt+O", "Clear the in / out mark", GROUP_PLAYER),
    Shortcut("Alt+X", "Clear both marks", GROUP_PLAYER),
    Shortcut(LOOP_KEYS, "Loop on / off", GROUP_PLAYER),
    Shortcut("M", "Mute / unmute", GROUP_PLAYER),
    Shortcut("F", "Full screen (Esc leaves)", GROUP_PLAYER),
)


class PlayerControls(Protocol):
    """What the keys ask of a player: PlayerControls has it all; another player (Compare's) can offer the same."""

    def toggle_play(self) -> None: ...
    def shuttle_forward(self) -> None: ...
    def shuttle_backward(self) -> None: ...
    def shuttle_stop(self) -> None: ...
    def step(self, frames: int) -> None: ...
    def step_seconds(self, seconds: int) -> None: ...
    def go_to_start(self) -> None: ...
    def go_to_end(self) -> None: ...
    def mark_in(self) -> None: ...
    def mark_out(self) -> None: ...
    def go_to_in(self) -> None: ...
    def go_to_out(self) -> None: ...
    def clear_in(self) -> None: ...
    def clear_out(self) -> None: ...
    def clear_in_out(self) -> None: ...
    def set_loop(self, loop: bool) -> None: ...
    def is_looping(self) -> bool: ...
    def set_muted(self, muted: bool) -> None: ...
    def is_muted(self) -> bool: ...
    def toggle_full_screen(self) -> None: ...


class PlayerKeys(QObject):
    """The shortcuts of one install, and whether K is held (K+J / K+L move one frame, as in Avid and Premiere)."""

    def __init__(self, widget: QWidget, player: PlayerControls) -> None:
        super().__init__(widget)
        self._player = player
        self.k_held = False
        self.shortcuts: list[tuple[QShortcut, Callable[[], None], bool]] = []
        p = player
        table: list[tuple[str, Callable[[], None], bool]] = [  # keys, what they do, repeat while held
            ("Space", p.toggle_play, False),
            ("L", self._l, False),  # held, L would race to 8× in a blink: one press, one speed
            ("J", self._j, False),
            ("K", self._k, False),
            ("Left", lambda: p.step(-1), True),
            ("Right", lambda: p.step(1), True),
            ("Shift+Left", lambda: p.step_seconds(-1), True),
            ("Shift+Right", lambda: p.step_seconds(1), True),
            ("Home", p.go_to_start, False),
            ("End", p.go_to_end, False),
            ("I", p.mark_in, False),
            ("O", p.mark_out, False),
            ("Shift+I", p.go_to_in, False),
            ("Shift+O", p.go_to_out, False),
            ("Alt+I", p.clear_in, False),
            ("Alt+O", p.clear_out, False),
            ("Alt+X", p.clear_in_out, False),
            (LOOP_KEYS, lambda: p.set_loop(not p.is_looping()), False),
            ("M", lambda: p.set_muted(not p.is_muted()), False),
            ("F", p.toggle_full_screen, False),
        ]
        for keys, action, repeat in table:
            shortcut = QShortcut(QKeySequence(keys), widget)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setAutoRepeat(repeat)
            shortcut.activated.connect(action)
            # Installed on nested widgets (a pane and the player inside it), a key is ambiguous: Qt then gives it
            # to one of them as activatedAmbiguously. Both move the same player, so whichever gets it acts.
            shortcut.activatedAmbiguously.connect(action)
            self.shortcuts.append((shortcut, action, repeat))

    def handle_key(self, event: QKeyEvent) -> bool:
        """A key pressed where shortcuts do not reach (the full-screen picture is its own window): True if it
        was one of the player's."""
        pressed = QKeySequence(event.keyCombination())
        for shortcut, action, repeat in self.shortcuts:
            if shortcut.key().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                if repeat or not event.isAutoRepeat():
                    action()
                return True
        return False

    def _j(self) -> None:
        if self.k_held:
            self._player.step(-1)
        else:
            self._player.shuttle_backward()

    def _l(self) -> None:
        if self.k_held:
            self._player.step(1)
        else:
            self._player.shuttle_forward()

    def _k(self) -> None:
        self._player.shuttle_stop()
        if not self.k_held:
            self.k_held = True
            # A shortcut hears the press only; the release may reach any widget, so it is watched app-wide,
            # just while K is down.
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        released = kind == QEvent.Type.KeyRelease
        if released and isinstance(event, QKeyEvent):
            released = event.key() == Qt.Key.Key_K and not event.isAutoRepeat()
        # Leaving the app with K down, its release goes to another program: K counts as released.
        if released or kind == QEvent.Type.ApplicationDeactivate:
            self.k_held = False
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        return False


def install_player_keys(widget: QWidget, player: PlayerControls) -> PlayerKeys:
    """The player's keys (shuttle, frames, marks, loop, mute, full screen) while `widget` or a child has focus."""
    return PlayerKeys(widget, player)
