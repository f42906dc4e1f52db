"""Helpers for the form tests: read drafts, put the cursor in a field. (Waiting for a
condition is ``screen_app.wait_for``.)"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from fieldtui.store import Store
from fieldtui.store.drafts import Draft, list_drafts


def drafts(store: Store, kind: str | None = None) -> list[Draft]:
    return list_drafts(store, kind)


def draft_field(store: Store, name: str) -> str | None:
    """The field ``name`` of the only draft stored, or None when there is none."""
    found = list_drafts(store)
    return found[0].fields.get(name) if len(found) == 1 else None


async def focus_field(pilot: Pilot[Any], form: Any, name: str) -> None:
    """Put the cursor at the end of a form's line field (as Tab then End would)."""
    widget = form.query_one(f"#{name}", Input)
    widget.focus()
    await pilot.pause()
    widget.action_end()
