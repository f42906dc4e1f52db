"""The officer roster (area 7): every officer with their unit, phone and this year's load.

A zone has about 80 officers, so the roster is one query into a table; it is read in a
thread worker and refreshed when the screen comes back into view. Adding and editing go
through :class:`~fieldtui.ui.screens.officer_form.OfficerFormScreen`; delete is a tombstone
after a confirmation (past plans keep the officer's name).
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import RowDoesNotExist

from fieldtui.domain.enums import OfficerRole
from fieldtui.i18n import _
from fieldtui.store.assignments import OfficerLoad, officer_loads
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.enterprise_detail import label_of
from fieldtui.ui.screens.officer_form import OfficerFormScreen
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.table_fill import fill_table


class OfficersScreen(Screen[None]):
    DEFAULT_CSS = """
    OfficersScreen #officers-summary {
        padding: 0 1;
        color: $text-muted;
    }
    OfficersScreen #officers {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", _("New officer"), id="officers.add"),
        Binding("e", "edit", _("Edit"), id="officers.edit"),
        Binding("d", "delete", _("Delete"), id="officers.delete"),
        Binding("r", "reload", _("Refresh"), id="officers.reload", show=False),
    ]

    class Loaded(Message):
        def __init__(self, officers: list[OfficerLoad]) -> None:
            super().__init__()
            self.officers = officers

    class Deleted(Message):
        def __init__(self, error: str | None = None) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.year = date.today().year
        self.officers: list[OfficerLoad] = []
        self.select_after_load: str | None = None
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="officers-summary")
        yield DataTable(id="officers", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Officers")
        self.query_one("#officers", DataTable).focus()
        self.ready = True
        self.action_reload()

    def on_screen_resume(self) -> None:
        # Sent on every return to this screen, and on first show possibly before on_mount:
        # the first load is started by on_mount.
        if self.ready:
            self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="officers")
    def _load(self) -> None:
        loads = [o for o in officer_loads(ctx(self).store, self.year) if not o.deleted]
        self.post_message(self.Loaded(loads))

    def on_officers_screen_loaded(self, message: Loaded) -> None:
        lang = ctx(self).lang
        table: DataTable[Text] = self.query_one("#officers", DataTable)
        current = self.select_after_load or self.current_id()
        self.select_after_load = None
        self.officers = message.officers
        headers = [
            _("Name"),
            _("Role"),
            _("Unit"),
            _("Phone"),
            _("Enterprises {year}").format(year=self.year),
            _("Projects {year}").format(year=self.year),
        ]
        rows = [
            (
                officer.officer_id,
                [
                    Text(officer.name),
                    Text(label_of(OfficerRole, officer.role, lang)),
                    Text(officer.unit or ""),
                    Text(officer.phone or ""),
                    Text(str(officer.enterprises), justify="right"),
                    Text(str(officer.projects), justify="right"),
                ],
            )
            for officer in message.officers
        ]
        fill_table(table, headers, rows)
        if current is not None:
            self.select(current)
        summary = _("{count} officers").format(count=len(message.officers))
        self.query_one("#officers-summary", Static).update(summary)

    def current_id(self) -> str | None:
        table = self.query_one("#officers", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key.value

    def select(self, officer_id: str) -> None:
        table = self.query_one("#officers", DataTable)
        # Gone since (deleted elsewhere): the cursor stays where it is.
        with suppress(RowDoesNotExist):
            table.move_cursor(row=table.get_row_index(officer_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def _after_form(self, saved_id: str | None) -> None:
        if saved_id:
            self.select_after_load = saved_id
            self._load()

    def action_add(self) -> None:
        self.app.push_screen(OfficerFormScreen(), self._after_form)

    def action_edit(self) -> None:
        officer_id = self.current_id()
        if officer_id is not None:
            self.app.push_screen(OfficerFormScreen(officer_id), self._after_form)

    def action_delete(self) -> None:
        officer_id = self.current_id()
        officer = next((o for o in self.officers if o.officer_id == officer_id), None)
        if officer is None:
            return
        message = _(
            "Delete officer {name}? Past assignment plans keep the name; "
            "the office can still restore the record."
        ).format(name=officer.name)

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(officer.officer_id)

        self.app.push_screen(
            ConfirmDialog(_("Delete officer"), message, confirm_label=_("Delete")), answered
        )

    @work(thread=True, exclusive=True, group="officers-delete")
    def _delete(self, officer_id: str) -> None:
        try:
            ctx(self).store.officers.delete(officer_id)
        except Exception as exc:
            self.post_message(self.Deleted(str(exc)))
            return
        self.post_message(self.Deleted())

    def on_officers_screen_deleted(self, message: Deleted) -> None:
        if message.error:
            self.notify(message.error, title=_("Not deleted"), severity="error", markup=False)
        else:
            self.notify(_("Officer deleted."))
        self._load()
