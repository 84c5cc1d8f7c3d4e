"""settings_diff: which settings two takes were made with differently, in the form's order."""

from __future__ import annotations

from sora2_desktop.api import GenerationRequest
from sora2_desktop.ui.takes.settings_diff import SettingDifference, settings_differences

BASE = GenerationRequest(prompt="A harbour at dawn", duration=10, aspect_ratio="landscape")


def test_alike_takes_have_no_differences(qapp: object) -> None:
    assert settings_differences(BASE, BASE.__class__(**{**BASE.__dict__, "prompt": "other words"})) == []


def test_length_and_frame_differ_in_the_forms_order(qapp: object) -> None:
    other = GenerationRequest(prompt="A harbour at dawn", duration=15, aspect_ratio="portrait")
    differences = settings_differences(BASE, other)
    assert [d.label for d in differences] == ["Length", "Frame"]
    assert differences[0] == SettingDifference("Length", "10 s", "15 s")


def test_as_many_images_but_other_ones_is_a_difference(qapp: object) -> None:
    left = GenerationRequest(prompt="p", image_urls=("https://a.example/1.png",))
    right = GenerationRequest(prompt="p", image_urls=("https://a.example/2.png",))
    assert settings_differences(left, right) == [SettingDifference("Images", "1 image(s)", "other images")]
