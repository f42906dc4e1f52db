"""The yearly assignment plan (分工挂点): who looks after which enterprise and project.

Officers of the chosen year on the left (with how much each holds), the highlighted officer's
enterprises and projects on the right. A year's plan is read whole in one thread worker (a
zone has a few hundred assignments) and searched in memory: an officer whose name or unit
matches shows with all their assignments, otherwise an officer shows with the assignments
whose enterprise or project matches (``hhhb`` finds who looks after 浩海). Every change is one
service call of :mod:`fieldtui.store.assignments` in a thread worker, and the plan is read
again after it. Past years stay selectable: the plan of each year is kept as history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, Label, Select, Static

from fieldtui.domain.enums import AssignmentRole
from fieldtui.i18n import N_, _
from fieldtui.store.assignments import (
    OfficerLoad,
    PlanRow,
    assign,
    copy_year,
    officer_loads,
    plan_for_year,
    plan_years,
    reassign,
    set_role,
)
from fieldtui.store.pinyin import name_matches
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.deleting import ask_to_delete
from fieldtui.ui.screens.enterprise_detail import label_of
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.record_picker import RecordPicker, picker_search
from fieldtui.ui.widgets.table_model import label_width
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

if TYPE_CHECKING:
    from fieldtui.store import Store


search_enterprises = picker_search("enterprise")
search_projects = picker_search("project")
search_officers = picker_search("officer")


@dataclass(frozen=True, slots=True)
class YearData:
    year: int
    planned: list[int]
    """Years that have a plan."""
    officers: list[OfficerLoad]
    """In pinyin order."""
    rows: list[PlanRow]
    """The year's live assignments, by officer (pinyin), lead before assisting."""


def officer_columns() -> list[TableColumn[OfficerLoad]]:
    def name(officer: OfficerLoad) -> Text | str:
        if officer.deleted:
            return Text(_("{name} (deleted)").format(name=officer.name), style="dim")
        return officer.name

    return [
        TableColumn("name", _("Officer"), name, min_width=6, want_width=10),
        TableColumn(
            "enterprises", _("Enterprises"), lambda o: str(o.enterprises), width=5, align="right"
        ),
        TableColumn(
            "projects",
            _("Projects"),
            lambda o: str(o.projects),
            width=5,
            align="right",
            drop_order=1,
        ),
    ]


def plan_columns(lang: str) -> list[TableColumn[PlanRow]]:
    return [
        TableColumn(
            "role",
            _("Role"),
            lambda r: label_of(AssignmentRole, r.role, lang),
            width=label_width(AssignmentRole, lang, _("Role"), cap=10),
        ),
        TableColumn(
            "kind",
            _("Kind"),
            lambda r: _("Enterprise") if r.enterprise_id else _("Project"),
            width=max(cell_len(_("Enterprise")), cell_len(_("Project")), cell_len(_("Kind"))),
            drop_order=1,
        ),
        TableColumn("target", _("Enterprise or project"), lambda r: r.target_name, min_width=10),
    ]


