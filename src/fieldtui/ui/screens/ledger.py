"""The enterprise ledger (企业台账): search as you type, filter, sort, open, add, edit, delete.

The list is a :class:`~fieldtui.ui.widgets.virtual_table.VirtualTable` over a
:class:`~fieldtui.store.ledger.LedgerQuery`: only visible rows are fetched, in thread
workers, so the screen opens at once on 100,000 enterprises. Every keystroke in the search box
makes a new query (cheap: no database work until the table's worker runs it); the table runs
one first-page query at a time and folds keystrokes that arrive meanwhile into the latest.

Typing on the list is searching (:mod:`fieldtui.ui.screens.list_screen`): an officer opens
the ledger and types 浩海, ``hhhb`` or a phone number straight away, and commands are on keys
that cannot be typed (Ctrl+N, F2, Delete, Ctrl+F…).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from fieldtui.domain.enums import EnterpriseStatus, Industry
from fieldtui.i18n import N_, NC_, _, ngettext, pgettext
from fieldtui.store.ledger import LedgerFilter, LedgerQuery, LedgerRow, LedgerSort, prepare_ledger
from fieldtui.store.pinyin import pinyin_key
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.list_screen import list_bindings
from fieldtui.ui.screens.paged_list import PagedListScreen
from fieldtui.ui.screens.registry import make_screen
from fieldtui.ui.widgets.table_model import label_width
from fieldtui.ui.widgets.virtual_table import TableColumn, VirtualTable

SORT_TITLES: dict[str, str] = {
    "name": NC_("ledger", "Enterprise name"),
    "status": NC_("ledger", "Status"),
    "lead_officer": NC_("ledger", "Lead officer"),
    "last_visit": NC_("ledger", "Last visit"),
    "open_problems": NC_("ledger", "Unresolved"),
    "industry": NC_("ledger", "Industry"),
    "uscc": NC_("ledger", "USCC"),
}
"""Columns in display order (also the order F6 cycles through), read in the context "ledger":
a column of the enterprise ledger says 企业状态 and 牵头人 where a bare "Status" and
"Lead officer" read 状态 and 首席服务官 (zh-style.md)."""


def column_title(column: str) -> str:
    return pgettext("ledger", SORT_TITLES[column])


def _label(enum: type[EnterpriseStatus] | type[Industry], code: str, lang: str) -> str:
    if not code:
        return ""
    try:
        return enum(code).label(lang)
    except ValueError:
        return code  # a code from a newer version: show it as stored


def ledger_columns(lang: str) -> list[TableColumn[LedgerRow]]:
    """The ledger's columns; labels of coded values follow the UI language."""

    def industry(row: LedgerRow) -> str:
        label = _label(Industry, row.industry, lang)
        return f"{row.industry} {label}" if label and label != row.industry else row.industry

    def problems(row: LedgerRow) -> Text | str:
        if row.overdue:
            return Text(f"!{row.open_problems}", style="bold red")
        return str(row.open_problems) if row.open_problems else ""

    return [
        TableColumn("name", column_title("name"), lambda r: r.name, min_width=16, want_width=24),
        TableColumn(
            "status",
            column_title("status"),
            lambda r: _label(EnterpriseStatus, r.status, lang),
            # room for the sort arrow too: 企业状态 ▲
            width=label_width(EnterpriseStatus, lang, column_title("status") + " ▲", cap=10),
        ),
        TableColumn(
            "lead_officer", column_title("lead_officer"), lambda r: r.lead_officer, width=10
        ),
        TableColumn(
            "last_visit",
            column_title("last_visit"),
            lambda r: r.last_visit.isoformat() if r.last_visit else "",
            width=10,
        ),
        TableColumn(
            "open_problems", column_title("open_problems"), problems, width=6, align="right"
        ),
        TableColumn("industry", column_title("industry"), industry, width=14, drop_order=1),
        TableColumn("uscc", column_title("uscc"), lambda r: r.uscc, width=18, drop_order=2),
    ]


_LIST_KEYS = list_bindings("ledger", filters=True, sort=True, import_sheet=N_("Import sheet"))


