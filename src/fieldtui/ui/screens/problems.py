"""The problem ledger (诉求台账): every enterprise's problems, searched as typed, filtered,
sorted by the date raised or the deadline, overdue ones marked.

The list is a :class:`~fieldtui.ui.widgets.virtual_table.VirtualTable` over a
:class:`~fieldtui.store.problem_list.ProblemQuery`, as the ledger is over its query: only
the visible rows are read, in thread workers. Typing on the list searches (the enterprise as
the ledger finds it, pinyin initials included, or words of the description, lead unit and
resolution); commands are on keys that cannot be typed: Enter opens the problem, Ctrl+N
records a new one, Ctrl+F filters, F3 and F4 toggle "overdue" and "due this week" at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from fieldtui.domain.enums import ProblemCategory, ProblemStatus
from fieldtui.i18n import N_, _, ngettext
from fieldtui.store.pinyin import pinyin_key
from fieldtui.store.problem_list import (
    ProblemFilter,
    ProblemQuery,
    ProblemRow,
    ProblemSort,
    lead_units,
)
from fieldtui.store.problems import delete_problem
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.list_screen import list_bindings
from fieldtui.ui.screens.paged_list import PagedListScreen
from fieldtui.ui.screens.problem_display import DUE_STYLE, OVERDUE_STYLE, code_label
from fieldtui.ui.screens.registry import make_screen
from fieldtui.ui.widgets.table_model import label_width
from fieldtui.ui.widgets.virtual_table import TableColumn, VirtualTable

SORT_TITLES: dict[str, str] = {
    "raised_on": N_("Raised on"),
    "deadline": N_("Deadline"),
}
"""The orders a problem list can be in (the indexed keys of ``ProblemQuery``), F6's cycle."""


def status_cell(row: ProblemRow, lang: str) -> Text | str:
    """The status, with 超期 in front (in red) when the problem is overdue: the word stays
    visible when a narrow column cuts the cell."""
    label = code_label(ProblemStatus, row.status, lang)
    if row.overdue:
        return Text(_("Overdue {status}").format(status=label), style=OVERDUE_STYLE)
    return label


def deadline_cell(row: ProblemRow) -> Text | str:
    if row.deadline is None:
        return ""
    day = row.deadline.isoformat()
    if row.overdue:
        return Text(day, style=OVERDUE_STYLE)
    if row.due_this_week:
        return Text(day, style=DUE_STYLE)
    return day


def status_width(lang: str) -> int:
    """Wide enough for the longest status, and for an open one marked overdue."""
    widest_open = max(
        cell_len(_("Overdue {status}").format(status=s.label(lang)))
        for s in ProblemStatus
        if s.code not in ("resolved", "unresolvable")
    )
    return max(label_width(ProblemStatus, lang, _("Status"), cap=12), min(widest_open, 12))


def problem_columns(lang: str) -> list[TableColumn[ProblemRow]]:
    """The list's columns. On a narrow terminal the officer, the lead unit, the category and
    the date raised give way, in that order, before the enterprise and the description are
    cut below 22 cells (an enterprise's name, whole at 120 columns); at 80 columns the
    enterprise, the description, the status and the deadline remain."""
    return [
        TableColumn(
            "raised_on",
            _("Raised on"),
            lambda r: r.raised_on.isoformat() if r.raised_on else "",
            width=10,
            drop_order=1,
        ),
        TableColumn("enterprise", _("Enterprise"), lambda r: r.enterprise, min_width=12),
        TableColumn(
            "description",
            _("Description"),
            lambda r: r.description.splitlines()[0] if r.description else "",
            min_width=12,
            want_width=22,
        ),
        TableColumn(
            "category",
            _("Category"),
            lambda r: code_label(ProblemCategory, r.category, lang),
            width=label_width(ProblemCategory, lang, _("Category"), cap=10),
            drop_order=2,
        ),
        TableColumn("lead_unit", _("Lead unit"), lambda r: r.lead_unit, width=10, drop_order=3),
        TableColumn(
            "status", _("Status"), lambda r: status_cell(r, lang), width=status_width(lang)
        ),
        TableColumn("deadline", _("Deadline"), deadline_cell, width=10),
        TableColumn("officer", _("Officer"), lambda r: r.officer, width=8, drop_order=4),
    ]


