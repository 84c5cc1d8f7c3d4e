"""End-to-end fixtures: the real MainWindow and Session against the stand-in served over loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.sim import SimServer
from sora2_desktop.ui.window.main_window import MainWindow
from tests.helpers.keychain import MemoryKeyring

# The stand-in runs 100x faster than the service: a 10 s video is ready in 1.8-3 s of real time. The app polls on
# the same scale (first query 0.6 s after submit, then every 0.1 s) so every state is seen on the way.
SPEED = 100.0
TIMING = PollTiming(first_delay_s=60.0, interval_s=10.0, callback_interval_s=20.0, time_scale=1.0 / SPEED)
E2E_KEY = "e2e-key-0123456789"


@pytest.fixture
def live_sim() -> Iterator[SimServer]:
    """The stand-in on a real (sped-up) clock, so the app's own timers drive the whole flow."""
    server = SimServer(speed=SPEED).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class AppUnderTest:
    window: MainWindow
    session: Session
    sim: SimServer
    profile: Profile
    keyring: MemoryKeyring
    # Every phase each task row went through, in order, as the task list model received it.
    phases: dict[int, list[TaskPhase]] = field(default_factory=dict)

    def record(self, task: Task) -> None:
        assert task.local_id is not None
        seen = self.phases.setdefault(task.local_id, [])
        if not seen or seen[-1] != task.phase:
            seen.append(task.phase)

    def row_task(self, row: int = 0) -> Task:
        task = self.window.model.task_at(row)
        assert task is not None
        return task

    def stored(self, local_id: int) -> Task:
        """The task as the database holds it now (the public history list, read afresh)."""
        task = next((task for task in self.session.tasks() if task.local_id == local_id), None)
        assert task is not None
        return task


@pytest.fixture
def make_app(
    qtbot: Any, tmp_path: Path, memory_keyring: MemoryKeyring, live_sim: SimServer, run_async: Any
) -> Iterator[Callable[..., AppUnderTest]]:
    """`make_app(key=..., activate=True)`: a shown MainWindow on a fresh profile, its session on the stand-in."""
    made: list[AppUnderTest] = []

    def make(*, key: str | None = E2E_KEY, activate: bool = True, sim: SimServer | None = None) -> AppUnderTest:
        target = sim or live_sim
        profile = Profile.from_dir(tmp_path / f"profile{len(made)}").ensure()
        secrets = SecretStore()
        if key is not None:
            from sora2_desktop.api import ApiKey

            secrets.save_api_key(ApiKey(key))
        settings = AppSettings(profile)
        # A modal "Submit 3 takes?" would block a headless run: asked only where a test turns it on.
        settings.confirm_takes = settings.confirm_rerun = False
        session = Session(profile, settings, secrets, api_base_override=target.api_base, timing=TIMING)
        window = MainWindow(session)
        qtbot.addWidget(window)
        app = AppUnderTest(window, session, target, profile, memory_keyring)
        session.task_changed.connect(app.record)
        window.show()
        if activate:

            async def start() -> None:
                window.activate()

            run_async(start())
        made.append(app)
        return app

    yield make
    for app in made:
        app.window.close()
        run_async(app.session.aclose())


class Demo:
    """The real window in demo mode (no key, no S3), with the stand-in the session started itself."""

    def __init__(self, window: MainWindow, session: Session, profile: Profile) -> None:
        self.window, self.session, self.profile = window, session, profile

    @property
    def sim(self) -> SimServer:
        sim = self.session._sim  # the in-process stand-in demo mode started (the test looks behind the door)
        assert isinstance(sim, SimServer)
        return sim

    def task(self, local_id: int) -> Task:
        return next(task for task in self.session.tasks() if task.local_id == local_id)


@pytest.fixture
def demo(qtbot: Any, tmp_path: Path, memory_keyring: MemoryKeyring, run_async: Any) -> Iterator[Demo]:
    """The real window in demo mode: the session starts its own stand-in, sped up like the other e2e tests."""
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    settings = AppSettings(profile)
    session = Session(profile, settings, SecretStore(), demo_speed=SPEED, timing=TIMING)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()

    async def start() -> None:
        window.activate(demo=True)

    run_async(start())
    assert session.demo and session.stored_key() is None
    yield Demo(window, session, profile)
    window.close()
    run_async(session.aclose())
