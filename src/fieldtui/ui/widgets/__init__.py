"""Textual widgets of fieldtui (imported lazily through fieldtui.ui.areas)."""
