"""Crash safety: the real app process is SIGKILLed mid-poll; started again on the same profile, the task finishes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sora2_desktop.api import GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.sim import SimServer
from tests.helpers.wait import wait_until_blocking

pytestmark = pytest.mark.e2e


@pytest.fixture
def sim() -> Iterator[SimServer]:
    server = SimServer(speed=50.0).start()  # a 10 s video is ready 3.6-6 s after submit
    try:
        yield server
    finally:
        server.stop()


def start_app(profile: Path, sim: SimServer) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "APIXO_API_KEY": "crash-test-key", "QT_API": "pyside6"}
    return subprocess.Popen(
        [sys.executable, "-m", "sora2_desktop", "--profile", str(profile), "--api-base", sim.api_base],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def phase(db: Path, local_id: int) -> TaskPhase:
    with TaskStore(db) as store:
        task = store.get(local_id)
    assert task is not None
    return task.phase


def test_sigkill_mid_poll_then_restart_finishes_the_task(tmp_path: Path, sim: SimServer) -> None:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    settings = AppSettings(profile)
    settings.first_poll_delay_s = 1.0  # the stand-in runs 50x fast; the app's poll timing is a setting
    settings.poll_interval_s = 0.2
    settings.sync()
    del settings
    # A task the person asked for that is waiting its turn: the app submits it as soon as it starts.
    with TaskStore(profile.database_path) as store:
        queued = store.add(
            Task(
                request=GenerationRequest(prompt="crash test: a paper boat on a rainy street"),
                created_at=datetime.now(UTC),
                phase=TaskPhase.QUEUED,
            )
        )
    assert queued.local_id is not None

    first = start_app(profile.root, sim)
    try:
        wait_until_blocking(lambda: any(r.method == "POST" for r in sim.requests), 60, "the submit")
        # The next status request hangs on the server; the app is killed while it waits for the answer.
        sim.faults.inject("slow", count=1, seconds=5)
        wait_until_blocking(lambda: any(r.path.startswith("/api/v1/statusTask") for r in sim.requests), 60, "a poll")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert phase(profile.database_path, queued.local_id) in (TaskPhase.PENDING, TaskPhase.PROCESSING)
    submits = sum(1 for r in sim.requests if r.method == "POST")

    second = start_app(profile.root, sim)
    try:
        wait_until_blocking(
            lambda: phase(profile.database_path, queued.local_id) == TaskPhase.SUCCESS, 60, "success after restart"
        )
    finally:
        second.terminate()
        try:
            second.wait(10)
        except subprocess.TimeoutExpired:
            second.kill()
    assert sum(1 for r in sim.requests if r.method == "POST") == submits  # resumed, not resubmitted
    with TaskStore(profile.database_path) as store:
        done = store.get(queued.local_id)
    assert done is not None and done.result_urls


def test_sigkill_before_the_submit_answer_marks_it_lost_not_resent(tmp_path: Path, sim: SimServer) -> None:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    with TaskStore(profile.database_path) as store:
        queued = store.add(
            Task(
                request=GenerationRequest(prompt="crash test: submit in flight"),
                created_at=datetime.now(UTC),
                phase=TaskPhase.QUEUED,
            )
        )
    assert queued.local_id is not None
    sim.faults.inject("slow", count=1, seconds=10)  # the submit is in flight when the app dies
    first = start_app(profile.root, sim)
    try:
        wait_until_blocking(lambda: any(r.method == "POST" for r in sim.requests), 60, "the submit to arrive")
        wait_until_blocking(
            lambda: phase(profile.database_path, queued.local_id) == TaskPhase.SUBMITTING, 10, "the row as submitting"
        )
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    second = start_app(profile.root, sim)
    try:
        wait_until_blocking(
            lambda: phase(profile.database_path, queued.local_id) == TaskPhase.SUBMIT_UNKNOWN, 60, "answer lost"
        )
    finally:
        second.terminate()
        second.wait(10)
    assert sum(1 for r in sim.requests if r.method == "POST") == 1
