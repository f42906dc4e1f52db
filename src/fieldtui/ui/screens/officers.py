"""The officer roster (人员): every officer with their unit, phone and this year's load.

A zone has about 80 officers, so the roster is read whole in a thread worker, searched in
memory (name, its pinyin and initials, unit, phone) and read again whenever the screen comes
back into view. Adding and editing go through
:class:`~fieldtui.ui.screens.officer_form.OfficerFormScreen`; delete is a tombstone after a
confirmation (past plans keep the officer's name).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, Static

from fieldtui.domain.enums import OfficerRole
from fieldtui.i18n import N_, _, ngettext
from fieldtui.store.assignments import OfficerLoad, officer_loads
from fieldtui.store.pinyin import name_matches
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.deleting import ask_to_delete
from fieldtui.ui.screens.enterprise_detail import label_of
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.screens.officer_form import OfficerFormScreen
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.table_model import label_width
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable


def officer_columns(lang: str) -> list[TableColumn[OfficerLoad]]:
    """Names are short (2–4 characters) and the unit long: the unit takes the room left,
    and on a narrow terminal the role, then the phone give way before anything is cut."""
    enterprises, projects = _("Enterprises"), _("Projects")
    return [
        TableColumn("name", _("Name"), lambda o: o.name, width=10),
        TableColumn(
            "role",
            _("Role"),
            lambda o: label_of(OfficerRole, o.role, lang),
            width=label_width(OfficerRole, lang, _("Role"), cap=12),
            drop_order=2,
        ),
        TableColumn("phone", _("Phone"), lambda o: o.phone or "", width=13, drop_order=1),
        TableColumn(
            "enterprises",
            enterprises,
            lambda o: str(o.enterprises),
            width=max(5, cell_len(enterprises)),
            align="right",
        ),
        TableColumn(
            "projects",
            projects,
            lambda o: str(o.projects),
            width=max(5, cell_len(projects)),
            align="right",
        ),
        TableColumn("unit", _("Unit"), lambda o: o.unit or "", min_width=8, want_width=16),
    ]


class OfficersScreen(ListScreen[list[OfficerLoad]]):
    DEFAULT_CSS = """
    OfficersScreen #officers-top {
        height: 3;
    }
    OfficersScreen #officers-search {
        width: 1fr;
        height: 3;
    }
    OfficersScreen #officers-count {
        width: 24;
        height: 3;
        padding: 1 1 0 1;
        text-align: right;
        color: $text-muted;
    }
    OfficersScreen #officers {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings("officers", new=N_("New officer"), import_sheet=N_("Import sheet")),
    ]
    RELOAD_ON_RESUME = True

    class Deleted(Message):
        def __init__(self, error: str | None = None) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.year = date.today().year
        self.officers: list[OfficerLoad] = []
        """Everyone read, in pinyin order; the table shows those matching the search."""
        self.shown: list[OfficerLoad] = []
        self.select_after_load: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="officers-top"):
            yield SearchBox(_("Search: name, pinyin, unit, phone"), id="officers-search")
            yield Static("", id="officers-count")
        yield ListTable(officer_columns(ctx(self).lang), id="officers")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Officers")

    @property
    def table(self) -> VirtualTable[OfficerLoad]:
        return self.query_one("#officers", VirtualTable)

    # -- data -----------------------------------------------------------------------------

    def fetch(self) -> list[OfficerLoad]:
        return [o for o in officer_loads(ctx(self).store, self.year) if not o.deleted]

    def show(self, data: list[OfficerLoad]) -> None:
        keep = self.select_after_load or self.current_id()
        self.select_after_load = None
        self.officers = data
        self._fill(keep)

    def show_search(self, text: str) -> None:
        self._fill(None)

    def _fill(self, keep: str | None) -> None:
        text = self.search_text
        self.shown = [o for o in self.officers if name_matches(text, o.name, o.unit, o.phone)]
        ids = [o.officer_id for o in self.shown]
        cursor = ids.index(keep) if keep in ids else None
        self.table.set_source(ListSource(self.shown), cursor=cursor)
        count = len(self.shown)
        officers = ngettext("{n} officer", "{n} officers", count).format(n=count)
        self.query_one("#officers-count", Static).update(
            Text(_("{officers} · plan {year}").format(officers=officers, year=self.year))
        )

    def current_id(self) -> str | None:
        row = self.table.cursor_data
        return row.officer_id if row is not None else None

    # -- commands -------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#officers")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self._edit()

    def _after_form(self, saved_id: str | None) -> None:
        if saved_id:
            self.select_after_load = saved_id
            self.load()

    def action_new(self) -> None:
        self.app.push_screen(OfficerFormScreen(), self._after_form)

    def action_edit(self) -> None:
        self.when_ready(self._edit)

    def _edit(self) -> None:
        officer_id = self.current_id()
        if officer_id is not None:
            self.app.push_screen(OfficerFormScreen(officer_id), self._after_form)

    def action_import_sheet(self) -> None:
        from fieldtui.ui.screens.sheet_import import SheetImportScreen

        self.app.push_screen(SheetImportScreen("officers"))

    def action_delete(self) -> None:
        self.when_ready(self._ask_delete)

    def _ask_delete(self) -> None:
        officer = self.table.cursor_data
        if officer is None:
            return
        message = _(
            "Delete officer {name}? Past assignment plans keep the name; "
            "the record can be restored from Deleted records."
        ).format(name=officer.name)

        ask_to_delete(  # against the heads when the question opened: see deleting.py
            self,
            lambda store: store.officers,
            officer.officer_id,
            ConfirmDialog(_("Delete officer"), message, confirm_label=_("Delete")),
            lambda error: self.post_message(self.Deleted(error)),
        )

    def on_officers_screen_deleted(self, message: Deleted) -> None:
        if message.error:
            self.notify(message.error, title=_("Not deleted"), severity="error")
        else:
            self.notify(_("Officer deleted."))
        self.load()