class LedgerScreen(PagedListScreen[LedgerRow]):
    LIST_ID = "ledger"
    SEARCH_HINT = N_("Search: name, USCC, address, contact, pinyin (hhhb)")
    CSS_PATH = "ledger.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *_LIST_KEYS[:1],
        # Right after "new" in the footer: the command an officer in the field uses most.
        Binding("f3", "new_visit", _("New visit"), id="ledger.new_visit"),
        *_LIST_KEYS[1:],
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
        self.filter = LedgerFilter()
        self.sort = LedgerSort()
        self.ledger_query: LedgerQuery | None = None
        self._prepared = False
        self._officer_names: dict[str, str] = {}
        self._officer_choices: list[tuple[str, str]] = []
        """(name, id) of every officer, pinyin order: the filter dialog's choices."""
        self._officers_wanted = False
        """Officers are read when the filter dialog first opens, not with the list: their
        pinyin order loads pypinyin (half a second of CPU), which start-up need not pay."""
        self._filter_screen: Any = None
        self._count_text: Text | None = None

    # -- layout -------------------------------------------------------------------------

    def columns(self, lang: str) -> list[TableColumn[Any]]:
        return ledger_columns(lang)

    def on_mount(self) -> None:
        self.title = _("Enterprise ledger")
        self._show_status()

    def load(self) -> None:
        """The table pages from SQL itself: a new query, the cursor where it was."""
        self._apply(keep_cursor=True)
        if self._officers_wanted:  # read again only once the filter dialog has needed them
            self._load_officers()

    def show_search(self, text: str) -> None:
        self.filter = replace(self.filter, text=text)
        self._apply()

    # -- querying -----------------------------------------------------------------------

    def _apply(self, *, keep_cursor: bool = False) -> None:
        """Show the current filter and sort (a new query; the table fetches in a worker)."""
        store = ctx(self).store
        if not self._prepared:
            self._prepared = True
            self._prepare(store.db)
        self.ledger_query = LedgerQuery(store.db, self.filter, self.sort, today=date.today())
        self.table.set_sort_indicator(self.sort.column, self.sort.descending)
        self.table.set_source(self.ledger_query, keep_cursor=keep_cursor)
        self._show_status()

    @work(thread=True, group="ledger-prepare")
    def _prepare(self, db: Any) -> None:
        # Lead officers after New Year: a no-op on every other day.
        if prepare_ledger(db):
            self.app.call_from_thread(self.action_reload)

    @on(VirtualTable.DataShown, "#ledger-table")
    @on(VirtualTable.Counted, "#ledger-table")
    def _data_changed(self) -> None:
        count = self.table.row_count
        if count is None:
            text = Text(_("counting…"), style="dim")
        else:
            shown = ngettext("{n} enterprise", "{n} enterprises", count).format(n=f"{count:,}")
            text = Text(shown)
        if text != self._count_text:  # a repaint costs a render of the label
            self._count_text = text
            # Fixed-size labels: no screen layout per keystroke (see ledger.tcss).
            self.query_one("#ledger-count", Static).update(text, layout=False)

    @on(VirtualTable.Failed, "#ledger-table")
    def _data_failed(self, event: VirtualTable.Failed) -> None:
        self.notify(str(event.error), title=_("Cannot read the ledger"), severity="error")

    def _show_status(self) -> None:
        """One line: what the list is filtered by and sorted on (plain text, never markup)."""
        f = self.filter
        lang = self._lang()
        parts: list[str] = []
        if f.officer_id:
            parts.append(_("officer: {name}").format(name=self._officer_name(f.officer_id)))
        if f.status:
            parts.append(_label(EnterpriseStatus, f.status, lang))
        if f.industry:
            parts.append(f"{f.industry} {_label(Industry, f.industry, lang)}")
        if f.tag:
            parts.append(_("tag: {tag}").format(tag=f.tag))
        if f.no_visit_days is not None:
            parts.append(_("not visited for {n} days").format(n=f.no_visit_days))
        if f.overdue:
            parts.append(_("overdue problems"))
        arrow = "▼" if self.sort.descending else "▲"
        sort = _("Sorted by {column} {arrow}").format(
            column=column_title(self.sort.column), arrow=arrow
        )
        self.show_status_line("#ledger-status", sort, parts)

    def _officer_name(self, officer_id: str) -> str:
        return self._officer_names.get(officer_id, officer_id[:8])

    # -- sorting ------------------------------------------------------------------------

    def action_sort_next(self) -> None:
        columns = list(SORT_TITLES)
        following = columns[(columns.index(self.sort.column) + 1) % len(columns)]
        self.sort = LedgerSort(following)
        self._apply()

    def action_sort_reverse(self) -> None:
        self.sort = LedgerSort(self.sort.column, not self.sort.descending)
        self._apply()

    @on(VirtualTable.HeaderClicked, "#ledger-table")
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        if event.column_key == self.sort.column:
            self.action_sort_reverse()
        else:
            self.sort = LedgerSort(event.column_key)
            self._apply()

    def action_clear_filters(self) -> None:
        self.filter = LedgerFilter(text=self.filter.text)
        self._apply()

    # -- filters ------------------------------------------------------------------------

    def action_filters(self) -> None:
        """The dialog opens at once (keys typed after Ctrl+F are its keys), with the officers
        read when the ledger was (re)loaded (the first time: read now, and shown when read)."""
        from fieldtui.ui.screens.ledger_filters import LedgerFilterScreen

        if not self._officers_wanted:
            self._officers_wanted = True
            self._load_officers()

        def done(result: LedgerFilter | None) -> None:
            self._filter_screen = None
            if result is not None:
                self.filter = replace(result, text=self.filter.text)
                self._apply()
            self.focus_list()

        self._filter_screen = LedgerFilterScreen(self.filter, self._officer_choices, self._lang())
        self.app.push_screen(self._filter_screen, done)

    @work(thread=True, exclusive=True, group="ledger-officers")
    def _load_officers(self) -> None:
        officers = ctx(self).store.officers.list()
        choices = sorted(((o.name, o.id) for o in officers), key=lambda c: pinyin_key(c[0]))
        self.post_message(self.OfficersLoaded(choices))

    def on_ledger_screen_officers_loaded(self, message: OfficersLoaded) -> None:
        self._officer_choices = message.officers
        self._officer_names = {oid: name for name, oid in message.officers}
        if self._filter_screen is not None:  # open, or being opened: it takes them now
            self._filter_screen.set_officers(message.officers)

    # -- records ------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#ledger-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self._open_detail(event.row.id)

    def _open_detail(self, enterprise_id: str) -> None:
        from fieldtui.ui.screens.enterprise_detail import EnterpriseDetailScreen

        self.app.push_screen(EnterpriseDetailScreen(enterprise_id), self._after_dialog)

    def action_new(self) -> None:
        from fieldtui.ui.screens.enterprise_form import EnterpriseFormScreen

        self.app.push_screen(EnterpriseFormScreen(None), self._after_dialog)

    def action_edit(self) -> None:
        self.when_ready(self._edit)

    def _edit(self) -> None:
        row = self.table.cursor_data
        if row is None:
            return
        from fieldtui.ui.screens.enterprise_form import EnterpriseFormScreen

        self.app.push_screen(EnterpriseFormScreen(row.id), self._after_dialog)

    def action_new_visit(self) -> None:
        """F3: record a visit to the highlighted enterprise (the one a search just found)."""
        self.when_ready(self._new_visit)

    def _new_visit(self) -> None:
        row = self.table.cursor_data
        if row is not None:
            form = make_screen("visit_form", enterprise_id=row.id)
            self.app.push_screen(form, self._after_dialog)

    def action_import_sheet(self) -> None:
        """Import an office's existing ledger (xlsx/csv) without leaving the list."""
        from fieldtui.ui.screens.sheet_import import SheetImportScreen

        self.app.push_screen(SheetImportScreen("enterprises"), self._after_dialog)

    def _after_dialog(self, _result: object) -> None:
        """Back from the form or detail: the row may have changed, moved or gone."""
        self.action_reload()
        self.focus_list()

    def action_delete(self) -> None:
        self.when_ready(self._ask_delete)

    def _ask_delete(self) -> None:
        row = self.table.cursor_data
        if row is None:
            return
        from fieldtui.ui.screens.deleting import ask_to_delete
        from fieldtui.ui.widgets.choice_dialog import ConfirmDialog

        name = row.name
        ask_to_delete(  # against the heads when the question opened: see deleting.py
            self,
            lambda store: store.enterprises,
            row.id,
            ConfirmDialog(
                _("Delete enterprise"),
                _(
                    "Delete {name}? It disappears from the ledger and can be restored from "
                    "Deleted records."
                ).format(name=name),
                confirm_label=_("Delete"),
            ),
            lambda error: self.post_message(self.Deleted(name, error)),
        )

    def on_ledger_screen_deleted(self, message: Deleted) -> None:
        if message.error:
            self.notify(message.error, title=_("Not deleted"), severity="error")
            return
        self.notify(_("Deleted {name}").format(name=message.name))
        self.action_reload()
