"""The investment activities (招商活动): trips out and receptions of visiting investors,
newest first, with their team and the enterprises visited or received; searched as typed,
filtered by kind, month or dates and team member. The list itself is :mod:`.dated_list`."""

from __future__ import annotations

from typing import Any, ClassVar

from peewee import SqliteDatabase
from textual.binding import BindingType

from fieldtui.domain.enums import ActivityKind
from fieldtui.i18n import N_, ngettext
from fieldtui.store import Store
from fieldtui.store.dated_list import DatedRow, read_activities
from fieldtui.store.pinyin import pinyin_key
from fieldtui.store.repos import Repo
from fieldtui.ui.screens.dated_list import DatedListScreen, PersonChoice
from fieldtui.ui.screens.list_screen import list_bindings


class ActivitiesScreen(DatedListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            "activities",
            new=N_("New activity"),
            filters=True,
            sort=True,
            import_sheet=N_("Import sheet"),
        ),
    ]
    PREFIX = "activities"
    ENUM = ActivityKind
    FORM = "activity_form"
    TITLE = N_("Investment activities")
    SEARCH_HINT = N_("Search: place, enterprise, team, pinyin (hhhb)")
    TITLE_COLUMN = N_("Place or visiting party")
    PEOPLE_COLUMN = N_("Team")
    CANNOT_READ = N_("Cannot read the investment activities")
    DELETE_TITLE = N_("Delete investment activity")
    DELETE_QUESTION = N_(
        "Delete the investment activity {name}? It disappears from the activities and can be "
        "restored from Deleted records."
    )
    DELETED = N_("Investment activity deleted: {name}")

    @staticmethod
    def read_rows(db: SqliteDatabase) -> list[DatedRow]:
        return read_activities(db)

    def read_people(self, store: Store) -> list[PersonChoice]:
        """Every officer (a team member), pinyin order."""
        officers = store.officers.list()
        found = ((o.name, o.id) for o in officers if not o.deleted)
        return sorted(found, key=lambda c: pinyin_key(c[0]))

    def person_label(self) -> tuple[str, str]:
        return N_("Team member"), N_("Anyone")

    def repo(self, store: Store) -> Repo[Any]:
        return store.activities

    def count_text(self, count: int) -> str:
        return ngettext("{n} activity", "{n} activities", count).format(n=f"{count:,}")
