"""Add or edit one enterprise: every ledger field, checked as it is typed.

The rules are :mod:`fieldtui.domain.forms` (per-field checks) and
:mod:`fieldtui.store.enterprises` (USCC already in the ledger, near-identical names); this
screen only shows their answers. Database work runs in thread workers whose results come
back as messages. Saving checks the USCC and names again inside the write transaction, so two
quick saves cannot both take one code. The screen dismisses with the saved enterprise's id,
or None when nothing was saved (cancelled or deleted).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Select, TextArea

from fieldtui.domain.enums import EnterpriseStatus
from fieldtui.domain.forms import (
    ENTERPRISE_FIELDS,
    changed_fields,
    check_enterprise,
    check_enterprise_field,
    enterprise_form_text,
    live_clean,
)
from fieldtui.domain.names import name_key
from fieldtui.domain.records import Enterprise
from fieldtui.domain.schema import ENTERPRISE
from fieldtui.i18n import _
from fieldtui.store.enterprises import EnterpriseRef, find_by_uscc, similar_names
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog, UnsavedChangesDialog
from fieldtui.ui.widgets.form_field import FormField, read_fields

# Labels, code lists and placeholders are the field schema's (fieldtui.domain.schema).
LABELS: dict[str, str] = {f.name: f.label for f in ENTERPRISE.fields}
"""Field labels (English msgids)."""
_SELECTS = {f.name: f.enum for f in ENTERPRISE.form_fields if f.enum is not None}
_PLACEHOLDERS = {f.name: f.placeholder for f in ENTERPRISE.form_fields if f.placeholder}


class EnterpriseFormScreen(Screen[str | None]):
    CSS_PATH = "enterprise_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), id="enterprise_form.save"),
        Binding("escape", "cancel", _("Cancel"), id="enterprise_form.cancel"),
        Binding("ctrl+o", "open_duplicate", _("Open existing record"), id="enterprise_form.open"),
        Binding("f8", "delete", _("Delete"), id="enterprise_form.delete"),
    ]

    class Loaded(Message):
        def __init__(self, record: Enterprise | None) -> None:
            super().__init__()
            self.record = record

    class UsccChecked(Message):
        def __init__(self, uscc: str, duplicate: EnterpriseRef | None) -> None:
            super().__init__()
            self.uscc = uscc
            self.duplicate = duplicate

    class NamesChecked(Message):
        def __init__(self, name: str, similar: list[EnterpriseRef], *, on_save: bool) -> None:
            super().__init__()
            self.name = name
            self.similar = similar
            self.on_save = on_save

    class Finished(Message):
        """A save or delete ended: ``saved_id`` when written, ``error`` when it failed."""

        def __init__(
            self, saved_id: str | None = None, error: str | None = None, deleted: bool = False
        ) -> None:
            super().__init__()
            self.saved_id = saved_id
            self.error = error
            self.deleted = deleted

    def __init__(self, enterprise_id: str | None = None) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id
        self.original: Enterprise | None = None
        self.initial: dict[str, str | None] = {}
        self.duplicate: EnterpriseRef | None = None
        self.similar: list[EnterpriseRef] = []
        self.similar_ack: str | None = None
        """Name key whose similar-name warning the user has already been stopped by once."""
        self.busy = False

    # -- layout -------------------------------------------------------------------------

    def _control(self, field: str) -> Widget:
        lang = ctx(self).lang
        if field in _SELECTS:
            required = field == "status"
            return Select(
                _SELECTS[field].choices(lang),
                prompt=_("(not set)"),
                allow_blank=not required,
                value=EnterpriseStatus.OPERATING.code if required else Select.NULL,
                id=field,
                compact=True,
            )
        if ENTERPRISE.field(field).widget == "textarea":
            return TextArea(id=field, soft_wrap=True, tab_behavior="focus", compact=True)
        placeholder = _PLACEHOLDERS.get(field, "")
        return Input(id=field, placeholder=_(placeholder) if placeholder else "", compact=True)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="enterprise-form"):
            for field in ENTERPRISE_FIELDS:
                yield FormField(
                    _(LABELS[field]), self._control(field), field=field, required=field == "name"
                )
            with Horizontal(id="form-buttons"):
                yield Button(_("Save") + " (Ctrl+S)", variant="primary", id="save")
                yield Button(_("Open existing record"), id="open-duplicate", classes="-hidden")
                yield Button(_("Delete"), variant="error", id="delete")
                yield Button(_("Cancel"), id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Edit enterprise") if self.enterprise_id else _("New enterprise")
        self.query_one("#delete", Button).display = self.enterprise_id is not None
        self.query_one("#name", Input).focus()
        if self.enterprise_id is None:
            self.initial = self.raw()
        else:
            self.query_one("#enterprise-form").loading = True
            self._load(self.enterprise_id)

    @work(thread=True, exclusive=True, group="enterprise-form-load")
    def _load(self, enterprise_id: str) -> None:
        self.post_message(self.Loaded(ctx(self).store.enterprises.get(enterprise_id)))

    def on_enterprise_form_screen_loaded(self, message: Loaded) -> None:
        self.query_one("#enterprise-form").loading = False
        record = message.record
        if record is None or record.deleted:
            self.notify(_("This enterprise no longer exists."), severity="error")
            self.dismiss(None)
            return
        self.original = record
        self.sub_title = record.name
        for field, text in enterprise_form_text(record).items():
            self._set(field, text)
        self.initial = self.raw()

    # -- reading and writing the widgets ------------------------------------------------

    def _set(self, field: str, text: str | None) -> None:
        widget = self.query_one(f"#{field}")
        if isinstance(widget, Select):
            widget.value = text if text else Select.NULL
        elif isinstance(widget, TextArea):
            widget.load_text(text or "")
        elif isinstance(widget, Input):
            widget.value = text or ""

    def raw(self) -> dict[str, str | None]:
        """What the form holds now, as typed (select fields as codes)."""
        return read_fields(self, ENTERPRISE_FIELDS)

    @property
    def dirty(self) -> bool:
        return bool(self.initial) and self.raw() != self.initial

    def field_message(self, field: str) -> str:
        return self.query_one(f"#field-{field}", FormField).message

    def _show(self, field: str) -> None:
        """Show a field's message: its own check first, then what the ledger says."""
        check = check_enterprise_field(field, self.raw()[field])
        error, warning = check.error, check.warning
        if field == "uscc" and not error and self.duplicate is not None:
            error = _("This USCC is already in the ledger: {name}. Ctrl+O opens it.").format(
                name=self.duplicate.name
            )
        if field == "name" and not error and self.similar:
            names = "、".join(ref.name for ref in self.similar)
            warning = _("A similar name is already in the ledger: {names}").format(names=names)
        self.query_one(f"#field-{field}", FormField).show(error, warning)

    # -- live checks --------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field not in ENTERPRISE_FIELDS:
            return
        cleaned = live_clean(event.value)
        if cleaned != event.value:  # a paste brought control characters: drop them
            event.input.value = cleaned
            return
        if field == "uscc":
            self._set_duplicate(None)
            check = check_enterprise_field("uscc", cleaned)
            if check.value and not check.error:
                self._check_uscc(check.value)
        if field == "name":
            self.similar = []
        self._show(field)

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        cleaned = live_clean(text, multiline=True)
        if cleaned != text:
            event.text_area.load_text(cleaned)
            event.text_area.move_cursor(event.text_area.document.end)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id in _SELECTS:
            self._show(event.select.id or "")

    @on(Input.Blurred, "#name")
    def _name_left(self, event: Input.Blurred) -> None:
        name = check_enterprise_field("name", event.value).value
        if name and self._name_changed(name):
            self._check_names(name, on_save=False)

    def _name_changed(self, name: str) -> bool:
        return self.original is None or name_key(name) != name_key(self.original.name)

    @work(thread=True, exclusive=True, group="enterprise-form-uscc")
    def _check_uscc(self, uscc: str) -> None:
        found = find_by_uscc(ctx(self).store, uscc, exclude_id=self.enterprise_id)
        self.post_message(self.UsccChecked(uscc, found))

    def on_enterprise_form_screen_uscc_checked(self, message: UsccChecked) -> None:
        if check_enterprise_field("uscc", self.raw()["uscc"]).value != message.uscc:
            return  # typed on since: a newer check is coming
        self._set_duplicate(message.duplicate)

    def _set_duplicate(self, duplicate: EnterpriseRef | None) -> None:
        self.duplicate = duplicate
        self.query_one("#open-duplicate").set_class(duplicate is None, "-hidden")
        self.refresh_bindings()
        self._show("uscc")

    @work(thread=True, exclusive=True, group="enterprise-form-names")
    def _check_names(self, name: str, *, on_save: bool) -> None:
        found = similar_names(ctx(self).store, name, exclude_id=self.enterprise_id)
        self.post_message(self.NamesChecked(name, found, on_save=on_save))

    def on_enterprise_form_screen_names_checked(self, message: NamesChecked) -> None:
        if check_enterprise_field("name", self.raw()["name"]).value != message.name:
            return
        self.similar = message.similar
        self._show("name")

    # -- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_duplicate":
            return self.duplicate is not None
        if action == "delete":
            return self.enterprise_id is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "save": self.action_save,
            "cancel": self.action_cancel,
            "delete": self.action_delete,
            "open-duplicate": self.action_open_duplicate,
        }
        if event.button.id in actions:
            event.stop()
            actions[event.button.id]()

    def action_save(self) -> None:
        if self.busy or (self.enterprise_id is not None and self.original is None):
            return
        check = check_enterprise(self.raw())
        for field in ENTERPRISE_FIELDS:
            self._show(field)
        if not check.ok:
            first = next(f for f in ENTERPRISE_FIELDS if f in check.errors)
            self.query_one(f"#{first}").focus()
            self.notify(_("Please correct the marked fields."), severity="error")
            return
        if self.duplicate is not None:
            self.query_one("#uscc").focus()
            self.notify(_("This USCC is already in the ledger."), severity="error")
            return
        acknowledged = self.similar_ack == name_key(check.values["name"])
        self.busy = True
        check_names = self._name_changed(check.values["name"]) and not acknowledged
        self._save(check.values, check_names=check_names)

    @work(thread=True, exclusive=True, group="enterprise-form-save")
    def _save(self, values: dict[str, Any], *, check_names: bool) -> None:
        store = ctx(self).store
        try:
            with store.batch():
                if values["uscc"]:
                    found = find_by_uscc(store, values["uscc"], exclude_id=self.enterprise_id)
                    if found is not None:
                        self.post_message(self.UsccChecked(values["uscc"], found))
                        self.post_message(self.Finished())
                        return
                if check_names:
                    similar = similar_names(store, values["name"], exclude_id=self.enterprise_id)
                    if similar:
                        self.post_message(self.NamesChecked(values["name"], similar, on_save=True))
                        self.post_message(self.Finished())
                        return
                if self.enterprise_id is None:
                    saved = store.enterprises.create(Enterprise(**values)).id
                else:
                    assert self.original is not None
                    changes = changed_fields(self.original, values)
                    if changes:
                        store.enterprises.update(self.enterprise_id, **changes)
                    saved = self.enterprise_id
        except Exception as exc:  # the form stays filled in; the user can retry
            self.post_message(self.Finished(error=str(exc)))
            return
        self.post_message(self.Finished(saved_id=saved))

    def on_enterprise_form_screen_finished(self, message: Finished) -> None:
        self.busy = False
        if message.error:
            self.notify(message.error, title=_("Not saved"), severity="error", markup=False)
        elif message.deleted:
            self.notify(_("Enterprise deleted."))
            self.dismiss(None)
        elif message.saved_id:
            self.notify(_("Saved."))
            self.dismiss(message.saved_id)
        elif self.duplicate is not None:
            self.query_one("#uscc").focus()
            self.notify(_("This USCC is already in the ledger."), severity="error")
        elif self.similar:
            self.similar_ack = name_key(self.raw()["name"] or "")
            self.query_one("#name").focus()
            self.notify(
                _("A similar name is already in the ledger. Press Ctrl+S again to save anyway."),
                severity="warning",
            )

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.action_save()
            elif answer == "discard":
                self.dismiss(None)

        self.app.push_screen(UnsavedChangesDialog(), answered)

    def action_open_duplicate(self) -> None:
        if self.duplicate is None:
            return
        from fieldtui.ui.screens.enterprise_detail import EnterpriseDetailScreen

        self.app.push_screen(EnterpriseDetailScreen(self.duplicate.id))

    def action_delete(self) -> None:
        if self.enterprise_id is None or self.original is None or self.busy:
            return
        enterprise_id = self.enterprise_id
        message = _(
            "Delete {name}? It disappears from the ledger; the office can still restore it."
        ).format(name=self.original.name)

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self._delete(enterprise_id)

        self.app.push_screen(
            ConfirmDialog(_("Delete enterprise"), message, confirm_label=_("Delete")), answered
        )

    @work(thread=True, exclusive=True, group="enterprise-form-save")
    def _delete(self, enterprise_id: str) -> None:
        try:
            ctx(self).store.enterprises.delete(enterprise_id)
        except Exception as exc:
            self.post_message(self.Finished(error=str(exc)))
            return
        self.post_message(self.Finished(deleted=True))
