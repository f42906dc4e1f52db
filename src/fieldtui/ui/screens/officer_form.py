"""Add or edit one officer: name, phone, unit and role, checked as they are typed.

A small modal over the roster, built on
:class:`~fieldtui.ui.screens.form_base.RecordFormScreen` with the schema's officer fields
(``OFFICER``: name, phone, unit, role, with their limits). What is special about an officer: a
name another live officer already has warns (when the name field is left, and once on save),
suggesting to tell the two apart by unit, e.g. 张伟（经发局）.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from fieldtui.domain.schema import OFFICER
from fieldtui.i18n import N_, _, bracketed, list_separator
from fieldtui.store import Store
from fieldtui.store.officers import officers_named, person_key
from fieldtui.ui.screens.form_base import Finding, RecordFormScreen

__all__ = ["OfficerFormBase", "OfficerFormScreen"]


class OfficerFormBase(RecordFormScreen):
    """The officer's fields and checks: the roster's form and the first-run profile."""

    SCHEMA = OFFICER
    KIND = "officer"
    LIVE_ON_BLUR = frozenset({"name"})

    def _name_changed(self, name: str) -> bool:
        shown = self.base_text.get("name") or ""
        return self.row_id is None or person_key(name) != person_key(shown)

    def live_check(
        self, store: Store, name: str, value: Any, raw: Mapping[str, str | None]
    ) -> list[Finding]:
        if name == "name" and self._name_changed(value):
            return self._same_name(store, value, (raw.get("unit") or "").strip())
        return []

    def save_checks(self, store: Store, values: Mapping[str, Any]) -> list[Finding]:
        if self._name_changed(values["name"]):
            return self._same_name(store, values["name"], values.get("unit") or "")
        return []

    def _same_name(self, store: Store, name: str, unit: str) -> list[Finding]:
        """Another live officer with this name: warn, suggesting to add the unit."""
        same = officers_named(store, name, exclude_id=self.row_id)
        if not same:
            return []
        units = list_separator().join(o.unit or _("no unit") for o in same)
        unit = unit or _("unit")
        warning = _(
            "{name} is already on the roster ({units}). If this is another person, tell them "
            "apart by unit, e.g. {example}."
        ).format(name=name, units=units, example=name + bracketed(unit))
        return [
            Finding(
                "name",
                warning=warning,
                ack=person_key(name),
                notice=_(
                    "An officer with this name is already on the roster. "
                    "Press Ctrl+S again to save anyway."
                ),
                ref=same,
            )
        ]


class OfficerFormScreen(OfficerFormBase):
    KIND = "officer"
    MODAL = True
    TITLE_NEW = N_("New officer")
    TITLE_EDIT = N_("Edit officer")
    GONE = N_("This officer no longer exists.")
    DELETE_TITLE = N_("Delete officer")
    DELETE_QUESTION = N_(
        "Delete officer {name}? Past assignment plans keep the name; "
        "the record can be restored from Deleted records."
    )
    DELETED = N_("Officer deleted.")
    DEFAULT_CSS = """
    OfficerFormScreen {
        align: center middle;
        background: $background 60%;
    }
    OfficerFormScreen > Vertical {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    OfficerFormScreen #form-body {
        height: auto;
        padding: 0;
    }
    OfficerFormScreen #officer-form-title {
        text-style: bold;
        margin-bottom: 1;
    }
    OfficerFormScreen #form-buttons {
        align-horizontal: right;
    }
    OfficerFormScreen #form-buttons Button {
        margin: 0 0 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        title = _(self.TITLE_EDIT if self.row_id else self.TITLE_NEW)
        with Vertical():
            yield Static(Content(title), id="officer-form-title")
            with Vertical(id="form-body"):
                yield from self.compose_fields()
                with Horizontal(id="form-buttons"):
                    yield from self.compose_buttons()
