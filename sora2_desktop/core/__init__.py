"""The application: tasks, polling, downloads, settings, secrets. QtCore and QtMultimedia only, no widgets."""
