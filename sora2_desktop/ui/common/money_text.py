"""Money as the window shows it: US dollars, cents always, thousands grouped ("$1,234.50")."""

from __future__ import annotations


def usd(amount: float) -> str:
    sign = "−" if amount < -0.004 else ""  # a true minus sign: a balance can be overdrawn
    return f"{sign}${abs(amount):,.2f}"


def usd_estimate(amount: float) -> str:
    """An estimate reads as one ("≈$0.45"): prices are the person's figures, not the service's."""
    return f"≈{usd(amount)}"
