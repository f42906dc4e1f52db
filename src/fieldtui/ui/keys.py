"""Keys: the order they are handled in, and the keys of what has focus for help (F1) and
the command palette.

The help rows are built from the screen's active bindings (what Textual itself would
dispatch, the user's keymap applied), so help never drifts from behaviour.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from textual import events
from textual.app import App, ScreenStackError
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import _character_to_key
from textual.screen import Screen

from fieldtui.i18n import _


@dataclass(slots=True)
class KeyRow:
    keys: list[str]
    """Display forms of every key bound to this action (e.g. ``["F1"]``, ``["1", "F2"]``)."""
    description: str
    """Translated."""
    group: str
    """Where the binding lives: the focused widget, the screen's area, or "General"."""
    binding_id: str | None
    action: str
    node: DOMNode
    enabled: bool
    show: bool


def collect_keys(screen: Screen[Any], group_of: Callable[[DOMNode], str]) -> list[KeyRow]:
    """One row per (node, action): the focused widget's first, then its ancestors, the app.

    Bindings without a description (Textual's internal ones) are left out.
    """
    app = screen.app
    rows: dict[tuple[int, str], KeyRow] = {}
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        if not binding.description:
            continue
        key_text = app.get_key_display(binding)
        row_key = (id(active.node), binding.action)
        row = rows.get(row_key)
        if row is None:
            rows[row_key] = KeyRow(
                keys=[key_text],
                description=_(binding.description),
                group=group_of(active.node),
                binding_id=binding.id,
                action=binding.action,
                node=active.node,
                enabled=active.enabled,
                show=binding.show,
            )
        elif key_text not in row.keys:
            row.keys.append(key_text)
    return list(rows.values())


class KeyGroups(Protocol):
    """Implemented by the app: the label a binding's node is grouped under."""

    def key_group(self, node: DOMNode) -> str: ...


async def take_key_first(
    app: App[Any], event: events.Event, handle: Callable[[events.Event], Awaitable[None]]
) -> bool:
    """Handle a key from the terminal before Textual sends it on; True if it was.

    Textual sends a key to the focused widget's queue and resolves its binding only when it
    has bubbled back up to the app: a burst of keys then overtakes itself (a character typed
    after Escape reached a search before the Escape cleared it). So:

    - A screen with a ``take_key(event) -> bool`` coroutine (every list screen, the picker)
      gets each key here, as it arrives, and handles it at once (typed, or its binding run).
    - Escape typed just before a character reaches Textual as Alt+character (terminals send
      both as ESC then the character; Textual waits 100 ms to tell them apart). No screen
      binds an Alt+character, so it is what an officer typing fast meant: Escape, then the
      character, each passed to ``handle`` as if it had arrived alone ("hhhb" Escape "zqcs"
      searches "zqcs"; Escape closes a record and the typing goes on in the list behind).

    A paste goes the same way (``take_paste(event) -> bool``), so the keys typed after it
    come after it.

    Called from the app's ``on_event`` (``handle`` is that ``on_event``).
    """
    if isinstance(event, events.Paste) and not event.is_forwarded:
        take_paste = getattr(app.screen, "take_paste", None)
        return take_paste is not None and bool(take_paste(event))
    if not isinstance(event, events.Key) or event.is_forwarded:
        return False
    try:
        screen = app.screen
    except ScreenStackError:  # the app is closing (its last screen is gone): nobody to type to
        return True
    char = event.character
    if (
        event.key.startswith("alt+")
        and char
        and len(char) == 1
        and char.isprintable()
        and event.key not in screen.active_bindings
    ):
        key = char if char.isalnum() else _character_to_key(char)
        await handle(events.Key("escape", "\x1b"))
        await handle(events.Key(key, char))
        return True
    take_key = getattr(screen, "take_key", None)
    return take_key is not None and bool(await take_key(event))
