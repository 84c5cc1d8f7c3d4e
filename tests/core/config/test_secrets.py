"""SecretStore: env var first, then the keychain; without one, the session only; a key never in a repr or a log."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from sora2_desktop.api import ApiKey
from sora2_desktop.api.secret import InvalidApiKeyError, api_key_problem
from sora2_desktop.core.config.secrets import (
    API_KEY_ENV,
    API_KEY_NAME,
    S3_SECRET_KEY_NAME,
    SERVICE_NAME,
    SecretStore,
    keychain_usable,
)
from tests.helpers.keychain import MemoryKeyring

SECRET = "sk-live-7f3a9c-never-shown"
NO_KEYCHAIN_SENTENCE = "No system keychain was found, so the key is kept for this session only."


class BrokenKeyring(MemoryKeyring):
    """A keychain that is there but fails (locked collection, D-Bus gone) with `error`."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


Install = Callable[[keyring.backend.KeyringBackend], object]


@pytest.fixture
def use_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """`use_keyring(backend)` installs a backend for the test; the real keychain is never touched."""
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    previous = keyring.get_keyring()

    def install(backend: keyring.backend.KeyringBackend) -> object:
        keyring.set_keyring(backend)
        return backend

    try:
        yield install
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def ring(use_keyring: Install) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(backend)
    return backend


@pytest.fixture
def no_keychain(use_keyring: Install) -> None:
    use_keyring(keyring.backends.fail.Keyring())


def test_the_environment_variable_wins(ring: MemoryKeyring) -> None:
    ring.passwords[(SERVICE_NAME, API_KEY_NAME)] = "sk-stored"
    store = SecretStore(environ={API_KEY_ENV: f"  {SECRET}\n"})
    assert store.load_api_key() == ApiKey(SECRET)
    assert store.api_key_from_environment
    assert API_KEY_ENV in store.explain()


def test_a_blank_environment_variable_is_ignored(ring: MemoryKeyring) -> None:
    ring.passwords[(SERVICE_NAME, API_KEY_NAME)] = "sk-stored"
    store = SecretStore(environ={API_KEY_ENV: "   "})
    assert store.load_api_key() == ApiKey("sk-stored")
    assert not store.api_key_from_environment


def test_the_process_environment_is_read_by_default(ring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(API_KEY_ENV, SECRET)
    assert SecretStore().load_api_key() == ApiKey(SECRET)


def test_keychain_round_trip_outlives_the_session(ring: MemoryKeyring) -> None:
    store = SecretStore(environ={})
    assert store.persistent
    assert store.load_api_key() is None
    store.save_api_key(ApiKey(SECRET))
    assert ring.passwords == {(SERVICE_NAME, API_KEY_NAME): SECRET}
    assert SecretStore(environ={}).load_api_key() == ApiKey(SECRET)  # the next start finds it
    store.delete_api_key()
    assert SecretStore(environ={}).load_api_key() is None
    store.delete_api_key()  # deleting what is not there is fine


def test_the_s3_secret_uses_the_same_keychain(ring: MemoryKeyring) -> None:
    store = SecretStore(environ={})
    store.save_secret(S3_SECRET_KEY_NAME, "s3-secret")
    assert SecretStore(environ={}).load_secret(S3_SECRET_KEY_NAME) == "s3-secret"
    store.delete_secret(S3_SECRET_KEY_NAME)
    assert store.load_secret(S3_SECRET_KEY_NAME) is None


def test_an_empty_key_is_refused(ring: MemoryKeyring) -> None:
    with pytest.raises(ValueError):
        SecretStore(environ={}).save_api_key(ApiKey("  "))
    assert ring.passwords == {}


@pytest.mark.usefixtures("no_keychain")
def test_without_a_keychain_the_key_lasts_for_this_session_only() -> None:
    store = SecretStore(environ={})
    assert not store.persistent
    assert store.explain() == NO_KEYCHAIN_SENTENCE
    assert store.load_api_key() is None
    store.save_api_key(ApiKey(SECRET))
    store.save_secret(S3_SECRET_KEY_NAME, "s3-secret")
    assert store.load_api_key() == ApiKey(SECRET)
    assert store.load_secret(S3_SECRET_KEY_NAME) == "s3-secret"
    assert SecretStore(environ={}).load_api_key() is None  # the next session starts without it
    store.delete_api_key()
    assert store.load_api_key() is None


@pytest.mark.parametrize(
    "error",
    [keyring.errors.KeyringLocked("locked"), keyring.errors.NoKeyringError("none"), RuntimeError("D-Bus gone")],
)
def test_a_failing_keychain_falls_back_to_the_session(use_keyring: Install, error: Exception) -> None:
    use_keyring(BrokenKeyring(error))
    store = SecretStore(environ={})
    assert store.persistent  # nothing known to be wrong yet
    store.save_api_key(ApiKey(SECRET))
    assert not store.persistent
    assert store.explain() == NO_KEYCHAIN_SENTENCE
    assert store.load_api_key() == ApiKey(SECRET)
    store.delete_api_key()
    assert store.load_api_key() is None


def test_a_failing_read_is_no_key_not_a_crash(use_keyring: Install) -> None:
    use_keyring(BrokenKeyring(keyring.errors.KeyringError("no")))
    store = SecretStore(environ={})
    assert store.load_api_key() is None
    assert not store.persistent


def test_unusable_backends_are_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not keychain_usable(keyring.backends.fail.Keyring())
    assert not keychain_usable(keyring.backends.null.Keyring())
    assert keychain_usable(MemoryKeyring())
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [])
    assert not keychain_usable(keyring.backends.chainer.ChainerBackend())
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [MemoryKeyring()])
    assert keychain_usable(keyring.backends.chainer.ChainerBackend())


