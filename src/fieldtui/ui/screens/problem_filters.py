"""The problem ledger's filter dialog: status, category, lead unit, officer, unresolved,
overdue, due this week.

Everything combines (AND) with the search typed on the list. Officer names and lead units
are user text, so every option and prompt is ``Text``: ``Select`` would parse a plain string
as markup.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select

from fieldtui.domain.enums import ProblemCategory, ProblemStatus
from fieldtui.i18n import _
from fieldtui.store.problem_list import ProblemFilter
from fieldtui.ui.widgets.choice_dialog import key_hint

OfficerChoice = tuple[str, str]
"""(name, id)"""


class ProblemFilterScreen(ModalScreen[ProblemFilter | None]):
    """Dismisses with the new filter (the search text as it was), or None when cancelled."""

    DEFAULT_CSS = """
    ProblemFilterScreen {
        align: center middle;
    }
    ProblemFilterScreen > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 0 2;
    }
    ProblemFilterScreen .filter-title {
        width: auto;
        text-style: bold;
        padding: 0 0 1 0;
    }
    ProblemFilterScreen Label {
        width: 12;
        padding: 0 1 0 0;
    }
    ProblemFilterScreen .filter-row {
        height: 1;
        margin-bottom: 1;
    }
    ProblemFilterScreen .filter-row Select {
        width: 1fr;
    }
    ProblemFilterScreen .filter-checks {
        height: 1;
        margin-bottom: 1;
    }
    ProblemFilterScreen .filter-checks Checkbox {
        width: auto;
        margin-right: 2;
    }
    ProblemFilterScreen #filter-buttons {
        height: 1;
        align-horizontal: right;
    }
    ProblemFilterScreen #filter-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", _("Apply"), id="problem_filter.apply"),
        Binding("ctrl+x", "clear", _("Clear filters"), id="problem_filter.clear"),
        # Priority: gone before the keys typed after Escape are sent on (to the list).
        Binding("escape", "cancel", _("Cancel"), id="problem_filter.cancel", priority=True),
    ]
    AUTO_FOCUS: ClassVar[str | None] = "#filter-status"

    def __init__(
        self,
        current: ProblemFilter,
        officers: list[OfficerChoice],
        units: list[str],
        lang: str = "zh",
    ) -> None:
        super().__init__()
        self.current = current
        self.officers = officers
        self.units = units
        self.lang = lang

    def _unit_options(self, units: list[str]) -> list[tuple[Text, str]]:
        known = list(units)
        if self.current.lead_unit and self.current.lead_unit not in known:
            known.insert(0, self.current.lead_unit)  # chosen before, since gone from the data
        return [(Text(unit), unit) for unit in known]

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical():
            yield Label(_("Filter the problems"), classes="filter-title")
            with Horizontal(classes="filter-row"):
                yield Label(_("Status"))
                yield Select(
                    [(Text(label), code) for label, code in ProblemStatus.choices(self.lang)],
                    value=f.status or Select.NULL,
                    prompt=_("Any status"),
                    compact=True,
                    id="filter-status",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Category"))
                yield Select(
                    [(Text(label), code) for label, code in ProblemCategory.choices(self.lang)],
                    value=f.category or Select.NULL,
                    prompt=_("Any category"),
                    compact=True,
                    id="filter-category",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Lead unit"))
                options = self._unit_options(self.units)
                yield Select(
                    options,
                    value=f.lead_unit
                    if any(v == f.lead_unit for _t, v in options)
                    else Select.NULL,
                    prompt=_("Any unit"),
                    compact=True,
                    id="filter-unit",
                )
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
            with Horizontal(classes="filter-checks"):
                yield Checkbox(_("Unresolved"), f.open, compact=True, id="filter-open")
                yield Checkbox(_("Overdue"), f.overdue, compact=True, id="filter-overdue")
                yield Checkbox(_("Due this week"), f.due_this_week, compact=True, id="filter-due")
            with Horizontal(id="filter-buttons"):
                yield Button(
                    key_hint(_("Clear filters"), "Ctrl+X"), compact=True, id="filter-clear"
                )
                yield Button(key_hint(_("Cancel"), "Esc"), compact=True, id="filter-cancel")
                yield Button(
                    key_hint(_("Apply"), "Ctrl+S"),
                    variant="primary",
                    compact=True,
                    id="filter-apply",
                )

    def set_choices(self, officers: list[OfficerChoice], units: list[str]) -> None:
        """Officers and units read again (the list was reloaded): new options, choices kept."""
        self.officers, self.units = officers, units  # what compose uses, if not run yet
        for select_id, options in (
            ("#filter-officer", [(Text(name), oid) for name, oid in officers]),
            ("#filter-unit", self._unit_options(units)),
        ):
            select = next(self.query(select_id).results(Select), None)
            if select is None:
                continue
            chosen = select.value
            with select.prevent(Select.Changed):
                select.set_options(options)
                if any(value == chosen for _label, value in options):
                    select.value = chosen

    def on_mount(self) -> None:
        for select in self.query("#filter-status"):  # none if cancelled before it was up
            self.set_focus(select)

    def read(self) -> ProblemFilter:
        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return value if isinstance(value, str) else None

        def checked(widget_id: str) -> bool:
            return self.query_one(widget_id, Checkbox).value

        return replace(
            self.current,
            status=chosen("#filter-status"),
            category=chosen("#filter-category"),
            lead_unit=chosen("#filter-unit"),
            officer_id=chosen("#filter-officer"),
            open=checked("#filter-open"),
            overdue=checked("#filter-overdue"),
            due_this_week=checked("#filter-due"),
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "filter-apply":
            self.action_apply()
        elif event.button.id == "filter-clear":
            self.action_clear()
        else:
            self.action_cancel()

    def action_apply(self) -> None:
        self.dismiss(self.read())

    def action_clear(self) -> None:
        self.dismiss(ProblemFilter(text=self.current.text))

    def action_cancel(self) -> None:
        for select in self.query(Select):
            if select.expanded:  # Escape closes an open list first (Escape is a priority key)
                select.expanded = False
                self.set_focus(select)
                return
        self.dismiss(None)
