"""A minimal host app for driving one screen in Pilot tests, without the full FieldApp.

It offers what screens ask of the app through ``fieldtui.ui.context`` (store, lang,
officer_id) and records what the pushed screen dismissed with.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from textual import events
from textual.app import App
from textual.css.query import NoMatches
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerCancelled

from fieldtui.store import Store
from fieldtui.ui.keys import take_key_first


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

    async def on_event(self, event: events.Event) -> None:
        """Keys reach screens in the order typed, as in ``FieldApp``."""
        if not await take_key_first(self, event, self.on_event):
            await super().on_event(event)


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


async def wait_for(
    pilot: Pilot[Any],
    predicate: Callable[[], object],
    timeout: float = 15.0,
    what: str = "",
    *,
    every: float | None = None,
) -> float:
    """Let the app run until ``predicate()`` is true; fail after ``timeout`` seconds. Returns
    the seconds it took.

    The one wait of the UI tests: for what workers and later refreshes bring (rows, counts, a
    pushed screen, a draft written), instead of a fixed pause that is too short on a loaded
    machine and wasted on an idle one. A query that finds nothing yet (the screen is still
    being composed) counts as "not yet". Between two looks it lets the app settle
    (``pilot.pause()``: pending messages handled, the app idle, up to a second); a test that
    bounds a latency passes ``every=0.02`` to look every 20 ms instead, so the seconds
    returned measure the app, not the wait.
    """
    loop = asyncio.get_running_loop()
    start = loop.time()
    while True:
        try:
            if predicate():
                return loop.time() - start
        except NoMatches:
            pass
        if loop.time() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        if every is None:
            await pilot.pause()
        else:
            await asyncio.sleep(every)


async def wait_for_screen(pilot: Pilot[Any], name: str, timeout: float = 15.0) -> Any:
    """Wait until the active screen is of the class named ``name``; return it."""
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name, timeout, name)
    return pilot.app.screen


def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Send keys as one burst, as a fast typist or ``tmux send-keys`` does: all of them are
    queued before the app handles the first (``Pilot.press`` waits after every key).

    Keys are named as for ``Pilot.press``: characters (``"a"``, ``"浩"``) or key names
    (``"tab"``, ``"escape"``, ``"ctrl+g"``).
    """
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        original = REPLACED_KEYS.get(key, key)
        char: str | None
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(original))
        except KeyError:
            char = key if len(key) == 1 else None
        if key.startswith("alt+") and len(key) == 5:
            char = key[-1]  # Escape then a character, as a terminal reports Alt+character
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


async def shows(pilot: Pilot[Any], text: str, timeout: float = 15.0) -> bool:
    """True once ``text`` is on the screen; tables render new rows on a later refresh, which
    comes late on a loaded machine, so a single look right after loading can miss them."""
    try:
        await wait_for(pilot, lambda: text in screen_text(pilot.app), timeout, repr(text))
    except AssertionError:
        return False
    return True


async def on_the_ledger(pilot: Pilot[Any], timeout: float = 15.0) -> Any:
    """The ledger, from wherever the app started (an officer's database opens on my week):
    ``Ctrl+G 1`` as the officer would press it."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while type(pilot.app.screen).__name__ not in ("LedgerScreen", "MyWeekScreen"):
        if loop.time() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for the start area")
        await pilot.pause()
    if type(pilot.app.screen).__name__ != "LedgerScreen":
        await pilot.press("ctrl+g", "1")
    return await wait_for_screen(pilot, "LedgerScreen", timeout)
