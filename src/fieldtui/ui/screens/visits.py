"""The visits list (走访记录): every visit, newest first, drafts marked; search, filter, open.

Like the ledger it is a :class:`~fieldtui.ui.widgets.virtual_table.VirtualTable` over a
query that pages from SQL by key (:class:`~fieldtui.store.visit_list.VisitQuery`), so it
opens at once and End is as quick at 100,000 visits as at a hundred. Typing searches (the
enterprise as the ledger finds it, pinyin initials included, or words of the person met and
the summary); Ctrl+F filters by officer, enterprise, month, kind and drafts; Enter opens the
visit in its form; Ctrl+N records a new one.

A draft (a visit whose negative-list self-check is not complete) shows 草稿 in its own
column, so an officer sees at a glance which visits still need finishing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from fieldtui.domain.checklists import parse_month
from fieldtui.domain.enums import VisitKind
from fieldtui.i18n import N_, _, month_text, ngettext
from fieldtui.store.pinyin import pinyin_key
from fieldtui.store.visit_list import VisitFilter, VisitQuery, VisitRow, VisitSort
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.list_screen import list_bindings
from fieldtui.ui.screens.paged_list import PagedListScreen
from fieldtui.ui.screens.registry import make_screen
from fieldtui.ui.widgets.table_model import label_width
from fieldtui.ui.widgets.virtual_table import TableColumn, VirtualTable

__all__ = ["VisitsScreen", "kind_label", "visit_columns"]


def kind_label(code: str, lang: str) -> str:
    """A visit kind's label; a code from a newer version shows as stored."""
    try:
        return VisitKind(code).label(lang)
    except ValueError:
        return code


def visit_columns(lang: str) -> list[TableColumn[VisitRow]]:
    """The list's columns; at 80 columns the person met and the summary give way first."""

    def draft(row: VisitRow) -> Text | str:
        return Text(_("Draft"), style="bold yellow") if row.draft else ""

    def problems(row: VisitRow) -> str:
        return str(row.problems) if row.problems else ""

    return [
        TableColumn("date", _("Date"), lambda r: r.date.isoformat() if r.date else "", width=10),
        TableColumn(
            "enterprise", _("Enterprise"), lambda r: r.enterprise, min_width=14, want_width=24
        ),
        TableColumn(
            "kind",
            _("Kind of visit"),
            lambda r: kind_label(r.kind, lang),
            width=label_width(VisitKind, lang, _("Kind of visit"), cap=10),
        ),
        TableColumn("officers", _("Visited by"), lambda r: "、".join(r.officers), width=10),
        TableColumn("draft", _("Self-check"), draft, width=label_width([], lang, _("Self-check"))),
        TableColumn("problems", _("Problems"), problems, width=4, align="right", drop_order=1),
        TableColumn("person", _("Person met"), lambda r: r.person, width=10, drop_order=3),
        TableColumn("summary", _("Summary"), lambda r: r.summary, width=24, drop_order=2),
    ]


