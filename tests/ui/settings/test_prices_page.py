"""Prices in Settings: per model an amount and unit, checked at the field, saved as the person's prices."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from sora2_desktop.api.model_spec import Price
from sora2_desktop.core.catalogue.catalogue_service import CatalogueService
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.ui.settings.prices_page import amount_text, parse_amount
from sora2_desktop.ui.settings.settings_dialog import SettingsDialog
from tests.helpers.keychain import MemoryKeyring
from tests.helpers.models import SORA_2, SORA_2_PRO


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(Profile.from_dir(tmp_path).ensure())


@pytest.fixture
def models(tmp_path: Path, settings: AppSettings) -> CatalogueService:
    return CatalogueService(Profile.from_dir(tmp_path), settings)


def open_dialog(qtbot: QtBot, settings: AppSettings, models: CatalogueService) -> SettingsDialog:
    dialog = SettingsDialog(settings, SecretStore(), initial_tab="prices", models=models)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_changed_price_is_saved_and_used(
    qtbot: QtBot, settings: AppSettings, models: CatalogueService, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, settings, models)
    assert dialog.current_tab() == "prices"
    page = dialog.prices_page
    assert page is not None
    assert [r.model_id for r in page.rows] == ["sora-2", "sora-2-pro"]
    pro = next(r for r in page.rows if r.model_id == "sora-2-pro")
    assert pro.amount_edit.text() == "0.30" and pro.unit_box.currentData() == "second"
    pro.amount_edit.setText("0.5")
    with qtbot.waitSignal(models.changed, timeout=2000):
        dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert models.prices() == {"sora-2-pro": Price("second", 0.5)}
    assert models.current().spec_for("sora-2-pro").price == Price("second", 0.5)
    assert models.current().spec_for("sora-2").price == SORA_2.price  # untouched: not stored


def test_a_bad_amount_is_marked_at_its_field_and_nothing_is_lost(
    qtbot: QtBot, settings: AppSettings, models: CatalogueService, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, settings, models)
    page = dialog.prices_page
    assert page is not None
    sora = next(r for r in page.rows if r.model_id == "sora-2")
    for bad in ("-1", "abc", "nan", ""):
        sora.amount_edit.setText(bad)
        dialog.accept()
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        assert sora.field.error and "US dollars" in sora.field.error
        assert sora.amount_edit.text() == bad  # what was typed stays
        assert dialog.focusWidget() is sora.amount_edit
    assert models.prices() == {}
    assert settings.model_prices == {}


def test_reset_goes_back_to_the_catalogue_price_and_forgets_the_persons(
    qtbot: QtBot, settings: AppSettings, models: CatalogueService, memory_keyring: MemoryKeyring
) -> None:
    models.set_prices({"sora-2": Price("second", 0.1), "retired-model": Price("generation", 1.0)})
    dialog = open_dialog(qtbot, settings, models)
    page = dialog.prices_page
    assert page is not None
    sora = next(r for r in page.rows if r.model_id == "sora-2")
    assert (sora.amount_edit.text(), sora.unit_box.currentData()) == ("0.10", "second")
    sora.reset_button.click()
    assert (sora.amount_edit.text(), sora.unit_box.currentData()) == ("0.15", "generation")
    dialog.accept()
    # The catalogue's price is not stored (a later catalogue price applies); a model not shown keeps its price.
    assert models.prices() == {"retired-model": Price("generation", 1.0)}
    assert models.current().spec_for("sora-2").price == SORA_2.price
    assert SORA_2_PRO.price.per == "second"


@pytest.mark.parametrize(
    ("text", "amount"), [("0.15", 0.15), ("$0.15", 0.15), (" 0,15 ", 0.15), ("0", 0.0), ("-0.1", None), ("inf", None)]
)
def test_amounts_read_as_dollars(text: str, amount: float | None) -> None:
    assert parse_amount(text) == amount


def test_amounts_show_cents_always() -> None:
    assert [amount_text(x) for x in (0.15, 0.3, 2.0, 0.125)] == ["0.15", "0.30", "2.00", "0.125"]
