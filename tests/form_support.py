"""Helpers for the form tests: wait for a condition (never a fixed sleep), read drafts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from fieldtui.store import Store
from fieldtui.store.drafts import Draft, list_drafts


async def wait_for(
    pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = 10.0
) -> float:
    """Let the app run until ``predicate()`` is true; returns the seconds it took.

    Fails the test after ``timeout`` seconds (generous: the machine may be loaded).
    """
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not predicate():
        if loop.time() - start > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.02)
    return loop.time() - start


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