class VisitsScreen(PagedListScreen[VisitRow]):
    LIST_ID = "visits"
    SEARCH_HINT = N_("Search: enterprise (pinyin initials too), person met, summary")
    CSS_PATH = "visits.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings("visits", new=N_("New visit"), edit=N_("Open"), filters=True),
        Binding("ctrl+r", "sort_reverse", _("Reverse order"), id="visits.sort_reverse", show=False),
    ]

    class Deleted(Message):
        def __init__(self, error: str | None = None) -> None:
            super().__init__()
            self.error = error

    class NamesLoaded(Message):
        def __init__(self, officers: list[tuple[str, str]]) -> None:
            super().__init__()
            self.officers = officers

    def __init__(self) -> None:
        super().__init__()
        self.filter = VisitFilter()
        self.sort = VisitSort()
        self.visit_query: VisitQuery | None = None
        self.officer_choices: list[tuple[str, str]] = []
        """(name, id) of every officer, pinyin order: the filter dialog's choices."""
        self.enterprise_name: str = ""
        """The name of the enterprise filtered by (chosen in the filter dialog)."""
        self._filter_screen: Any = None

    # -- layout -------------------------------------------------------------------------

    def columns(self, lang: str) -> list[TableColumn[Any]]:
        return visit_columns(lang)

    def on_mount(self) -> None:
        self.title = _("Visit log")
        self._show_status()

    def load(self) -> None:
        self._apply(keep_cursor=True)
        self._load_officers()

    def show_search(self, text: str) -> None:
        self.filter = replace(self.filter, text=text)
        self._apply()

    # -- querying -----------------------------------------------------------------------

    def _apply(self, *, keep_cursor: bool = False) -> None:
        self.visit_query = VisitQuery(ctx(self).store.db, self.filter, self.sort)
        self.table.set_sort_indicator("date", self.sort.descending)
        self.table.set_source(self.visit_query, keep_cursor=keep_cursor)
        self._show_status()

    @on(VirtualTable.DataShown, "#visits-table")
    @on(VirtualTable.Counted, "#visits-table")
    def _data_changed(self) -> None:
        count = self.table.row_count
        label = self.query_one("#visits-count", Static)
        if count is None:
            label.update(Text(_("counting…"), style="dim"), layout=False)
        else:
            shown = ngettext("{n} visit", "{n} visits", count).format(n=f"{count:,}")
            label.update(Text(shown), layout=False)

    @on(VirtualTable.Failed, "#visits-table")
    def _data_failed(self, event: VirtualTable.Failed) -> None:
        self.notify(str(event.error), title=_("Cannot read the visits"), severity="error")

    def filter_parts(self) -> list[str]:
        """What the list is filtered by, as the status line names it."""
        f = self.filter
        parts: list[str] = []
        if f.officer_id:
            names = {oid: name for name, oid in self.officer_choices}
            parts.append(_("officer: {name}").format(name=names.get(f.officer_id, "…")))
        if f.enterprise_id:
            parts.append(self.enterprise_name or "…")
        if f.month:
            parts.append(month_text(parse_month(f.month)))
        if f.kind:
            parts.append(kind_label(f.kind, self._lang()))
        if f.draft is True:
            parts.append(_("drafts only"))
        elif f.draft is False:
            parts.append(_("complete only"))
        return parts

    def _show_status(self) -> None:
        """One line: the filters and the order (plain text, never markup)."""
        arrow = "▼" if self.sort.descending else "▲"
        self.show_status_line(
            "#visits-status",
            _("Sorted by visit date {arrow}").format(arrow=arrow),
            self.filter_parts(),
        )

    def action_sort_reverse(self) -> None:
        self.sort = VisitSort(not self.sort.descending)
        self._apply()

    @on(VirtualTable.HeaderClicked, "#visits-table")
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        self.action_sort_reverse()

    # -- filters ------------------------------------------------------------------------

    def action_filters(self) -> None:
        from fieldtui.ui.screens.visit_filters import VisitFilterScreen

        def done(result: tuple[VisitFilter, str] | None) -> None:
            self._filter_screen = None
            if result is not None:
                chosen, self.enterprise_name = result
                self.filter = replace(chosen, text=self.filter.text)
                self._apply()
            self.focus_list()

        self._filter_screen = VisitFilterScreen(
            self.filter, self.officer_choices, self.enterprise_name, self._lang()
        )
        self.app.push_screen(self._filter_screen, done)

    def action_clear_filters(self) -> None:
        self.filter = VisitFilter(text=self.filter.text)
        self.enterprise_name = ""
        self._apply()

    @work(thread=True, exclusive=True, group="visits-officers")
    def _load_officers(self) -> None:
        officers = ctx(self).store.officers.list()
        choices = sorted(((o.name, o.id) for o in officers), key=lambda c: pinyin_key(c[0]))
        self.post_message(self.NamesLoaded(choices))

    def on_visits_screen_names_loaded(self, message: NamesLoaded) -> None:
        self.officer_choices = message.officers
        self._status_text = None
        self._show_status()
        if self._filter_screen is not None and self._filter_screen.is_attached:
            self._filter_screen.set_officers(message.officers)

    # -- records ------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#visits-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.app.push_screen(make_screen("visit_form", event.row.id), self._after_form)

    def action_new(self) -> None:
        """A new visit; filtered by one enterprise, it is that enterprise's visit."""
        form = make_screen("visit_form", enterprise_id=self.filter.enterprise_id)
        self.app.push_screen(form, self._after_form)

    def action_edit(self) -> None:
        self.when_ready(self._edit)

    def _edit(self) -> None:
        row = self.table.cursor_data
        if row is not None:
            self.app.push_screen(make_screen("visit_form", row.id), self._after_form)

    def _after_form(self, _result: object) -> None:
        self.action_reload()
        self.focus_list()

    def action_delete(self) -> None:
        self.when_ready(self._ask_delete)

    def _ask_delete(self) -> None:
        row = self.table.cursor_data
        if row is None:
            return
        from fieldtui.ui.widgets.choice_dialog import ConfirmDialog

        day = row.date.isoformat() if row.date else ""
        question = _(
            "Delete the visit to “{name}” on {day}? The problems raised at it stay in the "
            "problem ledger; the office can still restore the visit."
        ).format(name=row.enterprise, day=day)

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row.id)

        self.app.push_screen(
            ConfirmDialog(_("Delete visit"), question, confirm_label=_("Delete")), answered
        )

    @work(thread=True, group="visits-delete")
    def _delete(self, visit_id: str) -> None:
        from fieldtui.store.visits import delete_visit

        try:
            delete_visit(ctx(self).store, visit_id)
        except Exception as exc:  # shown; the list stays as it was
            self.post_message(self.Deleted(str(exc)))
            return
        self.post_message(self.Deleted())

    def on_visits_screen_deleted(self, message: Deleted) -> None:
        if message.error:
            self.notify(message.error, title=_("Not deleted"), severity="error")
            return
        self.notify(_("Visit deleted."))
        self.action_reload()
