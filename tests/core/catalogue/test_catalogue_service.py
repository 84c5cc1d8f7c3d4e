"""CatalogueService's refresh: in the background, at most once a day, kept in the profile, silent offline."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sora2_desktop.api.model_spec import Price
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.catalogue.catalogue_service import REFRESH_EVERY_S, CatalogueService
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.sim import SimServer
from tests.helpers.wait import wait_until

NOW = 1_780_000_000.0


@pytest.fixture
def later_sim() -> Iterator[SimServer]:
    with SimServer(contract="later") as sim:
        yield sim


@pytest.fixture
def make(tmp_path: Path, later_sim: SimServer) -> Callable[..., CatalogueService]:
    """A service on a fresh profile whose setting points at the stand-in's index; the clock stands at NOW."""
    profile = Profile.from_dir(tmp_path / "profile").ensure()

    def build(**settings_values: Any) -> CatalogueService:
        settings = AppSettings(profile)
        settings.models_url = str(later_sim.models_index_url)
        for name, value in settings_values.items():
            setattr(settings, name, value)
        return CatalogueService(profile, settings, http=lambda: httpx.AsyncClient(trust_env=False), clock=lambda: NOW)

    return build


def docs_requests(sim: SimServer) -> list[str]:
    return [r.path for r in sim.requests_snapshot() if r.origin == "docs"]


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/docs/models/schemas/index.json"


def test_a_refresh_applies_keeps_and_tells_once(make: Callable[..., CatalogueService], run_async: Any) -> None:
    service = make()
    news: list[str] = []
    changed: list[None] = []
    service.news.connect(news.append)
    service.changed.connect(lambda: changed.append(None))

    report = run_async(service.refresh_now())
    assert report.problem is None
    assert report.changes == [
        "Sora 2 now offers 4, 8 and 12 s; takes only the official provider; takes exactly one image"
    ]
    assert news == report.changes and len(changed) == 1
    assert service.current().spec_for("sora-2").durations == (4, 8, 12)
    assert service.current().version.startswith(shipped_catalogue().version + "+live-")
    # Kept in the profile (before prices) and timed: the next start opens with it and says nothing again.
    assert json.loads(service.cache_path.read_text())["catalogue_version"] == service.current().version
    assert service._settings.models_refreshed_at == NOW
    again = run_async(service.refresh_now())
    assert again.changes == [] and news == report.changes and len(changed) == 1
    restarted = make()
    assert restarted.current().spec_for("sora-2").durations == (4, 8, 12)


def test_the_persons_prices_stay_over_a_refreshed_catalogue(
    make: Callable[..., CatalogueService], run_async: Any
) -> None:
    service = make()
    service.set_prices({"sora-2": Price("generation", 0.5)})
    run_async(service.refresh_now())
    assert service.current().spec_for("sora-2").price == Price("generation", 0.5)
    assert service.catalogue_prices()["sora-2"] == shipped_catalogue().spec_for("sora-2").price


def test_at_most_once_a_day(make: Callable[..., CatalogueService], later_sim: SimServer, run_async: Any) -> None:
    recent = make(models_refreshed_at=NOW - REFRESH_EVERY_S + 60)
    assert recent.refresh_if_due() is False
    assert docs_requests(later_sim) == []

    stale = make(models_refreshed_at=NOW - REFRESH_EVERY_S - 60)
    assert stale.refresh_if_due() is True
    assert stale.refresh_if_due() is False  # one at a time
    run_async(wait_until(lambda: stale.current().spec_for("sora-2").durations == (4, 8, 12), what="the refresh"))
    assert docs_requests(later_sim)[0] == "/docs/models/schemas/index.json"


def test_never_refreshed_is_due(make: Callable[..., CatalogueService], run_async: Any) -> None:
    service = make()
    assert service.refresh_if_due() is True
    run_async(wait_until(lambda: service._settings.models_refreshed_at == NOW, what="the refresh"))


def test_an_empty_address_turns_the_refresh_off(make: Callable[..., CatalogueService], later_sim: SimServer) -> None:
    by_setting = make(models_url="")
    assert by_setting.refresh_if_due() is False
    by_override = make()
    by_override.set_index_override("")
    by_override.follow_index_of(lambda: later_sim.models_index_url)  # even the demo's index
    assert by_override.index_url() == "" and by_override.refresh_if_due() is False
    assert docs_requests(later_sim) == []


def test_the_override_beats_the_setting(
    make: Callable[..., CatalogueService], later_sim: SimServer, run_async: Any
) -> None:
    service = make(models_url=closed_port_url())
    service.set_index_override(later_sim.models_index_url)
    assert run_async(service.refresh_now()).problem is None
    assert docs_requests(later_sim)


def test_offline_is_silent_and_changes_nothing(
    make: Callable[..., CatalogueService], run_async: Any, caplog: pytest.LogCaptureFixture
) -> None:
    service = make(models_url=closed_port_url())
    news: list[str] = []
    service.news.connect(news.append)
    caplog.set_level(logging.INFO, "sora2_desktop.core.catalogue")
    assert service.refresh_if_due() is True
    job = service._job
    assert job is not None
    report = run_async(job)
    assert report.problem and "could not be refreshed" in report.problem
    assert news == [] and service.current() == service._priced(shipped_catalogue())
    assert service._settings.models_refreshed_at == 0.0 and not service.cache_path.exists()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "could not be reached" in warnings[0].getMessage()
    assert warnings[0].exc_info is None  # one line, no traceback: being offline is normal


def test_a_demo_refresh_is_used_but_not_kept(
    make: Callable[..., CatalogueService], later_sim: SimServer, run_async: Any
) -> None:
    service = make(models_url=closed_port_url(), models_refreshed_at=NOW - 60)
    running = True
    service.follow_index_of(lambda: later_sim.models_index_url if running else None)
    assert service.refresh_if_due() is True  # the demo's own index is read at every demo start
    run_async(wait_until(lambda: service.current().spec_for("sora-2").durations == (4, 8, 12), what="refresh"))
    assert not service.cache_path.exists() and service._settings.models_refreshed_at == NOW - 60
    running = False
    assert service.index_url() == service._settings.models_url


def test_a_corrupt_cache_falls_back_to_the_shipped_catalogue_with_the_reason_logged(
    make: Callable[..., CatalogueService], caplog: pytest.LogCaptureFixture
) -> None:
    service = make()
    service.cache_path.write_text('{"format": 1, "catalogue_version": "x", "models": [{"id": "sora-2"', "utf-8")
    with caplog.at_level(logging.WARNING):
        reopened = make()
    assert reopened.current().to_json() == shipped_catalogue().to_json()
    assert any("models.json" in r.getMessage() and "shipped" in r.getMessage() for r in caplog.records)


def test_a_cache_made_over_another_shipped_catalogue_gives_way(make: Callable[..., CatalogueService]) -> None:
    service = make()
    old = shipped_catalogue().to_json()
    old["catalogue_version"] = "2025-01-01.1+live-20250102"
    old["models"][0]["durations"] = [5]
    old["models"][0]["default_duration"] = 5
    service.cache_path.write_text(json.dumps(old), "utf-8")
    assert make().current().to_json() == shipped_catalogue().to_json()
