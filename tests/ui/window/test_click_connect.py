"""A connection made from a click (a key entered while not connected; Try demo) gets its HTTP pool from a worker
first, as app.py's start does: on the GUI thread httpx and the TLS context held the click 110-160 ms (issue 13)."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from sora2_desktop.api import ApiKey
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.session import Session
from tests.helpers.sim import ManualSim
from tests.ui.window.test_window_stages import staged


def test_a_key_entered_while_not_connected_connects_with_the_http_pool_made_in_a_worker_first(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    made_on: list[str] = []
    real_prepare = Session.prepare_connection

    def prepare(session: Session, *, demo: bool = False) -> None:
        assert not session.active and not demo  # before the connection takes the pool
        made_on.append(threading.current_thread().name)
        real_prepare(session, demo=demo)

    monkeypatch.setattr(Session, "prepare_connection", prepare)
    window = staged(qtbot, profile, sim, sessions)
    qtbot.waitUntil(lambda: window.stages.complete, timeout=10_000)
    assert not window.session.active
    window.session.secrets.save_api_key(ApiKey("sk-entered-0123456789"))
    window._on_key_changed(ApiKey("sk-entered-0123456789"))  # the settings dialog's signal
    assert not window.session.active  # not in the click's own turn
    qtbot.waitUntil(lambda: window.session.active, timeout=10_000)
    assert made_on and made_on[0] != threading.main_thread().name
    window.close()


def test_try_demo_imports_the_stand_in_in_the_worker_and_the_connecting_note_goes_once_connected(
    qtbot: QtBot, profile: Profile, sim: ManualSim, sessions: list[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []
    real_prepare = Session.prepare_connection

    def prepare(session: Session, *, demo: bool = False) -> None:
        asked.append((threading.current_thread().name, demo))
        real_prepare(session, demo=demo)

    monkeypatch.setattr(Session, "prepare_connection", prepare)
    window = staged(qtbot, profile, sim, sessions)
    qtbot.waitUntil(lambda: window.stages.complete, timeout=10_000)
    window.activate_from_click(demo=True)  # the welcome page's "Try demo mode"
    assert window.statusBar().currentMessage() == "Starting demo mode…"  # said while the worker makes the pool
    qtbot.waitUntil(lambda: window.session.active, timeout=10_000)
    assert window.statusBar().currentMessage() == ""  # not for seconds more beside "Demo mode" in the corner
    assert len(asked) == 1 and asked[0][0] != threading.main_thread().name and asked[0][1]  # demo: the stand-in too
    window.close()
