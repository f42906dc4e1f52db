"""Deleting a record from a list or a detail screen against what the officer saw.

A delete is an op whose parents are the heads of the row it tombstones. Written with the heads
*now*, it would supersede an edit nobody here saw (a sync import, the command line, another
window, made while the question was open): the edit would vanish under the tombstone. So the
heads are those of what was shown: a detail screen passes the heads it read with the record;
a list reads them the moment its question opens (a list shows no heads, and refreshes within
a second of any change). An edit made after that stays a head beside the delete, and merge
keeps both as a conflict for the office to settle, as a form's delete does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from textual.screen import Screen

from fieldtui.store import Store
from fieldtui.store.repos import Repo, read_heads
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog

__all__ = ["ShownHeads", "ask_to_delete"]

WAIT = 30.0
"""Seconds a confirmed delete waits for the heads read when its question opened."""


class ShownHeads:
    """The heads of a row as shown: given, or read in a thread worker as the question opens."""

    def __init__(self, seen: Iterable[str] | None = None) -> None:
        self._seen: set[str] | None = None if seen is None else set(seen)
        self._read = threading.Event()
        self.error: str | None = None
        if seen is not None:
            self._read.set()

    def read(self, store: Store, table: str, row_id: str) -> None:
        """Read them now (thread worker)."""
        try:
            heads = read_heads(store, table, row_id)
            self._seen = {op for ops in heads.values() for op in ops}
        except Exception as exc:  # the delete reports it; nothing is written
            self.error = str(exc)
        finally:
            self._read.set()

    def get(self) -> set[str]:
        """The heads (waits for the read; thread worker). ``RuntimeError`` if it failed."""
        if not self._read.wait(WAIT) or self._seen is None:
            raise RuntimeError(self.error or "the record could not be read")
        return self._seen


def ask_to_delete(
    screen: Screen[Any],
    repo: Callable[[Store], Repo[Any]],
    row_id: str,
    dialog: ConfirmDialog,
    done: Callable[[str | None], object],
    *,
    seen: Iterable[str] | None = None,
) -> None:
    """Ask (Cancel focused); on yes, tombstone ``row_id`` with the heads shown as parents.

    ``seen``: the heads the screen read with the record it shows (a detail screen); without
    it they are read as the question opens. ``done(error)`` runs on the UI thread after a
    delete (``error`` None when it went through); not at all when the officer cancels.
    """
    shown = ShownHeads(seen)
    app = screen.app
    store = ctx(screen).store
    if seen is None:
        table = repo(store).table
        app.run_worker(lambda: shown.read(store, table, row_id), thread=True, group="delete")

    def delete() -> None:
        try:
            repo(store).delete(row_id, parents=shown.get())
        except Exception as exc:  # shown to the officer; nothing was deleted
            app.call_from_thread(done, str(exc))
            return
        app.call_from_thread(done, None)

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_worker(delete, thread=True, group="delete")

    app.push_screen(dialog, answered)
