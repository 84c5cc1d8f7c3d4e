"""The Prices page: what each model costs, as the person says (the service states no prices), for the estimates."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from sora2_desktop.api.model_spec import PRICE_UNITS, Price
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.catalogue.catalogue_service import CatalogueService
from sora2_desktop.ui.common.money_text import usd
from sora2_desktop.ui.common.palette import muted_palette
from sora2_desktop.ui.settings.settings_pages import ValidatedField


def amount_text(amount: float) -> str:
    """Dollars as typed in a field: cents always, more digits only when the price has them ("0.15", "0.125")."""
    text = f"{amount:.6f}".rstrip("0")
    whole, _, cents = text.partition(".")
    return f"{whole}.{cents.ljust(2, '0')}"


def parse_amount(text: str) -> float | None:
    """A number of dollars ≥ 0 ("0.15", "$0.15", "0,15"); None when it is not one."""
    text = text.strip().removeprefix("$").strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma
    try:
        amount = float(text)
    except ValueError:
        return None
    return amount if math.isfinite(amount) and amount >= 0 else None


class PriceRow:
    """One model's price: amount, unit, and the way back to the catalogue's figure."""

    def __init__(self, page: QWidget, model_id: str, title: str, catalogue: Price, current: Price) -> None:
        self.model_id = model_id
        self.catalogue = catalogue
        self.title = QLabel(title)
        self.amount_edit = QLineEdit()
        self.amount_edit.setAccessibleName(page.tr("Price of {0} in US dollars").format(title))
        self.amount_edit.setMaximumWidth(120)
        self.field = ValidatedField(self.amount_edit)
        self.unit_box = QComboBox()
        for unit in PRICE_UNITS:
            self.unit_box.addItem(unit_words(page, unit), unit)
        self.reset_button = QPushButton(page.tr("Reset to catalogue price"))
        self.reset_button.setToolTip(
            page.tr("The catalogue's price: {0} {1}").format(usd(catalogue.usd), unit_words(page, catalogue.per))
        )
        self.reset_button.clicked.connect(self.reset)
        self.show(current)

    def show(self, price: Price) -> None:
        self.amount_edit.setText(amount_text(price.usd))
        self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(price.per)))
        self.field.set_error(None)

    def reset(self) -> None:
        self.show(self.catalogue)

    def price(self) -> Price | None:
        amount = parse_amount(self.amount_edit.text())
        return None if amount is None else Price(str(self.unit_box.currentData()), amount)


def catalogue_price(model_id: str) -> Price | None:
    """The price "Reset" goes back to: the shipped catalogue's (the live refresh never changes a price, since
    the service publishes none)."""
    spec = shipped_catalogue().get(model_id)
    return spec.price if spec is not None else None


def unit_words(widget: QWidget, unit: str) -> str:
    return widget.tr("per second") if unit == "second" else widget.tr("per generation")


class PricesPage(QWidget):
    """One row per model of the current catalogue. A bad amount is marked at its field and nothing is saved
    until it is right; a price equal to the catalogue's is not stored, so a later catalogue price applies."""

    def __init__(self, models: CatalogueService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._models = models
        mine = models.prices()
        intro = QLabel(
            self.tr(
                "The service states no prices in any of its answers, so every cost the app shows is an estimate "
                "made from these figures. Set them to what your plan charges."
            )
        )
        intro.setWordWrap(True)
        intro.setPalette(muted_palette(intro))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.rows: list[PriceRow] = []
        for index, spec in enumerate(models.current()):
            base = catalogue_price(spec.id) or spec.price
            row = PriceRow(self, spec.id, spec.title, base, mine.get(spec.id, base))
            row.amount_edit.editingFinished.connect(lambda r=row: self._check(r))
            grid.addWidget(row.title, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(QLabel("$"), index, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.field, index, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.unit_box, index, 3, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.reset_button, index, 4, Qt.AlignmentFlag.AlignTop)
            self.rows.append(row)
        grid.setColumnStretch(5, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addStretch(1)

    def fields(self) -> dict[str, ValidatedField]:
        """The dialog's names for the amount fields ("price:sora-2"), to mark and focus a bad one."""
        return {f"price:{row.model_id}": row.field for row in self.rows}

    def problems(self) -> list[tuple[str, str]]:
        return [(f"price:{row.model_id}", self._problem_text()) for row in self.rows if row.price() is None]

    def prices(self) -> dict[str, Price]:
        """The person's prices as they would be stored: the ones kept before (also of models not shown now),
        with each row's price, or without it when it is the catalogue's."""
        prices = self._models.prices()
        for row in self.rows:
            price = row.price()
            if price is None:
                continue
            if price == row.catalogue:
                prices.pop(row.model_id, None)
            else:
                prices[row.model_id] = price
        return prices

    def save(self) -> None:
        """Store the prices if they changed (call only when `problems()` is empty)."""
        prices = self.prices()
        if prices != self._models.prices():
            self._models.set_prices(prices)

    def _check(self, row: PriceRow) -> None:
        row.field.set_error(None if row.price() is not None else self._problem_text())

    def _problem_text(self) -> str:
        return self.tr("Enter a price in US dollars, 0 or more, such as 0.15.")
