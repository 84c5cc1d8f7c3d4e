"""Renders the app icon (resources/icons/sora2-desktop.svg) to every size the three platforms ask for.

    .venv/bin/python -m pip install pillow        # build-time only: writes .ico and .icns; never a runtime dependency
    .venv/bin/python packaging/make_icons.py

Writes, next to the SVG (all committed, so a build never needs to run this):
  sora2-desktop-<N>.png   N = 16 22 24 32 48 64 128 256 512 1024 (Linux hicolor theme sizes, the .deb and AppImage)
  sora2-desktop.ico       16 24 32 48 64 128 256 (Windows: the .exe, the installer, the Start-menu entry)
  sora2-desktop.icns      16 32 64 128 256 512 1024 (macOS: the .app bundle, incl. the @2x retina sizes)
Each size is drawn by Qt's QSvgRenderer from the vector source at that size (not scaled down from a big PNG),
so 16 px stays crisp.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "resources" / "icons"
SOURCE = ICONS / "sora2-desktop.svg"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at `size` x `size` pixels, antialiased, on transparency, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--svg", type=Path, default=SOURCE, help="the vector source (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ICONS, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    try:
        from PIL import Image
    except ImportError:
        print("make_icons: needs Pillow at build time: python -m pip install pillow", file=sys.stderr)
        return 2

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841  (QSvgRenderer needs one)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rendered: dict[int, bytes] = {}
    for size in sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES}):
        rendered[size] = render_png(args.svg, size)
    for size in PNG_SIZES:
        (out / f"sora2-desktop-{size}.png").write_bytes(rendered[size])

    def image(size: int) -> Image.Image:
        return Image.open(io.BytesIO(rendered[size])).convert("RGBA")

    largest_ico = image(max(ICO_SIZES))
    largest_ico.save(
        out / "sora2-desktop.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[image(s) for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    largest_icns = image(max(ICNS_SIZES))
    largest_icns.save(
        out / "sora2-desktop.icns",
        format="ICNS",
        append_images=[image(s) for s in ICNS_SIZES if s != max(ICNS_SIZES)],
    )
    for name in sorted(p.name for p in out.iterdir() if p.suffix in {".png", ".ico", ".icns"}):
        print(f"{name:28} {(out / name).stat().st_size:>9,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
