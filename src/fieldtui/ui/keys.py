"""The keys of what has focus, for the help screen (F1) and the command palette.

Built from the screen's active bindings (what Textual itself would dispatch, the user's keymap
applied), so help never drifts from behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from textual.binding import Binding
from textual.dom import DOMNode
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
