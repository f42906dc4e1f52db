"""Textual screens and widgets. Only ``fieldtui.app`` imports this package."""
