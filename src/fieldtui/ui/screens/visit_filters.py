"""The visits list's filter dialog: officer, enterprise, month, kind, drafts.

Everything here combines (AND) with the search typed on the list. The dialog only edits a
:class:`~fieldtui.store.visit_list.VisitFilter`; the list runs the query. The enterprise is
picked with the ledger's search (pinyin initials too) in a picker, since a zone has thousands.
Names are data: every option, prompt and label is given as ``Text``/``Content``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from fieldtui.domain.checklists import parse_month
from fieldtui.domain.enums import VisitKind
from fieldtui.domain.validators import clean_line
from fieldtui.i18n import _
from fieldtui.store.visit_list import VisitFilter
from fieldtui.ui.widgets.pick_search import search_enterprises
from fieldtui.ui.widgets.record_picker import RecordPicker

OfficerChoice = tuple[str, str]
"""(name, id)"""

DRAFT_CHOICES = (("drafts", True), ("complete", False))


class VisitFilterScreen(ModalScreen[tuple[VisitFilter, str] | None]):
    """Dismisses with the new filter and the chosen enterprise's name, or None (cancelled)."""

    DEFAULT_CSS = """
    VisitFilterScreen {
        align: center middle;
    }
    VisitFilterScreen > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    VisitFilterScreen .filter-title {
        width: auto;
        text-style: bold;
        padding: 0 0 1 0;
    }
    VisitFilterScreen Label {
        width: 10;
        padding: 0 1 0 0;
    }
    VisitFilterScreen .filter-row {
        height: 1;
        margin-bottom: 1;
    }
    VisitFilterScreen .filter-row Select, VisitFilterScreen .filter-row Input,
    VisitFilterScreen .filter-row #filter-enterprise {
        width: 1fr;
    }
    VisitFilterScreen #filter-month-error {
        height: auto;
        color: $text-error;
        margin-bottom: 1;
    }
    VisitFilterScreen #filter-buttons {
        height: 1;
        align-horizontal: right;
    }
    VisitFilterScreen #filter-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", _("Apply"), id="visit_filter.apply"),
        Binding("ctrl+x", "clear", _("Clear filters"), id="visit_filter.clear"),
        Binding(
            "delete", "clear_enterprise", _("Any enterprise"), id="visit_filter.any_enterprise"
        ),
        Binding("escape", "cancel", _("Cancel"), id="visit_filter.cancel", priority=True),
    ]
    AUTO_FOCUS: ClassVar[str | None] = "#filter-officer"

    def __init__(
        self,
        current: VisitFilter,
        officers: list[OfficerChoice],
        enterprise_name: str = "",
        lang: str = "zh",
    ) -> None:
        super().__init__()
        self.current = current
        self.officers = officers
        self.lang = lang
        self.enterprise_id = current.enterprise_id
        self.enterprise_name = enterprise_name if current.enterprise_id else ""

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical():
            yield Label(_("Filter the visits"), classes="filter-title")
            with Horizontal(classes="filter-row"):
                yield Label(_("Officer"))
                known = {oid for _name, oid in self.officers}
                yield Select(
                    [(Text(name), oid) for name, oid in self.officers],
                    value=f.officer_id if f.officer_id in known else Select.NULL,
                    prompt=_("Any officer"),
                    compact=True,
                    id="filter-officer",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Enterprise"))
                yield Button(self._enterprise_label(), compact=True, id="filter-enterprise")
            with Horizontal(classes="filter-row"):
                yield Label(_("Month"))
                yield Input(
                    f.month or "",
                    placeholder=_("Month, e.g. 2026-03"),
                    compact=True,
                    id="filter-month",
                )
            yield Static("", id="filter-month-error")
            with Horizontal(classes="filter-row"):
                yield Label(_("Kind of visit"))
                yield Select(
                    [(Text(label), code) for label, code in VisitKind.choices(self.lang)],
                    value=f.kind if f.kind else Select.NULL,
                    prompt=_("Any kind"),
                    compact=True,
                    id="filter-kind",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Self-check"))
                labels = {"drafts": _("Drafts only"), "complete": _("Complete only")}
                chosen = next((k for k, v in DRAFT_CHOICES if v is f.draft), None)
                yield Select(
                    [(Text(labels[key]), key) for key, _v in DRAFT_CHOICES],
                    value=chosen if chosen else Select.NULL,
                    prompt=_("Drafts and complete"),
                    compact=True,
                    id="filter-draft",
                )
            with Horizontal(id="filter-buttons"):
                yield Button(_("Clear filters"), compact=True, id="filter-clear")
                yield Button(_("Cancel"), compact=True, id="filter-cancel")
                yield Button(_("Apply"), variant="primary", compact=True, id="filter-apply")

    def _enterprise_label(self) -> Content:
        if self.enterprise_id:
            return Content(self.enterprise_name or self.enterprise_id)
        return Content(_("Any enterprise (Enter to choose)"))

    def set_officers(self, officers: list[OfficerChoice]) -> None:
        """The officers read again: new choices, the choice kept."""
        self.officers = officers
        select = next(self.query("#filter-officer").results(Select), None)
        if select is None:
            return
        chosen = select.value
        with select.prevent(Select.Changed):
            select.set_options([(Text(name), oid) for name, oid in officers])
            if any(oid == chosen for _name, oid in officers):
                select.value = chosen

    def on_mount(self) -> None:
        for select in self.query("#filter-officer"):
            self.set_focus(select)

    # -- the enterprise -----------------------------------------------------------------

    def _pick_enterprise(self) -> None:
        def picked(enterprise_id: str | None) -> None:
            picker_items = {i.id: i.label for i in picker.items}
            if enterprise_id:
                self.enterprise_id = enterprise_id
                self.enterprise_name = picker_items.get(enterprise_id, "")
                self.query_one("#filter-enterprise", Button).label = self._enterprise_label()
            self.set_focus(self.query_one("#filter-enterprise"))

        picker = RecordPicker(_("Visits of one enterprise"), search_enterprises)
        self.app.push_screen(picker, picked)

    def action_clear_enterprise(self) -> None:
        if self.focused is not self.query_one("#filter-enterprise"):
            return
        self.enterprise_id = None
        self.enterprise_name = ""
        self.query_one("#filter-enterprise", Button).label = self._enterprise_label()

    # -- reading ------------------------------------------------------------------------

    def read(self) -> VisitFilter | None:
        """The filter as set; None (with the month's message shown) if the month is wrong."""

        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return value if isinstance(value, str) else None

        month_text = clean_line(self.query_one("#filter-month", Input).value)
        month: str | None = None
        error = self.query_one("#filter-month-error", Static)
        if month_text:
            try:
                month = parse_month(month_text)
            except ValueError as exc:
                error.update(Content(str(exc)))
                self.set_focus(self.query_one("#filter-month"))
                return None
        error.update("")
        draft_key = chosen("#filter-draft")
        return replace(
            self.current,
            officer_id=chosen("#filter-officer"),
            enterprise_id=self.enterprise_id,
            month=month,
            kind=chosen("#filter-kind"),
            draft=dict(DRAFT_CHOICES).get(draft_key) if draft_key else None,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "filter-enterprise":
            self._pick_enterprise()
        elif button == "filter-apply":
            self.action_apply()
        elif button == "filter-clear":
            self.action_clear()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        chosen = self.read()
        if chosen is not None:
            self.dismiss((chosen, self.enterprise_name))

    def action_clear(self) -> None:
        self.dismiss((VisitFilter(text=self.current.text), ""))

    def action_cancel(self) -> None:
        for select in self.query(Select):
            if select.expanded:  # Escape closes an open list first
                select.expanded = False
                self.set_focus(select)
                return
        self.dismiss(None)
