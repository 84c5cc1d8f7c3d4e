"""Settings: the models index address (empty = off, http(s) only) and its "Check now"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from sora2_desktop.core.catalogue.catalogue_service import CatalogueService
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import DEFAULT_MODELS_URL, AppSettings
from sora2_desktop.sim import SimServer
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from tests.helpers.keychain import MemoryKeyring
from tests.helpers.wait import wait_until


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.from_dir(tmp_path).ensure()


def open_dialog(qtbot: QtBot, settings: AppSettings, models: CatalogueService | None = None) -> SettingsDialog:
    dialog = SettingsDialog(settings, SecretStore(), models=models)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_address_is_shown_saved_and_empty_turns_it_off(
    qtbot: QtBot, profile: Profile, memory_keyring: MemoryKeyring
) -> None:
    settings = AppSettings(profile)
    dialog = open_dialog(qtbot, settings)
    page = dialog.account_page
    assert page.models_url_edit.text() == DEFAULT_MODELS_URL
    assert page.check_models_button.isHidden()  # nothing to check with
    page.models_url_edit.setText("  https://mirror.example/docs/models/schemas/index.json ")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.models_url == "https://mirror.example/docs/models/schemas/index.json"
    again = open_dialog(qtbot, settings)
    again.account_page.models_url_edit.clear()
    again.accept()
    assert settings.models_url == ""


@pytest.mark.parametrize("url", ["ftp://mirror.example/index.json", "mirror.example/index.json"])
def test_only_http_addresses_are_saved(qtbot: QtBot, profile: Profile, memory_keyring: MemoryKeyring, url: str) -> None:
    settings = AppSettings(profile)
    dialog = open_dialog(qtbot, settings)
    dialog.account_page.models_url_edit.setText(url)
    dialog.accept()
    assert dialog.isVisible()
    assert "http://" in (dialog.field("models_url").error or "")
    assert settings.models_url == DEFAULT_MODELS_URL


def test_check_now_reads_the_typed_address_and_says_what_changed(
    qtbot: QtBot, profile: Profile, memory_keyring: MemoryKeyring, run_async: Any
) -> None:
    settings = AppSettings(profile)
    models = CatalogueService(profile, settings, http=lambda: httpx.AsyncClient(trust_env=False))
    with SimServer(contract="later") as sim:
        dialog = open_dialog(qtbot, settings, models)
        page = dialog.account_page
        assert page.check_models_button.isVisible()
        page.models_url_edit.setText(str(sim.models_index_url))
        qtbot.mouseClick(page.check_models_button, Qt.MouseButton.LeftButton)
        assert not page.check_models_button.isEnabled()
        run_async(wait_until(lambda: page.check_models_button.isEnabled(), what="the check to end"))
    assert page.models_status_label.text() == (
        "Sora 2 now offers 4, 8 and 12 s; takes only the official provider; takes exactly one image"
    )
    assert models.current().spec_for("sora-2").durations == (4, 8, 12)


def test_check_now_says_why_it_could_not(
    qtbot: QtBot, profile: Profile, memory_keyring: MemoryKeyring, run_async: Any
) -> None:
    settings = AppSettings(profile)
    models = CatalogueService(profile, settings, http=lambda: httpx.AsyncClient(trust_env=False))
    dialog = open_dialog(qtbot, settings, models)
    page = dialog.account_page
    page.models_url_edit.setText("ftp://nowhere")
    qtbot.mouseClick(page.check_models_button, Qt.MouseButton.LeftButton)
    assert dialog.field("models_url").error  # refused before anything is sent
    page.models_url_edit.setText("http://127.0.0.1:9/docs/models/schemas/index.json")  # the discard port
    qtbot.mouseClick(page.check_models_button, Qt.MouseButton.LeftButton)
    run_async(wait_until(lambda: page.check_models_button.isEnabled(), what="the check to end"))
    assert page.models_status_label.text().startswith("The model list could not be refreshed")
