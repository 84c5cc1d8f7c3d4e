"""SettingsDialog over a real AppSettings INI in tmp_path and an in-memory keyring, never the system one."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from sora2_desktop.api import ApiKey
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import (
    API_KEY_ENV,
    API_KEY_NAME,
    S3_SECRET_KEY_NAME,
    SERVICE_NAME,
    SecretStore,
)
from sora2_desktop.core.config.settings import DEFAULT_API_BASE_URL, AppSettings
from sora2_desktop.ui.settings import settings_dialog
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from tests.helpers.keychain import MemoryKeyring


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(Profile.from_dir(tmp_path))


@pytest.fixture
def secrets(memory_keyring: MemoryKeyring) -> SecretStore:
    return SecretStore()


def open_dialog(qtbot: QtBot, settings: AppSettings, secrets: SecretStore, tab: str | None = None) -> SettingsDialog:
    dialog = SettingsDialog(settings, secrets, initial_tab=tab)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ini_bytes(settings: AppSettings) -> bytes:
    settings.sync()
    path = Path(settings.file_path)
    return path.read_bytes() if path.exists() else b""


def fill_image_host(dialog: SettingsDialog, secret: str = "s3-secret-never-in-ini") -> None:
    page = dialog.image_host_page
    page.endpoint_edit.setText("https://s3.us-east-1.amazonaws.com")
    page.bucket_edit.setText("my-bucket")
    page.region_edit.setText("us-east-1")
    page.access_key_id_edit.setText("AKIAEXAMPLE")
    page.secret_key_edit.setText(secret)


def test_bad_base_url_is_shown_at_its_field_and_not_saved(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore
) -> None:
    dialog = open_dialog(qtbot, settings, secrets, tab="notifications")
    dialog.account_page.base_url_edit.setText("http://example.com")
    dialog.accept()

    field = dialog.field("api_base_url")
    assert field.error and "https" in field.error
    assert field.error_label.isVisible()
    assert dialog.current_tab() == "account"
    assert dialog.focusWidget() is dialog.account_page.base_url_edit
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.account_page.base_url_edit.text() == "http://example.com"  # what was typed is kept
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert b"example.com" not in ini_bytes(settings)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://127.0.0.1:8765", True),
        ("http://localhost:8765/", True),
        ("https://api.example.org", True),
        ("http://example.com", False),
        ("ftp://api.apixo.ai", False),
        ("https://user:pw@api.apixo.ai", False),
    ],
)
def test_base_url_rules(qtbot: QtBot, settings: AppSettings, secrets: SecretStore, url: str, ok: bool) -> None:
    dialog = open_dialog(qtbot, settings, secrets)
    dialog.account_page.base_url_edit.setText(url)
    assert [name for name, _ in dialog.validate()] == ([] if ok else ["api_base_url"])


def test_loopback_base_url_is_saved(qtbot: QtBot, settings: AppSettings, secrets: SecretStore) -> None:
    dialog = open_dialog(qtbot, settings, secrets)
    dialog.account_page.base_url_edit.setText("http://127.0.0.1:8765")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.api_base_url == "http://127.0.0.1:8765"


def test_api_key_goes_to_the_keychain_not_the_ini_file(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, settings, secrets)
    edit = dialog.account_page.api_key_edit
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.account_page.key_storage_label.text() == "Stored in the system keychain."
    edit.setText("  sk-live-0123456789abcdef  ")
    with qtbot.waitSignal(dialog.api_key_changed) as changed:
        dialog.accept()

    assert changed.args == [ApiKey("sk-live-0123456789abcdef")]
    assert memory_keyring.passwords[(SERVICE_NAME, API_KEY_NAME)] == "sk-live-0123456789abcdef"
    assert b"sk-live-0123456789abcdef" not in ini_bytes(settings)


def test_unchanged_key_emits_nothing(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.passwords[(SERVICE_NAME, API_KEY_NAME)] = "sk-old"
    dialog = open_dialog(qtbot, settings, secrets)
    assert dialog.account_page.api_key_edit.text() == "sk-old"
    with qtbot.assertNotEmitted(dialog.api_key_changed):
        dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_remove_key_deletes_it_on_ok(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.passwords[(SERVICE_NAME, API_KEY_NAME)] = "sk-old"
    dialog = open_dialog(qtbot, settings, secrets)
    dialog.account_page.remove_key_button.click()
    assert "removed" in dialog.account_page.key_storage_label.text()
    assert (SERVICE_NAME, API_KEY_NAME) in memory_keyring.passwords  # Cancel must still be possible
    with qtbot.waitSignal(dialog.api_key_changed) as changed:
        dialog.accept()
    assert changed.args == [None]
    assert (SERVICE_NAME, API_KEY_NAME) not in memory_keyring.passwords


def test_show_hide_toggle(qtbot: QtBot, settings: AppSettings, secrets: SecretStore) -> None:
    dialog = open_dialog(qtbot, settings, secrets)
    dialog.account_page.show_key_action.trigger()
    assert dialog.account_page.api_key_edit.echoMode() == QLineEdit.EchoMode.Normal
    dialog.account_page.show_key_action.trigger()
    assert dialog.account_page.api_key_edit.echoMode() == QLineEdit.EchoMode.Password


def test_environment_variable_makes_the_key_read_only(
    qtbot: QtBot,
    settings: AppSettings,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory_keyring.passwords[(SERVICE_NAME, API_KEY_NAME)] = "sk-stored"
    monkeypatch.setenv(API_KEY_ENV, "sk-from-env")
    dialog = open_dialog(qtbot, settings, SecretStore())
    page = dialog.account_page
    assert page.api_key_edit.isReadOnly()
    assert page.api_key_edit.text() == ""  # the variable's value is not echoed into the dialog
    assert API_KEY_ENV in page.key_storage_label.text()
    assert not page.remove_key_button.isEnabled()
    assert not page.show_key_action.isEnabled()
    with qtbot.assertNotEmitted(dialog.api_key_changed):
        dialog.accept()
    assert memory_keyring.passwords[(SERVICE_NAME, API_KEY_NAME)] == "sk-stored"


def test_session_only_keychain_is_explained(
    qtbot: QtBot, settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        secrets = SecretStore()
        dialog = open_dialog(qtbot, settings, secrets)
        assert dialog.account_page.key_storage_label.text() == secrets.explain()
        assert "session" in dialog.image_host_page.secret_storage_label.text()
        dialog.account_page.api_key_edit.setText("sk-session")
        dialog.accept()
        assert secrets.load_api_key() == ApiKey("sk-session")
        assert b"sk-session" not in ini_bytes(settings)
    finally:
        keyring.set_keyring(previous)


def test_s3_secret_goes_to_the_keychain(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, settings, secrets, tab="image_host")
    assert dialog.current_tab() == "image_host"
    fill_image_host(dialog)
    dialog.image_host_page.public_base_url_edit.setText("https://images.example.com/")
    dialog.image_host_page.prefix_edit.setText("/sora/")
    dialog.accept()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert memory_keyring.passwords[(SERVICE_NAME, S3_SECRET_KEY_NAME)] == "s3-secret-never-in-ini"
    assert (settings.s3_bucket, settings.s3_region, settings.s3_prefix) == ("my-bucket", "us-east-1", "sora/")
    assert settings.s3_public_base_url == "https://images.example.com/"
    data = ini_bytes(settings)
    assert b"my-bucket" in data and b"s3-secret-never-in-ini" not in data


def test_incomplete_image_host_errors_at_each_field_and_saves_nothing(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, settings, secrets)
    dialog.image_host_page.bucket_edit.setText("bucket with spaces")
    dialog.image_host_page.endpoint_edit.setText("https://acct.r2.cloudflarestorage.com/my-bucket")
    dialog.notifications_page.notifications_check.setChecked(False)
    dialog.accept()

    names = [name for name, _ in dialog.validate()]
    assert names == ["s3_endpoint", "s3_bucket", "s3_access_key_id", "s3_secret_access_key"]
    for name in names:
        assert dialog.field(name).error_label.isVisible()
    assert dialog.current_tab() == "image_host"
    assert dialog.focusWidget() is dialog.image_host_page.endpoint_edit
    assert settings.notifications_enabled is True  # nothing saved while anything is wrong
    assert settings.s3_bucket == ""
    assert dialog.image_host_page.bucket_edit.text() == "bucket with spaces"

    dialog.image_host_page.bucket_edit.setText("my-bucket")  # editing a field clears its error at once
    assert dialog.field("s3_bucket").error is None


def test_s3_endpoint_rules(qtbot: QtBot, settings: AppSettings, secrets: SecretStore) -> None:
    dialog = open_dialog(qtbot, settings, secrets)
    fill_image_host(dialog)
    for endpoint, ok in [
        ("http://127.0.0.1:9000", True),
        ("http://192.168.1.20:9000", False),  # plain http on the local network: readable on the Wi-Fi
        ("s3.eu-central-003.backblazeb2.com", True),
        ("http://s3.example.com", False),
        ("https://", False),
    ]:
        dialog.image_host_page.endpoint_edit.setText(endpoint)
        assert (dialog.validate() == []) is ok, endpoint


def test_first_error_in_tab_order_gets_focus(qtbot: QtBot, settings: AppSettings, secrets: SecretStore) -> None:
    dialog = open_dialog(qtbot, settings, secrets, tab="image_host")
    dialog.image_host_page.bucket_edit.setText("b")
    dialog.downloads_page.download_dir_edit.setText("relative/folder")
    dialog.accept()
    assert dialog.current_tab() == "downloads"
    assert dialog.focusWidget() is dialog.downloads_page.download_dir_edit
    assert dialog.field("download_dir").error_label.isVisible()
    assert dialog.field("s3_bucket").error is not None  # shown too, on its (now hidden) tab


def test_download_folder(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    dialog = open_dialog(qtbot, settings, secrets, tab="downloads")
    dialog.downloads_page.download_dir_edit.setText(str(a_file))
    assert [name for name, _ in dialog.validate()] == ["download_dir"]

    chosen = tmp_path / "videos"
    monkeypatch.setattr(settings_dialog.QFileDialog, "getExistingDirectory", staticmethod(lambda *args: str(chosen)))
    dialog.downloads_page.browse_button.click()
    assert dialog.downloads_page.download_dir_edit.text() == str(chosen)
    dialog.accept()
    assert settings.download_dir == str(chosen)


def test_polling_values_and_advice(qtbot: QtBot, settings: AppSettings, secrets: SecretStore) -> None:
    settings.poll_interval_s = 0.5  # a value the spin box cannot show must survive an OK untouched
    dialog = open_dialog(qtbot, settings, secrets, tab="polling")
    page = dialog.polling_page
    assert (page.first_delay_box.value(), page.callback_interval_box.value()) == (180, 0)  # 0: same as polling
    assert page.callback_interval_box.text() == "Same as above"
    page.first_delay_box.setValue(240)
    dialog.accept()
    assert (settings.first_poll_delay_s, settings.poll_interval_s) == (240.0, 0.5)

    dialog = open_dialog(qtbot, settings, secrets, tab="polling")
    dialog.polling_page.restore_defaults_button.click()
    dialog.accept()
    assert (settings.first_poll_delay_s, settings.poll_interval_s, settings.callback_poll_interval_s) == (
        180.0,
        10.0,
        0.0,
    )


def test_notifications_checkbox_is_saved(qtbot: QtBot, settings: AppSettings, secrets: SecretStore) -> None:
    dialog = open_dialog(qtbot, settings, secrets, tab="notifications")
    assert dialog.notifications_page.notifications_check.isChecked()
    dialog.notifications_page.notifications_check.setChecked(False)
    dialog.accept()
    assert settings.notifications_enabled is False


def test_cancel_saves_nothing(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, settings, secrets)
    dialog.account_page.api_key_edit.setText("sk-typed-then-cancelled")
    dialog.account_page.base_url_edit.setText("http://127.0.0.1:9")
    dialog.reject()
    assert memory_keyring.passwords == {}
    assert settings.api_base_url == DEFAULT_API_BASE_URL


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("sk-live\n0123", "control character"),
        ("sk-live\t0123", "control character"),
        ("sk-live\x000123", "control character"),
        ("sk-live\x7f0123", "control character"),
        ("sk-live\x9b0123", "control character"),
        ("sk-live 0123", "no spaces"),
    ],
    ids=["newline", "tab", "nul", "del", "c1", "space"],
)
def test_a_key_with_control_characters_or_spaces_is_refused_at_its_field(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, memory_keyring: MemoryKeyring, typed: str, reason: str
) -> None:
    dialog = open_dialog(qtbot, settings, secrets, tab="polling")
    dialog.account_page.api_key_edit.setText(typed)
    with qtbot.assertNotEmitted(dialog.api_key_changed):
        dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    error = dialog.field("api_key").error
    assert error is not None and reason in error
    assert dialog.current_tab() == "account"
    assert (SERVICE_NAME, API_KEY_NAME) not in memory_keyring.passwords  # nothing saved


def test_a_saved_key_with_a_line_break_is_not_used_and_the_field_says_why(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.passwords[(SERVICE_NAME, API_KEY_NAME)] = "sk-old\nsk-other"
    dialog = open_dialog(qtbot, settings, secrets)
    assert dialog.account_page.api_key_edit.text() == ""  # the refused value is not echoed back
    error = dialog.field("api_key").error
    assert error is not None and "line break" in error
    dialog.account_page.api_key_edit.setText("sk-new-0123")
    with qtbot.waitSignal(dialog.api_key_changed) as changed:
        dialog.accept()
    assert changed.args == [ApiKey("sk-new-0123")]


def test_a_plain_http_endpoint_off_this_computer_is_refused_at_its_field(
    qtbot: QtBot, settings: AppSettings, secrets: SecretStore
) -> None:
    dialog = open_dialog(qtbot, settings, secrets)
    fill_image_host(dialog)
    dialog.image_host_page.endpoint_edit.setText("http://192.168.1.20:9000")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    error = dialog.field("s3_endpoint").error
    assert error is not None and "plain http://" in error and "this computer" in error
    assert dialog.current_tab() == "image_host"
    assert settings.s3_endpoint == ""  # nothing saved
