"""ModelCatalogue: the models the app offers, read from the shipped file (or a refreshed copy of it)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from sora2_desktop.api.model_spec import LEGACY_MODEL, ModelSpec, Price, SpecError, spec_from_json
from sora2_desktop.resources import resource_path

log = logging.getLogger(__name__)

CATALOGUE_FORMAT = 1
SHIPPED_PATH = "models/catalogue.json"


@dataclass(frozen=True)
class ModelCatalogue:
    """`version` names this catalogue in stored tasks and sidecars ("2026-12-03.1", plus "+live-<date>" once a
    refresh changed something). The first model is the one a new draft starts with."""

    version: str
    models: tuple[ModelSpec, ...]
    source: str = "shipped"  # "shipped" or "refreshed": only for the log and the settings page
    _by_id: Mapping[str, ModelSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.models:
            raise SpecError("the catalogue lists no models")
        by_id = {spec.id: spec for spec in self.models}
        if len(by_id) != len(self.models):
            raise SpecError("the catalogue lists a model twice")
        object.__setattr__(self, "_by_id", by_id)

    def __iter__(self) -> Iterator[ModelSpec]:
        return iter(self.models)

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._by_id

    @property
    def default(self) -> ModelSpec:
        return self.models[0]

    def get(self, model_id: str) -> ModelSpec | None:
        return self._by_id.get(model_id)

    def spec_for(self, model_id: str) -> ModelSpec:
        """The model's spec; a model this catalogue no longer lists (an old task's) reads as the shipped one's,
        or failing that as Sora 2's (every task before models were data was one), so it can still be shown and
        followed."""
        shipped = shipped_catalogue()
        return (
            self._by_id.get(model_id)
            or shipped.get(model_id)
            or self._by_id.get(LEGACY_MODEL)
            or shipped.get(LEGACY_MODEL)
            or self.default
        )

    def with_prices(self, prices: Mapping[str, Price]) -> ModelCatalogue:
        """The person's own prices (Settings) over the catalogue's."""
        models = tuple(spec.with_price(prices[spec.id]) if spec.id in prices else spec for spec in self.models)
        return replace(self, models=models)

    def to_json(self) -> dict[str, object]:
        return {
            "format": CATALOGUE_FORMAT,
            "catalogue_version": self.version,
            "models": [spec.to_json() for spec in self.models],
        }


def catalogue_from_json(data: object, *, source: str = "shipped") -> ModelCatalogue:
    """Raises SpecError naming what is wrong; nothing of a bad file is used."""
    if not isinstance(data, dict):
        raise SpecError("the catalogue must be a JSON object")
    if data.get("format") != CATALOGUE_FORMAT:
        raise SpecError(f"catalogue format {data.get('format')!r} is not {CATALOGUE_FORMAT}")
    version = data.get("catalogue_version")
    if not isinstance(version, str) or not version:
        raise SpecError("the catalogue has no catalogue_version")
    models = data.get("models")
    if not isinstance(models, list):
        raise SpecError("the catalogue's models must be a list")
    return ModelCatalogue(version, tuple(spec_from_json(entry) for entry in models), source)


def load_catalogue(path: Path, *, source: str) -> ModelCatalogue:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SpecError(f"{path.name} cannot be read: {exc}") from exc
    return catalogue_from_json(data, source=source)


@cache
def shipped_catalogue() -> ModelCatalogue:
    """The catalogue that ships with the app. It is checked by the tests, so failing here is a build defect."""
    return load_catalogue(resource_path(SHIPPED_PATH), source="shipped")


def load_with_fallback(path: Path) -> ModelCatalogue:
    """A refreshed catalogue kept in the profile, or the shipped one when there is none or it does not parse
    (the reason is logged: a hand-edited or half-written file must not stop the window from opening)."""
    if not path.exists():
        return shipped_catalogue()
    try:
        return load_catalogue(path, source="refreshed")
    except SpecError as exc:
        log.warning("model catalogue %s not used (%s); using the shipped one", path, exc)
        return shipped_catalogue()
