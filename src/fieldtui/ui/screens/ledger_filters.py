"""The ledger's filter dialog: officer, status, industry, tag, days since the last visit, overdue.

Everything here combines (AND) with the search text typed on the ledger itself. The dialog only
edits a :class:`~fieldtui.store.ledger.LedgerFilter`; the ledger screen runs the query.

``Select`` parses a plain-string option as markup: an officer named ``ab[/]c`` crashed the
dialog and ``[@click=app.quit]x[/]`` became a link. Every option and prompt is given as
``Text``, so names are shown exactly as typed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from fieldtui.domain.enums import EnterpriseStatus, Industry
from fieldtui.domain.validators import clean_line
from fieldtui.i18n import _, pgettext
from fieldtui.store.ledger import LedgerFilter

OfficerChoice = tuple[str, str]
"""(name, id)"""


class LedgerFilterScreen(ModalScreen[LedgerFilter | None]):
    """Dismisses with the new filter (search text kept as it was), or None when cancelled."""

    DEFAULT_CSS = """
    LedgerFilterScreen {
        align: center middle;
    }
    LedgerFilterScreen > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    LedgerFilterScreen .filter-title {
        width: auto;
        text-style: bold;
        padding: 0 0 1 0;
    }
    LedgerFilterScreen Label {
        width: 14;
        padding: 0 1 0 0;
    }
    LedgerFilterScreen .filter-row {
        height: 1;
        margin-bottom: 1;
    }
    LedgerFilterScreen .filter-row Select, LedgerFilterScreen .filter-row Input {
        width: 1fr;
    }
    LedgerFilterScreen #filter-buttons {
        height: 1;
        align-horizontal: right;
    }
    LedgerFilterScreen #filter-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", _("Apply"), id="ledger_filter.apply"),
        Binding("ctrl+x", "clear", _("Clear filters"), id="ledger_filter.clear"),
        # Priority: gone before the keys typed after Escape are sent on (to the ledger).
        Binding("escape", "cancel", _("Cancel"), id="ledger_filter.cancel", priority=True),
    ]
    AUTO_FOCUS: ClassVar[str | None] = "#filter-officer"

    def __init__(
        self, current: LedgerFilter, officers: list[OfficerChoice], lang: str = "zh"
    ) -> None:
        super().__init__()
        self.current = current
        self.officers = officers
        self.lang = lang
        self._composed_officers: list[OfficerChoice] | None = None
        """The officers the officer select was composed with (None: not composed yet)."""
        self._mounted = False

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical():
            yield Label(_("Filter the ledger"), classes="filter-title")
            with Horizontal(classes="filter-row"):
                yield Label(_("Officer"))
                known = {oid for _name, oid in self.officers}
                self._composed_officers = self.officers
                yield Select(
                    [(Text(name), oid) for name, oid in self.officers],
                    value=f.officer_id if f.officer_id in known else Select.NULL,
                    prompt=_("Any officer"),
                    compact=True,
                    id="filter-officer",
                )
            with Horizontal(classes="filter-row"):
                yield Label(pgettext("ledger", "Status"))
                yield Select(
                    [(Text(label), code) for label, code in EnterpriseStatus.choices(self.lang)],
                    value=f.status if f.status else Select.NULL,
                    prompt=_("Any status"),
                    compact=True,
                    id="filter-status",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Industry"))
                yield Select(
                    [(Text(f"{i.code} {i.label(self.lang)}"), i.code) for i in Industry],
                    value=f.industry if f.industry else Select.NULL,
                    prompt=_("Any industry"),
                    compact=True,
                    id="filter-industry",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Tag"))
                yield Input(
                    f.tag or "", placeholder=_("One tag, exactly"), compact=True, id="filter-tag"
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Not visited"))
                yield Input(
                    "" if f.no_visit_days is None else str(f.no_visit_days),
                    placeholder=_("for this many days"),
                    type="integer",
                    compact=True,
                    id="filter-days",
                )
            with Horizontal(classes="filter-row"):
                yield Label(" ")
                yield Checkbox(
                    _("Has overdue problems"), f.overdue, compact=True, id="filter-overdue"
                )
            with Horizontal(id="filter-buttons"):
                yield Button(_("Clear filters"), compact=True, id="filter-clear")
                yield Button(_("Cancel"), compact=True, id="filter-cancel")
                yield Button(_("Apply"), variant="primary", compact=True, id="filter-apply")

    def set_officers(self, officers: list[OfficerChoice]) -> None:
        """The officers read (first, or again after a reload): new choices, the choice kept.

        They may arrive while the dialog is being put up (they are read when it first
        opens): before it is mounted they are kept, and :meth:`on_mount` shows them.
        """
        self.officers = officers  # what compose uses, if it has not run yet
        if self._mounted:
            self._show_officers()

    def _show_officers(self) -> None:
        select = next(self.query("#filter-officer").results(Select), None)
        if select is None or self._composed_officers is self.officers:
            return
        self._composed_officers = officers = self.officers
        chosen = select.value
        with select.prevent(Select.Changed):
            select.set_options([(Text(name), oid) for name, oid in officers])
            if any(oid == chosen for _name, oid in officers):
                select.value = chosen

    def on_mount(self) -> None:
        self._mounted = True
        self._show_officers()  # read while the dialog was being put up
        for select in self.query("#filter-officer"):  # none if cancelled before it was up
            self.set_focus(select)

    def read(self) -> LedgerFilter:
        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return value if isinstance(value, str) else None

        days_text = self.query_one("#filter-days", Input).value.strip()
        tag = clean_line(self.query_one("#filter-tag", Input).value)
        return replace(
            self.current,
            officer_id=chosen("#filter-officer"),
            status=chosen("#filter-status"),
            industry=chosen("#filter-industry"),
            tag=tag or None,
            no_visit_days=int(days_text) if days_text.isdigit() else None,
            overdue=self.query_one("#filter-overdue", Checkbox).value,
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
        self.dismiss(self.read())

    def action_clear(self) -> None:
        self.dismiss(LedgerFilter(text=self.current.text))

    def action_cancel(self) -> None:
        for select in self.query(Select):
            if select.expanded:  # Escape closes an open list first (Escape is a priority key)
                select.expanded = False
                self.set_focus(select)
                return
        self.dismiss(None)
