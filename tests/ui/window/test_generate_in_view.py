"""The window at 1024×700 and 1280×800: the composer's fields scroll, its Generate button stays in view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.session import Session
from sora2_desktop.ui.window.main_window import MainWindow
from tests.helpers.keychain import MemoryKeyring


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, run_async: Any) -> Iterator[MainWindow]:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    session = Session(profile, AppSettings(profile), SecretStore())
    made = MainWindow(session)
    qtbot.addWidget(made)
    made.show()
    made.stack.setCurrentWidget(made.splitter)
    yield made
    made.close()
    run_async(session.aclose())


@pytest.mark.parametrize("size", [QSize(1024, 700 - 80), QSize(1280, 800 - 80)])  # less a task and a title bar
def test_generate_is_in_view_at_small_window_sizes(qtbot: QtBot, window: MainWindow, size: QSize) -> None:
    window.resize(size)
    button = window.form.footer.button
    qtbot.waitUntil(button.isVisible)
    top_left, bottom_right = button.mapTo(window, QPoint(0, 0)), button.mapTo(window, QPoint(button.width(), 0))
    # Inside the window and inside no scroll area: nothing scrolls it away.
    assert window.rect().contains(top_left) and window.rect().contains(bottom_right)
    assert button.mapTo(window, QPoint(0, button.height())).y() <= window.height()
    assert not button.visibleRegion().isEmpty()
    assert not any(area.isAncestorOf(button) for area in window.findChildren(QScrollArea))
