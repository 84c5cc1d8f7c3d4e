"""InstanceGuard: the profile lock decides who runs; a second start hands over its arguments or is told why not."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDir

from sora2_desktop.core.runtime.single_instance import (
    LOCK_FILE_NAME,
    Claim,
    InstanceGuard,
    InstanceLockError,
    _parse_message,
    server_name_for,
)

REPO = Path(__file__).resolve().parents[3]

# A second start in its own process: the running instance answers from its event loop, which the test spins.
SECOND_START = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from sora2_desktop.core.runtime.single_instance import InstanceGuard
app = QCoreApplication([])
guard = InstanceGuard(Path(sys.argv[1]))
print(guard.claim(sys.argv[2:], timeout_s=20).name, flush=True)
guard.release()
"""

# Takes the lock, says so, then waits to be killed: a crash leaves the lock file behind with a dead PID in it.
HOLDER = """
import sys, time
from PySide6.QtCore import QCoreApplication, QLockFile
app = QCoreApplication([])
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
assert lock.tryLock(0)
print("locked", flush=True)
time.sleep(600)
"""


@pytest.fixture
def guards() -> Any:
    made: list[InstanceGuard] = []

    def make(root: Path) -> InstanceGuard:
        guard = InstanceGuard(root)
        made.append(guard)
        return guard

    yield make
    for guard in made:
        guard.release()


def test_the_first_start_takes_the_profile_and_the_lock_is_private(tmp_path: Path, guards: Any) -> None:
    guard = guards(tmp_path)
    assert guard.claim([]) is Claim.PRIMARY
    assert guard.held
    lock = tmp_path / LOCK_FILE_NAME
    assert lock.is_file()
    if os.name == "posix":
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    guard.release()
    assert not lock.exists()
    guard.release()  # idempotent


def test_a_second_start_hands_its_arguments_to_the_running_one(tmp_path: Path, guards: Any, qtbot: Any) -> None:
    running = guards(tmp_path)
    assert running.claim([]) is Claim.PRIMARY
    assert running.listen()
    with qtbot.waitSignal(running.activation_requested, timeout=30_000) as received:
        second = subprocess.Popen(
            [sys.executable, "-c", SECOND_START, str(tmp_path), "--demo", "--profile", str(tmp_path)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
    out, _ = second.communicate(timeout=60)
    assert received.args == [["--demo", "--profile", str(tmp_path)]]
    assert out.strip() == Claim.HANDED_OVER.name
    assert second.returncode == 0
    assert running.held  # the running instance keeps the profile


def test_a_locked_profile_whose_holder_does_not_answer_is_reported_not_waited_on(tmp_path: Path, guards: Any) -> None:
    # The holder is alive (this process) but never listens: a frozen or still-starting instance.
    assert guards(tmp_path).claim([]) is Claim.PRIMARY
    second = guards(tmp_path)
    assert second.claim(["--demo"], timeout_s=0.5) is Claim.NOT_ANSWERING
    assert not second.held


def test_a_lock_left_by_a_crash_is_taken_over(tmp_path: Path, guards: Any) -> None:
    lock = tmp_path / LOCK_FILE_NAME
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        # While the holder lives, the profile is its own.
        assert guards(tmp_path).claim([], timeout_s=0.3) is Claim.NOT_ANSWERING
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    assert lock.exists()  # left behind, as after a real crash
    guard = guards(tmp_path)
    assert guard.claim([], timeout_s=5) is Claim.PRIMARY
    assert str(os.getpid()) == lock.read_text().splitlines()[0]


@pytest.mark.skipif(os.name != "posix", reason="a leftover Unix socket file is a POSIX thing")
def test_a_socket_left_by_a_crash_does_not_stop_listening(tmp_path: Path, guards: Any) -> None:
    guard = guards(tmp_path)
    assert guard.claim([]) is Claim.PRIMARY
    leftover = Path(QDir.tempPath()) / guard.server_name
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stray:
        stray.bind(str(leftover))  # a socket file nobody will ever answer on
        try:
            assert guard.listen()
        finally:
            guard.release()
            leftover.unlink(missing_ok=True)


def test_a_profile_folder_that_does_not_exist_cannot_be_locked(tmp_path: Path, guards: Any) -> None:
    with pytest.raises(InstanceLockError):
        guards(tmp_path / "missing" / "deeper").claim([])


def test_server_names_follow_the_profile_folder(tmp_path: Path) -> None:
    assert server_name_for(tmp_path / "a") == server_name_for(tmp_path / "a" / ".." / "a")
    assert server_name_for(tmp_path / "a") != server_name_for(tmp_path / "b")
    assert len(server_name_for(tmp_path / ("x" * 300))) < 64  # short enough for any platform's socket paths


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"args": ["--demo"]}', ["--demo"]),
        (b'{"args": []}', []),
        (b'{"args": [1]}', None),
        (b'["--demo"]', None),
        (b"not json", None),
        (b'{"args": "--demo"}', None),
    ],
)
def test_only_a_list_of_strings_is_taken_as_arguments(line: bytes, expected: list[str] | None) -> None:
    assert _parse_message(line) == expected
