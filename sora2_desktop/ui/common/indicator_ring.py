"""The ring of a radio button or check box, clearly visible on the dark palette as on the light one.

Fusion draws that ring in a shade of the Window colour — the window darker still, on a dark palette almost
black on dark grey, so an unchecked choice could not be seen. ThemeStyle hands Fusion, for these two
indicators only, a palette whose Window is the shade that Fusion's own derivation turns into the ring we want:
a mid-tone between the window and its text, ≥ 3:1 against the window (WCAG's rule for a control's outline).
Everything else in the indicator (its fill, the dot, the check mark, the focus ring) keeps Fusion's colours.

How Fusion derives the ring (qfusionstyle.cpp, Qt 6.8–6.11): a radio button's is Window.darker(150); a check
box's is Window.darker(140), then lighter(240) when the platform's colour scheme is dark, else lighter(110).
tests/ui/common/test_indicator_ring.py reads the drawn pixels, so a Qt that derives it otherwise is caught."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QStyle

Role = QPalette.ColorRole
PE = QStyle.PrimitiveElement
INDICATORS = frozenset({PE.PE_IndicatorRadioButton, PE.PE_IndicatorCheckBox})
# How far the ring sits from the window towards the text: a mid-tone, ≥ 3.5:1 on both palettes as drawn.
RING_MIX = 0.6


def platform_scheme() -> Qt.ColorScheme:
    """The platform's colour scheme, which Fusion reads (not the app's palette); tests replace it."""
    return QGuiApplication.styleHints().colorScheme()


def ring_color(palette: QPalette) -> QColor:
    """The ring for `palette` (its current colour group: a disabled indicator gets the disabled shade)."""
    window, text = palette.color(Role.Window), palette.color(Role.WindowText)

    def mix(a: int, b: int) -> int:
        return round(a * RING_MIX + b * (1 - RING_MIX))

    return QColor(mix(text.red(), window.red()), mix(text.green(), window.green()), mix(text.blue(), window.blue()))


def indicator_palette(element: QStyle.PrimitiveElement, palette: QPalette) -> QPalette:
    """`palette` with the Window colour from which Fusion derives `ring_color` for `element`'s ring."""
    ring = ring_color(palette)
    if element == PE.PE_IndicatorRadioButton:
        window = ring.lighter(150)
    else:
        window = ring.darker(240 if platform_scheme() == Qt.ColorScheme.Dark else 110).lighter(140)
    adjusted = QPalette(palette)
    adjusted.setColor(palette.currentColorGroup(), Role.Window, window)
    return adjusted
