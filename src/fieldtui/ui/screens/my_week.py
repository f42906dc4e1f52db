"""My week (area 0): the current officer's week on one list, the zone's totals beside it.

For the officer using this laptop: this month's duty-list self-check, the draft visits, the
open problems by deadline (overdue first) and the assigned enterprises, the longest unvisited
first, those not visited within the zone's interval (setting ``visit_interval_days``) marked
(:mod:`fieldtui.ui.screens.my_week_rows` builds the rows). Enter starts a visit to the
enterprise, opens the problem or the draft visit, or opens the month's duty check. Typing
searches, as on every list.

A database with no current officer (the office's hub) shows the zone's totals as cards; with
an officer they are one line under the list. Everything is read in one thread worker, again
whenever the screen comes back into view or another process writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static

from fieldtui.domain.checklists import month_of
from fieldtui.i18n import N_, _, ngettext
from fieldtui.store.my_week import DEFAULT_VISIT_INTERVAL_DAYS, MyWeek, my_week
from fieldtui.store.stats import Overview, overview
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.screens.my_week_rows import (
    DRAFT,
    DUTY,
    ENTERPRISE,
    HEADING,
    PROBLEM,
    WeekRow,
    week_rows,
)
from fieldtui.ui.screens.registry import make_screen
from fieldtui.ui.screens.zone_totals import ZoneCards, zone_line
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

LEVEL_STYLES = {1: "bold yellow", 2: "bold red"}

SCREEN_NAMES: dict[str, str] = {
    "visit_form": N_("Visit entry"),
    "problem_detail": N_("Problem"),
    "duty_check": N_("Duty self-check"),
}
"""What each screen opened from here is called, when it cannot be opened."""


@dataclass(frozen=True, slots=True)
class WeekData:
    officer_id: str | None
    officer: str
    """The officer's name ('' without one)."""
    week: MyWeek | None
    """None: no current officer (or one no longer in the database)."""
    zone: Overview


def interval_days(node: Any) -> int:
    """The zone's visit interval from the settings file (the app's), else the default."""
    settings = getattr(node.app, "settings", None)
    days = getattr(settings, "visit_interval_days", DEFAULT_VISIT_INTERVAL_DAYS)
    return days if isinstance(days, int) and days > 0 else DEFAULT_VISIT_INTERVAL_DAYS


def week_columns() -> list[TableColumn[WeekRow]]:
    marks = (_("To visit"), _("Overdue"), _("Due this week"), _("Draft"), _("Not done"))
    mark_width = min(14, max(cell_len(m) for m in (*marks, _("State"))))

    def mark(row: WeekRow) -> Text | str:
        style = LEVEL_STYLES.get(row.level)
        return Text(row.mark, style=style) if style else row.mark

    return [
        TableColumn("mark", _("State"), mark, width=mark_width),
        TableColumn("item", _("Item"), lambda r: r.item, min_width=12, want_width=22),
        TableColumn("when", _("Date"), lambda r: r.when, width=10),
        TableColumn("detail", _("Details"), lambda r: r.detail, width=16, drop_order=1),
    ]


def first_choice(rows: list[WeekRow], *, searching: bool) -> int:
    """Where the cursor goes on a new list: a row Enter acts on. After a search, the first
    enterprise found, if any: typing an enterprise's name or initials and Enter starts a
    visit to it, even when its problems (listed above the enterprises) match too."""
    if searching:
        found = next((i for i, r in enumerate(rows) if r.kind == ENTERPRISE), None)
        if found is not None:
            return found
    return next((i for i, r in enumerate(rows) if r.kind != HEADING), 0)


class WeekTable(ListTable[WeekRow]):
    """The list of "my week": a section's heading is drawn across the whole row."""

    def banner(self, row: WeekRow) -> Text | None:
        return Text(row.item, style="bold") if row.kind == HEADING else None


