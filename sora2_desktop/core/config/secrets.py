"""SecretStore: the API key and the S3 secret key, in the OS keychain or else for this session only."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api import ApiKey
from sora2_desktop.api.secret import InvalidApiKeyError, api_key_problem

if TYPE_CHECKING:
    import keyring.backend

# keyring is imported where a keychain is asked (_keyring()): importing it and finding its backend takes a tenth of
# a second, which the window's first paint does not wait for (app.py reads the key in a worker after it).

log = logging.getLogger(__name__)

SERVICE_NAME = "sora2-desktop"
API_KEY_ENV = "APIXO_API_KEY"
API_KEY_NAME = "api_key"
S3_SECRET_KEY_NAME = "s3_secret_access_key"


def _tr(text: str) -> str:
    return QCoreApplication.translate("SecretStore", text)


def _keyring() -> keyring.backend.KeyringBackend:
    """The backend keyring chose (found on the first call: that is the slow part)."""
    import keyring

    return keyring.get_keyring()


def keychain_usable(backend: keyring.backend.KeyringBackend) -> bool:
    """False for the backends keyring falls back to without a system keychain: they fail or drop secrets."""
    import keyring.backends.chainer
    import keyring.backends.fail
    import keyring.backends.null

    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return bool(backend.backends)
    return True


class SecretStore:
    """Reads and writes secrets through `keyring`, never to a file of ours.

    Why a session-only fallback rather than a file: a key on disk in plain text is exactly the leak the
    keychain exists to prevent (Sora Studio's config-file fallback is the example not to follow). Without a
    keychain the person types the key once per session, and `explain()` tells them why.

    Keychain calls can block (D-Bus, a macOS prompt): call them from a worker, or once at start-up."""

    def __init__(self, service: str = SERVICE_NAME, environ: Mapping[str, str] | None = None) -> None:
        self._service = service
        self._environ = os.environ if environ is None else environ
        self._session: dict[str, str] = {}  # secrets held in memory when the keychain is missing or failed
        self._keychain_failed = False

    def __repr__(self) -> str:
        # The held values are deliberately absent; only which names are held would be harmless, but even
        # that is not needed for debugging.
        return f"SecretStore(service={self._service!r}, persistent={self.persistent})"

    @property
    def persistent(self) -> bool:
        """True when saved secrets outlive this session (a working system keychain)."""
        return not self._keychain_failed and keychain_usable(_keyring())

    @property
    def api_key_from_environment(self) -> bool:
        """True when APIXO_API_KEY is set: it wins over the stored key, and the settings dialog says so."""
        return bool(self._environ.get(API_KEY_ENV, "").strip())

    def explain(self) -> str:
        """The sentence the settings dialog shows about where the API key is kept."""
        if self.api_key_from_environment:
            return _tr("The key comes from the APIXO_API_KEY environment variable, which overrides the saved key.")
        if not self.persistent:
            return _tr("No system keychain was found, so the key is kept for this session only.")
        return _tr("The key is kept in the system keychain.")

    @property
    def api_key_refused(self) -> bool:
        """True when the key in APIXO_API_KEY or the keychain has a control character or an inner space: it is
        not used (load_api_key gives None), and the settings dialog says why so the person can enter it again."""
        value = self._environ.get(API_KEY_ENV, "").strip() or self.load_secret(API_KEY_NAME) or ""
        return api_key_problem(value) is not None

    def load_api_key(self) -> ApiKey | None:
        from_env = self._environ.get(API_KEY_ENV, "").strip()
        value = from_env or self.load_secret(API_KEY_NAME)
        if not value:
            return None
        try:
            return ApiKey(value)
        except InvalidApiKeyError as error:
            # A hand-set variable or a key saved by an older version: never sent, and the value never logged.
            where = API_KEY_ENV if from_env else "the keychain"
            log.warning("the API key in %s is not used: %s", where, error)
            return None

    def save_api_key(self, key: ApiKey) -> None:
        if not key:
            raise ValueError("The API key is empty.")
        self.save_secret(API_KEY_NAME, key.reveal())

    def delete_api_key(self) -> None:
        self.delete_secret(API_KEY_NAME)

    def load_secret(self, name: str) -> str | None:
        if name in self._session:
            return self._session[name]
        backend = self._backend()
        if backend is None:
            return None
        try:
            value = backend.get_password(self._service, name)
        except Exception as error:  # see _fall_back: no keychain fault may stop the app
            self._fall_back("read", error)
            return None
        return value or None

    def save_secret(self, name: str, value: str) -> None:
        backend = self._backend()
        if backend is not None:
            try:
                backend.set_password(self._service, name, value)
            except Exception as error:  # see _fall_back
                self._fall_back("write", error)
            else:
                self._session.pop(name, None)
                return
        self._session[name] = value

    def delete_secret(self, name: str) -> None:
        self._session.pop(name, None)
        backend = self._backend()
        if backend is None:
            return
        import keyring.errors

        try:
            backend.delete_password(self._service, name)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was stored: already in the state asked for
        except Exception as error:  # see _fall_back
            self._fall_back("delete", error)

    def _backend(self) -> keyring.backend.KeyringBackend | None:
        """The keychain to use, or None when this session runs on memory only."""
        if self._keychain_failed:
            return None
        backend = _keyring()
        return backend if keychain_usable(backend) else None

    def _fall_back(self, action: str, error: Exception) -> None:
        # Keychains fail in many ways (KeyringError, a locked collection, D-Bus errors that keyring does not
        # wrap); each means the same to the person: keep working with the key in memory. Only the exception's
        # type is logged: a backend's message is not ours to vouch for and must not carry a secret to a log.
        log.warning("keychain %s failed (%s); secrets are kept for this session only", action, type(error).__name__)
        self._keychain_failed = True
