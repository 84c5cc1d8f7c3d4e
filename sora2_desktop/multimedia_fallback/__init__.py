"""When PySide6.QtMultimedia itself cannot load (a DLL it links to is missing: a Windows N edition without the Media
Feature Pack), the app gets inert stand-ins of the few Qt Multimedia classes it names instead of an ImportError.

Qt already behaves this way when the module loads but no media backend does: its players say "Not available" and
do nothing. The stand-ins give the module-failure case that same behaviour, so both reach one degraded path
(core/media/playback_support reports the machine as unable to play; the player shows what to install) and no
module that imports Qt Multimedia needs to know. `install()` (from sora2_desktop/__init__, so before any of them)
adds a finder that acts only on those two modules (a name check for any other import); when the real import works,
the real module is used and nothing here is built. tests/test_multimedia_fallback.py checks that every Qt Multimedia
name the app's code uses has its stand-in.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # importlib.abc costs a few ms at every start; the import system takes any object with the methods
    from importlib.abc import Loader

MODULES = ("PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets")
# Set on a stand-in module: why the real one did not load (core/media/playback_support shows it).
REASON_ATTRIBUTE = "STAND_IN_BECAUSE"


class _Finder:
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None  # not a file on PySide6's path (a build that left it out): the other finders, as usual
        spec.loader = cast("Loader", _Guarded(spec.loader))
        return spec


class _Guarded:
    """The real loader; a stand-in module when it fails to load the extension (the system's loader error)."""

    def __init__(self, real: Loader) -> None:
        self._real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        try:
            return self._real.create_module(spec)
        except (ImportError, OSError) as exc:
            return _stand_in(spec.name, " ".join(str(exc).split()) or type(exc).__name__)

    def exec_module(self, module: types.ModuleType) -> None:
        if not hasattr(module, REASON_ATTRIBUTE):
            self._real.exec_module(module)


def install() -> None:
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, cast("Any", _Finder()))


def _stand_in(name: str, reason: str) -> types.ModuleType:
    module = types.ModuleType(name)
    setattr(module, REASON_ATTRIBUTE, reason)
    if name.endswith("Widgets"):
        from sora2_desktop.multimedia_fallback.inert_widgets import QVideoWidget

        module.QVideoWidget = QVideoWidget  # type: ignore[attr-defined]
    else:
        from sora2_desktop.multimedia_fallback import inert_multimedia

        for attribute in inert_multimedia.__all__:
            setattr(module, attribute, getattr(inert_multimedia, attribute))
    return module


def stand_in_reason(module: types.ModuleType) -> str | None:
    """Why `module` is a stand-in (the loader's error), or None for the real module."""
    reason = getattr(module, REASON_ATTRIBUTE, None)
    return str(reason) if reason is not None else None