class MyWeekScreen(ListScreen[WeekData]):
    CSS_PATH = "my_week.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings("week", new=N_("New visit"), edit=None, delete=None),
        Binding("ctrl+d", "duty_check", _("Duty self-check"), id="week.duty_check"),
        Binding("ctrl+down", "section(1)", _("Next section"), id="week.next_section", show=False),
        Binding(
            "ctrl+up", "section(-1)", _("Previous section"), id="week.previous_section", show=False
        ),
    ]
    RELOAD_ON_RESUME = True

    def __init__(self) -> None:
        super().__init__()
        self.data: WeekData | None = None
        self.rows: list[WeekRow] = []
        """The rows shown (those matching the search)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="week-body"):
            with Horizontal(id="week-top"):
                yield SearchBox(_("Search: enterprise, problem, pinyin initials"), id="week-search")
                yield Static("", id="week-summary")
            yield WeekTable(week_columns(), id="week-table")
            with Vertical(id="week-office"):
                yield ZoneCards(id="week-cards")
                yield Static("", id="week-note")
        yield Static("", id="week-zone")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("My week")
        self.set_class(True, "-office")  # until the first read says who is using the laptop

    @property
    def table(self) -> VirtualTable[WeekRow]:
        return self.query_one("#week-table", VirtualTable)

    # -- data -----------------------------------------------------------------------------

    def fetch(self) -> WeekData:
        app = ctx(self)
        store = app.store
        zone = overview(store)
        officer_id = app.officer_id
        if officer_id:
            officer = store.officers.get(officer_id)
            if officer is not None and not officer.deleted:
                week = my_week(store, officer_id, interval_days=interval_days(self))
                return WeekData(officer_id, officer.name, week, zone)
        return WeekData(officer_id, "", None, zone)

    def show(self, data: WeekData) -> None:
        keep = self._current_key()
        self.data = data
        office = data.week is None
        self.set_class(office, "-office")
        self.title = _("Overview") if office else _("My week")
        if office:
            self.query_one("#week-cards", ZoneCards).show(data.zone)
            note = (
                _("The current officer is no longer in this database.")
                if data.officer_id
                else _("No officer uses this database, so it shows the zone's totals.")
            )
            hint = _("An officer chooses their own profile with: fieldtui profile set NAME")
            self.query_one("#week-note", Static).update(Text(f"{note}\n{hint}", style="dim"))
            self.query_one("#week-zone", Static).update(
                Text(_("Visits counted for {month}.").format(month=data.zone.month), style="dim")
            )
        else:
            self.query_one("#week-zone", Static).update(zone_line(data.zone))
        self._summary()
        self._fill(keep)
        self.refresh_bindings()  # the officer's commands (new visit, duty check) now apply

    def show_search(self, text: str) -> None:
        self._fill(None)

    def _summary(self) -> None:
        week = self.data.week if self.data else None
        if week is None:
            return
        overdue = sum(1 for p in week.problems if p.overdue)
        text = Text(self.data.officer if self.data else "", style="bold")
        text.append(" · ")
        text.append(
            _("{n} to visit").format(
                n=ngettext("{n} enterprise", "{n} enterprises", week.due_count).format(
                    n=week.due_count
                )
            ),
            style="yellow" if week.due_count else "",
        )
        if overdue:
            text.append(" · ")
            text.append(
                _("{n} overdue").format(
                    n=ngettext("{n} problem", "{n} problems", overdue).format(n=overdue)
                ),
                style="bold red",
            )
        self.query_one("#week-summary", Static).update(text)

    def _fill(self, keep: tuple[str, str | None] | None) -> None:
        week = self.data.week if self.data else None
        self.rows = week_rows(week, self.search_text) if week else []
        keys = [row.key for row in self.rows]
        if keep in keys:
            cursor = keys.index(keep)
        else:
            cursor = first_choice(self.rows, searching=bool(self.search_text))
        self.table.set_source(ListSource(self.rows), cursor=cursor)

    def _current_key(self) -> tuple[str, str | None] | None:
        row = self.table.cursor_data
        return row.key if row is not None else None

    # -- commands -------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#week-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.open_row(event.row)

    def open_row(self, row: WeekRow) -> None:
        """Enter: start a visit to the enterprise, open the problem or the draft visit, or
        the month's duty check."""
        if row.target is None:
            return
        if row.kind == ENTERPRISE:
            self._open("visit_form", enterprise_id=row.target)
        elif row.kind == PROBLEM:
            self._open("problem_detail", row.target)
        elif row.kind == DRAFT:
            self._open("visit_form", row.target)
        elif row.kind == DUTY:
            self._open_duty_check(row.target)

    def _open(self, name: str, *args: Any, **kwargs: Any) -> None:
        try:
            screen = make_screen(name, *args, **kwargs)
        except Exception as exc:  # a screen still being built must not crash the app
            what = _(SCREEN_NAMES.get(name, name))
            self.notify(
                _("{area} is not available: {error}").format(area=what, error=exc),
                severity="error",
            )
            return
        self.app.push_screen(screen)

    def _open_duty_check(self, month: str) -> None:
        officer_id = self.data.officer_id if self.data and self.data.week else None
        if officer_id is None:
            self.notify(_("Choose your officer profile first."), severity="warning")
            return
        self._open("duty_check", officer_id, month)

    def action_duty_check(self) -> None:
        """Ctrl+D: this month's duty check."""
        self._open_duty_check(month_of(date.today()))

    def action_new(self) -> None:
        """Ctrl+N: a new visit, to the highlighted enterprise when one is highlighted."""

        def new() -> None:
            row = self.table.cursor_data
            if row is not None and row.kind == ENTERPRISE and row.target:
                self._open("visit_form", enterprise_id=row.target)
            else:
                self._open("visit_form")

        self.when_ready(new)

    def action_section(self, step: int) -> None:
        """Ctrl+Down / Ctrl+Up: the first row of the next / previous section."""
        starts = [i + 1 for i, r in enumerate(self.rows) if r.kind == HEADING]
        if not starts:
            return
        here = self.table.cursor_row
        if step > 0:
            target = next((s for s in starts if s > here), None)
        else:
            target = next((s for s in reversed(starts) if s < here - 1), None)
            if target is None:
                target = 0
        if target is not None and target < len(self.rows):
            self.table.cursor_row = target

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "duty_check", "section"):
            return self.data is not None and self.data.week is not None
        return True
