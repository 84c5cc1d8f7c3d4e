"""Offline: a submit that cannot reach the service waits as "not sent" with Retry and Cancel, and Cancel ends it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.api import ApiKey
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.connection_state import ConnectionState
from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.window.main_window import MainWindow
from tests.e2e.conftest import E2E_KEY, TIMING
from tests.helpers.keychain import MemoryKeyring
from tests.helpers.wait import wait_until


def closed_port() -> int:
    """A loopback port nobody listens on: bound, then released, so connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def offline_window(qtbot: Any, tmp_path: Path, memory_keyring: MemoryKeyring, run_async: Any) -> Iterator[MainWindow]:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    secrets = SecretStore()
    secrets.save_api_key(ApiKey(E2E_KEY))
    base = f"http://127.0.0.1:{closed_port()}"
    session = Session(profile, AppSettings(profile), secrets, api_base_override=base, timing=TIMING)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()

    async def start() -> None:
        window.activate()

    run_async(start())
    yield window
    window.close()
    run_async(session.aclose())


def test_an_offline_submit_waits_not_sent_and_cancel_leaves_nothing_in_flight(
    qtbot: Any, offline_window: MainWindow, run_async: Any
) -> None:
    window = offline_window
    session = window.session
    window.form.prompt_editor.editor().setPlainText("A harbour at dawn, nobody around")
    window.generate_action.trigger()

    async def scenario() -> None:
        await wait_until(
            lambda: window.model.rowCount() == 1 and window.model.task_at(0).phase == TaskPhase.QUEUED
            and window.model.task_at(0).note is not None,
            what="the not-sent task",
        )  # fmt: skip
        task = window.model.task_at(0)
        assert task.local_id is not None and window.task_list.select_task(task.local_id)
        state = window.model.index(0, window.model.COL_STATE).data()
        assert state == "Not sent — waiting for the network"
        assert "may have been" not in (window.model.index(0, window.model.COL_DETAIL).data() or "")
        # The ways out are there: Retry now and Cancel in the list's menu and in the detail.
        assert window.task_list.retry_action.isEnabled() and window.task_list.cancel_action.isEnabled()
        assert "action:retry" in window.detail.text() and "action:cancel" in window.detail.text()
        await wait_until(lambda: "Cannot reach" in window.connection_label.text(), what="unreachable shown")
        window.task_list.retry_action.trigger()  # tries at once; still no network, so it waits again
        window.task_list.cancel_action.trigger()
        await wait_until(lambda: window.model.task_at(0).phase == TaskPhase.CANCELLED, what="cancelled")
        runner = session._runner
        assert runner is not None
        await wait_until(lambda: not runner._background, what="no submit job left")
        assert runner.live_count == 0 and not runner._scheduler.is_scheduled(task.local_id)
        assert session.tasks()[0].phase == TaskPhase.CANCELLED
        assert window.model.index(0, window.model.COL_STATE).data() == "Cancelled"
        assert not window.task_list.cancel_action.isEnabled() and window.task_list.remove_action.isEnabled()
        assert runner.connection_state == ConnectionState.UNREACHABLE

    run_async(scenario())
