"""Start-up decisions of the app that need no Textual: who is the officer, is this a first run,
where is the demo database. Called from the app's thread workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fieldtui.i18n import _
from fieldtui.store import Store
from fieldtui.store.drafts import Draft, list_drafts
from fieldtui.store.stats import find_officer

DEMO_SIZE = 300
"""Enterprises in the demo database the first-run screen builds."""


@dataclass(frozen=True, slots=True)
class StartupInfo:
    empty: bool
    """No work recorded yet: the app shows its first-run screen."""
    officer_id: str | None
    warning: str | None
    """A settings problem to show (an officer name that matches nobody)."""
    drafts: list[Draft] = field(default_factory=list)
    """Forms left open by an earlier run (a crash, a kill, a closed terminal)."""


def startup_info(store: Store, officer: str | None) -> StartupInfo:
    """Whether the database is empty and who the current officer is.

    The settings' ``officer`` (a name or an id) wins over the database's remembered
    ``officer_id``; a name that matches nobody is reported, not fatal.
    """
    empty = store.is_empty()
    remembered = store.meta("officer_id")
    drafts = list_drafts(store)
    if officer:
        found = find_officer(store, officer)
        if found:
            return StartupInfo(empty, found, None, drafts)
        warning = _("Officer {name} from the settings file is not in this database.").format(
            name=officer
        )
        return StartupInfo(empty, remembered, warning, drafts)
    return StartupInfo(empty, remembered, None, drafts)


def open_demo(
    path: Path, current: Store, progress: Callable[[str, float], None] | None = None
) -> Store:
    """The demo database at ``path``, built on first use (runs in a worker thread)."""
    from fieldtui.demo import build_demo

    store = current if current.path.resolve() == path.resolve() else Store(path)
    if store.is_empty():
        build_demo(store, size=DEMO_SIZE, progress=progress)
    return store
