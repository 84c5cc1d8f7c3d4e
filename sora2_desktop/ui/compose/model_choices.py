"""Model choices: the compose form's options for one model, in words and icons, built from its ModelSpec."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.api.request import Mode
from sora2_desktop.ui.common.frame_icon import frame_icon
from sora2_desktop.ui.common.frame_words import frame_label, frame_shape, frame_tip
from sora2_desktop.ui.compose.choice_row import Choice

_translate = QCoreApplication.translate


def mode_options(spec: ModelSpec) -> list[Choice]:
    megabytes = spec.image_max_bytes // (1024 * 1024)
    if spec.images_max == 1:
        images = _translate("ModelChoices", "Start from one reference image (JPG, PNG or WebP, {0} MB at most)")
    else:
        images = _translate("ModelChoices", "Start from reference images (JPG, PNG or WebP, {0} MB each at most)")
    known = {
        Mode.TEXT_TO_VIDEO: (
            _translate("ModelChoices", "Text to video"),
            _translate("ModelChoices", "Generate from the prompt alone"),
        ),
        Mode.IMAGE_TO_VIDEO: (_translate("ModelChoices", "Image to video"), images.format(megabytes)),
    }
    return [(Mode(mode), *known[Mode(mode)], None) for mode in spec.modes]


def frame_options(spec: ModelSpec, mode: str, color: QColor) -> list[Choice]:
    """The frame parameter the model takes in `mode`, each value with a picture of its shape where it has one."""
    frame = spec.frame_for(mode)
    options: list[Choice] = []
    for value in frame.options:
        shape = frame_shape(frame.param, value)
        icon = frame_icon(*shape, color) if shape else None
        options.append((value, frame_label(frame.param, value), frame_tip(frame.param, value), icon))
    return options


def duration_options(spec: ModelSpec) -> list[Choice]:
    shortest, longest = min(spec.durations), max(spec.durations)
    options: list[Choice] = []
    for seconds in spec.durations:
        if len(spec.durations) > 1 and seconds == shortest:
            tip = _translate("ModelChoices", "Try {0} s first; go longer once the result is what you want")
        elif seconds == longest:
            tip = _translate("ModelChoices", "{0} s: the longest {1} makes")
        else:
            tip = _translate("ModelChoices", "{0} s of video")
        options.append(
            (seconds, _translate("ModelChoices", "{0} s").format(seconds), tip.format(seconds, spec.title), None)
        )
    return options


def provider_text(provider: str) -> str:
    return {
        "auto": _translate("ModelChoices", "Auto"),
        "value": _translate("ModelChoices", "Value"),
        "official": _translate("ModelChoices", "Official"),
    }.get(provider, provider)


def provider_tip(provider: str) -> str:
    return {
        "auto": _translate("ModelChoices", "Auto: the service routes the task"),
        "value": _translate("ModelChoices", "Value: a cheaper route"),
        "official": _translate("ModelChoices", "Official: OpenAI's official route"),
    }.get(provider, provider)


def providers_tip(spec: ModelSpec) -> str:
    """The provider box's tool tip: each route, or why there is no choice."""
    if len(spec.providers) == 1:
        return _translate("ModelChoices", "{0} is offered through one route only: {1}").format(
            spec.title, provider_tip(spec.providers[0])
        )
    return "\n".join(provider_tip(provider) for provider in spec.providers)


def watermark_tip(spec: ModelSpec) -> str:
    if spec.watermark_offered:
        return _translate("ModelChoices", "Ask the service for the video without the Sora watermark")
    return _translate("ModelChoices", "{0} has no watermark option").format(spec.title)
