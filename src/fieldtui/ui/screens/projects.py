"""The projects (项目): every project from signing and land supply to production, with its
stage (the latest milestone reached), searched as typed, filtered and sorted.

The list is a :class:`~fieldtui.ui.widgets.virtual_table.VirtualTable` over a
:class:`~fieldtui.store.project_list.ProjectQuery`, read in thread workers. Typing on the list
searches (the project's or the enterprise's name, pinyin initials included); commands are on
keys that cannot be typed: Enter or F2 opens the project's form, Ctrl+N a new one, Ctrl+F
filters, Delete asks first (Cancel focused) and deletes against the heads seen.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Header, Static

from fieldtui.domain.enums import ProjectSource, ProjectStage
from fieldtui.domain.schema import PROJECT
from fieldtui.i18n import N_, _, ngettext
from fieldtui.store.pinyin import pinyin_key
from fieldtui.store.project_list import (
    SORT_COLUMNS,
    ProjectFilter,
    ProjectQuery,
    ProjectRow,
    ProjectSort,
)
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.deleting import ask_to_delete
from fieldtui.ui.screens.enterprise_detail import label_of
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.screens.registry import make_screen
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.table_model import label_width
from fieldtui.ui.widgets.virtual_table import TableColumn, VirtualTable

SORT_TITLES: dict[str, str] = {
    "name": N_("Project name"),
    "stage": N_("Stage"),
    "investment": N_("Planned investment"),
    "enterprise": N_("Enterprise"),
}
"""F6's cycle, in :data:`~fieldtui.store.project_list.SORT_COLUMNS` order."""
assert tuple(SORT_TITLES) == SORT_COLUMNS

_INVESTMENT = PROJECT.field("planned_investment_wan")


def investment_cell(row: ProjectRow, lang: str) -> Text | str:
    """The amount in 万元; a stored value that is not one is shown as it is, marked."""
    if row.investment is None:
        return Text(row.investment_text + "?", style="yellow") if row.investment_text else ""
    return _INVESTMENT.show(row.investment, lang).text


def stage_cell(row: ProjectRow, lang: str) -> Text | str:
    label = row.stage.label(lang)
    return Text(label, style="dim") if row.stage is ProjectStage.NONE else label


def project_columns(lang: str) -> list[TableColumn[ProjectRow]]:
    """The list's columns. On a narrow terminal the stage's date, the lead officer and the
    source give way, in that order, before the names are cut; at 80 columns the project, its
    enterprise, its stage and its planned investment remain."""
    investment = _("Investment (10k yuan)")
    return [
        TableColumn("name", _("Project name"), lambda r: r.name, min_width=12, want_width=20),
        TableColumn(
            "enterprise", _("Enterprise"), lambda r: r.enterprise, min_width=10, want_width=16
        ),
        TableColumn(
            "stage",
            _("Stage"),
            lambda r: stage_cell(r, lang),
            width=label_width(ProjectStage, lang, _("Stage"), cap=12),
        ),
        TableColumn(
            "stage_on",
            _("Reached on"),
            lambda r: r.stage_on.isoformat() if r.stage_on else "",
            width=10,
            drop_order=3,
        ),
        TableColumn(
            "investment",
            investment,
            lambda r: investment_cell(r, lang),
            width=max(10, cell_len(investment)),
            align="right",
        ),
        TableColumn(
            "source",
            _("Source"),
            lambda r: label_of(ProjectSource, r.source, lang),
            width=label_width(ProjectSource, lang, _("Source"), cap=12),
            drop_order=1,
        ),
        TableColumn("lead", _("Lead officer"), lambda r: r.lead, width=8, drop_order=2),
    ]


