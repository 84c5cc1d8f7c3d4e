"""The window in two steps (issue 13): the frame a start paints first from the settings alone, then `attach(session)`
with the parts; the page each start shows; one read of the history when the session connects."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sora2_desktop.api import ApiKey
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.session import Session
from sora2_desktop.ui.window.main_window import MainWindow
from sora2_desktop.ui.window.window_frame import MENU_TITLES, FirstPage
from tests.helpers.sim import ManualSim

KEY = ApiKey("frame-key-0123456789")


def frame(qtbot: QtBot, profile: Profile, page: FirstPage) -> MainWindow:
    window = MainWindow(settings=AppSettings(profile), first_page=page)
    qtbot.addWidget(window)
    window.show()
    return window


def session_for(profile: Profile, sim: ManualSim, sessions: list[Session]) -> Session:
    session = Session(profile, AppSettings(profile), SecretStore(), api_base_override=sim.api_base)
    sessions.append(session)
    return session


def shown(window: MainWindow) -> str:
    current = window.stack.currentWidget()
    return next(name for name in ("welcome", "blank", "splitter") if getattr(window, name, None) is current)


def test_the_frame_has_its_menu_bar_and_first_page_before_any_part(qtbot: QtBot, profile: Profile) -> None:
    window = frame(qtbot, profile, FirstPage.WELCOME)
    assert [action.text() for action in window.menuBar().actions()] == list(MENU_TITLES)
    assert shown(window) == "welcome" and not hasattr(window, "take_strip")
    assert shown(frame(qtbot, profile, FirstPage.UNDECIDED)) == "blank"
    assert shown(frame(qtbot, profile, FirstPage.WORK)) == "blank"  # the work area has no parts yet


def test_a_frame_closed_before_its_parts_keeps_its_geometry(qtbot: QtBot, profile: Profile) -> None:
    window = frame(qtbot, profile, FirstPage.UNDECIDED)
    window.resize(1100, 700)
    window.close()
    assert not AppSettings(profile).window_geometry.isEmpty()


def test_the_parts_fill_the_frames_menus_and_add_none(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = frame(qtbot, profile, FirstPage.WELCOME)
    window.attach(session_for(profile, sim, sessions))
    menus = [action.menu() for action in window.menuBar().actions()]
    assert [action.text() for action in window.menuBar().actions()] == list(MENU_TITLES)
    assert all(menu is not None and menu.actions() for menu in menus)
    assert shown(window) == "welcome"
    window.close()


def test_a_key_expected_shows_the_work_area_as_soon_as_it_is_built(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = frame(qtbot, profile, FirstPage.WORK)
    seen: list[str] = []
    window.stack.currentChanged.connect(lambda _index: seen.append(shown(window)))
    session = session_for(profile, sim, sessions)
    window.attach(session)
    assert shown(window) == "splitter" and not session.active  # before the keychain answers and it connects
    window.key_answered(KEY)
    assert session.active and shown(window) == "splitter"
    assert "welcome" not in seen
    assert session.settings.first_page == "work"
    window.close()


def test_no_key_after_all_shows_the_welcome_page_and_says_so_to_the_next_start(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session]
) -> None:
    window = frame(qtbot, profile, FirstPage.UNDECIDED)
    window.attach(session_for(profile, sim, sessions))
    assert shown(window) == "blank"  # the keychain has not answered: no page that could be wrong
    window.key_answered(None)
    assert shown(window) == "welcome"
    assert AppSettings(profile).first_page == "welcome"
    window.close()


def test_connecting_reads_the_history_once(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = session_for(profile, sim, sessions)
    reads: list[Path] = []
    tasks = session.tasks
    monkeypatch.setattr(session, "tasks", lambda: reads.append(session.history) or tasks())
    window = frame(qtbot, profile, FirstPage.WORK)
    window.attach(session)
    window.key_answered(KEY)
    assert reads == [profile.database_path]  # at attach; connecting to the same history reads it no more
    window.close()


def test_demo_mode_shows_its_own_history(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = session_for(profile, sim, sessions)
    reads: list[Path] = []
    tasks = session.tasks
    monkeypatch.setattr(session, "tasks", lambda: reads.append(session.history) or tasks())
    window = frame(qtbot, profile, FirstPage.WELCOME)
    window.attach(session)
    window.activate(demo=True)
    assert reads == [profile.database_path, profile.root / "demo" / profile.database_path.name]
    assert shown(window) == "splitter"
    window.close()
