"""The yearly assignment plan (分工挂点, area 8): who looks after which enterprise and project.

Officers of the chosen year on the left (with how much each holds), the highlighted officer's
enterprises and projects on the right. Every change is one service call of
:mod:`fieldtui.store.assignments` in a thread worker; the screen reloads what it shows after
each. Past years stay selectable: the plan of each year is kept as history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from fieldtui.domain.enums import AssignmentRole
from fieldtui.i18n import _
from fieldtui.store.assignments import (
    OfficerLoad,
    PlanRow,
    assign,
    copy_year,
    officer_loads,
    pick_officers,
    pick_projects,
    plan_for_year,
    plan_years,
    reassign,
    remove,
    set_role,
)
from fieldtui.store.enterprises import pick_enterprises
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.enterprise_detail import label_of
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.record_picker import PickItem, RecordPicker
from fieldtui.ui.widgets.table_fill import fill_table

if TYPE_CHECKING:
    from fieldtui.store import Store


def search_enterprises(store: Store, text: str) -> list[PickItem]:
    return [PickItem(r.id, r.name, r.uscc) for r in pick_enterprises(store, text)]


def search_projects(store: Store, text: str) -> list[PickItem]:
    return [PickItem(i, name, company) for i, name, company in pick_projects(store, text)]


def search_officers(store: Store, text: str) -> list[PickItem]:
    return [PickItem(i, name, unit) for i, name, unit in pick_officers(store, text)]


@dataclass(frozen=True, slots=True)
class YearData:
    year: int
    planned: list[int]
    """Years that have a plan."""
    officers: list[OfficerLoad]


class AssignmentsScreen(Screen[None]):
    CSS_PATH = "assignments.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "year(-1)", _("Previous year"), id="assignments.prev_year"),
        Binding("right_square_bracket", "year(1)", _("Next year"), id="assignments.next_year"),
        Binding("y", "choose_year", _("Choose year"), id="assignments.year", show=False),
        Binding("c", "copy_last_year", _("Start from last year"), id="assignments.copy"),
        Binding("a", "assign('enterprise')", _("Assign enterprise"), id="assignments.enterprise"),
        Binding("p", "assign('project')", _("Assign project"), id="assignments.project"),
        Binding("o", "reassign", _("Reassign"), id="assignments.reassign"),
        Binding("t", "toggle_role", _("Lead / assisting"), id="assignments.role"),
        Binding("delete,x", "remove", _("Remove"), id="assignments.remove"),
        Binding("r", "reload", _("Refresh"), id="assignments.reload", show=False),
    ]

    class YearLoaded(Message):
        def __init__(self, data: YearData) -> None:
            super().__init__()
            self.data = data

    class RowsLoaded(Message):
        def __init__(self, year: int, officer_id: str, rows: list[PlanRow]) -> None:
            super().__init__()
            self.year = year
            self.officer_id = officer_id
            self.rows = rows

    class Written(Message):
        def __init__(self, note: str | None, error: str | None = None) -> None:
            super().__init__()
            self.note = note
            self.error = error

    def __init__(self, year: int | None = None) -> None:
        super().__init__()
        self.year = year or date.today().year
        self.planned: list[int] = []
        self.officers: list[OfficerLoad] = []
        self.rows: list[PlanRow] = []
        self.officer_id: str | None = None
        """The officer whose assignments the right-hand table shows."""
        self.ready = False

    # -- layout and loading -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="plan-top"):
            yield Label(_("Year"), id="plan-year-label")
            yield Select[int]([], allow_blank=True, id="plan-year", compact=True)
            yield Static("", id="plan-summary")
        with Horizontal(id="plan-body"):
            yield DataTable(id="plan-officers", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="plan-rows", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Assignment plan")
        self.query_one("#plan-officers", DataTable).focus()
        self.ready = True
        self.action_reload()

    def on_screen_resume(self) -> None:
        # Sent on every return to this screen, and on first show possibly before on_mount
        # has built the table's columns: the first load is started by on_mount instead.
        if self.ready:
            self.action_reload()

    def action_reload(self) -> None:
        self._load_year(self.year)

    @work(thread=True, exclusive=True, group="plan-year")
    def _load_year(self, year: int) -> None:
        store = ctx(self).store
        self.post_message(
            self.YearLoaded(YearData(year, plan_years(store), officer_loads(store, year)))
        )

    def on_assignments_screen_year_loaded(self, message: YearLoaded) -> None:
        data = message.data
        if data.year != self.year:
            return
        self.planned = data.planned
        self.officers = data.officers
        this_year = date.today().year
        years = sorted({*data.planned, this_year, this_year + 1, data.year}, reverse=True)
        select = self.query_one("#plan-year", Select)
        with select.prevent(Select.Changed):
            select.set_options([(str(y), y) for y in years])
            select.value = data.year
        table: DataTable[Text] = self.query_one("#plan-officers", DataTable)
        keep = self.officer_id
        rows = []
        for officer in data.officers:
            name = Text(officer.name)
            if officer.deleted:
                name.append(" " + _("(deleted)"), style="dim")
            cells = [
                name,
                Text(str(officer.enterprises), justify="right"),
                Text(str(officer.projects), justify="right"),
            ]
            rows.append((officer.officer_id, cells))
        fill_table(table, [_("Officer"), _("Enterprises"), _("Projects")], rows)
        ids = [o.officer_id for o in data.officers]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        self._summarise()
        self.officer_id = ids[table.cursor_row] if ids else None
        if self.officer_id is None:
            self._show_rows([])
        else:
            self._load_rows(self.year, self.officer_id)

    def _summarise(self) -> None:
        enterprises = sum(o.enterprises for o in self.officers)
        projects = sum(o.projects for o in self.officers)
        if enterprises or projects:
            text = _("{year}: {enterprises} enterprise and {projects} project assignments").format(
                year=self.year, enterprises=enterprises, projects=projects
            )
        elif self.year - 1 in self.planned:
            text = _("No plan for {year} yet. Press C to start from {previous}'s plan.").format(
                year=self.year, previous=self.year - 1
            )
        else:
            text = _("No plan for {year} yet. Press A to assign an enterprise.").format(
                year=self.year
            )
        self.query_one("#plan-summary", Static).update(text)

    @on(DataTable.RowHighlighted, "#plan-officers")
    def _officer_highlighted(self, event: DataTable.RowHighlighted) -> None:
        officer_id = event.row_key.value
        if officer_id and officer_id != self.officer_id:
            self.officer_id = officer_id
            self._load_rows(self.year, officer_id)

    @work(thread=True, exclusive=True, group="plan-rows")
    def _load_rows(self, year: int, officer_id: str) -> None:
        rows = plan_for_year(ctx(self).store, year, officer_id)
        self.post_message(self.RowsLoaded(year, officer_id, rows))

    def on_assignments_screen_rows_loaded(self, message: RowsLoaded) -> None:
        if (message.year, message.officer_id) == (self.year, self.officer_id):
            self._show_rows(message.rows)

    def _show_rows(self, rows: list[PlanRow]) -> None:
        lang = ctx(self).lang
        table: DataTable[Text] = self.query_one("#plan-rows", DataTable)
        keep = self.current_row()
        self.rows = rows
        cells = [
            (
                row.id,
                [
                    Text(label_of(AssignmentRole, row.role, lang)),
                    Text(_("Enterprise") if row.enterprise_id else _("Project")),
                    Text(row.target_name),
                ],
            )
            for row in rows
        ]
        fill_table(table, [_("Role"), _("Kind"), _("Enterprise or project")], cells)
        ids = [r.id for r in rows]
        if keep is not None and keep.id in ids:
            table.move_cursor(row=ids.index(keep.id))

    def current_row(self) -> PlanRow | None:
        table = self.query_one("#plan-rows", DataTable)
        if not self.rows or not table.row_count:
            return None
        index = table.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    # -- year ---------------------------------------------------------------------------

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.rows = []
            self._load_year(year)

    def action_year(self, delta: int) -> None:
        self.set_year(self.year + delta)

    def action_choose_year(self) -> None:
        select = self.query_one("#plan-year", Select)
        select.focus()
        select.expanded = True

    @on(Select.Changed, "#plan-year")
    def _year_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.set_year(event.value)
            self.query_one("#plan-officers", DataTable).focus()

    # -- changes ------------------------------------------------------------------------

    @work(thread=True, group="plan-write")
    def _write(self, change: Callable[[Store], str | None]) -> None:
        try:
            note = change(ctx(self).store)
        except Exception as exc:  # reported; the plan on screen reloads either way
            self.post_message(self.Written(None, str(exc)))
            return
        self.post_message(self.Written(note))

    def on_assignments_screen_written(self, message: Written) -> None:
        if message.error:
            self.notify(message.error, severity="error", markup=False)
        elif message.note:
            self.notify(message.note, markup=False)
        self._load_year(self.year)

    def action_copy_last_year(self) -> None:
        year, previous = self.year, self.year - 1
        message = _(
            "Start {year}'s plan from {previous}'s: copy every assignment of {previous} "
            "that {year} does not have yet? Existing {year} assignments are kept."
        ).format(year=year, previous=previous)

        def copy(store: Store) -> str:
            result = copy_year(store, previous, year)
            return _("Copied {created} assignments; {skipped} were already there.").format(
                created=result.created, skipped=result.unchanged
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(copy)

        self.app.push_screen(
            ConfirmDialog(_("Start from last year"), message, confirm_label=_("Copy")), answered
        )

    def action_assign(self, kind: str) -> None:
        officer_id, year = self.officer_id, self.year
        if officer_id is None:
            self.notify(_("Add officers first (area 7)."), severity="warning")
            return
        officer = next((o.name for o in self.officers if o.officer_id == officer_id), "")
        if kind == "enterprise":
            title = _("Assign an enterprise to {officer} for {year}")
            search = search_enterprises
        else:
            title = _("Assign a project to {officer} for {year}")
            search = search_projects

        def picked(target_id: str | None) -> None:
            if not target_id:
                return
            if kind == "enterprise":
                self._write(lambda s: _assign(s, year, officer_id, enterprise_id=target_id))
            else:
                self._write(lambda s: _assign(s, year, officer_id, project_id=target_id))

        picker = RecordPicker(title.format(officer=officer, year=year), search)
        self.app.push_screen(picker, picked)

    def action_reassign(self) -> None:
        row = self.current_row()
        if row is None:
            return
        title = _("Reassign {target} to another officer").format(target=row.target_name)

        def picked(officer_id: str | None) -> None:
            if not officer_id:
                return

            def move(store: Store) -> str | None:
                if reassign(store, row.id, officer_id):
                    return None
                return _("That officer already holds {target} this year.").format(
                    target=row.target_name
                )

            self._write(move)

        self.app.push_screen(RecordPicker(title, search_officers), picked)

    def action_toggle_role(self) -> None:
        row = self.current_row()
        if row is not None:
            other = AssignmentRole.ASSIST if row.role == AssignmentRole.CSO else AssignmentRole.CSO
            self._write(lambda s: _none(set_role(s, row.id, other.code)))

    def action_remove(self) -> None:
        row = self.current_row()
        if row is None:
            return
        message = _("Remove {target} from {officer}'s {year} plan?").format(
            target=row.target_name, officer=row.officer_name, year=row.year
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(lambda s: _none(remove(s, row.id)))

        self.app.push_screen(
            ConfirmDialog(_("Remove assignment"), message, confirm_label=_("Remove")), answered
        )


def _assign(
    store: Store,
    year: int,
    officer_id: str,
    *,
    enterprise_id: str | None = None,
    project_id: str | None = None,
) -> None:
    assign(store, year, officer_id, enterprise_id=enterprise_id, project_id=project_id)


def _none(_result: object) -> None:
    return None
