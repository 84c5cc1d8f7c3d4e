"""The window's colours: one error, warning and ok tone for text and marks, the state marks' hues, muted text."""

from __future__ import annotations

import enum

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget


class Tone(enum.Enum):
    """What a colour says; every widget that says it uses the same colour."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    ACTIVE = "active"  # being worked on
    WAITING = "waiting"  # at the service, not started
    IDLE = "idle"  # not at the service yet
    ODD = "odd"  # something this app does not know


# Marks (dots, checks, crosses) are small shapes on any background: mid-tones read on light and dark alike.
_MARK_COLORS: dict[Tone, str] = {
    Tone.OK: "#22a35a",
    Tone.WARNING: "#e07b1f",
    Tone.ERROR: "#dc3c3c",
    Tone.ACTIVE: "#3b82f6",
    Tone.WAITING: "#d4a017",
    Tone.IDLE: "#8a8f98",
    Tone.ODD: "#9b59b6",
}
# Text needs contrast with the window behind it: a deep shade on a light theme, a light one on a dark theme.
# (Qt has no palette role for errors or warnings.)
_TEXT_COLORS: dict[Tone, tuple[str, str]] = {  # (on light, on dark)
    Tone.ERROR: ("#c62828", "#ef5350"),
    Tone.WARNING: ("#e65100", "#ffa726"),
}
# How far muted text sits from the background towards the text colour: secondary, yet readable in light and
# dark themes (the Disabled colour is too faint for a sentence).
_MUTED_MIX = 0.67


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def mark_color(tone: Tone) -> QColor:
    return QColor(_MARK_COLORS[tone])


def text_color(tone: Tone, palette: QPalette) -> QColor:
    """The colour for words in `tone` on `palette`'s window; a tone with no text shade uses its mark colour."""
    shades = _TEXT_COLORS.get(tone)
    if shades is None:
        return mark_color(tone)
    return QColor(shades[1] if is_dark(palette) else shades[0])


def error_color(palette: QPalette) -> QColor:
    """Error text and the frame of an invalid field."""
    return text_color(Tone.ERROR, palette)


def muted_text_color(palette: QPalette) -> QColor:
    text = palette.color(QPalette.ColorRole.WindowText)
    background = palette.color(QPalette.ColorRole.Window)
    return QColor(
        round(background.red() + (text.red() - background.red()) * _MUTED_MIX),
        round(background.green() + (text.green() - background.green()) * _MUTED_MIX),
        round(background.blue() + (text.blue() - background.blue()) * _MUTED_MIX),
    )


def muted_palette(widget: QWidget) -> QPalette:
    """The widget's palette with its text in the muted colour, for explanatory sentences."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, muted_text_color(palette))
    return palette
