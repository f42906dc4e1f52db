"""Add or edit one meeting: its date, kind, topic, chair, the departments present, the
enterprises, projects and problems it took up (each a multipicker kept in its link table),
its decisions and notes.

Declared on :class:`~fieldtui.ui.screens.form_base.RecordFormScreen` with the schema's meeting
fields (``MEETING``); all it adds is today's date on a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fieldtui.domain.schema import MEETING
from fieldtui.i18n import N_
from fieldtui.ui.screens.form_base import RecordFormScreen, Texts

__all__ = ["MeetingFormScreen"]


class MeetingFormScreen(RecordFormScreen):
    SCHEMA = MEETING
    KIND = "meeting"
    TITLE_NEW = N_("New meeting")
    TITLE_EDIT = N_("Edit meeting")
    GONE = N_("This meeting no longer exists.")
    DELETE_TITLE = N_("Delete meeting")
    DELETE_QUESTION = N_(
        "Delete the meeting {name}? It disappears from the meetings and can be restored "
        "from Deleted records."
    )
    DELETED = N_("Meeting deleted.")

    def new_texts(self) -> Texts:
        """A new meeting is dated today, as a visit is."""
        return {"date": date.today().isoformat()}

    def record_title(self, raw: Mapping[str, str | None]) -> str:
        """A meeting is named by its topic (the first field is its date)."""
        return (raw.get("topic") or "").strip()
