"""The keyboard shortcuts the app offers, in one registry the shortcut sheet (F1 or ?) lists.

Each part of the window registers its keys where it makes them (a small `register(...)` at import time), so the
sheet never needs to know the widgets. Keys are written in Qt's portable form ("Ctrl+Return", "Shift+Right");
the sheet shows them in the platform's own words (⌘ on macOS). `what` and `group` are English source text,
translated when the sheet is shown (context "Shortcuts"), like every word for a person.
"""

from __future__ import annotations

from dataclasses import dataclass

# The groups the sheet shows, in this order; a group not listed here comes after them, in order of arrival.
GROUP_GENERAL = "General"
GROUP_COMPOSE = "Compose"
GROUP_PROJECTS = "Projects and shots"
GROUP_TAKES = "Takes and review"
GROUP_PLAYER = "Player"
GROUP_TASKS = "Activity"
GROUP_VIDEO = "Video file"
GROUP_ORDER = (GROUP_GENERAL, GROUP_COMPOSE, GROUP_PROJECTS, GROUP_TAKES, GROUP_PLAYER, GROUP_TASKS, GROUP_VIDEO)


@dataclass(frozen=True)
class Shortcut:
    keys: str  # portable QKeySequence text; several alternatives joined by ", " ("J, Shift+J")
    what: str  # what the keys do, English source text
    group: str  # where the sheet lists it: one of the GROUP_* names, or a new one


_registry: list[Shortcut] = []


def register(*shortcuts: Shortcut) -> None:
    """Add `shortcuts` to the sheet. Registering the same entry again (a module imported twice, a test) is a
    no-op, so modules can register at import time without guarding."""
    for shortcut in shortcuts:
        if shortcut not in _registry:
            _registry.append(shortcut)


def all_shortcuts() -> list[Shortcut]:
    """Every registered shortcut, grouped in GROUP_ORDER (other groups after), in order of registration within
    a group."""

    def rank(group: str) -> int:
        return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)

    return sorted(_registry, key=lambda s: rank(s.group))  # sorted() is stable: registration order stays


# The main window's menu shortcuts as they are today (ui/window/main_window.py, ui/tasks/task_list.py,
# ui/results/result_pane.py). tests/ui/test_shortcuts.py checks every window action with a key is listed here.
register(
    Shortcut("F1, ?", "Show the keyboard shortcuts", GROUP_GENERAL),
    Shortcut("Ctrl+,", "Settings", GROUP_GENERAL),
    Shortcut("Ctrl+Q", "Quit", GROUP_GENERAL),
    Shortcut("Ctrl+Return", "Generate", GROUP_COMPOSE),
    Shortcut("Ctrl+L", "Focus the prompt", GROUP_COMPOSE),
    Shortcut("Ctrl+Z", "Undo typing in the prompt", GROUP_COMPOSE),
    Shortcut("Ctrl+Shift+Z, Ctrl+Y", "Redo typing in the prompt", GROUP_COMPOSE),
    Shortcut("Ctrl+F", "Search tasks", GROUP_TASKS),
    Shortcut("Ctrl+Shift+C", "Copy task id", GROUP_TASKS),
    Shortcut("Delete", "Remove the task from the list", GROUP_TASKS),
    Shortcut("Ctrl+Z", "Undo remove (in the task list)", GROUP_TASKS),
    Shortcut("Ctrl+Shift+R", "Show the video in its folder", GROUP_VIDEO),
    Shortcut("Ctrl+Shift+O", "Open in the system's player", GROUP_VIDEO),
    Shortcut("Ctrl+E", "Export the video…", GROUP_VIDEO),
    Shortcut("Ctrl+Shift+K", "Compare takes…", GROUP_VIDEO),
)