def test_a_chainer_with_nothing_to_chain_means_session_only(
    use_keyring: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [])
    use_keyring(keyring.backends.chainer.ChainerBackend())
    store = SecretStore(environ={})
    store.save_api_key(ApiKey(SECRET))
    assert not store.persistent
    assert store.load_api_key() == ApiKey(SECRET)


@pytest.mark.parametrize("backend", ["memory", "none", "broken"])
def test_the_key_never_reaches_a_repr_a_log_or_a_file(
    use_keyring: Install,
    backend: str,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))  # any "next to the user" file would land here
    ring = {
        "memory": MemoryKeyring(),
        "none": keyring.backends.fail.Keyring(),
        "broken": BrokenKeyring(keyring.errors.PasswordSetError(f"refused {SECRET}")),
    }[backend]
    use_keyring(ring)
    caplog.set_level(logging.DEBUG)
    store = SecretStore(environ={})
    store.save_api_key(ApiKey(SECRET))
    store.save_secret(S3_SECRET_KEY_NAME, SECRET)
    loaded = store.load_api_key()
    assert loaded == ApiKey(SECRET)
    for text in (repr(store), str(store), repr(loaded), store.explain(), caplog.text):
        assert SECRET not in text
    # No file was written with it, in the working folder or in home.
    for path in tmp_path.rglob("*"):
        assert path.is_dir() or SECRET.encode() not in path.read_bytes()


BAD_KEYS = {
    "newline": "sk-live\n7f3a9c",
    "carriage-return": "sk-live\r7f3a9c",
    "tab": "sk-live\t7f3a9c",
    "nul": "sk-live\x007f3a9c",
    "del": "sk-live\x7f7f3a9c",
    "c1": "sk-live\x857f3a9c",
    "escape": "sk-live\x1b[31m",
    "zero-width": "sk-live\u200b7f3a9c",
    "inner-space": "sk-live 7f3a9c",
    "edge-nul": "\x00sk-live-7f3a9c",
}


@pytest.mark.parametrize("text", BAD_KEYS.values(), ids=BAD_KEYS.keys())
def test_an_api_key_cannot_be_built_from_control_characters_or_inner_spaces(text: str) -> None:
    problem = api_key_problem(text)
    assert problem == ("space" if text == BAD_KEYS["inner-space"] else "control")
    with pytest.raises(InvalidApiKeyError) as raised:
        ApiKey(text)
    assert raised.value.problem == problem
    assert "7f3a9c" not in str(raised.value) and "sk-live" not in str(raised.value)  # the value is never echoed


def test_a_pasted_key_with_a_line_break_at_its_end_is_fine() -> None:
    assert api_key_problem("  sk-live-7f3a9c\r\n") is None
    assert ApiKey("  sk-live-7f3a9c\r\n").reveal() == "sk-live-7f3a9c"


@pytest.mark.parametrize("where", ["environment", "keychain"])
def test_a_refused_stored_key_is_not_used_and_not_logged(
    ring: MemoryKeyring, where: str, caplog: pytest.LogCaptureFixture
) -> None:
    bad = "sk-live-7f3a9c\nX-Injected: 1"
    environ = {API_KEY_ENV: bad} if where == "environment" else {}
    if where == "keychain":
        ring.passwords[(SERVICE_NAME, API_KEY_NAME)] = bad
    store = SecretStore(environ=environ)
    with caplog.at_level(logging.WARNING):
        assert store.load_api_key() is None
    assert store.api_key_refused
    assert "not used" in caplog.text and "7f3a9c" not in caplog.text


def test_a_good_stored_key_is_not_refused(ring: MemoryKeyring) -> None:
    assert not SecretStore(environ={}).api_key_refused  # nothing stored: nothing refused
    ring.passwords[(SERVICE_NAME, API_KEY_NAME)] = SECRET
    assert not SecretStore(environ={}).api_key_refused