class AssignmentsScreen(ListScreen[YearData]):
    CSS_PATH = "assignments.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            "assignments",
            new=N_("Assign enterprise"),
            edit=N_("Reassign"),
            delete=N_("Remove"),
            import_sheet=N_("Import sheet"),
        ),
        Binding("ctrl+t", "assign('project')", _("Assign project"), id="assignments.project"),
        Binding("ctrl+e", "toggle_role", _("Lead / assisting"), id="assignments.role"),
        Binding("ctrl+l", "copy_last_year", _("Start from last year"), id="assignments.copy"),
        Binding("ctrl+y", "choose_year", _("Choose year"), id="assignments.year"),
        Binding("f3", "year(-1)", _("Previous year"), id="assignments.prev_year", show=False),
        Binding("f4", "year(1)", _("Next year"), id="assignments.next_year", show=False),
    ]
    RELOAD_ON_RESUME = True

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
        self.all_rows: list[PlanRow] = []
        self.shown: dict[str, list[PlanRow]] = {}
        """Officer id → the assignments shown for them (all, or those matching the search)."""
        self.officer_id: str | None = None
        """The officer whose assignments the right-hand table shows."""

    # -- layout and loading -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="plan-top"):
            yield Label(_("Year"), id="plan-year-label")
            yield Select[int]([], allow_blank=True, id="plan-year", compact=True)
            yield SearchBox(_("Search: officer, enterprise, project"), id="plan-search")
        yield Static("", id="plan-summary")
        with Horizontal(id="plan-body"):
            yield ListTable(officer_columns(), id="plan-officers")
            yield ListTable(plan_columns(ctx(self).lang), id="plan-rows")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Assignment plan")

    @property
    def officer_table(self) -> VirtualTable[OfficerLoad]:
        return self.query_one("#plan-officers", VirtualTable)

    @property
    def row_table(self) -> VirtualTable[PlanRow]:
        return self.query_one("#plan-rows", VirtualTable)

    def fetch(self) -> YearData:
        store, year = ctx(self).store, self.year
        loads = officer_loads(store, year)
        return YearData(year, plan_years(store), loads, plan_for_year(store, year))

    def show(self, data: YearData) -> None:
        if data.year != self.year:
            return
        self.planned = data.planned
        self.officers = data.officers
        self.all_rows = data.rows
        this_year = date.today().year
        years = sorted({*data.planned, this_year, this_year + 1, data.year}, reverse=True)
        select = self.query_one("#plan-year", Select)
        with select.prevent(Select.Changed):
            select.set_options([(str(y), y) for y in years])
            select.value = data.year
        self._summarise()
        self._fill(keep=self.officer_id)

    def show_search(self, text: str) -> None:
        self._fill(keep=None)

    def _fill(self, keep: str | None) -> None:
        """Officers (and their rows) matching the search; the cursor on ``keep`` if shown."""
        text = self.search_text
        by_officer: dict[str, list[PlanRow]] = {}
        for row in self.all_rows:
            by_officer.setdefault(row.officer_id, []).append(row)
        self.shown = {}
        officers: list[OfficerLoad] = []
        for officer in self.officers:
            rows = by_officer.get(officer.officer_id, [])
            if not name_matches(text, officer.name, officer.unit):
                rows = [r for r in rows if name_matches(text, r.target_name)]
                if not rows:
                    continue
            self.shown[officer.officer_id] = rows
            officers.append(officer)
        ids = [o.officer_id for o in officers]
        index = ids.index(keep) if keep in ids else 0
        self.officer_id = ids[index] if ids else None
        self.officer_table.set_source(ListSource(officers), cursor=index)
        self._show_rows(keep_row=True)

    def _show_rows(self, *, keep_row: bool = False) -> None:
        rows = self.shown.get(self.officer_id or "", [])
        keep = self.current_row() if keep_row else None
        ids = [r.id for r in rows]
        cursor = ids.index(keep.id) if keep is not None and keep.id in ids else None
        self.row_table.set_source(ListSource(rows), cursor=cursor)

    @on(VirtualTable.CursorMoved, "#plan-officers")
    @on(VirtualTable.DataShown, "#plan-officers")
    def _officer_moved(self) -> None:
        if not self.officer_table.is_loaded:
            return  # the rows still drawn are the previous search's
        officer = self.officer_table.cursor_data
        if officer is not None and officer.officer_id != self.officer_id:
            self.officer_id = officer.officer_id
            self._show_rows()

    def _summarise(self) -> None:
        enterprises = sum(o.enterprises for o in self.officers)
        projects = sum(o.projects for o in self.officers)
        if enterprises or projects:
            text = _("{year}: {enterprises} enterprise and {projects} project assignments").format(
                year=self.year, enterprises=enterprises, projects=projects
            )
        elif self.year - 1 in self.planned:
            text = _("No plan for {year} yet. Ctrl+L starts from {previous}'s plan.").format(
                year=self.year, previous=self.year - 1
            )
        else:
            text = _("No plan for {year} yet. Ctrl+N assigns an enterprise.").format(year=self.year)
        self.query_one("#plan-summary", Static).update(Text(text))

    def current_row(self) -> PlanRow | None:
        return self.row_table.cursor_data

    @on(VirtualTable.RowSelected, "#plan-officers")
    def _officer_selected(self) -> None:
        self.set_focus(self.row_table)

    @on(VirtualTable.RowSelected, "#plan-rows")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        row: PlanRow = event.row
        if row.enterprise_id:
            from fieldtui.ui.screens.enterprise_detail import EnterpriseDetailScreen

            self.app.push_screen(EnterpriseDetailScreen(row.enterprise_id))

    # -- year ---------------------------------------------------------------------------

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.all_rows = []
            self.load()

    def action_year(self, delta: int) -> None:
        self.set_year(self.year + delta)

    def action_choose_year(self) -> None:
        select = self.query_one("#plan-year", Select)
        self.set_focus(select)
        select.expanded = True

    @on(Select.Changed, "#plan-year")
    def _year_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.set_year(event.value)
            self.focus_list()

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
            self.notify(message.error, severity="error")
        elif message.note:
            self.notify(message.note)
        self.load()

    def action_import_sheet(self) -> None:
        from fieldtui.ui.screens.sheet_import import SheetImportScreen

        self.app.push_screen(SheetImportScreen("assignments"))

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

    def action_new(self) -> None:
        self.action_assign("enterprise")

    def action_assign(self, kind: str) -> None:
        self.when_ready(lambda: self._assign(kind))

    def _assign(self, kind: str) -> None:
        officer_id, year = self.officer_id, self.year
        if officer_id is None:
            self.notify(_("Add officers first (Officers area)."), severity="warning")
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

    def action_edit(self) -> None:
        self.when_ready(self._reassign)

    def _reassign(self) -> None:
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
        self.when_ready(self._toggle_role)

    def _toggle_role(self) -> None:
        row = self.current_row()
        if row is not None:
            other = AssignmentRole.ASSIST if row.role == AssignmentRole.CSO else AssignmentRole.CSO
            self._write(lambda s: _none(set_role(s, row.id, other.code)))

    def action_delete(self) -> None:
        self.when_ready(self._ask_remove)

    def _ask_remove(self) -> None:
        row = self.current_row()
        if row is None:
            return
        message = _("Remove {target} from {officer}'s {year} plan?").format(
            target=row.target_name, officer=row.officer_name, year=row.year
        )

        ask_to_delete(  # against the heads when the question opened: see deleting.py
            self,
            lambda store: store.assignments,
            row.id,
            ConfirmDialog(_("Remove assignment"), message, confirm_label=_("Remove")),
            lambda error: self.post_message(self.Written(None, error)),
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
