"""Textual screens of fieldtui (imported lazily through fieldtui.ui.areas)."""
