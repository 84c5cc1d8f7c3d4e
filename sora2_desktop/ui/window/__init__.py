"""The main window, its menus and the welcome page."""
