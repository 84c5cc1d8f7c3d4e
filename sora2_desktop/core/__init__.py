"""The application: tasks, polling, downloads, settings, secrets. QtCore only, never QtWidgets."""
