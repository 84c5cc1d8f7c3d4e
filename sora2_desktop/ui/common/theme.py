"""The app's look: Fusion with a calm dark palette by default, a light one where the OS says light or the person
chooses it, one monochrome icon set that follows the palette, and the spacing layouts share.

Fusion draws the same on every OS, so the palette below is what a person sees everywhere (the native styles
ignore much of a palette: Windows' draws light buttons on a dark window). `install(app, settings)` applies the
`appearance` setting at start and again whenever the setting or the OS colour scheme changes.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)

from sora2_desktop.core.config.settings import APPEARANCES, AppSettings
from sora2_desktop.ui.common.indicator_ring import INDICATORS, indicator_palette
from sora2_desktop.ui.common.palette import error_color, muted_text_color
from sora2_desktop.ui.common.theme_palette import ACCENT as ACCENT  # the look's one accent, named here too
from sora2_desktop.ui.common.theme_palette import Group, Role, build_palette, resolve_scheme

log = logging.getLogger(__name__)

# One set of distances for every layout (pixels at 1×; Qt scales them on high-DPI screens).
MARGIN = 12  # around a pane's or dialog's content
SPACING = 8  # between the widgets of a layout
TIGHT = 4  # between a control and what belongs to it (a field and its button, a label and its value)


def os_color_scheme() -> Qt.ColorScheme:
    """What the OS says (Unknown where it says nothing); tests replace this function to play the OS."""
    return QGuiApplication.styleHints().colorScheme()


def apply_theme(app: QApplication, appearance: str = "auto") -> Qt.ColorScheme:
    """Give `app` the themed style and the palette for `appearance`; returns the scheme it now shows."""
    if not isinstance(app.style(), ThemeStyle):
        app.setStyle(ThemeStyle())
    hints = QGuiApplication.styleHints()
    # Tell the platform too (a dark title bar on Windows and GNOME), or let it follow the OS again on "auto".
    if appearance == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
    elif appearance == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)
    else:
        hints.unsetColorScheme()
    scheme = resolve_scheme(appearance, os_color_scheme())
    old, new = app.palette(), build_palette(scheme)
    if old != new:
        app.setPalette(new)
        # Qt hands the new palette to the widgets by posted events: deliver them now, so what follows reads it.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
        _retint_widgets(app, old, new)
    return scheme


def _retint_widgets(app: QApplication, old: QPalette, new: QPalette) -> None:
    """Widgets that set their own text colour from the old palette (muted notes, error lines) get the same
    shade of the new one, so a switch made while the window is open leaves no dark text on dark grey. Widgets
    with a style sheet (the red frame of field_errors) keep the palette they were polished with: polished
    again, with the new error colour in their sheet."""
    shades = {
        muted_text_color(old).rgba(): muted_text_color(new),
        error_color(old).rgba(): error_color(new),
        old.color(Role.WindowText).rgba(): new.color(Role.WindowText),
    }
    old_red, new_red = error_color(old).name(), error_color(new).name()
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet and old_red in sheet:
            widget.setStyleSheet(sheet.replace(old_red, new_red))
        elif sheet:
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        if not widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette):
            continue
        palette = QPalette(widget.palette())
        changed = False
        for role in (Role.WindowText, Role.Text, Role.ButtonText):
            replacement = shades.get(palette.color(Group.Active, role).rgba())
            if replacement is not None and replacement != palette.color(Group.Active, role):
                palette.setColor(role, replacement)
                changed = True
        if changed:
            widget.setPalette(palette)


class ThemeFollower(QObject):
    """Applies the `appearance` setting now, and again when it or the OS colour scheme changes."""

    def __init__(self, app: QApplication, settings: AppSettings) -> None:
        super().__init__(settings)  # lives as long as the settings it reads, no longer
        self._app = app
        self._settings = settings
        self._applying = False
        self.scheme = self.apply()
        settings.changed.connect(self._on_setting_changed)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_os_changed)

    def apply(self) -> Qt.ColorScheme:
        if self._applying:  # asking the platform for a scheme can report the change back at once
            return self.scheme
        self._applying = True
        try:
            self.scheme = apply_theme(self._app, self._settings.appearance)
            log.debug("appearance %s: %s", self._settings.appearance, self.scheme.name)
        finally:
            self._applying = False
        return self.scheme

    def _on_setting_changed(self, name: str) -> None:
        if name == "appearance":
            self.apply()

    def _on_os_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._settings.appearance == "auto":
            self.apply()


def install(app: QApplication, settings: AppSettings) -> ThemeFollower:
    """The look for the whole run (app.py calls it once the settings are read); kept alive by `settings`."""
    return ThemeFollower(app, settings)


def appearance_names() -> dict[str, str]:
    """The choices of the `appearance` setting in a person's words, in the order a menu shows them."""
    words = {
        "auto": QApplication.translate("Theme", "Follow the system (dark unless it says light)"),
        "dark": QApplication.translate("Theme", "Dark"),
        "light": QApplication.translate("Theme", "Light"),
    }
    return {code: words[code] for code in APPEARANCES}