class ProblemsScreen(PagedListScreen[ProblemRow]):
    LIST_ID = "problems"
    SEARCH_HINT = N_("Search: enterprise, pinyin (hhhb), description, lead unit")
    CSS_PATH = "problems.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # F2 opens the problem as Enter does (its form is its screen), and importing is the
        # office's occasional task: both in F1 and the palette, left out of the footer so
        # that F3 and F4 fit at 80 columns.
        *(
            replace(b, show=False) if b.id in ("problems.edit", "problems.import") else b
            for b in list_bindings(
                "problems", filters=True, sort=True, import_sheet=N_("Import sheet")
            )
        ),
        Binding("f3", "toggle_overdue", _("Overdue"), id="problems.overdue"),
        Binding("f4", "toggle_due_this_week", _("Due this week"), id="problems.due_this_week"),
    ]

    class Deleted(Message):
        def __init__(self, description: str, error: str | None = None) -> None:
            super().__init__()
            self.description = description
            self.error = error

    class ChoicesLoaded(Message):
        def __init__(self, officers: list[tuple[str, str]], units: list[str]) -> None:
            super().__init__()
            self.officers = officers
            self.units = units

    def __init__(self) -> None:
        super().__init__()
        self.filter = ProblemFilter()
        self.sort = ProblemSort()
        self.problem_query: ProblemQuery | None = None
        self._officer_choices: list[tuple[str, str]] = []
        """(name, id) of every officer, pinyin order: the filter dialog's choices."""
        self._unit_choices: list[str] = []
        self._filter_screen: Any = None

    # -- layout -------------------------------------------------------------------------

    def columns(self, lang: str) -> list[TableColumn[Any]]:
        return problem_columns(lang)

    def on_mount(self) -> None:
        self.title = _("Problem ledger")
        self._show_status()

    def load(self) -> None:
        self._apply(keep_cursor=True)
        self._load_choices()

    def show_search(self, text: str) -> None:
        self.filter = replace(self.filter, text=text)
        self._apply()

    # -- querying -----------------------------------------------------------------------

    def _apply(self, *, keep_cursor: bool = False) -> None:
        """Show the current filter and sort (a new query; the table reads in a worker).
        ``today`` is taken now, so a list left open overnight marks overdue ones anew."""
        store = ctx(self).store
        self.problem_query = ProblemQuery(store.db, self.filter, self.sort, today=date.today())
        self.table.set_sort_indicator(self.sort.column, self.sort.descending)
        self.table.set_source(self.problem_query, keep_cursor=keep_cursor)
        self._show_status()

    @on(VirtualTable.DataShown, "#problems-table")
    @on(VirtualTable.Counted, "#problems-table")
    def _data_changed(self) -> None:
        count = self.table.row_count
        label = self.query_one("#problems-count", Static)
        if count is None:
            label.update(Text(_("counting…"), style="dim"), layout=False)
        else:
            shown = ngettext("{n} problem", "{n} problems", count).format(n=f"{count:,}")
            label.update(Text(shown), layout=False)

    @on(VirtualTable.Failed, "#problems-table")
    def _data_failed(self, event: VirtualTable.Failed) -> None:
        self.notify(str(event.error), title=_("Cannot read the problems"), severity="error")

    def filter_parts(self) -> list[str]:
        """What the list is filtered by, in words (the search text apart)."""
        f = self.filter
        lang = self._lang()
        parts: list[str] = []
        if f.status:
            parts.append(code_label(ProblemStatus, f.status, lang))
        if f.open:
            parts.append(_("unresolved"))
        if f.category:
            parts.append(code_label(ProblemCategory, f.category, lang))
        if f.lead_unit:
            parts.append(_("lead unit: {unit}").format(unit=f.lead_unit))
        if f.officer_id:
            names = {oid: name for name, oid in self._officer_choices}
            parts.append(_("officer: {name}").format(name=names.get(f.officer_id, "…")))
        if f.overdue:
            parts.append(_("overdue"))
        if f.due_this_week:
            parts.append(_("due this week"))
        return parts

    def _show_status(self) -> None:
        """One line: the filters and the order (plain text: unit names are user data)."""
        arrow = "▼" if self.sort.descending else "▲"
        sort = _("Sorted by {column} {arrow}").format(
            column=_(SORT_TITLES[self.sort.column]), arrow=arrow
        )
        self.show_status_line("#problems-status", sort, self.filter_parts())

    # -- sorting and filters ------------------------------------------------------------

    def action_sort_next(self) -> None:
        columns = list(SORT_TITLES)
        following = columns[(columns.index(self.sort.column) + 1) % len(columns)]
        # A deadline order reads soonest first; the date raised, newest first.
        self.sort = ProblemSort(following, descending=following == "raised_on")
        self._apply()

    def action_sort_reverse(self) -> None:
        self.sort = ProblemSort(self.sort.column, not self.sort.descending)
        self._apply()

    @on(VirtualTable.HeaderClicked, "#problems-table")
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        if event.column_key not in SORT_TITLES:
            return
        if event.column_key == self.sort.column:
            self.action_sort_reverse()
        else:
            self.sort = ProblemSort(event.column_key, descending=event.column_key == "raised_on")
            self._apply()

    def action_toggle_overdue(self) -> None:
        self.filter = replace(self.filter, overdue=not self.filter.overdue)
        self._apply()

    def action_toggle_due_this_week(self) -> None:
        self.filter = replace(self.filter, due_this_week=not self.filter.due_this_week)
        self._apply()

    def action_clear_filters(self) -> None:
        self.filter = ProblemFilter(text=self.filter.text)
        self._apply()

    def action_filters(self) -> None:
        """The dialog opens at once, with the officers and units read when the list was
        (re)loaded; a later read updates it."""
        from fieldtui.ui.screens.problem_filters import ProblemFilterScreen

        def done(result: ProblemFilter | None) -> None:
            self._filter_screen = None
            if result is not None:
                self.filter = replace(result, text=self.filter.text)
                self._apply()
            self.focus_list()

        self._filter_screen = ProblemFilterScreen(
            self.filter, self._officer_choices, self._unit_choices, self._lang()
        )
        self.app.push_screen(self._filter_screen, done)

    @work(thread=True, exclusive=True, group="problems-choices")
    def _load_choices(self) -> None:
        store = ctx(self).store
        officers = store.officers.list()
        choices = sorted(((o.name, o.id) for o in officers), key=lambda c: pinyin_key(c[0]))
        self.post_message(self.ChoicesLoaded(choices, lead_units(store.db)))

    def on_problems_screen_choices_loaded(self, message: ChoicesLoaded) -> None:
        self._officer_choices = message.officers
        self._unit_choices = message.units
        self._show_status()
        if self._filter_screen is not None and self._filter_screen.is_attached:
            self._filter_screen.set_choices(message.officers, message.units)

    # -- records ------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#problems-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.app.push_screen(make_screen("problem_detail", event.row.id), self._after_dialog)

    def action_new(self) -> None:
        self.app.push_screen(make_screen("problem_form"), self._after_dialog)

    def action_edit(self) -> None:
        self.when_ready(self._edit)

    def _edit(self) -> None:
        row = self.table.cursor_data
        if row is not None:
            self.app.push_screen(make_screen("problem_detail", row.id), self._after_dialog)

    def action_import_sheet(self) -> None:
        """An office's problem ledger (xlsx/csv), checked before anything is written."""
        from fieldtui.ui.screens.sheet_import import SheetImportScreen

        self.app.push_screen(SheetImportScreen("problems"), self._after_dialog)

    def _after_dialog(self, _result: object) -> None:
        self.action_reload()
        self.focus_list()

    def action_delete(self) -> None:
        self.when_ready(self._ask_delete)

    def _ask_delete(self) -> None:
        row = self.table.cursor_data
        if row is None:
            return
        from fieldtui.ui.widgets.choice_dialog import ConfirmDialog

        what = row.description.splitlines()[0] if row.description else row.id[-8:]

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row.id, what)

        self.app.push_screen(
            ConfirmDialog(
                _("Delete problem"),
                _(
                    "Delete the problem “{description}” of {enterprise}? It disappears from "
                    "the problem ledger and can be restored, with its history, from Deleted "
                    "records."
                ).format(description=what, enterprise=row.enterprise),
                confirm_label=_("Delete"),
            ),
            answered,
        )

    @work(thread=True, group="problems-delete")
    def _delete(self, problem_id: str, description: str) -> None:
        try:
            delete_problem(ctx(self).store, problem_id)
        except Exception as exc:  # shown; the list stays as it was
            self.post_message(self.Deleted(description, str(exc)))
            return
        self.post_message(self.Deleted(description))

    def on_problems_screen_deleted(self, message: Deleted) -> None:
        if message.error:
            self.notify(message.error, title=_("Not deleted"), severity="error")
            return
        self.notify(_("Problem deleted: {description}").format(description=message.description))
        self.action_reload()
