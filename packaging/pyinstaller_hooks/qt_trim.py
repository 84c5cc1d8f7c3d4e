"""What the bundle leaves out of PySide6's collection, used by the hooks beside this file.

PyInstaller's PySide6 hooks collect every plugin of each plugin type a used Qt module has (all image formats, all
platforms, ...) and then follow those plugins' library dependencies. Trimming here, inside the hooks, drops a plugin
*before* that, so whatever it alone needs (QtPdf for the PDF image format, QtVirtualKeyboard + QtQuick for the virtual
keyboard, GTK 3 from the build machine for the gtk3 theme) never enters the bundle either.
"""

from __future__ import annotations

import re
from pathlib import Path

# Matched against "<plugin type folder>/<file name>" of each collected plugin.
DROPPED_PLUGINS = re.compile(
    r"""^(
        platforminputcontexts/(lib)?qtvirtualkeyboardplugin      # on-screen keyboard: QtVirtualKeyboard + QtQuick
      | imageformats/(lib)?qpdf                                  # PDF as an image format: QtPdf (4 MB)
      | platforms/(lib)?q(eglfs|linuxfb|vnc|minimal|minimalegl|vkkhrdisplay|direct2d)  # embedded/experimental
      | platformthemes/(lib)?qgtk3                               # would bundle the build machine's GTK 3; Qt uses
                                                                 # the xdg-desktop-portal theme instead
      | (generic|egldeviceintegrations)/[^/]+                    # evdev/libinput/tuio input and EGL devices (eglfs)
      | (tls|networkinformation)/[^/]+                           # QtNetwork backends; httpx does the app's HTTP
    )\.(so|dll|dylib)$""",
    re.VERBOSE | re.IGNORECASE,
)


def _plugin_key(src: str) -> str:
    path = Path(src)
    return f"{path.parent.name}/{path.name}"


def trim(
    hiddenimports: list[str], binaries: list[tuple[str, str]], datas: list[tuple[str, str]]
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """A hook's (hiddenimports, binaries, datas) without the dropped plugins and without Qt's translations
    (the app installs no QTranslator and ships English only)."""
    kept_binaries = [(src, dest) for src, dest in binaries if not DROPPED_PLUGINS.match(_plugin_key(src))]
    kept_datas = [(src, dest) for src, dest in datas if "translations" not in Path(dest).parts]
    return hiddenimports, kept_binaries, kept_datas
