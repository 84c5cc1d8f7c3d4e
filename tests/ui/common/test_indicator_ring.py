"""Radio buttons and check boxes show their ring clearly on the dark palette and the light one, read from the
pixels Qt draws (Fusion's own ring on the dark palette is near black on dark grey)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QRadioButton,
    QStyle,
    QStyleFactory,
    QStyleOptionButton,
)
from pytestqt.qtbot import QtBot

from sora2_desktop.ui.common import indicator_ring, theme
from sora2_desktop.ui.common.indicator_ring import indicator_palette, ring_color

Role = QPalette.ColorRole
PE = QStyle.PrimitiveElement
SE = QStyle.SubElement


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    style, palette = QApplication.style().name(), QGuiApplication.palette()
    try:
        yield qapp
    finally:
        QApplication.setStyle(style)
        QGuiApplication.setPalette(palette)
        QGuiApplication.styleHints().unsetColorScheme()


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ring_contrast(qtbot: QtBot, button: QAbstractButton) -> float:
    """The strongest contrast with the window among the pixels of the indicator's left column of ring (the ring
    is the only thing drawn there: the fill and the dot lie inside it)."""
    qtbot.addWidget(button)
    button.resize(button.sizeHint())
    image = button.grab().toImage()
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]  # both kinds of button have it
    element = SE.SE_RadioButtonIndicator if isinstance(button, QRadioButton) else SE.SE_CheckBoxIndicator
    box: QRect = button.style().subElementRect(element, option, button)
    window = button.palette().color(Role.Window)
    columns = range(box.left(), box.left() + 3)  # the ring is a pixel wide, give or take antialiasing
    return max(contrast(image.pixelColor(x, y), window) for x in columns for y in range(box.top(), box.bottom() + 1))


@pytest.mark.parametrize("appearance", ["dark", "light"])
@pytest.mark.parametrize("kind", [QRadioButton, QCheckBox])
def test_an_unchecked_indicator_has_a_ring_of_at_least_3_to_1_on_the_window(
    app: QApplication, qtbot: QtBot, appearance: str, kind: type[QAbstractButton]
) -> None:
    theme.apply_theme(app, appearance)
    assert ring_contrast(qtbot, kind("Portrait 9:16")) >= 3.0


def test_fusion_alone_draws_the_ring_too_faint_on_the_dark_palette(app: QApplication, qtbot: QtBot) -> None:
    """What the theme fixes, and proof the measure above can fail."""
    theme.apply_theme(app, "dark")
    button = QRadioButton("Portrait 9:16")
    fusion = QStyleFactory.create("Fusion")
    button.setStyle(fusion)
    assert ring_contrast(qtbot, button) < 1.5


def test_the_dot_and_check_mark_keep_their_colours(app: QApplication, qtbot: QtBot) -> None:
    theme.apply_theme(app, "dark")
    for kind in (QRadioButton, QCheckBox):
        off, on = kind("a"), kind("a")
        on.setChecked(True)
        for button in (off, on):
            qtbot.addWidget(button)
            button.resize(button.sizeHint())
        assert off.grab().toImage() != on.grab().toImage()


@pytest.mark.parametrize("scheme", [Qt.ColorScheme.Dark, Qt.ColorScheme.Light])
def test_the_check_box_window_shade_undoes_fusions_derivation_for_either_platform_scheme(
    app: QApplication, monkeypatch: pytest.MonkeyPatch, scheme: Qt.ColorScheme
) -> None:
    """Fusion lightens the check box's outline more when the platform says dark; offscreen it never says so."""
    monkeypatch.setattr(indicator_ring, "platform_scheme", lambda: scheme)
    palette = theme.build_palette(Qt.ColorScheme.Dark)
    window = indicator_palette(PE.PE_IndicatorCheckBox, palette).color(Role.Window)
    drawn = window.darker(140).lighter(240 if scheme == Qt.ColorScheme.Dark else 110)
    wanted = ring_color(palette)
    assert (
        max(abs(drawn.red() - wanted.red()), abs(drawn.green() - wanted.green()), abs(drawn.blue() - wanted.blue()))
        <= 3
    )


def test_the_option_gets_its_own_palette_back(app: QApplication) -> None:
    theme.apply_theme(app, "dark")
    option = QStyleOptionButton()
    option.palette = QGuiApplication.palette()
    option.rect = QRect(0, 0, 14, 14)
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    app.style().drawPrimitive(PE.PE_IndicatorRadioButton, option, painter, None)
    painter.end()
    assert option.palette.color(Role.Window) == QGuiApplication.palette().color(Role.Window)
