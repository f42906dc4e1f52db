"""Add or edit one enterprise: every ledger field, checked as it is typed.

Built on :class:`~fieldtui.ui.screens.form_base.RecordFormScreen` (load, save against what
was shown, drafts, leaving); its fields are the schema's (``ENTERPRISE``: labels, widgets,
placeholders, limits, choices). What is special about an enterprise: a USCC already in the ledger
is an error found as it is typed (Ctrl+O opens that enterprise), and a near-identical name
(:func:`fieldtui.store.enterprises.similar_names`) warns when the name field is left and stops
the first save. Both are checked again inside the save's write transaction, so two quick
saves cannot both take one code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button

from fieldtui.domain.names import name_key
from fieldtui.domain.schema import ENTERPRISE
from fieldtui.i18n import N_, _
from fieldtui.store import Store
from fieldtui.store.enterprises import find_by_uscc, similar_names
from fieldtui.ui.screens.form_base import Finding, RecordFormScreen
from fieldtui.ui.screens.registry import make_screen

__all__ = ["EnterpriseFormScreen"]


class EnterpriseFormScreen(RecordFormScreen):
    CSS_PATH = "enterprise_form.tcss"
    SCHEMA = ENTERPRISE
    TITLE_NEW = N_("New enterprise")
    TITLE_EDIT = N_("Edit enterprise")
    GONE = N_("This enterprise no longer exists.")
    DELETE_TITLE = N_("Delete enterprise")
    DELETE_QUESTION = N_(
        "Delete {name}? It disappears from the ledger and can be restored from Deleted records."
    )
    DELETED = N_("Enterprise deleted.")
    LIVE_ON_CHANGE = frozenset({"uscc"})
    LIVE_ON_BLUR = frozenset({"name"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "open_duplicate", _("Open existing record"), id="enterprise_form.open"),
    ]

    @property
    def enterprise_id(self) -> str | None:
        return self.row_id

    # -- the duplicate USCC and similar names ----------------------------------------------

    def _name_changed(self, name: str) -> bool:
        shown = self.base_text.get("name") or ""
        return self.row_id is None or name_key(name) != name_key(shown)

    def live_check(
        self, store: Store, name: str, value: Any, raw: Mapping[str, str | None]
    ) -> list[Finding]:
        if name == "uscc":
            return self._uscc_findings(store, value)
        if name == "name" and self._name_changed(value):
            return self._name_findings(store, value)
        return []

    def save_checks(self, store: Store, values: Mapping[str, Any]) -> list[Finding]:
        found = self._uscc_findings(store, values["uscc"]) if values["uscc"] else []
        if self._name_changed(values["name"]):
            found += self._name_findings(store, values["name"])
        return found

    def _uscc_findings(self, store: Store, uscc: str) -> list[Finding]:
        duplicate = find_by_uscc(store, uscc, exclude_id=self.row_id)
        if duplicate is None:
            return []
        return [
            Finding(
                "uscc",
                error=_("This USCC is already in the ledger: {name}. Ctrl+O opens it.").format(
                    name=duplicate.name
                ),
                notice=_("This USCC is already in the ledger."),
                ref=duplicate,
            )
        ]

    def _name_findings(self, store: Store, name: str) -> list[Finding]:
        similar = similar_names(store, name, exclude_id=self.row_id)
        if not similar:
            return []
        names = "、".join(ref.name for ref in similar)
        return [
            Finding(
                "name",
                warning=_("A similar name is already in the ledger: {names}").format(names=names),
                ack=name_key(name),
                notice=_(
                    "A similar name is already in the ledger. Press Ctrl+S again to save anyway."
                ),
                ref=similar,
            )
        ]

    # -- opening the record that already holds the USCC ----------------------------------

    def compose_buttons(self) -> ComposeResult:
        yield from super().compose_buttons()
        yield Button(_("Open existing record"), id="open-duplicate", classes="-hidden")

    def findings_changed(self) -> None:
        self.query_one("#open-duplicate").set_class(self.finding("uscc") is None, "-hidden")

    def field_changed(self, name: str) -> None:
        if name == "uscc":
            self.findings_changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_duplicate":
            return self.finding("uscc") is not None
        return super().check_action(action, parameters)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "open-duplicate":
            event.stop()
            self.action_open_duplicate()

    def action_open_duplicate(self) -> None:
        found = self.finding("uscc")
        if found is not None:
            self.app.push_screen(make_screen("enterprise_detail", found.ref.id))
