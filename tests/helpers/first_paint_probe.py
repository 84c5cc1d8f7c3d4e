"""Run as a script (`python tests/helpers/first_paint_probe.py PROFILE [app args…]`): the real app's start, watched.

Prints one JSON line and leaves once the window is built and settled: which modules were imported when the main
window first painted, which ones when its shot list and composer were up (usable), which ones once it was built, and
every page the window's stack showed while the event loop ran (each one could be painted: a page set and replaced
within one piece of work never is).
A keychain that holds a key is `PYTHON_KEYRING_BACKEND=probe_keyring.KeyedKeyring` (this folder is on sys.path)."""

import json
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

SETTLE_S = 0.3  # after the window is built and its page stopped changing
GIVE_UP_S = 60.0
profile, app_args = sys.argv[1], sys.argv[2:]
report: dict[str, object] = {"pages": []}
started = time.monotonic()
settled_since: list[float] = []
_paint = QMainWindow.paintEvent


def paint_event(self: QMainWindow, event: object) -> None:
    _paint(self, event)  # type: ignore[arg-type]
    if "modules_at_first_paint" not in report:
        report["modules_at_first_paint"] = imported()
        page(self)


QMainWindow.paintEvent = paint_event  # type: ignore[method-assign]


def imported() -> list[str]:
    """The modules imported so far (a None entry is an import blocked on purpose, as sora2_desktop does httpx's CLI)."""
    return sorted(name for name, module in sys.modules.items() if module is not None)


def page(window: QMainWindow) -> str:
    stack = getattr(window, "stack", None)
    current = stack.currentWidget() if stack is not None else None
    names = ("welcome", "blank", "splitter")
    name = next((n for n in names if current is not None and getattr(window, n, None) is current), "other")
    pages: list[str] = report["pages"]  # type: ignore[assignment]
    if not pages or pages[-1] != name:
        pages.append(name)
    return name


def watch() -> None:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if not windows:
        return
    window = windows[0]
    page(window)
    session = getattr(window, "session", None)
    # Usable as benchmarks/cold_start.py has it: the shot list and the composer built, the loop free (this turn).
    usable = getattr(window, "compose", None) is not None and getattr(window, "shots", None) is not None
    if usable and "modules_when_usable" not in report:
        report["modules_when_usable"] = imported()
    built = getattr(window, "take_strip", None) is not None
    if built and "modules_when_built" not in report:
        report["modules_when_built"] = imported()
    expected = "--demo" in app_args or report.get("expect_key")
    # Without a key the keychain's answer is the welcome page; it is asked once the window is whole (app.py).
    answered = session is not None and session.active if expected else page(window) == "welcome"
    ready = built and answered
    if not ready:
        settled_since.clear()
    elif not settled_since:
        settled_since.append(time.monotonic())
    if (settled_since and time.monotonic() - settled_since[0] > SETTLE_S) or time.monotonic() - started > GIVE_UP_S:
        report["active"] = bool(session is not None and session.active)
        check = sys.modules["shibokensupport.feature"]._mod_uses_pyside  # type: ignore[attr-defined]
        report["pyside_scan_quick"] = getattr(check, "_sora2_quick", False)  # sora2_desktop/pyside_scan.py's
        print(json.dumps(report), flush=True)
        ticker.stop()
        window.close()


app = QApplication(sys.argv[:1])
report["expect_key"] = "--expect-key" in app_args
app_args = [a for a in app_args if a != "--expect-key"]
ticker = QTimer(interval=1)
ticker.timeout.connect(watch)
ticker.start()
from sora2_desktop.app import main  # noqa: E402 - after the watch is in place, as the start it watches

sys.exit(main(["--profile", profile, *app_args]))
