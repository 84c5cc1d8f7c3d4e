"""Single instance: one running app per profile; a second start hands its arguments to the first and leaves."""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCryptographicHash, QLockFile, QObject, Signal

if TYPE_CHECKING:
    # Imported by listen() and a hand-over: a start that takes the lock paints its window before it loads QtNetwork.
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_FILE_NAME = "instance.lock"
# How long a second start waits for the running one to take its arguments: the first may itself be starting
# (locked, not yet listening), so this is tried in a loop; past it the second start says so instead of hanging.
ANSWER_TIMEOUT_S = 5.0
_RETRY_S = 0.1
_MAX_MESSAGE = 64 * 1024  # a command line is a few hundred bytes; anything bigger is not ours
_OK = b"ok\n"


class Claim(enum.Enum):
    PRIMARY = "primary"  # this process holds the profile: start normally
    HANDED_OVER = "handed over"  # the running instance took the arguments: exit 0
    NOT_ANSWERING = "not answering"  # the profile is locked by a live process that does not answer


class InstanceLockError(OSError):
    """The lock file cannot be made at all (a read-only or missing profile folder)."""


def server_name_for(profile_root: Path) -> str:
    """The local socket's name, the same for every start on one profile folder and different for another."""
    # Qt's SHA-256 (the same digest as hashlib's): hashlib would load OpenSSL before the window's first paint.
    path = QByteArray(str(profile_root.resolve()).encode("utf-8"))
    digest = bytes(QCryptographicHash.hash(path, QCryptographicHash.Algorithm.Sha256).toHex().data()).decode()[:24]
    return f"sora2-desktop-{digest}"


class InstanceGuard(QObject):
    """Holds the profile's lock file and, once `listen()` is called, answers second starts on a local socket.

    The lock alone decides who runs: the socket only carries the hand-over, so a socket name left behind by a
    crash can be removed safely by the lock's holder."""

    # The second start's command-line arguments (list[str]), after it was told "ok".
    activation_requested = Signal(list)

    def __init__(self, profile_root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock_path = profile_root / LOCK_FILE_NAME
        self.server_name = server_name_for(profile_root)
        self._lock = QLockFile(str(self.lock_path))
        # 0: a lock is stale only when its process is gone. Qt's default (30 s) would let a second start take
        # the lock from an instance that has simply been running for more than 30 s.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def claim(self, args: list[str], timeout_s: float = ANSWER_TIMEOUT_S) -> Claim:
        """Take the profile, or hand `args` to the instance that has it. Blocks at most about `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while True:
            # tryLock removes a lock whose process is gone (a crash) and takes it; 0 ms: we loop ourselves.
            if self._lock.tryLock(0):
                _make_private(self.lock_path)
                log.info("profile lock taken: %s", self.lock_path)
                return Claim.PRIMARY
            if self._lock.error() != QLockFile.LockError.LockFailedError:
                raise InstanceLockError(f"cannot create the lock file {self.lock_path} ({self._lock.error().name})")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Claim.NOT_ANSWERING
            if _hand_over(self.server_name, args, remaining):
                return Claim.HANDED_OVER
            if time.monotonic() >= deadline:
                return Claim.NOT_ANSWERING
            time.sleep(_RETRY_S)  # the holder is still starting (not listening yet), or just quit: ask again

    def listen(self) -> bool:
        """Start answering second starts; call it once the window exists. False (logged) if the socket cannot
        be made: the lock still keeps a second instance out, it then says that this one does not answer."""
        from PySide6.QtNetwork import QLocalServer

        if not self.held:
            raise RuntimeError("listen() before claim() took the lock")
        server = QLocalServer(self)
        # Only this user may connect: the socket lives in the shared temp folder.
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_new_connection)
        if not server.listen(self.server_name):
            # A socket left by a crashed instance: we hold the lock, so nobody is behind it any more.
            QLocalServer.removeServer(self.server_name)
            if not server.listen(self.server_name):
                log.warning("cannot listen for second starts on %s: %s", self.server_name, server.errorString())
                server.deleteLater()
                return False
        self._server = server
        log.info("listening for second starts on %s", self.server_name)
        return True

    def release(self) -> None:
        """Idempotent: stop answering and free the profile for the next start."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.setParent(self)
            buffer = bytearray()
            socket.readyRead.connect(lambda s=socket, b=buffer: self._on_ready_read(s, b))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_ready_read(socket, buffer)

    def _on_ready_read(self, socket: QLocalSocket, buffer: bytearray) -> None:
        buffer += socket.readAll().data()
        if b"\n" not in buffer and len(buffer) <= _MAX_MESSAGE:
            return  # the rest of the line is still on its way
        args = _parse_message(bytes(buffer).split(b"\n", 1)[0]) if len(buffer) <= _MAX_MESSAGE else None
        buffer.clear()
        if args is None:
            log.warning("a second start sent an unreadable message; ignored")
            socket.disconnectFromServer()
            return
        socket.write(_OK)
        socket.flush()
        socket.disconnectFromServer()
        self.activation_requested.emit(args)


def _parse_message(line: bytes) -> list[str] | None:
    import json  # here and in _hand_over: a start that takes the lock needs no JSON before its first paint

    with contextlib.suppress(ValueError):
        message = json.loads(line)
        args = message.get("args") if isinstance(message, dict) else None
        if isinstance(args, list) and all(isinstance(arg, str) for arg in args):
            return args
    return None


def _hand_over(server_name: str, args: list[str], timeout_s: float) -> bool:
    """Send `args` to the running instance and wait for its "ok"; blocking (no event loop runs yet)."""
    import json

    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    deadline = time.monotonic() + timeout_s

    def left_ms() -> int:
        return max(0, int((deadline - time.monotonic()) * 1000))

    socket.connectToServer(server_name)
    if not socket.waitForConnected(min(left_ms(), 1000)):
        return False  # nobody listens (yet): the caller tries the lock again
    socket.write(json.dumps({"args": args}).encode("utf-8") + b"\n")
    socket.waitForBytesWritten(left_ms())
    answer = b""
    while not answer.endswith(b"\n") and left_ms() > 0 and socket.waitForReadyRead(left_ms()):
        answer += socket.readAll().data()
    if socket.state() == QLocalSocket.LocalSocketState.ConnectedState:
        socket.disconnectFromServer()
    return answer == _OK


def _make_private(path: Path) -> None:
    # QLockFile creates the file with the umask's mode; it names this process and host, for this user only.
    if os.name == "posix":
        with contextlib.suppress(OSError):
            path.chmod(0o600)
