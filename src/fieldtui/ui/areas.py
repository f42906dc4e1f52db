"""The app's areas: each a screen listed in the sidebar, where Ctrl+G and its key open it.

Screens are named by import path and imported on first use, so start-up does not pay for
areas the officer never opens. A later area plugs in by adding one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtui.i18n import N_


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    title: str
    """An English msgid; shown translated."""
    key: str
    """The key that opens the area from the sidebar (Ctrl+G, then the key): a digit, or a
    lower-case letter once the ten digits are taken ("m" the meetings). Only while the sidebar
    has the focus, after Ctrl+G: every other letter typed there goes back to the list as
    search text, and on a list no letter or digit is ever a command."""
    screen: str
    """``"module.path:ClassName"`` of a Screen whose constructor takes no arguments."""
    nav_title: str = ""
    """A shorter msgid for the sidebar, where every cell is taken from the list beside it
    ("Ledger" rather than "Enterprise ledger"); the title when empty."""

    @property
    def sidebar_title(self) -> str:
        return self.nav_title or self.title


AREAS: list[Area] = [
    Area("home", N_("My week"), "0", "fieldtui.ui.screens.my_week:MyWeekScreen"),
    Area(
        "ledger",
        N_("Enterprise ledger"),
        "1",
        "fieldtui.ui.screens.ledger:LedgerScreen",
        nav_title=N_("Ledger"),
    ),
    Area(
        "visits",
        N_("Visit log"),
        "2",
        "fieldtui.ui.screens.visits:VisitsScreen",
        nav_title=N_("Visits"),
    ),
    Area(
        "problems",
        N_("Problem ledger"),
        "3",
        "fieldtui.ui.screens.problems:ProblemsScreen",
        nav_title=N_("Problems"),
    ),
    Area("projects", N_("Projects"), "4", "fieldtui.ui.screens.projects:ProjectsScreen"),
    Area("sync", N_("Sync"), "5", "fieldtui.ui.screens.sync_screen:SyncScreen"),
    Area(
        "checklists",
        N_("Checklists"),
        "6",
        "fieldtui.ui.screens.checklists:ChecklistsScreen",
        nav_title=N_("Lists"),
    ),
    Area("officers", N_("Officers"), "7", "fieldtui.ui.screens.officers:OfficersScreen"),
    Area(
        "assignments",
        N_("Assignment plan"),
        "8",
        "fieldtui.ui.screens.assignments:AssignmentsScreen",
        nav_title=N_("Plan"),
    ),
    Area(
        "deleted",
        N_("Deleted records"),
        "9",
        "fieldtui.ui.screens.deleted:DeletedScreen",
        nav_title=N_("Deleted"),
    ),
    Area(
        "meetings",
        N_("Meetings"),
        "m",
        "fieldtui.ui.screens.meetings:MeetingsScreen",
    ),
    Area(
        "activities",
        N_("Investment activities"),
        "a",
        "fieldtui.ui.screens.activities:ActivitiesScreen",
        nav_title=N_("Outreach"),  # as narrow as the other titles (8 cells)
    ),
]
