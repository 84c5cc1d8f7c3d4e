"""A keychain backend for app processes a test starts (PYTHON_KEYRING_BACKEND=probe_keyring.KeyedKeyring, this
folder on PYTHONPATH): it holds the API key given in PROBE_API_KEY and forgets whatever is written."""

import os

import keyring.backend


class KeyedKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get("PROBE_API_KEY") if username == "api_key" else None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass
