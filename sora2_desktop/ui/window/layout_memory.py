"""Layout memory: the window's size on first start (fitted to the screen), and its splitters and the activity
table's columns as the person left them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSize

if TYPE_CHECKING:  # the window's frame uses this module before its first paint, which needs none of these classes
    from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

    from sora2_desktop.core.config.settings import AppSettings

# The smallest window the layout works in: fits a 1024×700 screen with its task bar and title bar.
MINIMUM = QSize(960, 600)
# A first start opens at this size, or 90 % of a smaller screen.
PREFERRED = QSize(1440, 900)
SCREEN_SHARE = 0.9


def first_geometry(available: QRect) -> QRect:
    """Where a window opens the first time on a screen whose free area is `available`: centred, at the
    preferred size or as much of a smaller screen as leaves its edges visible, never under the minimum."""
    width = max(MINIMUM.width(), min(PREFERRED.width(), int(available.width() * SCREEN_SHARE)))
    height = max(MINIMUM.height(), min(PREFERRED.height(), int(available.height() * SCREEN_SHARE)))
    width, height = min(width, available.width()), min(height, available.height())
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


class LayoutMemory:
    """Named splitters and the activity table's header, saved to and restored from AppSettings. The header joins
    when the activity is built (window_parts.py): until then its stored state is kept as it was."""

    def __init__(self, settings: AppSettings, splitters: dict[str, QSplitter]) -> None:
        self._settings = settings
        self._splitters = splitters
        self._header: QHeaderView | None = None

    def restore(self) -> None:
        sizes = self._settings.splitter_sizes
        for name, splitter in self._splitters.items():
            stored = sizes.get(name)
            # A count that no longer matches (a pane added since) would squeeze a pane to nothing: keep defaults.
            if isinstance(stored, list) and len(stored) == splitter.count() and all(_size(v) for v in stored):
                splitter.setSizes([int(v) for v in stored])

    def restore_columns(self, header: QHeaderView) -> None:
        self._header = header
        columns = self._settings.activity_columns
        if isinstance(columns, QByteArray) and not columns.isEmpty():
            header.restoreState(columns)

    def save(self) -> None:
        self._settings.splitter_sizes = {name: splitter.sizes() for name, splitter in self._splitters.items()}
        if self._header is not None:
            self._settings.activity_columns = self._header.saveState()


def _size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def fit_to_screen(window: QWidget) -> None:
    """Open at a size that fits the screen the window is on (first start: nothing stored)."""
    screen = window.screen()
    if screen is not None:
        window.setGeometry(first_geometry(screen.availableGeometry()))
