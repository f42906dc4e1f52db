"""Add or edit one investment activity: a trip out or a reception of visiting investors, its
date, place or visiting party, team (officers) and the enterprises visited or received (each
a multipicker kept in its link table, each enterprise once per activity), leads and notes.

Declared on :class:`~fieldtui.ui.screens.form_base.RecordFormScreen` with the schema's
activity fields (``ACTIVITY``); all it adds is today's date on a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fieldtui.domain.schema import ACTIVITY
from fieldtui.i18n import N_
from fieldtui.ui.screens.form_base import RecordFormScreen, Texts

__all__ = ["ActivityFormScreen"]


class ActivityFormScreen(RecordFormScreen):
    SCHEMA = ACTIVITY
    KIND = "activity"
    TITLE_NEW = N_("New investment activity")
    TITLE_EDIT = N_("Edit investment activity")
    GONE = N_("This investment activity no longer exists.")
    DELETE_TITLE = N_("Delete investment activity")
    DELETE_QUESTION = N_(
        "Delete the investment activity {name}? It disappears from the activities and can be "
        "restored from Deleted records."
    )
    DELETED = N_("Investment activity deleted.")

    def new_texts(self) -> Texts:
        """A new activity is dated today, as a visit is."""
        return {"date": date.today().isoformat()}

    def record_title(self, raw: Mapping[str, str | None]) -> str:
        """An activity is named by its place or visiting party (the first field is its date)."""
        return (raw.get("place") or "").strip()
