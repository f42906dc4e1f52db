"""The office's breach list (负面清单违反记录): who, when, which item, the note.

Every negative-list item answered 有违反 on a live visit (optionally the duty-list items
answered 未落实 too), newest first, from :func:`fieldtui.store.checklists.breaches`; the item
reads as it did in the version answered. Filtered by year (this year at first; ``F3``/``F4``
step through the years, ``Ctrl+F`` chooses year, officer and whether unmet duties count) and
searched by typing (officer, enterprise, item, note). Enter opens the visit, or the month's
duty check. A breach vetoes the officer's yearly award, so the list is short and read whole.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Header, Label, Select, Static

from fieldtui.domain.enums import ChecklistKind
from fieldtui.i18n import N_, _, ngettext
from fieldtui.store.assignments import pick_officers
from fieldtui.store.checklists import Breach, breaches
from fieldtui.store.pinyin import name_matches
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.screens.registry import make_screen
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

NEGATIVE = ChecklistKind.NEGATIVE.code


@dataclass(frozen=True, slots=True)
class BreachFilter:
    year: int | None = None
    """None: every year."""
    officer_id: str | None = None
    include_duty: bool = False


@dataclass(frozen=True, slots=True)
class BreachData:
    rows: list[Breach]
    officers: list[tuple[str, str]]
    """(name, id) of the live officers, pinyin order: the filter's choices."""
    years: list[int]
    """Years with a breach (and this year), newest first."""


def when_text(breach: Breach) -> str:
    if breach.on is not None:
        return breach.on.isoformat()
    return breach.month or ""


def item_text(breach: Breach) -> str:
    return _("{n}. {item}").format(n=breach.position, item=breach.item)


def breach_columns(lang: str) -> list[TableColumn[Breach]]:
    def kind(b: Breach) -> str:
        try:
            return ChecklistKind(b.kind).label(lang)
        except ValueError:
            return b.kind

    list_width = max(cell_len(k.label(lang)) for k in ChecklistKind)
    return [
        TableColumn("when", _("Date"), when_text, width=10),
        TableColumn("officer", _("Officer"), lambda b: b.officer, width=8),
        TableColumn("item", _("Item"), item_text, min_width=12, want_width=20),
        TableColumn("note", _("Explanation"), lambda b: b.note or "", min_width=10, want_width=16),
        TableColumn("enterprise", _("Enterprise"), lambda b: b.enterprise, width=16, drop_order=2),
        TableColumn(
            "kind",
            _("List"),
            kind,
            width=max(list_width, cell_len(_("List"))),
            drop_order=3,
        ),
        TableColumn(
            "version",
            _("Version"),
            lambda b: _("version {n}").format(n=b.version),
            width=max(cell_len(_("version {n}").format(n=99)), cell_len(_("Version"))),
            drop_order=1,
        ),
    ]


