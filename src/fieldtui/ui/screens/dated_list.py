"""One list for the dated work records that have a kind and linked enterprises: the meetings
(会议, :mod:`.meetings`) and the investment activities (招商活动, :mod:`.activities`).

The list is a :class:`~fieldtui.ui.widgets.virtual_table.VirtualTable` over a
:class:`~fieldtui.store.dated_list.DatedQuery`, read in thread workers. Typing on the list
searches (the topic or place, the enterprises, the people, pinyin initials included);
commands are on keys that cannot be typed: Enter or F2 opens the record's form, Ctrl+N a new
one, Ctrl+F filters (kind, month or dates, person), F6/Ctrl+R sort, Ctrl+O imports the kind's
sheet, Delete asks first (Cancel focused) and deletes against the heads seen.

A subclass names its kind: the prefix of its binding ids and widget ids, its code list, its
reader, its form, its sheet, and its words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from peewee import SqliteDatabase
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Header, Static

from fieldtui.domain.enums import CodedEnum
from fieldtui.i18n import _
from fieldtui.store import Store
from fieldtui.store.dated_list import (
    SORT_COLUMNS,
    DatedFilter,
    DatedQuery,
    DatedRow,
    DatedSort,
)
from fieldtui.store.repos import Repo
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.deleting import ask_to_delete
from fieldtui.ui.screens.enterprise_detail import label_of
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox
from fieldtui.ui.screens.registry import make_screen
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.table_model import label_width
from fieldtui.ui.widgets.virtual_table import TableColumn, VirtualTable

PersonChoice = tuple[str, str]
"""(shown name, the value the filter keeps)"""


class DatedListScreen(ListScreen[None]):
    """The list base; a subclass sets the class attributes below."""

    CSS_PATH = "dated_list.tcss"
    PREFIX: ClassVar[str] = ""
    """Binding ids ``PREFIX.new`` …, widget ids ``#PREFIX-table`` …, the sheet kind."""
    ENUM: ClassVar[type[CodedEnum]]
    FORM: ClassVar[str] = ""
    """The form's name in the registry."""
    TITLE: ClassVar[str] = ""
    SEARCH_HINT: ClassVar[str] = ""
    TITLE_COLUMN: ClassVar[str] = ""
    """The msgid of the topic (place) column, also F6's name for it."""
    PEOPLE_COLUMN: ClassVar[str] = ""
    CANNOT_READ: ClassVar[str] = ""
    DELETE_TITLE: ClassVar[str] = ""
    DELETE_QUESTION: ClassVar[str] = ""
    """Msgid with {name}."""
    DELETED: ClassVar[str] = ""
    """Msgid with {name}."""

    class Deleted(Message):
        def __init__(self, name: str, error: str | None = None) -> None:
            super().__init__()
            self.name = name
            self.error = error

    class PeopleLoaded(Message):
        def __init__(self, people: list[PersonChoice]) -> None:
            super().__init__()
            self.people = people

    def __init__(self) -> None:
        super().__init__()
        self.filter = DatedFilter()
        self.sort = DatedSort()
        self.dated_query: DatedQuery | None = None
        self._people: list[PersonChoice] = []
        """The filter dialog's person choices, read when the list was (re)loaded."""
        self._filter_screen: Any = None
        self._select_after_load: str | None = None

    # -- what a kind provides -----------------------------------------------------------

    @staticmethod
    def read_rows(db: SqliteDatabase) -> list[DatedRow]:
        raise NotImplementedError

    def read_people(self, store: Store) -> list[PersonChoice]:
        """The filter's person choices (thread worker)."""
        raise NotImplementedError

    def repo(self, store: Store) -> Repo[Any]:
        raise NotImplementedError

    def count_text(self, count: int) -> str:
        """The count beside the search ("12次")."""
        raise NotImplementedError

    # -- layout -------------------------------------------------------------------------

    def columns(self, lang: str) -> list[TableColumn[DatedRow]]:
        """Date, kind, topic (place), enterprises, people. At 80 columns the people give way
        first, then the enterprises, before the topic is cut."""
        enum = self.ENUM
        return [
            TableColumn("date", _("Date"), lambda r: r.on_text, width=10),
            TableColumn(
                "kind",
                _("Kind"),
                lambda r: label_of(enum, r.kind, lang),
                width=label_width(enum, lang, _("Kind"), cap=16),
            ),
            TableColumn(
                "title", _(self.TITLE_COLUMN), lambda r: r.title, min_width=12, want_width=16
            ),
            TableColumn(
                "enterprises",
                _("Enterprises"),
                lambda r: "、".join(r.enterprises),
                min_width=10,
                want_width=16,
                drop_order=1,
            ),
            TableColumn(
                "people",
                _(self.PEOPLE_COLUMN),
                lambda r: "、".join(r.people),
                min_width=8,
                want_width=12,
                drop_order=2,
            ),
        ]

    def compose(self) -> ComposeResult:
        p = self.PREFIX
        yield Header()
        with Vertical(classes="dated-body"):
            with Horizontal(classes="dated-top"):
                yield SearchBox(_(self.SEARCH_HINT), id=f"{p}-search")
                yield Static("", id=f"{p}-count", classes="dated-count")
            yield Static("", id=f"{p}-status", classes="dated-status")
            yield ListTable(self.columns(ctx(self).lang), id=f"{p}-table")
        yield AppFooter()

    @property
    def table(self) -> VirtualTable[DatedRow]:
        return self.query_one(f"#{self.PREFIX}-table", VirtualTable)

    def on_mount(self) -> None:
        self.title = _(self.TITLE)
        self._show_status()

    def load(self) -> None:
        self._apply(keep_cursor=True)
        self._load_people()

    def show_search(self, text: str) -> None:
        self.filter = replace(self.filter, text=text)
        self._apply()

    # -- querying -----------------------------------------------------------------------

    def _apply(self, *, keep_cursor: bool = False) -> None:
        """Show the current filter and sort (a new query; the table reads in a worker)."""
        self.dated_query = DatedQuery(ctx(self).store.db, self.read_rows, self.filter, self.sort)
        self.table.set_sort_indicator(self.sort.column, self.sort.descending)
        self.table.set_source(self.dated_query, keep_cursor=keep_cursor)
        self._show_status()

    @on(VirtualTable.DataShown)
    @on(VirtualTable.Counted)
    def _data_changed(self) -> None:
        count = self.table.row_count
        label = self.query_one(f"#{self.PREFIX}-count", Static)
        if count is None:
            label.update(Text(_("counting…"), style="dim"), layout=False)
        else:
            label.update(Text(self.count_text(count)), layout=False)
        self._select_saved()

    def _select_saved(self) -> None:
        """After a new record was saved: the cursor on it, if the list shows it."""
        wanted = self._select_after_load
        query = self.dated_query
        if wanted is None or query is None or not self.table.is_loaded:
            return
        self._select_after_load = None
        self._move_to(query, wanted)

    @work(thread=True, group="dated-find")
    def _move_to(self, query: DatedQuery, row_id: str) -> None:
        ids = [r.id for r in query.rows()]
        if row_id in ids:
            self.app.call_from_thread(self._cursor_to, query, ids.index(row_id))

    def _cursor_to(self, query: DatedQuery, index: int) -> None:
        if query is self.dated_query:
            self.table.cursor_row = index

    @on(VirtualTable.Failed)
    def _data_failed(self, event: VirtualTable.Failed) -> None:
        self.notify(str(event.error), title=_(self.CANNOT_READ), severity="error", markup=False)

    def filter_parts(self) -> list[str]:
        """What the list is filtered by, in words (the search text apart)."""
        f = self.filter
        parts: list[str] = []
        if f.kind:
            parts.append(label_of(self.ENUM, f.kind, ctx(self).lang))
        if f.since or f.until:
            since = f.since.isoformat() if f.since else ""
            until = f.until.isoformat() if f.until else ""
            parts.append(f"{since}～{until}")
        if f.person:
            names = {value: name for name, value in self._people}
            parts.append(names.get(f.person, f.person))
        return parts

    def _show_status(self) -> None:
        """One line: the filters and the order (plain text: names are user data)."""
        arrow = "▼" if self.sort.descending else "▲"
        sort = _("Sorted by {column} {arrow}").format(
            column=self.sort_title(self.sort.column), arrow=arrow
        )
        self.show_status_line(f"#{self.PREFIX}-status", sort, self.filter_parts())

    def sort_title(self, column: str) -> str:
        return {"date": _("Date"), "kind": _("Kind")}.get(column) or _(self.TITLE_COLUMN)

    # -- sorting and filters ------------------------------------------------------------

    def action_sort_next(self) -> None:
        following = SORT_COLUMNS[(SORT_COLUMNS.index(self.sort.column) + 1) % len(SORT_COLUMNS)]
        self.sort = DatedSort(following, descending=following == "date")  # newest first
        self._apply()

    def action_sort_reverse(self) -> None:
        self.sort = DatedSort(self.sort.column, not self.sort.descending)
        self._apply()

    @on(VirtualTable.HeaderClicked)
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        if event.column_key not in SORT_COLUMNS:
            return
        if event.column_key == self.sort.column:
            self.action_sort_reverse()
        else:
            self.sort = DatedSort(event.column_key, descending=event.column_key == "date")
            self._apply()

    def action_clear_filters(self) -> None:
        self.filter = DatedFilter(text=self.filter.text)
        self._apply()

    def person_label(self) -> tuple[str, str]:
        """The filter's person field: its label and its prompt (msgids)."""
        raise NotImplementedError

    def action_filters(self) -> None:
        """The dialog opens at once, with the people read when the list was (re)loaded."""
        from fieldtui.ui.screens.dated_filters import DatedFilterScreen

        def done(result: DatedFilter | None) -> None:
            self._filter_screen = None
            if result is not None:
                self.filter = replace(result, text=self.filter.text)
                self._apply()
            self.focus_list()

        label, prompt = self.person_label()
        self._filter_screen = DatedFilterScreen(
            self.filter,
            self.ENUM,
            self._people,
            title=_("Filter: {what}").format(what=_(self.TITLE)),
            person_label=_(label),
            person_prompt=_(prompt),
            lang=ctx(self).lang,
        )
        self.app.push_screen(self._filter_screen, done)

    @work(thread=True, exclusive=True, group="dated-people")
    def _load_people(self) -> None:
        self.post_message(self.PeopleLoaded(self.read_people(ctx(self).store)))

    def on_dated_list_screen_people_loaded(self, message: PeopleLoaded) -> None:
        self._people = message.people
        self._show_status()
        if self._filter_screen is not None and self._filter_screen.is_attached:
            self._filter_screen.set_people(message.people)

    # -- records ------------------------------------------------------------------------

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.app.push_screen(make_screen(self.FORM, event.row.id), self._after_form)

    def action_new(self) -> None:
        self.app.push_screen(make_screen(self.FORM), self._after_form)

    def action_edit(self) -> None:
        self.when_ready(self._edit)

    def _edit(self) -> None:
        row = self.table.cursor_data
        if row is not None:
            self.app.push_screen(make_screen(self.FORM, row.id), self._after_form)

    def _after_form(self, saved_id: object) -> None:
        if isinstance(saved_id, str):
            self._select_after_load = saved_id
        self.action_reload()
        self.focus_list()

    def action_import_sheet(self) -> None:
        """The kind's sheet (xlsx/csv), checked before anything is written."""
        from fieldtui.ui.screens.sheet_import import SheetImportScreen

        self.app.push_screen(SheetImportScreen(self.PREFIX), self._after_form)

    def action_delete(self) -> None:
        self.when_ready(self._ask_delete)

    def _ask_delete(self) -> None:
        row = self.table.cursor_data
        if row is None:
            return
        message = _(self.DELETE_QUESTION).format(name=row.title)
        ask_to_delete(  # against the heads when the question opened: see deleting.py
            self,
            self.repo,
            row.id,
            ConfirmDialog(_(self.DELETE_TITLE), message, confirm_label=_("Delete")),
            lambda error: self.post_message(self.Deleted(row.title, error)),
        )

    def on_dated_list_screen_deleted(self, message: Deleted) -> None:
        if message.error:
            self.notify(message.error, title=_("Not deleted"), severity="error", markup=False)
            return
        self.notify(_(self.DELETED).format(name=message.name), markup=False)
        self.action_reload()
