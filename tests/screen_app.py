"""A minimal host app for driving one screen in Pilot tests, without the full FieldApp.

It offers what screens ask of the app through ``fieldtui.ui.context`` (store, lang,
officer_id) and records what the pushed screen dismissed with.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerCancelled

from fieldtui.store import Store


class ScreenApp(App[None]):
    def __init__(self, store: Store, make_screen: Callable[[], Screen[Any]], lang: str = "en"):
        super().__init__()
        self.store = store
        self.lang = lang
        self.officer_id: str | None = None
        self.make_screen = make_screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let thread workers finish and their messages be handled."""
    for _ in range(rounds):
        with suppress(WorkerCancelled):  # an exclusive worker replaced by a newer one
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text)


def op_count(store: Store, row_id: str | None = None) -> int:
    if row_id is None:
        row = store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()
    else:
        row = store.db.execute_sql("SELECT COUNT(*) FROM op WHERE row_id = ?", (row_id,)).fetchone()
    return int(row[0])


def screen_text(app: App[Any]) -> str:
    """The visible screen as plain text, as the compositor renders it: what a user sees."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def shows(pilot: Pilot[Any], text: str, timeout: float = 5.0) -> bool:
    """True once ``text`` is on the screen; tables render new rows on a later refresh, which
    comes late on a loaded machine, so a single look right after loading can miss them."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in screen_text(pilot.app):
        if loop.time() > deadline:
            return False
        await pilot.pause(0.05)
    return True
