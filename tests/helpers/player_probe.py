"""Run as a script (`python tests/helpers/player_probe.py PROFILE [app args…]`): the real app's start; once its
window is built, prints one JSON line saying what the player area shows (and the tabs Help → About opens), then
closes the window.
With SORA2_PROBE_SCREENSHOT=path.png it also saves the window's picture there."""

import json
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QTabWidget

GIVE_UP_S = 60.0
started = time.monotonic()


def watch() -> None:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if not windows:
        return
    window = windows[0]
    results = getattr(window, "results", None)
    built = results is not None and getattr(window, "take_strip", None) is not None and about_action(window)
    if not built and time.monotonic() - started < GIVE_UP_S:
        return
    report: dict[str, object] = {"built": results is not None}
    if results is not None:
        player = results.player
        panel = player.unavailable
        report.update(
            message=player.message_text(),
            panel_shown=panel is not None and panel.isVisibleTo(window),
            remedy=panel.remedy_label.text() if panel is not None else "",
            problem=panel.problem_label.text() if panel is not None else "",
            buttons=[panel.open_button.text(), panel.reveal_button.text()] if panel is not None else [],
        )
    report["about_tabs"] = open_about(window)
    shot = os.environ.get("SORA2_PROBE_SCREENSHOT")
    if shot:
        window.grab().save(shot)
    print(json.dumps(report), flush=True)
    ticker.stop()
    window.close()


def about_action(window: QMainWindow) -> QAction | None:
    """Help → About (made with the window's menus, a stage after the player)."""
    return next((a for a in window.findChildren(QAction) if a.text() == "&About Sora 2 Desktop"), None)


def open_about(window: QMainWindow) -> list[str]:
    """Help → About, as a person reaches it: the tabs of the dialog it opens."""
    action = about_action(window)
    if action is None:
        return []
    action.trigger()
    dialog = window.findChild(QDialog, "aboutDialog")
    tabs = dialog.findChild(QTabWidget) if dialog is not None and dialog.isVisible() else None
    if dialog is None or tabs is None:
        return []
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    dialog.close()
    return titles


app = QApplication(sys.argv[:1])
ticker = QTimer(interval=50)
ticker.timeout.connect(watch)
ticker.start()
from sora2_desktop.app import main  # noqa: E402 - after the watch is in place, as the start it watches

sys.exit(main(["--profile", sys.argv[1], *sys.argv[2:]]))
