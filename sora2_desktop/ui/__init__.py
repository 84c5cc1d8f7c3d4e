"""Widgets and Qt models: they show state and emit intents; no HTTP, no SQL."""
