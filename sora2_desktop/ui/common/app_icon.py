"""The app's own icon, from the PNG set in resources/icons (made from the SVG by packaging/make_icons.py)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from sora2_desktop.resources import resource_path


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        path = resource_path(f"icons/sora2-desktop-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon
