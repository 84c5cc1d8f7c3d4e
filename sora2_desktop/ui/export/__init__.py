"""The export selects and contact sheet dialogs."""
