"""ConnectionState: whether the service is reachable and takes the key, learnt from real answers only."""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Signal

from sora2_desktop.api import ApiError, AuthError, TransientError


class ConnectionState(enum.StrEnum):
    UNKNOWN = "unknown"  # nothing asked yet this session
    CONNECTED = "connected"  # the last request got a real 2xx answer
    UNREACHABLE = "unreachable"  # the last request found no connection or lost it
    KEY_REFUSED = "key_refused"  # the service answered 401/403 to the key


class ConnectionTracker(QObject):
    """Follows every API answer and emits `changed` only when the state moves (not once per poll)."""

    changed = Signal(ConnectionState)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = ConnectionState.UNKNOWN

    @property
    def state(self) -> ConnectionState:
        return self._state

    def answered(self) -> None:
        """A request got a 2xx answer with the documented envelope."""
        self._set(ConnectionState.CONNECTED)

    def failed(self, error: ApiError) -> None:
        """A request failed; only faults that say something about the connection or the key move the state.

        A 5xx, a 429 or a malformed answer came from somewhere that answered, but not as a working service
        would: they leave the state as it was rather than claim "connected"."""
        if isinstance(error, AuthError):
            self._set(ConnectionState.KEY_REFUSED)
        elif isinstance(error, TransientError) and error.status_code is None:
            self._set(ConnectionState.UNREACHABLE)

    def _set(self, state: ConnectionState) -> None:
        if state != self._state:
            self._state = state
            self.changed.emit(state)
