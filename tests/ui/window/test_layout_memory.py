"""Where the window opens the first time: the preferred size on a large screen, inside a small one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from sora2_desktop.ui.window.layout_memory import MINIMUM, PREFERRED, first_geometry


@pytest.mark.parametrize(
    "available",
    [QRect(0, 0, 1024, 660), QRect(0, 0, 1366, 728), QRect(0, 0, 1920, 1040), QRect(1920, 0, 3840, 2120)],
    ids=["1024x700", "1366x768", "1920x1080", "4K-second-screen"],
)
def test_a_first_start_opens_inside_the_screen_and_centred(available: QRect) -> None:
    rect = first_geometry(available)
    assert available.contains(rect)
    assert rect.center() == available.center() or abs(rect.center().x() - available.center().x()) <= 1
    assert rect.width() >= min(MINIMUM.width(), available.width())
    assert rect.width() <= PREFERRED.width() and rect.height() <= PREFERRED.height()


def test_a_large_screen_gets_the_preferred_size() -> None:
    assert first_geometry(QRect(0, 0, 3840, 2120)).size() == PREFERRED


def test_the_minimum_fits_a_1024_by_700_screen_with_its_bars() -> None:
    assert MINIMUM.width() <= 1024 and MINIMUM.height() <= 700 - 40 - 32  # a task bar, a title bar
