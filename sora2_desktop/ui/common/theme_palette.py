"""The theme's palettes, apart from its style: `first_look` gives a start's first paint the person's colours on
Fusion without the Python style (ThemeStyle, ui/common/theme.py), whose import and per-widget calls the frame
does not need (it has no check box, radio button or standard icon); apply_theme swaps the style in after."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# The one accent: selection, focus frames, links, the default button. A calm blue that keeps white text readable
# (contrast ≈ 5:1) on both palettes.
ACCENT = "#3574c4"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# A dark grey base, not black: black makes the video edges vanish and tires the eyes between takes.
_DARK: dict[QPalette.ColorRole, str] = {
    Role.Window: "#2b2d31",
    Role.WindowText: "#e4e6e9",
    Role.Base: "#1f2124",  # fields and lists sit a step below the window
    Role.AlternateBase: "#26282c",
    Role.Text: "#e4e6e9",
    Role.Button: "#383b40",
    Role.ButtonText: "#e4e6e9",
    Role.BrightText: "#ffffff",
    Role.PlaceholderText: "#8c9199",
    Role.ToolTipBase: "#3a3d42",
    Role.ToolTipText: "#e4e6e9",
    Role.Link: "#7ab0f5",
    Role.LinkVisited: "#b39ddb",
    # Fusion's bevels and frames.
    Role.Light: "#4a4d53",
    Role.Midlight: "#3d4045",
    Role.Mid: "#232528",
    Role.Dark: "#18191c",
    Role.Shadow: "#0e0f10",
}
_DARK_DISABLED = {"text": "#80858c", "button": "#303237", "highlight": "#45484e"}

_LIGHT: dict[QPalette.ColorRole, str] = {
    Role.Window: "#eff0f1",
    Role.WindowText: "#1d1f22",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f5f6f7",
    Role.Text: "#1d1f22",
    Role.Button: "#e4e5e7",
    Role.ButtonText: "#1d1f22",
    Role.BrightText: "#ffffff",
    Role.PlaceholderText: "#7b8086",
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: "#1d1f22",
    Role.Link: "#1f5fb0",
    Role.LinkVisited: "#6a3fb0",
    Role.Light: "#ffffff",
    Role.Midlight: "#f3f4f5",
    Role.Mid: "#b9bcc0",
    Role.Dark: "#9da1a6",
    Role.Shadow: "#6b6f74",
}
_LIGHT_DISABLED = {"text": "#767a80", "button": "#e9eaec", "highlight": "#c9ccd0"}


def resolve_scheme(appearance: str, os_scheme: Qt.ColorScheme) -> Qt.ColorScheme:
    """Dark unless the person chose light, or chose "auto" and the OS says light."""
    if appearance == "light" or (appearance == "auto" and os_scheme == Qt.ColorScheme.Light):
        return Qt.ColorScheme.Light
    return Qt.ColorScheme.Dark


def build_palette(scheme: Qt.ColorScheme) -> QPalette:
    dark = scheme != Qt.ColorScheme.Light
    colours, disabled = (_DARK, _DARK_DISABLED) if dark else (_LIGHT, _LIGHT_DISABLED)
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(Role.Highlight, QColor(ACCENT))
    palette.setColor(Role.HighlightedText, QColor("#ffffff"))
    palette.setColor(Role.Accent, QColor(ACCENT))
    # Disabled text must stay readable (≥ 3:1 on the window): Fusion's default is too faint on dark grey.
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        palette.setColor(Group.Disabled, role, QColor(disabled["text"]))
    palette.setColor(Group.Disabled, Role.Button, QColor(disabled["button"]))
    palette.setColor(Group.Disabled, Role.Highlight, QColor(disabled["highlight"]))
    palette.setColor(Group.Disabled, Role.HighlightedText, QColor(disabled["text"]))
    palette.setColor(Group.Disabled, Role.Accent, QColor(disabled["highlight"]))
    return palette


def first_look(app: QApplication, appearance: str, *, fusion: bool = False) -> None:
    """Fusion and the palette for `appearance`, as apply_theme gives them, without the themed style. `fusion`: the
    app was made with Fusion (app.py); setting it again would cost ~10 ms (a Python QStyle type) for nothing."""
    if not fusion:
        app.setStyle("Fusion")
    hints = QGuiApplication.styleHints()
    if appearance in ("dark", "light"):
        hints.setColorScheme(Qt.ColorScheme.Dark if appearance == "dark" else Qt.ColorScheme.Light)
    else:
        hints.unsetColorScheme()
    app.setPalette(build_palette(resolve_scheme(appearance, hints.colorScheme())))
