"""Cost words for the Generate button: this click's estimate and the balance after it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from sora2_desktop.api.model_spec import ModelSpec, Price
from sora2_desktop.core.account.estimate import Estimate
from sora2_desktop.ui.common.money_text import usd, usd_estimate

_translate = QCoreApplication.translate


def cost_text(estimate: Estimate) -> str:
    """ "≈$0.45 · leaves ≈$24.55"; just "≈$0.45" while the balance is unknown."""
    total = usd_estimate(estimate.total_usd)
    after = estimate.balance_after_usd
    if after is None:
        return total
    return _translate("CostText", "{0} · leaves {1}").format(total, usd_estimate(after))


def price_text(price: Price) -> str:
    if price.per == "second":
        return _translate("CostText", "{0} per second").format(usd(price.usd))
    return _translate("CostText", "{0} per video").format(usd(price.usd))


def cost_tip(estimate: Estimate, spec: ModelSpec) -> str:
    """How the estimate was made, so a surprising figure can be traced to the price behind it."""
    how = _translate("CostText", "{0} × {1} by your price for {2} ({3}; change it in Settings).").format(
        estimate.takes, usd_estimate(estimate.per_take_usd), spec.title, price_text(spec.price)
    )
    if estimate.balance_usd is None:
        return how + "\n" + _translate("CostText", "The key's balance is unknown.")
    return (
        how + "\n" + _translate("CostText", "The key's balance when last read: {0}.").format(usd(estimate.balance_usd))
    )
