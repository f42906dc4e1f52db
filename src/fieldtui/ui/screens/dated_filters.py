"""The meetings' and activities' filter dialog: kind, a month or a date range, a person.

Everything combines (AND) with the search typed on the list. A month (``2026-03``) fills both
ends of the range; a date that cannot be read is named under the fields and the dialog stays.
Names are user text, so every option and prompt is ``Text``: ``Select`` would parse a plain
string as markup.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from fieldtui.domain.enums import CodedEnum
from fieldtui.i18n import _
from fieldtui.store.dated_list import DatedFilter, month_range, parse_bound
from fieldtui.ui.widgets.choice_dialog import key_hint

PersonChoice = tuple[str, str]
"""(shown name, the value the filter keeps)"""


class DatedFilterScreen(ModalScreen[DatedFilter | None]):
    """Dismisses with the new filter (the search text as it was), or None when cancelled."""

    DEFAULT_CSS = """
    DatedFilterScreen {
        align: center middle;
    }
    DatedFilterScreen > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 0 2;
    }
    DatedFilterScreen .filter-title {
        width: auto;
        text-style: bold;
        padding: 0 0 1 0;
    }
    DatedFilterScreen Label {
        width: 12;
        padding: 0 1 0 0;
    }
    DatedFilterScreen .filter-row {
        height: 1;
        margin-bottom: 1;
    }
    DatedFilterScreen .filter-row Select, DatedFilterScreen .filter-row Input {
        width: 1fr;
    }
    DatedFilterScreen #filter-error {
        height: auto;
        color: $error;
    }
    DatedFilterScreen #filter-buttons {
        height: 1;
        align-horizontal: right;
    }
    DatedFilterScreen #filter-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", _("Apply"), id="dated_filter.apply"),
        Binding("ctrl+x", "clear", _("Clear filters"), id="dated_filter.clear"),
        # Priority: gone before the keys typed after Escape are sent on (to the list).
        Binding("escape", "cancel", _("Cancel"), id="dated_filter.cancel", priority=True),
    ]
    AUTO_FOCUS: ClassVar[str | None] = "#filter-kind"

    def __init__(
        self,
        current: DatedFilter,
        enum: type[CodedEnum],
        people: list[PersonChoice],
        *,
        title: str,
        person_label: str,
        person_prompt: str,
        lang: str = "zh",
    ) -> None:
        super().__init__()
        self.current = current
        self.enum = enum
        self.people = people
        self.dialog_title = title
        self.person_label = person_label
        self.person_prompt = person_prompt
        self.lang = lang

    def _month_text(self) -> str:
        """The current range as a month when it is exactly one month."""
        f = self.current
        if f.since and f.until:
            month = month_range(f"{f.since.year}-{f.since.month}")
            if month == (f.since, f.until):
                return f"{f.since.year}-{f.since.month:02d}"
        return ""

    def compose(self) -> ComposeResult:
        f = self.current
        month = self._month_text()
        with Vertical():
            yield Label(Text(self.dialog_title), classes="filter-title")
            with Horizontal(classes="filter-row"):
                yield Label(_("Kind"))
                yield Select(
                    [(Text(label), code) for label, code in self.enum.choices(self.lang)],
                    value=f.kind or Select.NULL,
                    prompt=_("Any kind"),
                    compact=True,
                    id="filter-kind",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Month"))
                yield Input(month, placeholder=_("e.g. 2026-03"), compact=True, id="filter-month")
            with Horizontal(classes="filter-row"):
                yield Label(_("From"))
                yield Input(
                    "" if month or not f.since else f.since.isoformat(),
                    placeholder=_("e.g. 2026-03-01"),
                    compact=True,
                    id="filter-since",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("To"))
                yield Input(
                    "" if month or not f.until else f.until.isoformat(),
                    placeholder=_("e.g. 2026-03-31"),
                    compact=True,
                    id="filter-until",
                )
            with Horizontal(classes="filter-row"):
                yield Label(Text(self.person_label))
                known = {value for _name, value in self.people}
                yield Select(
                    [(Text(name), value) for name, value in self.people],
                    value=f.person if f.person in known else Select.NULL,
                    prompt=self.person_prompt,
                    compact=True,
                    id="filter-person",
                )
            yield Static("", id="filter-error")
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

    def set_people(self, people: list[PersonChoice]) -> None:
        """People read again (the list was reloaded): new options, the choice kept."""
        self.people = people
        select = next(self.query("#filter-person").results(Select), None)
        if select is None:
            return
        chosen = select.value
        options = [(Text(name), value) for name, value in people]
        with select.prevent(Select.Changed):
            select.set_options(options)
            if any(value == chosen for _label, value in options):
                select.value = chosen

    def on_mount(self) -> None:
        for select in self.query("#filter-kind"):  # none if cancelled before it was up
            self.set_focus(select)

    def read(self) -> DatedFilter:
        """The filter the fields say; ``ValueError`` naming a date that cannot be read."""

        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return value if isinstance(value, str) else None

        def text(widget_id: str) -> str:
            return self.query_one(widget_id, Input).value.strip()

        month = text("#filter-month")
        since: date | None
        until: date | None
        if month:
            found = month_range(month)
            if found is None:
                raise ValueError(
                    _("Incorrect month: {text}; use YYYY-MM, e.g. 2026-03").format(text=month)
                )
            since, until = found
        else:
            since = parse_bound(text("#filter-since"), end=False)
            until = parse_bound(text("#filter-until"), end=True)
        return replace(
            self.current,
            kind=chosen("#filter-kind"),
            since=since,
            until=until,
            person=chosen("#filter-person"),
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "filter-apply":
            self.action_apply()
        elif event.button.id == "filter-clear":
            self.action_clear()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        try:
            result = self.read()
        except ValueError as exc:
            self.query_one("#filter-error", Static).update(Text(str(exc)))
            return
        self.dismiss(result)

    def action_clear(self) -> None:
        self.dismiss(DatedFilter(text=self.current.text))

    def action_cancel(self) -> None:
        for select in self.query(Select):
            if select.expanded:  # Escape closes an open list first (Escape is a priority key)
                select.expanded = False
                self.set_focus(select)
                return
        self.dismiss(None)
