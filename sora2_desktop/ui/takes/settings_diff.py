"""Settings diff: which of two takes' generation settings differ (model, mode, length, frame, images …), in words.

The prompt is left out: prompt_diff.py shows it word by word beside this list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from sora2_desktop.api import GenerationRequest
from sora2_desktop.ui.tasks.task_wording import frame_text, mode_word, model_title

_translate = QCoreApplication.translate


@dataclass(frozen=True)
class SettingDifference:
    label: str  # "Length"
    left: str  # "10 s"
    right: str  # "15 s"


def _yes_no(value: bool) -> str:
    return _translate("SettingsDiff", "yes") if value else _translate("SettingsDiff", "no")


def _images(request: GenerationRequest) -> str:
    count = len(request.image_urls)
    if count == 0:
        return _translate("SettingsDiff", "none")
    return _translate("SettingsDiff", "%n image(s)", "", count)


# (label, what it reads): the order a person reads the compose form in. Labels are translated when shown
# (QT_TRANSLATE_NOOP marks them for lupdate; it is typed as returning object, hence the annotation).
_SETTINGS: tuple[tuple[object, Callable[[GenerationRequest], str]], ...] = (
    (QT_TRANSLATE_NOOP("SettingsDiff", "Model"), lambda r: model_title(r.model)),
    (QT_TRANSLATE_NOOP("SettingsDiff", "Mode"), lambda r: mode_word(r.mode, short=False)),
    (
        QT_TRANSLATE_NOOP("SettingsDiff", "Length"),
        lambda r: _translate("SettingsDiff", "{seconds} s").format(seconds=r.duration),
    ),
    (QT_TRANSLATE_NOOP("SettingsDiff", "Frame"), frame_text),
    (QT_TRANSLATE_NOOP("SettingsDiff", "Images"), _images),
    (QT_TRANSLATE_NOOP("SettingsDiff", "Remove watermark"), lambda r: _yes_no(r.remove_watermark)),
    (QT_TRANSLATE_NOOP("SettingsDiff", "Provider"), lambda r: r.provider),
)


def settings_differences(left: GenerationRequest, right: GenerationRequest) -> list[SettingDifference]:
    """The settings whose words differ, in the form's order; [] when the two takes were made alike."""
    differences = []
    for label, read in _SETTINGS:
        a, b = read(left), read(right)
        if a == b and read is _images and left.image_urls != right.image_urls:
            b = _translate("SettingsDiff", "other images")  # as many, but not the same ones
        if a != b:
            differences.append(SettingDifference(_translate("SettingsDiff", str(label)), a, b))
    return differences
