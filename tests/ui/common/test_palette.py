"""Palette: one error colour for every widget that shows an error, readable on light and dark windows."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from sora2_desktop.core.tasks.task import TaskPhase
from sora2_desktop.ui.common.field_errors import ErrorLabel, mark_invalid
from sora2_desktop.ui.common.palette import Tone, error_color, mark_color, muted_palette, text_color
from sora2_desktop.ui.settings.settings_pages import ValidatedField
from sora2_desktop.ui.tasks.marks import phase_color


def themed(window: str, text: str) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    return palette


LIGHT = themed("#f5f5f5", "#000000")
DARK = themed("#202020", "#ffffff")


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("tone", [Tone.ERROR, Tone.WARNING])
def test_text_tones_are_readable_on_their_window(palette: QPalette, tone: Tone) -> None:
    color = text_color(tone, palette)
    assert contrast(color, palette.color(QPalette.ColorRole.Window)) >= 3.0
    assert color != text_color(tone, DARK if palette is LIGHT else LIGHT)


def test_a_tone_without_a_text_shade_uses_its_mark_colour() -> None:
    assert text_color(Tone.OK, LIGHT) == mark_color(Tone.OK) == phase_color(TaskPhase.SUCCESS)


def test_every_error_widget_uses_the_one_error_colour(qtbot: QtBot) -> None:
    label = ErrorLabel()
    qtbot.addWidget(label)
    red = error_color(label.palette())
    assert label.palette().color(QPalette.ColorRole.WindowText) == red
    edit = QLineEdit()
    qtbot.addWidget(edit)
    mark_invalid(edit, True)
    assert red.name() in edit.styleSheet()
    field = ValidatedField(QLineEdit())
    qtbot.addWidget(field)
    field.set_error("Enter a bucket name.")
    assert f"color: {red.name()}" in field.error_label.styleSheet()
    assert red.name() in field.editor.styleSheet()


def test_muted_text_sits_between_background_and_text(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    label.setPalette(LIGHT)
    muted = muted_palette(label).color(QPalette.ColorRole.WindowText)
    window = LIGHT.color(QPalette.ColorRole.Window)
    assert 0 < muted.lightness() < window.lightness()
    assert muted.red() == round(0xF5 + (0x00 - 0xF5) * 0.67)  # two thirds of the way to the text
