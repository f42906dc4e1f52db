"""The footer of every screen."""

from __future__ import annotations

from textual.widgets import Footer

__all__ = ["AppFooter"]


class AppFooter(Footer):
    """The screen's keys, without the command palette's key at the right end: Textual docks
    that one over the keys' row, and where the keys run under it (every list at 80 columns)
    it cut the first character of 命令面板 in half. Ctrl+P stays listed in F1 and the
    README."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