class ProjectsScreen(ListScreen[None]):
    CSS_PATH = "projects.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # F2 opens the project as Enter does: in F1 and the palette, left out of the footer
        # so that the footer's keys fit at 80 columns.
        *(
            replace(b, show=False) if b.id == "projects.edit" else b
            for b in list_bindings(
                "projects",
                new=N_("New project"),
                filters=True,
                sort=True,
                import_sheet=N_("Import sheet"),
            )
        ),
    ]

    class Deleted(Message):
        def __init__(self, name: str, error: str | None = None) -> None:
            super().__init__()
            self.name = name
            self.error = error

    class OfficersLoaded(Message):
        def __init__(self, officers: list[tuple[str, str]]) -> None:
            super().__init__()
            self.officers = officers

    def __init__(self) -> None:
        super().__init__()
        self.year = date.today().year
        self.filter = ProjectFilter()
        self.sort = ProjectSort()
        self.project_query: ProjectQuery | None = None
        self._officer_choices: list[tuple[str, str]] = []
        """(name, id) of every officer, pinyin order: the filter dialog's choices."""
        self._filter_screen: Any = None
        self._select_after_load: str | None = None

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="projects-body"):
            with Horizontal(id="projects-top"):
                yield SearchBox(
                    _("Search: project, enterprise, pinyin (hhhb)"), id="projects-search"
                )
                yield Static("", id="projects-count")
            yield Static("", id="projects-status")
            yield ListTable(project_columns(ctx(self).lang), id="projects-table")
        yield AppFooter()

    @property
    def table(self) -> VirtualTable[ProjectRow]:
        return self.query_one("#projects-table", VirtualTable)

    def on_mount(self) -> None:
        self.title = _("Projects")
        self._show_status()

    def load(self) -> None:
        self._apply(keep_cursor=True)
        self._load_officers()

    def show_search(self, text: str) -> None:
        self.filter = replace(self.filter, text=text)
        self._apply()

    # -- querying -----------------------------------------------------------------------

    def _apply(self, *, keep_cursor: bool = False) -> None:
        """Show the current filter and sort (a new query; the table reads in a worker)."""
        self.year = date.today().year  # a list left open over New Year follows the new plan
        self.project_query = ProjectQuery(ctx(self).store.db, self.filter, self.sort, self.year)
        self.table.set_sort_indicator(self.sort.column, self.sort.descending)
        self.table.set_source(self.project_query, keep_cursor=keep_cursor)
        self._show_status()

    @on(VirtualTable.DataShown, "#projects-table")
    @on(VirtualTable.Counted, "#projects-table")
    def _data_changed(self) -> None:
        count = self.table.row_count
        label = self.query_one("#projects-count", Static)
        if count is None:
            label.update(Text(_("counting…"), style="dim"), layout=False)
        else:
            shown = ngettext("{n} project", "{n} projects", count).format(n=f"{count:,}")
            label.update(Text(shown), layout=False)
        self._select_saved()

    def _select_saved(self) -> None:
        """After a new project was saved: the cursor on it, if the list shows it."""
        wanted = self._select_after_load
        query = self.project_query
        if wanted is None or query is None or not self.table.is_loaded:
            return
        self._select_after_load = None
        self._move_to(query, wanted)

    @work(thread=True, group="projects-find")
    def _move_to(self, query: ProjectQuery, project_id: str) -> None:
        ids = [r.id for r in query.rows()]
        if project_id in ids:
            index = ids.index(project_id)
            self.app.call_from_thread(self._cursor_to, query, index)

    def _cursor_to(self, query: ProjectQuery, index: int) -> None:
        if query is self.project_query:
            self.table.cursor_row = index

    @on(VirtualTable.Failed, "#projects-table")
    def _data_failed(self, event: VirtualTable.Failed) -> None:
        self.notify(
            str(event.error), title=_("Cannot read the projects"), severity="error", markup=False
        )

    def filter_parts(self) -> list[str]:
        """What the list is filtered by, in words (the search text apart)."""
        f = self.filter
        lang = ctx(self).lang
        parts: list[str] = []
        if f.stage:
            parts.append(label_of(ProjectStage, f.stage, lang))
        if f.source:
            parts.append(label_of(ProjectSource, f.source, lang))
        if f.officer_id:
            names = {oid: name for name, oid in self._officer_choices}
            parts.append(_("officer: {name}").format(name=names.get(f.officer_id, "…")))
        if f.revitalized:
            parts.append(_("revitalised plant"))
        return parts

    def _show_status(self) -> None:
        """One line: the filters and the order (plain text: officer names are user data)."""
        arrow = "▼" if self.sort.descending else "▲"
        sort = _("Sorted by {column} {arrow}").format(
            column=_(SORT_TITLES[self.sort.column]), arrow=arrow
        )
        self.show_status_line("#projects-status", sort, self.filter_parts())

    # -- sorting and filters ------------------------------------------------------------

    def action_sort_next(self) -> None:
        following = SORT_COLUMNS[(SORT_COLUMNS.index(self.sort.column) + 1) % len(SORT_COLUMNS)]
        # Names read A to Z; stages and amounts furthest and largest first.
        self.sort = ProjectSort(following, descending=following in ("stage", "investment"))
        self._apply()

    def action_sort_reverse(self) -> None:
        self.sort = ProjectSort(self.sort.column, not self.sort.descending)
        self._apply()

    @on(VirtualTable.HeaderClicked, "#projects-table")
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        if event.column_key not in SORT_COLUMNS:
            return
        if event.column_key == self.sort.column:
            self.action_sort_reverse()
        else:
            column = event.column_key
            self.sort = ProjectSort(column, descending=column in ("stage", "investment"))
            self._apply()

    def action_clear_filters(self) -> None:
        self.filter = ProjectFilter(text=self.filter.text)
        self._apply()

    def action_filters(self) -> None:
        """The dialog opens at once, with the officers read when the list was (re)loaded;
        a later read updates it."""
        from fieldtui.ui.screens.project_filters import ProjectFilterScreen

        def done(result: ProjectFilter | None) -> None:
            self._filter_screen = None
            if result is not None:
                self.filter = replace(result, text=self.filter.text)
                self._apply()
            self.focus_list()

        self._filter_screen = ProjectFilterScreen(
            self.filter, self._officer_choices, self.year, ctx(self).lang
        )
        self.app.push_screen(self._filter_screen, done)

    @work(thread=True, exclusive=True, group="projects-officers")
    def _load_officers(self) -> None:
        officers = ctx(self).store.officers.list()
        choices = sorted(
            ((o.name, o.id) for o in officers if not o.deleted), key=lambda c: pinyin_key(c[0])
        )
        self.post_message(self.OfficersLoaded(choices))

    def on_projects_screen_officers_loaded(self, message: OfficersLoaded) -> None:
        self._officer_choices = message.officers
        self._show_status()
        if self._filter_screen is not None and self._filter_screen.is_attached:
            self._filter_screen.set_officers(message.officers)

    # -- records ------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#projects-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.app.push_screen(make_screen("project_form", event.row.id), self._after_form)

    def action_new(self) -> None:
        self.app.push_screen(make_screen("project_form"), self._after_form)

    def action_edit(self) -> None:
        self.when_ready(self._edit)

    def _edit(self) -> None:
        row = self.table.cursor_data
        if row is not None:
            self.app.push_screen(make_screen("project_form", row.id), self._after_form)

    def _after_form(self, saved_id: object) -> None:
        if isinstance(saved_id, str):
            self._select_after_load = saved_id
        self.action_reload()
        self.focus_list()

    def action_import_sheet(self) -> None:
        """An office's project ledger (xlsx/csv), checked before anything is written."""
        from fieldtui.ui.screens.sheet_import import SheetImportScreen

        self.app.push_screen(SheetImportScreen("projects"), self._after_form)

    def action_delete(self) -> None:
        self.when_ready(self._ask_delete)

    def _ask_delete(self) -> None:
        row = self.table.cursor_data
        if row is None:
            return
        message = _(
            "Delete the project {name}? It disappears from the projects and can be restored "
            "from Deleted records."
        ).format(name=row.name)
        ask_to_delete(  # against the heads when the question opened: see deleting.py
            self,
            lambda store: store.projects,
            row.id,
            ConfirmDialog(_("Delete project"), message, confirm_label=_("Delete")),
            lambda error: self.post_message(self.Deleted(row.name, error)),
        )

    def on_projects_screen_deleted(self, message: Deleted) -> None:
        if message.error:
            self.notify(message.error, title=_("Not deleted"), severity="error", markup=False)
            return
        self.notify(_("Project deleted: {name}").format(name=message.name), markup=False)
        self.action_reload()
