"""describe_changes: one short line per model that changed, in words for a person."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sora2_desktop.api.model_spec import FrameChoice
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue, shipped_catalogue
from sora2_desktop.core.catalogue.changes import describe_changes, summary
from sora2_desktop.core.catalogue.schema_reading import apply_schema
from sora2_desktop.sim.contract import SORA_2_LATER, schema_document

SHIPPED = shipped_catalogue()


def with_sora_2(**changes: Any) -> ModelCatalogue:
    sora = SHIPPED.spec_for("sora-2")
    return replace(SHIPPED, models=tuple(replace(s, **changes) if s is sora else s for s in SHIPPED))


def test_the_later_page_in_one_line(qapp: Any) -> None:
    later = with_sora_2()
    later = replace(later, models=(apply_schema(SHIPPED.spec_for("sora-2"), schema_document(SORA_2_LATER)),
                                   SHIPPED.spec_for("sora-2-pro")))  # fmt: skip
    assert describe_changes(SHIPPED, later) == [
        "Sora 2 now offers 4, 8 and 12 s; takes only the official provider; takes exactly one image"
    ]
    # And back again when the service returns to its first page.
    assert describe_changes(later, SHIPPED) == [
        "Sora 2 now offers 10 and 15 s; takes the auto, value and official providers; takes one or more images"
    ]


def test_nothing_changed_says_nothing(qapp: Any) -> None:
    assert describe_changes(SHIPPED, with_sora_2()) == []
    assert describe_changes(SHIPPED, with_sora_2(durations=(15, 10))) == []  # the same choices in another order
    assert describe_changes(SHIPPED, with_sora_2(price=replace(SHIPPED.default.price, usd=9.0))) == []


def test_prompt_limit_frame_options_and_watermark(qapp: Any) -> None:
    frame = {mode: FrameChoice("aspect_ratio", ("landscape", "portrait", "square"), "landscape")
             for mode in ("text-to-video", "image-to-video")}  # fmt: skip
    new = with_sora_2(prompt_max_chars=5000, frame=frame, watermark_offered=False)
    assert describe_changes(SHIPPED, new) == [
        "Sora 2 now offers aspect ratios landscape, portrait and square; takes prompts of up to 5000 characters;"
        " has no watermark option"
    ]


def test_models_added_and_removed(qapp: Any) -> None:
    only_pro = replace(SHIPPED, models=(SHIPPED.spec_for("sora-2-pro"),))
    assert describe_changes(SHIPPED, only_pro) == ["Sora 2 is no longer offered"]
    assert describe_changes(only_pro, SHIPPED) == ["Sora 2 is now offered"]


def test_summary_joins_the_lines(qapp: Any) -> None:
    assert summary(["Sora 2 now offers 4 s", "Sora 2 Pro now takes only the official provider"]) == (
        "Sora 2 now offers 4 s · Sora 2 Pro now takes only the official provider"
    )