class BreachesScreen(ListScreen[BreachData]):
    DEFAULT_CSS = """
    BreachesScreen #breaches-top {
        height: 3;
    }
    BreachesScreen #breaches-search {
        width: 1fr;
        height: 3;
    }
    BreachesScreen #breaches-count {
        width: auto;
        max-width: 60%;
        height: 3;
        padding: 1 1 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    BreachesScreen #breaches {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings("breaches", new=None, edit=None, delete=None, filters=True),
        Binding("f3", "year(-1)", _("Previous year"), id="breaches.previous_year"),
        Binding("f4", "year(1)", _("Next year"), id="breaches.next_year"),
    ]
    RELOAD_ON_RESUME = True

    def __init__(self, *, year: int | None = None, officer_id: str | None = None) -> None:
        super().__init__()
        self.filter = BreachFilter(year=year or date.today().year, officer_id=officer_id)
        self.data: BreachData | None = None
        self.shown: list[Breach] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="breaches-top"):
            yield SearchBox(_("Search: officer, enterprise, item, note"), id="breaches-search")
            yield Static("", id="breaches-count")
        yield ListTable(breach_columns(ctx(self).lang), id="breaches")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Breach list")

    @property
    def table(self) -> VirtualTable[Breach]:
        return self.query_one("#breaches", VirtualTable)

    # -- data -----------------------------------------------------------------------------

    def fetch(self) -> BreachData:
        store = ctx(self).store
        f = self.filter
        rows = breaches(store, year=f.year, officer_id=f.officer_id, include_duty=f.include_duty)
        every = breaches(store, include_duty=True)
        years = {date.today().year}
        for b in every:
            year = b.on.year if b.on else int(b.month[:4]) if b.month else None
            if year:
                years.add(year)
        officers = [(name, oid) for oid, name, _unit in pick_officers(store, "", limit=100_000)]
        return BreachData(rows, officers, sorted(years, reverse=True))

    def show(self, data: BreachData) -> None:
        keep = self._current_id()
        self.data = data
        self._fill(keep)

    def show_search(self, text: str) -> None:
        self._fill(None)

    def _fill(self, keep: str | None) -> None:
        rows = self.data.rows if self.data else []
        text = self.search_text
        self.shown = [
            b for b in rows if name_matches(text, b.officer, b.enterprise, b.item, b.note)
        ]
        ids = [b.answer_id for b in self.shown]
        self.table.set_source(ListSource(self.shown), cursor=ids.index(keep) if keep in ids else 0)
        self._count()

    def _count(self) -> None:
        n = len(self.shown)
        f = self.filter
        parts = [
            _("Year {year}").format(year=f.year) if f.year else _("All years"),
        ]
        if f.officer_id and self.data:
            name = next((nm for nm, oid in self.data.officers if oid == f.officer_id), "")
            parts.append(name)
        if f.include_duty:
            parts.append(_("with unmet duties"))
        text = Text(" · ".join(parts) + " · ", style="dim")
        text.append(
            ngettext("{n} breach", "{n} breaches", n).format(n=n),
            style="bold red" if n else "bold",
        )
        self.query_one("#breaches-count", Static).update(text)

    def _current_id(self) -> str | None:
        row = self.table.cursor_data
        return row.answer_id if row is not None else None

    # -- commands -------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#breaches")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        breach: Breach = event.row
        if breach.visit_id:
            self._open("visit_form", breach.visit_id)
        elif breach.month:
            self._open("duty_check", breach.officer_id, breach.month)

    def _open(self, name: str, *args: Any) -> None:
        try:
            screen = make_screen(name, *args)
        except Exception as exc:  # a screen still being built must not crash the app
            self.notify(
                _("{area} is not available: {error}").format(
                    area=_(N_("Visit entry") if name == "visit_form" else N_("Duty self-check")),
                    error=exc,
                ),
                severity="error",
            )
            return
        self.app.push_screen(screen)

    def action_year(self, step: int) -> None:
        """F3 / F4: the year before / after (from "all years": this year)."""
        year = self.filter.year
        self.filter = replace(self.filter, year=(year + step) if year else date.today().year)
        self.load()

    def action_filters(self) -> None:
        data = self.data
        if data is None:
            return

        def chosen(result: BreachFilter | None) -> None:
            if result is not None and result != self.filter:
                self.filter = result
                self.load()

        self.app.push_screen(BreachFilterScreen(self.filter, data.officers, data.years), chosen)

    def action_clear_filters(self) -> None:
        self.filter = BreachFilter()
        self.load()

    def action_clear_search(self) -> None:
        """Escape: clear the search; with no search, back to where the list was opened."""
        if self.search_text or (self.search_box is not None and self.search_box.value):
            super().action_clear_search()
        else:
            self.dismiss(None)


class BreachFilterScreen(ModalScreen[BreachFilter | None]):
    """Year, officer and whether unmet duties are listed too; dismisses with the filter."""

    DEFAULT_CSS = """
    BreachFilterScreen {
        align: center middle;
    }
    BreachFilterScreen > Vertical {
        width: 60;
        max-width: 95%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    BreachFilterScreen .filter-title {
        text-style: bold;
        padding: 0 0 1 0;
    }
    BreachFilterScreen Label {
        width: 10;
    }
    BreachFilterScreen .filter-row {
        height: 1;
        margin-bottom: 1;
    }
    BreachFilterScreen .filter-row Select {
        width: 1fr;
    }
    BreachFilterScreen #filter-buttons {
        height: 1;
        align-horizontal: right;
    }
    BreachFilterScreen #filter-buttons Button {
        margin-left: 1;
    }
    """
    AUTO_FOCUS: ClassVar[str | None] = "#breach-year"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", _("Apply"), id="breach_filter.apply"),
        Binding("escape", "cancel", _("Cancel"), id="breach_filter.cancel", priority=True),
    ]

    def __init__(
        self, current: BreachFilter, officers: list[tuple[str, str]], years: list[int]
    ) -> None:
        super().__init__()
        self.current = current
        self.officers = officers
        self.years = years

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical():
            yield Label(_("Filter the breach list"), classes="filter-title")
            with Horizontal(classes="filter-row"):
                yield Label(_("Year"))
                yield Select(
                    [(Text(str(y)), y) for y in self.years],
                    value=f.year if f.year in self.years else Select.NULL,
                    prompt=_("All years"),
                    compact=True,
                    id="breach-year",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Officer"))
                known = {oid for _name, oid in self.officers}
                yield Select(
                    [(Text(name), oid) for name, oid in self.officers],
                    value=f.officer_id if f.officer_id in known else Select.NULL,
                    prompt=_("Any officer"),
                    compact=True,
                    id="breach-officer",
                )
            with Horizontal(classes="filter-row"):
                yield Label(" ")
                yield Checkbox(
                    _("Unmet duties too"), f.include_duty, compact=True, id="breach-duty"
                )
            with Horizontal(id="filter-buttons"):
                yield Button(_("Cancel"), compact=True, id="filter-cancel")
                yield Button(_("Apply"), variant="primary", compact=True, id="filter-apply")

    def read(self) -> BreachFilter:
        year = self.query_one("#breach-year", Select).value
        officer = self.query_one("#breach-officer", Select).value
        return BreachFilter(
            year=year if isinstance(year, int) else None,
            officer_id=officer if isinstance(officer, str) else None,
            include_duty=self.query_one("#breach-duty", Checkbox).value,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "filter-apply":
            self.action_apply()
        else:
            self.action_cancel()

    def action_apply(self) -> None:
        self.dismiss(self.read())

    def action_cancel(self) -> None:
        for select in self.query(Select):
            if select.expanded:  # Escape closes an open list first
                select.expanded = False
                self.set_focus(select)
                return
        self.dismiss(None)
