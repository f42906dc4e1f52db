"""The projects list's filter dialog: stage, source, officer (this year's plan), revitalised.

Everything combines (AND) with the search typed on the list. Officer names are user text, so
every option and prompt is ``Text``: ``Select`` would parse a plain string as markup.
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

from fieldtui.domain.enums import ProjectSource, ProjectStage
from fieldtui.i18n import _
from fieldtui.store.project_list import ProjectFilter
from fieldtui.ui.widgets.choice_dialog import key_hint

OfficerChoice = tuple[str, str]
"""(name, id)"""


class ProjectFilterScreen(ModalScreen[ProjectFilter | None]):
    """Dismisses with the new filter (the search text as it was), or None when cancelled."""

    DEFAULT_CSS = """
    ProjectFilterScreen {
        align: center middle;
    }
    ProjectFilterScreen > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 0 2;
    }
    ProjectFilterScreen .filter-title {
        width: auto;
        text-style: bold;
        padding: 0 0 1 0;
    }
    ProjectFilterScreen Label {
        width: 12;
        padding: 0 1 0 0;
    }
    ProjectFilterScreen .filter-row {
        height: 1;
        margin-bottom: 1;
    }
    ProjectFilterScreen .filter-row Select {
        width: 1fr;
    }
    ProjectFilterScreen .filter-checks {
        height: 1;
        margin-bottom: 1;
    }
    ProjectFilterScreen .filter-checks Checkbox {
        width: auto;
    }
    ProjectFilterScreen #filter-buttons {
        height: 1;
        align-horizontal: right;
    }
    ProjectFilterScreen #filter-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", _("Apply"), id="project_filter.apply"),
        Binding("ctrl+x", "clear", _("Clear filters"), id="project_filter.clear"),
        # Priority: gone before the keys typed after Escape are sent on (to the list).
        Binding("escape", "cancel", _("Cancel"), id="project_filter.cancel", priority=True),
    ]
    AUTO_FOCUS: ClassVar[str | None] = "#filter-stage"

    def __init__(
        self, current: ProjectFilter, officers: list[OfficerChoice], year: int, lang: str = "zh"
    ) -> None:
        super().__init__()
        self.current = current
        self.officers = officers
        self.year = year
        self.lang = lang

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical():
            yield Label(_("Filter the projects"), classes="filter-title")
            with Horizontal(classes="filter-row"):
                yield Label(_("Stage"))
                yield Select(
                    [(Text(label), code) for label, code in ProjectStage.choices(self.lang)],
                    value=f.stage or Select.NULL,
                    prompt=_("Any stage"),
                    compact=True,
                    id="filter-stage",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Source"))
                yield Select(
                    [(Text(label), code) for label, code in ProjectSource.choices(self.lang)],
                    value=f.source or Select.NULL,
                    prompt=_("Any source"),
                    compact=True,
                    id="filter-source",
                )
            with Horizontal(classes="filter-row"):
                yield Label(_("Officer"))
                known = {oid for _name, oid in self.officers}
                yield Select(
                    [(Text(name), oid) for name, oid in self.officers],
                    value=f.officer_id if f.officer_id in known else Select.NULL,
                    prompt=_("Anyone in the {year} plan").format(year=self.year),
                    compact=True,
                    id="filter-officer",
                )
            with Horizontal(classes="filter-checks"):
                yield Checkbox(
                    _("Revitalised plant only"), f.revitalized, compact=True, id="filter-revit"
                )
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

    def set_officers(self, officers: list[OfficerChoice]) -> None:
        """Officers read again (the list was reloaded): new options, the choice kept."""
        self.officers = officers
        select = next(self.query("#filter-officer").results(Select), None)
        if select is None:
            return
        chosen = select.value
        options = [(Text(name), oid) for name, oid in officers]
        with select.prevent(Select.Changed):
            select.set_options(options)
            if any(value == chosen for _label, value in options):
                select.value = chosen

    def on_mount(self) -> None:
        for select in self.query("#filter-stage"):  # none if cancelled before it was up
            self.set_focus(select)

    def read(self) -> ProjectFilter:
        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return value if isinstance(value, str) else None

        return replace(
            self.current,
            stage=chosen("#filter-stage"),
            source=chosen("#filter-source"),
            officer_id=chosen("#filter-officer"),
            revitalized=self.query_one("#filter-revit", Checkbox).value,
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
        self.dismiss(ProjectFilter(text=self.current.text))

    def action_cancel(self) -> None:
        for select in self.query(Select):
            if select.expanded:  # Escape closes an open list first (Escape is a priority key)
                select.expanded = False
                self.set_focus(select)
                return
        self.dismiss(None)
