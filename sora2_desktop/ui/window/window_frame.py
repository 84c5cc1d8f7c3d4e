"""WindowFrame: what a start paints first — title, icon, size, the menu bar's titles, the status bar and the first
page — made from the settings alone, before the session, the parts and their imports exist (app.py)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QStackedWidget, QWidget

from sora2_desktop.ui.common.app_icon import app_icon
from sora2_desktop.ui.window.layout_memory import MINIMUM, fit_to_screen
from sora2_desktop.ui.window.welcome_panel import WelcomePanel

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from sora2_desktop.core.config.settings import AppSettings

# The menu bar's titles, in order: made with the frame so the bar has its height from the first paint (a bar that
# came later would push the page down); window_menus.build_menus fills them.
MENU_TITLES = ("&File", "&Edit", "&Generate", "&Shot", "Ta&ke", "&Task", "&Video", "&View", "&Help")


class FirstPage(enum.StrEnum):
    """What the frame shows until the session says (AppSettings.first_page keeps it from the last start)."""

    WELCOME = "welcome"  # the last start found no key: the welcome page at once
    WORK = "work"  # a key (or --demo): the work area as soon as its parts exist, before the session connects
    UNDECIDED = ""  # not known yet: a blank page until the keychain answers, so no page shows that is then wrong


class WindowFrame(QMainWindow):
    def __init__(self, settings: AppSettings, first_page: FirstPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._first_page = first_page
        self.setWindowTitle(self.tr("Sora 2 Desktop"))
        self.setMinimumSize(MINIMUM)  # the size itself: stored, or fitted to the screen
        self.setWindowIcon(app_icon())
        self.welcome = WelcomePanel()
        self.blank = QWidget()  # FirstPage.UNDECIDED
        self.stack = QStackedWidget()  # the work area joins these two pages when it is built
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.blank)
        self.stack.setCurrentWidget(self.welcome if first_page is FirstPage.WELCOME else self.blank)
        self.setCentralWidget(self.stack)
        # The status bar's own widgets now, so it has its final height from the first paint (the page above would
        # move when they came): where the session is connected, and the way out of demo mode (shown while in it).
        # The balance goes between them once the session exists.
        self.connection_label = QLabel()
        self.statusBar().addPermanentWidget(self.connection_label)
        self.enter_key_button = QPushButton(self.tr("Enter your API key…"))
        self.enter_key_button.setFlat(True)
        self.enter_key_button.hide()
        self.statusBar().addPermanentWidget(self.enter_key_button)
        for title in MENU_TITLES:
            self.menuBar().addMenu(self.tr(title))
        geometry, state = settings.window_geometry, settings.window_state
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            fit_to_screen(self)  # first start: as large as the screen allows, not over its edges
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    @property
    def first_page(self) -> FirstPage:
        return self._first_page

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.window_geometry = self.saveGeometry()
        self._settings.window_state = self.saveState()
        super().closeEvent(event)
