"""Everything about one enterprise on one screen: its fields, its officers by year, and a
dated timeline of its visits, problems and project milestones.

Everything is read in one thread worker and comes back as one message; every value the user
typed is shown as plain text (a name like ``ab[/]c`` is data, not markup). The screen
dismisses with True when the enterprise was edited or deleted here (the list behind it
should reload), else False.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from fieldtui.domain.enums import (
    AssignmentRole,
    CodedEnum,
    ProblemCategory,
    ProblemStatus,
    VisitKind,
)
from fieldtui.domain.milestones import MILESTONES
from fieldtui.domain.records import Enterprise
from fieldtui.domain.schema import ENTERPRISE
from fieldtui.i18n import _, bracketed, pgettext
from fieldtui.store.assignments import PlanRow, enterprise_officers
from fieldtui.store.enterprises import TimelineEntry, enterprise_timeline
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.deleting import ask_to_delete
from fieldtui.ui.screens.registry import SCREENS, make_screen
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.record_fields import field_block
from fieldtui.ui.widgets.table_fill import fill_table

_MILESTONE_STAGE = dict(MILESTONES)

OPENS: dict[str, str] = {
    "visit": "visit_form",
    "problem": "problem_detail",
    "problem_resolved": "problem_detail",
    "project": "project_form",
}
"""Timeline entry source → the screen (registry name) Enter opens it with, given its id."""


@dataclass(frozen=True, slots=True)
class DetailData:
    record: Enterprise | None
    officers: list[PlanRow]
    timeline: list[TimelineEntry]
    seen: frozenset[str] = frozenset()
    """The heads of the record as read: a delete from this screen names them as parents."""


def label_of(enum: type[CodedEnum], code: str | None, lang: str) -> str:
    """A code's label in the UI language; an unknown code (newer replica) shows as itself."""
    if not code:
        return ""
    try:
        return enum.parse(code).label(lang)
    except ValueError:
        return code


