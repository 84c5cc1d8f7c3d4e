"""Two starts on one profile leave one process and one window: the second hands over its command line and leaves."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile

from sora2_desktop.app import EXIT_NOT_ANSWERING
from sora2_desktop.core.runtime.single_instance import LOCK_FILE_NAME
from tests.helpers.startup import (
    app_env,
    assert_dialog_picture,
    log_text,
    run_app,
    start_app,
    stderr_of,
    stop,
)
from tests.helpers.wait import wait_until_blocking

pytestmark = pytest.mark.e2e

LISTENING = "listening for second starts"


def test_a_second_start_brings_the_first_to_the_front_and_exits_0(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    first = start_app(profile)
    try:
        wait_until_blocking(lambda: LISTENING in log_text(profile), timeout=60, what="the first window")
        second = run_app(profile, "--demo")
        assert second.returncode == 0, second.stderr
        assert "Traceback" not in second.stderr
        wait_until_blocking(
            lambda: "asked to come to the front by a second start" in log_text(profile),
            timeout=30,
            what="the first instance to be asked to come to the front",
        )
        # --demo was handed over: the running window (which had no key) switched to the demo stand-in.
        wait_until_blocking(lambda: "session active (demo)" in log_text(profile), timeout=30, what="demo mode")
        assert first.poll() is None  # one process left: the first, still running
        log = log_text(profile)
        assert log.count(LISTENING) == 1  # one window was ever made on this profile
        assert "handed it the command line and leaving" in log
    finally:
        stop(first)
    assert "Traceback" not in stderr_of(profile)


def test_a_lock_left_by_a_crash_is_taken_over(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    crashed = start_app(profile)
    try:
        wait_until_blocking(lambda: LISTENING in log_text(profile), timeout=60, what="the first window")
    finally:
        stop(crashed)  # SIGKILL: no clean-up, the lock file and the socket stay behind
    assert (profile / LOCK_FILE_NAME).exists()
    again = start_app(profile)
    try:
        wait_until_blocking(lambda: log_text(profile).count(LISTENING) == 2, timeout=60, what="the new start")
        assert again.poll() is None
    finally:
        stop(again)


def test_a_running_instance_that_does_not_answer_is_reported_in_a_dialog(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    # This test process holds the profile like a frozen instance would: alive, locked, never answering.
    lock = QLockFile(str(profile / LOCK_FILE_NAME))
    lock.setStaleLockTime(0)
    assert lock.tryLock(0)
    picture = tmp_path / "not-answering.png"
    try:
        done = run_app(
            profile,
            env=app_env(SORA2_STARTUP_PROBLEM_ANSWER="quit", SORA2_STARTUP_PROBLEM_SCREENSHOT=str(picture)),
        )
    finally:
        lock.unlock()
    assert done.returncode == EXIT_NOT_ANSWERING, done.stderr
    assert "Traceback" not in done.stderr
    assert "does not answer" in log_text(profile)
    assert_dialog_picture(picture)