# -- one icon set ------------------------------------------------------------------------------------------------


# Drawn in colour by Fusion but shown among the player's monochrome glyphs (Loop): their shape only.
_TRANSPORT_ICONS = frozenset({QStyle.StandardPixmap.SP_BrowserReload, QStyle.StandardPixmap.SP_BrowserStop})


class ThemeStyle(QProxyStyle):
    """Fusion, with its black monochrome glyphs (play, pause, steps, volume, full screen) drawn in the palette's
    text colour instead, so they read on the dark palette as on the light one; coloured icons stay as they are;
    and the rings of radio buttons and check boxes readable on both (indicator_ring.py)."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self._glyphs: dict[QStyle.StandardPixmap, bool] = {}  # which standard icons are monochrome shapes

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        return_data: QStyleHintReturn | None = None,
    ) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0  # OK and Cancel in words only, as on Windows and macOS: no second, coloured icon set
        if hint == QStyle.StyleHint.SH_Widget_Animation_Duration:
            # No docks or toolbars to slide, no movable tabs: the main window's layout would still make an animation
            # (of 0 ms) on every relayout, and its private timer object handed to Python (WindowStages' filter)
            # costs PySide6 making some 100 Qt types before the window is usable (issue 13).
            return 0
        return super().styleHint(hint, option, widget, return_data)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element not in INDICATORS:
            super().drawPrimitive(element, option, painter, widget)
            return
        # Fusion's ring on a radio button or check box is a shade of Window: too dark to see on a dark palette.
        # The option is lent for this one call: given a palette that makes the ring readable, then given back.
        palette = QPalette(option.palette)  # a copy: the attribute is a view into the option
        option.palette = indicator_palette(element, palette)
        try:
            super().drawPrimitive(element, option, painter, widget)
        finally:
            option.palette = palette

    def standardIcon(
        self,
        standard_icon: QStyle.StandardPixmap,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> QIcon:
        icon = super().standardIcon(standard_icon, option, widget)
        glyph = self._glyphs.get(standard_icon)
        if glyph is None:
            glyph = self._glyphs[standard_icon] = standard_icon in _TRANSPORT_ICONS or is_glyph(icon)
        return QIcon(GlyphEngine(icon)) if glyph else icon


def is_glyph(icon: QIcon) -> bool:
    """True for a dark, colourless icon drawn as a shape (a media glyph), false for a coloured or light one."""
    image = icon.pixmap(QSize(16, 16)).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    inked = 0
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() < 40:
                continue
            if colour.hsvSaturation() > 40 or colour.value() > 120:
                return False
            inked += 1
    return inked > 0


def glyph_color(mode: QIcon.Mode) -> QColor:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(Group.Disabled, Role.ButtonText)
    if mode == QIcon.Mode.Selected:
        return palette.color(Role.HighlightedText)
    return palette.color(Role.ButtonText)


class GlyphEngine(QIconEngine):
    """Draws `source`'s shape in the colour the current palette gives the mode, read at paint time so a theme
    switch recolours icons already on screen."""

    def __init__(self, source: QIcon) -> None:
        super().__init__()
        self._source = source
        self._cache: dict[tuple[Any, ...], QPixmap] = {}

    def clone(self) -> QIconEngine:
        return GlyphEngine(self._source)

    def isNull(self) -> bool:
        return self._source.isNull()

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return self._source.actualSize(size, QIcon.Mode.Normal, state)

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        return self._source.availableSizes(QIcon.Mode.Normal, state)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        colour = glyph_color(mode)
        key = (size.width(), size.height(), mode, state, scale, colour.rgba())
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        base = self._source.pixmap(size, scale, QIcon.Mode.Normal, state)
        image = base.toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)  # keep the shape's alpha
        painter.fillRect(image.rect(), colour)
        painter.end()
        tinted = QPixmap.fromImage(image)
        tinted.setDevicePixelRatio(base.devicePixelRatio())
        self._cache[key] = tinted
        return tinted

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))
