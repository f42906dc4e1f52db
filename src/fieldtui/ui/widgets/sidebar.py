"""The area list docked at the left of every area screen: key and title per area.

The app mounts one into each area screen, so area screens need not know about it. It takes
no focus in normal use (the area's own widgets keep it): digits and letters typed on a list
are search text, so an area is opened with **Ctrl+G**, which focuses this list, and then its
key (a digit, or a letter for the areas past the ten digits: ``m`` the meetings), or Up/Down
and Enter. Escape, or any other typing, gives the focus back (the character goes on into the
list's search). The keys are bindings with the ids ``area.<id>``, so the settings file can
remap them.

A click on a line switches area too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from fieldtui.i18n import N_, _
from fieldtui.ui.areas import AREAS


@dataclass(frozen=True, slots=True)
class NavEntry:
    area_id: str
    key: str
    """How the area's key is shown (after the user's keymap)."""
    title: str
    """Already translated."""


class AreaNav(Widget):
    """Renders the areas as lines; the current one highlighted."""

    BINDING_GROUP_TITLE = N_("Areas")
    can_focus = False
    # Area keys are priority bindings: handled in the order typed, before the keys after them
    # are sent anywhere, so "Ctrl+G 1 hhhb" opens the ledger and searches hhhb there. They
    # apply only while this list has the focus (after Ctrl+G), so a letter key here is never
    # a command on a list.
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(a.key, f"pick({a.id!r})", _(a.title), id=f"area.{a.id}", priority=True)
            for a in AREAS
        ),
        Binding("up", "move(-1)", _("Previous area"), id="areas.up", show=False),
        Binding("down", "move(1)", _("Next area"), id="areas.down", show=False),
        Binding("enter", "pick_highlighted", _("Open the area"), id="areas.open", show=False),
        Binding("escape,tab", "leave", _("Back"), id="areas.back", show=False),
    ]

    class Selected(Message):
        """The user clicked an area."""

        def __init__(self, area_id: str) -> None:
            super().__init__()
            self.area_id = area_id

    def __init__(
        self,
        entries: list[NavEntry],
        current: str,
        *,
        hint: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.entries = entries
        self.current = current
        self.hint = hint
        """The first line: the key that opens an area from here (e.g. "^g 前往")."""
        self.highlighted = self._index_of(current)
        self._return_to: Widget | None = None

    def _index_of(self, area_id: str) -> int:
        ids = [entry.area_id for entry in self.entries]
        return ids.index(area_id) if area_id in ids else 0

    # -- choosing an area by keyboard -------------------------------------------------------

    def choose(self) -> None:
        """Ctrl+G: take the focus (now, not after the keys already typed) to pick an area."""
        screen = self.screen
        self._return_to = screen.focused
        self.highlighted = self._index_of(self.current)
        self.can_focus = True
        self.add_class("-choosing")
        screen.set_focus(self)
        self.refresh()

    def _leave(self) -> None:
        """Give the focus back to where it was before Ctrl+G."""
        target = self._return_to
        self._return_to = None
        self._stop_choosing()
        screen = self.screen
        if screen.focused is self:
            if target is not None and target.is_attached and target.focusable:
                screen.set_focus(target)
            else:
                screen.set_focus(None)
                screen.focus_next()

    def _stop_choosing(self) -> None:
        self.can_focus = False
        self.remove_class("-choosing")
        self.refresh()

    def on_blur(self) -> None:
        self._stop_choosing()

    def action_leave(self) -> None:
        self._leave()

    def action_move(self, delta: int) -> None:
        self.highlighted = (self.highlighted + delta) % len(self.entries)
        self.refresh()

    async def action_pick(self, area_id: str) -> None:
        self._leave()
        await self.app.run_action(f"area({area_id!r})")

    async def action_pick_highlighted(self) -> None:
        await self.action_pick(self.entries[self.highlighted].area_id)

    def on_key(self, event: events.Key) -> None:
        """Typing something else than an area's key: back to the list, where it is search
        text."""
        if event.is_printable:
            self._leave()  # the key goes on to the screen, which now types it into its search

    # -- drawing and the mouse --------------------------------------------------------------

    def render(self) -> RenderResult:
        text = Text(no_wrap=True, overflow="ellipsis")
        choosing = self.has_focus
        text.append(f" {self.hint}", style="bold" if choosing else "dim")
        for index, entry in enumerate(self.entries):
            text.append("\n")
            current = entry.area_id == self.current
            if choosing:
                style = "reverse" if index == self.highlighted else ""
                if current:
                    style += " bold"
                text.append(f" {entry.key:>2} ", style="bold " + style)
                text.append(f"{entry.title} ", style=style)
            else:
                text.append(f" {entry.key:>2} ", style="reverse bold" if current else "dim")
                text.append(f"{entry.title} ", style="reverse bold" if current else "")
        return text

    def on_click(self, event: events.Click) -> None:
        line = event.y - self.gutter.top - 1  # below the hint line
        if 0 <= line < len(self.entries):
            self.post_message(self.Selected(self.entries[line].area_id))
