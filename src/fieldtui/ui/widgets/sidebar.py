"""The area list docked at the left of every area screen: number key and title per area.

The app mounts one into each area screen, so area screens need not know about it. It takes
no focus (the area's own widgets keep it); a click on a line switches area.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.message import Message
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class NavEntry:
    area_id: str
    key: str
    """How the area's key is shown (after the user's keymap)."""
    title: str
    """Already translated."""


class AreaNav(Widget):
    """Renders the areas as lines; the current one highlighted."""

    can_focus = False

    class Selected(Message):
        """The user clicked an area."""

        def __init__(self, area_id: str) -> None:
            super().__init__()
            self.area_id = area_id

    def __init__(self, entries: list[NavEntry], current: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries = entries
        self.current = current

    def render(self) -> RenderResult:
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, entry in enumerate(self.entries):
            if index:
                text.append("\n")
            current = entry.area_id == self.current
            text.append(f" {entry.key:>2} ", style="reverse bold" if current else "dim")
            text.append(f"{entry.title} ", style="reverse bold" if current else "")
        return text

    def on_click(self, event: events.Click) -> None:
        line = event.y - self.gutter.top
        if 0 <= line < len(self.entries):
            self.post_message(self.Selected(self.entries[line].area_id))
