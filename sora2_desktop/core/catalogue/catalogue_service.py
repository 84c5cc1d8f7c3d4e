"""CatalogueService: the model catalogue the app judges and prices requests by, with the person's own prices, and
its refresh from the service's published model index (in the background, at most once a day, silent offline)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from sora2_desktop.api.model_spec import Price, SpecError, price_from_json
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue, load_with_fallback, shipped_catalogue
from sora2_desktop.core.catalogue.changes import describe_changes, summary
from sora2_desktop.core.catalogue.refresh import LIVE_MARK, RefreshError, fetch_catalogue
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.runtime.atomic_files import write_json_atomically

if TYPE_CHECKING:
    import asyncio  # where used: the composer is on screen before asyncio's import (app.py)

    import httpx  # imported where the first refresh makes its client: the window's first paint does not wait for it

log = logging.getLogger(__name__)

CACHE_FILE_NAME = "models.json"  # the last refreshed catalogue, in the profile
REFRESH_EVERY_S = 24 * 3600.0


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh the person asked for found: the changes in words (maybe none), or why it failed."""

    changes: list[str] = field(default_factory=list)
    problem: str | None = None


def plain_client() -> httpx.AsyncClient:
    """A client of its own for the public docs: no key, no cookies, nothing shared with the API's pool."""
    import httpx

    return httpx.AsyncClient(timeout=httpx.Timeout(20.0, connect=10.0), follow_redirects=False)


class CatalogueService(QObject):
    """`current()` is what every new request is judged by; `changed` says it moved (a refresh or a price edit)
    so the form rebuilds its controls from it; `news` says once, in one line, what a refresh changed."""

    changed = Signal()
    news = Signal(str)

    def __init__(
        self,
        profile: Profile,
        settings: AppSettings,
        parent: QObject | None = None,
        *,
        http: Callable[[], httpx.AsyncClient] = plain_client,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._http = http
        self._clock = clock
        self.cache_path = profile.root / CACHE_FILE_NAME
        self._base = _cached_or_shipped(self.cache_path)  # as shipped or as last refreshed, before prices
        self._current = self._priced(self._base)
        self._override: str | None = None  # --models-url for this run ('' = off)
        self._demo_index: Callable[[], str | None] = lambda: None  # the demo stand-in's own index, while it runs
        self._job: asyncio.Task[RefreshReport] | None = None

    def current(self) -> ModelCatalogue:
        return self._current

    # -- prices -----------------------------------------------------------------------------------------------

    def prices(self) -> dict[str, Price]:
        """The person's prices by model id (only the ones they set); unreadable entries are skipped."""
        stored = self._settings.model_prices
        prices: dict[str, Price] = {}
        for model_id, data in stored.items():
            try:
                prices[str(model_id)] = price_from_json(data, f"price of {model_id}")
            except SpecError as exc:
                log.warning("stored price not used: %s", exc)
        return prices

    def catalogue_prices(self) -> dict[str, Price]:
        """Each model's price as the catalogue states it, before the person's own (what "reset" goes back to)."""
        return {spec.id: spec.price for spec in self._base}

    def set_prices(self, prices: Mapping[str, Price]) -> None:
        """Keep the person's prices (a model left out goes back to the catalogue's price)."""
        self._settings.model_prices = {
            model_id: {"per": price.per, "usd": price.usd} for model_id, price in prices.items()
        }
        self._set_base(self._base)

    # -- where the refresh reads ------------------------------------------------------------------------------

    def set_index_override(self, url: str | None) -> None:
        """The index for this run, beating the setting (`--models-url`; '' turns the refresh off; None: the
        setting's)."""
        self._override = url.strip() if url is not None else None

    def follow_index_of(self, index_url: Callable[[], str | None]) -> None:
        """Demo mode: refresh from the stand-in's own index while it runs (`index_url()` is None once stopped).
        What a demo refresh finds is used but never kept: the real catalogue and its daily check stay as they
        were."""
        self._demo_index = index_url

    def index_url(self) -> str:
        """Where the refresh reads now: the demo stand-in's index, else the override, else the setting ('' = off;
        an override of '' turns off even the demo's)."""
        demo = self._demo_index()
        if demo and self._override != "":
            return demo
        return self._override if self._override is not None else self._settings.models_url.strip()

    # -- refreshing -------------------------------------------------------------------------------------------

    def refresh_if_due(self) -> bool:
        """Start a background refresh when one is on and the last good one is over a day old (True: started).
        Never blocks; a failure is logged in one line and otherwise silent."""
        import asyncio

        url = self.index_url()
        if not url:
            log.info("model catalogue refresh is off")
            return False
        if self._job is not None and not self._job.done():
            return False
        since = self._clock() - self._settings.models_refreshed_at
        if 0.0 <= since < REFRESH_EVERY_S and not self._demo_index():
            log.debug("model catalogue refreshed %.0f s ago; next check after a day", since)
            return False
        self._job = asyncio.ensure_future(self.refresh_now())
        return True

    async def refresh_now(self, index_url: str | None = None) -> RefreshReport:
        """Refresh from `index_url` (else `index_url()`) now. The changes in words, or the problem in a sentence
        (also logged, without a traceback: being offline is normal)."""
        demo = index_url is None and bool(self._demo_index())
        url = (index_url if index_url is not None else self.index_url()).strip()
        if not url:
            return RefreshReport(
                problem=QCoreApplication.translate(
                    "CatalogueService", "The model list is not refreshed: no index address is set."
                )
            )
        try:
            async with self._http() as http:
                fresh = await fetch_catalogue(http, url, shipped_catalogue())
        except RefreshError as exc:
            log.warning("model catalogue not refreshed from %s: %s", url, exc)
            return RefreshReport(
                problem=QCoreApplication.translate(
                    "CatalogueService", "The model list could not be refreshed: {0}."
                ).format(exc)
            )
        changes = describe_changes(self._base, fresh)
        log.info("model catalogue read from %s: version %s, %d change(s)", url, fresh.version, len(changes))
        if not demo:
            self._keep(fresh)
        if fresh.to_json() != self._base.to_json():
            self._set_base(fresh)
        if changes:
            self.news.emit(summary(changes))
        return RefreshReport(changes=changes)

    def cancel_refresh(self) -> None:
        if self._job is not None and not self._job.done():
            self._job.cancel()

    def _keep(self, fresh: ModelCatalogue) -> None:
        """Write the refreshed catalogue (before prices) whole or not at all, then note the time."""
        try:
            write_json_atomically(self.cache_path, fresh.to_json())
        except OSError as exc:
            log.warning("refreshed model catalogue not kept in %s: %s", self.cache_path, exc)
            return
        self._settings.models_refreshed_at = self._clock()

    def _set_base(self, base: ModelCatalogue) -> None:
        self._base = base
        self._current = self._priced(base)
        self.changed.emit()

    def _priced(self, base: ModelCatalogue) -> ModelCatalogue:
        return base.with_prices(self.prices())


def _cached_or_shipped(path: Path) -> ModelCatalogue:
    """The cached refresh, unless it was made over another shipped catalogue (an app update): the new shipped
    file then wins until the next refresh reads the service again."""
    cached = load_with_fallback(path)
    shipped = shipped_catalogue()
    if cached is not shipped and cached.version.split(LIVE_MARK)[0] != shipped.version:
        log.info(
            "cached model catalogue %s predates the shipped %s; using the shipped one", cached.version, shipped.version
        )
        return shipped
    return cached
