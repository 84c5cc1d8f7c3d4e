"""Estimate: what one click is expected to cost, and what the balance would be after it."""

from __future__ import annotations

from dataclasses import dataclass

from sora2_desktop.api.model_spec import ModelSpec


@dataclass(frozen=True)
class Estimate:
    """Prices are the person's data (the service states none), so every figure here is an estimate."""

    per_take_usd: float
    takes: int
    balance_usd: float | None  # the last balance read from the service; None while it is unknown

    @property
    def total_usd(self) -> float:
        return self.per_take_usd * self.takes

    @property
    def balance_after_usd(self) -> float | None:
        return None if self.balance_usd is None else self.balance_usd - self.total_usd

    @property
    def exceeds_balance(self) -> bool:
        """True only when the balance is known and the click would cost more than it."""
        return self.balance_usd is not None and self.total_usd > self.balance_usd + 1e-9


def estimate_click(spec: ModelSpec, duration_s: int, takes: int, balance_usd: float | None) -> Estimate:
    return Estimate(spec.price.estimate(duration_s), max(1, takes), balance_usd)
