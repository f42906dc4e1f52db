"""The meetings (会议): project coordination meetings, joint meetings and government-business
forums, newest first, with the enterprises they involved; searched as typed, filtered by kind,
month or dates and chair. The list itself is :mod:`.dated_list`."""

from __future__ import annotations

from typing import Any, ClassVar

from peewee import SqliteDatabase
from textual.binding import BindingType

from fieldtui.domain.enums import MeetingKind
from fieldtui.i18n import N_, ngettext
from fieldtui.store import Store
from fieldtui.store.dated_list import DatedRow, read_meetings
from fieldtui.store.pinyin import pinyin_key
from fieldtui.store.repos import Repo
from fieldtui.ui.screens.dated_list import DatedListScreen, PersonChoice
from fieldtui.ui.screens.list_screen import list_bindings


class MeetingsScreen(DatedListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            "meetings",
            new=N_("New meeting"),
            filters=True,
            sort=True,
            import_sheet=N_("Import sheet"),
        ),
    ]
    PREFIX = "meetings"
    ENUM = MeetingKind
    FORM = "meeting_form"
    TITLE = N_("Meetings")
    SEARCH_HINT = N_("Search: topic, enterprise, chair, pinyin (hhhb)")
    TITLE_COLUMN = N_("Topic")
    PEOPLE_COLUMN = N_("Chair")
    CANNOT_READ = N_("Cannot read the meetings")
    DELETE_TITLE = N_("Delete meeting")
    DELETE_QUESTION = N_(
        "Delete the meeting {name}? It disappears from the meetings and can be restored "
        "from Deleted records."
    )
    DELETED = N_("Meeting deleted: {name}")

    @staticmethod
    def read_rows(db: SqliteDatabase) -> list[DatedRow]:
        return read_meetings(db)

    def read_people(self, store: Store) -> list[PersonChoice]:
        """Everyone who chaired a meeting, as written."""
        rows = store.db.execute_sql(
            "SELECT DISTINCT TRIM(chair) FROM meeting WHERE deleted = 0 AND TRIM(chair) != ''"
        ).fetchall()
        chairs = sorted((str(r[0]) for r in rows), key=pinyin_key)
        return [(chair, chair) for chair in chairs]

    def person_label(self) -> tuple[str, str]:
        return N_("Chair"), N_("Anyone")

    def repo(self, store: Store) -> Repo[Any]:
        return store.meetings

    def count_text(self, count: int) -> str:
        return ngettext("{n} meeting", "{n} meetings", count).format(n=f"{count:,}")
