"""PySide6's check of every module imported after it, made cheap for the start (issue 13).

For its `from __feature__ import …` switches, PySide6 asks of each newly imported module whether its source mentions
"PySide6", through `inspect.getsource` (tokenize, linecache): 0.1-0.2 ms a module, and a start imports some 300 of
them after Qt, most before the window is usable. Reading the file's bytes answers the same question at a quarter of
the cost.
Modules without a readable .py file (a frozen bundle's, extension modules) still get PySide6's own answer."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from types import ModuleType

_QUICK = "_sora2_quick"  # marks the replacement, so that a second start in one process (tests) does not wrap it again


def quicken_pyside_scan() -> bool:
    """Import Qt and put the cheap check in place of PySide6's; False if this PySide6 has none."""
    import PySide6.QtCore  # noqa: F401 - brings PySide6's check in

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if not getattr(original, _QUICK, False):
        feature._mod_uses_pyside = _quick(original)  # type: ignore[attr-defined]
    return True


def _quick(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    @functools.wraps(original)  # __wrapped__: PySide6's own, for the tests
    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    setattr(mod_uses_pyside, _QUICK, True)
    return mod_uses_pyside