class Timeline(DataTable[Text]):
    """The timeline table; Home and End go to the newest and oldest entry (a row cursor has
    no columns to move along, which is what the plain table binds them to)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", _("Newest"), id="timeline.first", show=False),
        Binding("end", "scroll_bottom", _("Oldest"), id="timeline.last", show=False),
    ]


class EnterpriseDetailScreen(Screen[bool]):
    CSS_PATH = "enterprise_detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # No printable key: the timeline is a table, and typing on a table never runs a command.
        Binding("f2", "edit", _("Edit"), id="enterprise_detail.edit"),
        Binding("f3", "new_visit", _("New visit"), id="enterprise_detail.new_visit"),
        Binding("delete", "delete", _("Delete"), id="enterprise_detail.delete"),
        # Priority: the screen is gone before the keys typed after Escape are sent on, so
        # "Escape hhhb" searches the ledger behind it.
        Binding("escape", "back", _("Back"), id="enterprise_detail.back", priority=True),
        Binding("f5", "reload", _("Refresh"), id="enterprise_detail.reload", show=False),
    ]

    class Loaded(Message):
        def __init__(self, data: DetailData) -> None:
            super().__init__()
            self.data = data

    def __init__(self, enterprise_id: str) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id
        self.record: Enterprise | None = None
        self.seen: frozenset[str] = frozenset()
        """The heads of the record shown (what a delete from here supersedes, and no more)."""
        self.changed = False
        self.timeline_entries: list[TimelineEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail-top"):
            yield Static("", id="detail-fields")
            yield Static(_("Assigned officers"), classes="detail-heading")
            yield Static("", id="detail-officers")
        yield Static(_("Timeline"), classes="detail-heading")
        yield Timeline(id="timeline", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = pgettext("screen title", "Enterprise")
        self.query_one("#timeline", Timeline).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="enterprise-detail")
    def _load(self) -> None:
        store = ctx(self).store
        loaded = store.enterprises.load(self.enterprise_id)
        record = loaded.record if loaded else None
        officers = enterprise_officers(store, self.enterprise_id) if record else []
        timeline = enterprise_timeline(store, self.enterprise_id) if record else []
        seen = frozenset(loaded.seen()) if loaded else frozenset()
        self.post_message(self.Loaded(DetailData(record, officers, timeline, seen)))

    def on_enterprise_detail_screen_loaded(self, message: Loaded) -> None:
        data = message.data
        self.record = data.record
        self.seen = data.seen
        if data.record is None:
            self.notify(_("This enterprise no longer exists."), severity="error")
            self.dismiss(self.changed)
            return
        if data.record.deleted and self.changed:  # deleted from the form opened here
            self.dismiss(True)
            return
        self.sub_title = data.record.name
        self.query_one("#detail-fields", Static).update(self._fields(data.record))
        self.query_one("#detail-officers", Static).update(self._officers(data.officers))
        self._fill_timeline(data.timeline)
        self.refresh_bindings()

    # -- rendering ----------------------------------------------------------------------

    def _fields(self, e: Enterprise) -> Group:
        return field_block(ENTERPRISE, e, ctx(self).lang)

    def _officers(self, rows: list[PlanRow]) -> Text:
        if not rows:
            return Text(_("Not assigned to any officer."), style="dim")
        lang = ctx(self).lang
        by_year: dict[int, list[PlanRow]] = {}
        for row in rows:
            by_year.setdefault(row.year, []).append(row)
        text = Text()
        for year, year_rows in by_year.items():
            if text:
                text.append("\n")
            text.append(_("{year} plan").format(year=year) + "  ", style="bold")
            for index, row in enumerate(year_rows):
                if index:
                    text.append("、")
                text.append(row.officer_name)
                text.append(bracketed(label_of(AssignmentRole, row.role, lang)), style="dim")
        return text

    def _fill_timeline(self, entries: list[TimelineEntry]) -> None:
        self.timeline_entries = entries
        lang = ctx(self).lang
        rows = [(str(i), list(self._timeline_cells(e, lang))) for i, e in enumerate(entries)]
        if not entries:
            empty = Text(_("No visits, problems or projects yet."), style="dim")
            rows = [("empty", [Text(""), empty, Text(""), Text("")])]
        headers = [_("Date"), _("Kind"), _("Item"), _("Details")]
        fill_table(self.query_one("#timeline", Timeline), headers, rows, (None, None, 40))

    @staticmethod
    def _timeline_cells(entry: TimelineEntry, lang: str) -> tuple[Text, Text, Text, Text]:
        day = Text(entry.on.isoformat())
        first_line = entry.text.splitlines()[0] if entry.text else ""
        item = Text(first_line, overflow="ellipsis", no_wrap=True)
        if entry.source == "visit":
            kind = f"{_('Visit')} · {label_of(VisitKind, entry.code, lang)}"
            return day, Text(kind), item, Text(entry.extra)
        if entry.source in ("problem", "problem_resolved"):
            what = _("Problem") if entry.source == "problem" else _("Problem resolved")
            kind = f"{what} · {label_of(ProblemCategory, entry.code, lang)}"
            return day, Text(kind), item, Text(label_of(ProblemStatus, entry.extra, lang))
        stage = _MILESTONE_STAGE.get(entry.code)
        kind = f"{_('Project')} · {stage.label(lang) if stage else entry.code}"
        return day, Text(kind), item, Text("")

    # -- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete", "new_visit"):
            return self.record is not None and not self.record.deleted
        return True

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_new_visit(self) -> None:
        """F3: record a visit to this enterprise."""
        if self.record is None or self.record.deleted:
            return
        self.app.push_screen(
            make_screen("visit_form", enterprise_id=self.enterprise_id), self._back_from_record
        )

    @on(DataTable.RowSelected, "#timeline")
    def _timeline_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the timeline opens the visit or problem of the entry (by screen name)."""
        key = event.row_key.value or ""
        if not key.isdigit() or int(key) >= len(self.timeline_entries):
            return
        entry = self.timeline_entries[int(key)]
        screen = OPENS.get(entry.source)
        if screen is not None and screen in SCREENS:
            self.app.push_screen(make_screen(screen, entry.ref_id), self._back_from_record)

    def _back_from_record(self, _result: object) -> None:
        """Back from a visit or problem opened here: the timeline may have changed."""
        self.changed = True
        self.action_reload()

    def action_edit(self) -> None:
        if self.record is None or self.record.deleted:
            return

        def edited(saved_id: str | None) -> None:
            self.changed = True  # saved or deleted from the form: the list should reload
            self.action_reload()

        self.app.push_screen(make_screen("enterprise_form", self.enterprise_id), edited)

    def action_delete(self) -> None:
        record = self.record
        if record is None or record.deleted:
            return
        message = _(
            "Delete {name}? It disappears from the ledger and can be restored from Deleted records."
        ).format(name=record.name)
        ask_to_delete(
            self,
            lambda store: store.enterprises,
            self.enterprise_id,
            ConfirmDialog(_("Delete enterprise"), message, confirm_label=_("Delete")),
            self._deleted,
            seen=self.seen,
        )

    def _deleted(self, error: str | None) -> None:
        if error:
            self.notify(error, title=_("Not deleted"), severity="error", markup=False)
            return
        self.notify(_("Enterprise deleted."))
        self.changed = True
        self.dismiss(True)
