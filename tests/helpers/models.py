"""The shipped catalogue's models, for tests that need a spec to judge or send a request by."""

from __future__ import annotations

from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue


def spec(model_id: str = "sora-2") -> ModelSpec:
    found = shipped_catalogue().get(model_id)
    assert found is not None, f"the shipped catalogue lists no {model_id}"
    return found


SORA_2 = spec("sora-2")
SORA_2_PRO = spec("sora-2-pro")
