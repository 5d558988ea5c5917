"""Widgets of the main window: each one thin, fed by signals from the engine worker."""
