"""Add or edit one officer: name, phone, unit and role, checked as they are typed.

A small modal over the roster. The rules are :func:`fieldtui.domain.forms.check_officer`;
saving runs in a thread worker and writes only the fields that changed. Dismisses with the
saved officer's id, or None.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from fieldtui.domain.enums import OfficerRole
from fieldtui.domain.forms import (
    OFFICER_FIELDS,
    changed_fields,
    check_officer,
    check_officer_field,
    live_clean,
    officer_form_text,
)
from fieldtui.domain.records import Officer
from fieldtui.domain.schema import OFFICER
from fieldtui.i18n import _
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.choice_dialog import UnsavedChangesDialog
from fieldtui.ui.widgets.form_field import FormField, read_fields

OFFICER_LABELS: dict[str, str] = {f.name: f.label for f in OFFICER.fields}
"""Field labels (English msgids), the field schema's."""


class OfficerFormScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    OfficerFormScreen {
        align: center middle;
    }
    OfficerFormScreen > Vertical {
        width: 72;
        max-width: 95%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    OfficerFormScreen #officer-form-title {
        text-style: bold;
        margin-bottom: 1;
    }
    OfficerFormScreen #officer-buttons {
        height: auto;
        align-horizontal: right;
    }
    OfficerFormScreen #officer-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), id="officer_form.save"),
        Binding("escape", "cancel", _("Cancel"), id="officer_form.cancel"),
    ]

    class Loaded(Message):
        def __init__(self, record: Officer | None) -> None:
            super().__init__()
            self.record = record

    class Finished(Message):
        def __init__(self, saved_id: str | None = None, error: str | None = None) -> None:
            super().__init__()
            self.saved_id = saved_id
            self.error = error

    def __init__(self, officer_id: str | None = None) -> None:
        super().__init__()
        self.officer_id = officer_id
        self.original: Officer | None = None
        self.initial: dict[str, str | None] = {}
        self.busy = False

    def compose(self) -> ComposeResult:
        title = _("Edit officer") if self.officer_id else _("New officer")
        with Vertical():
            yield Static(Content(title), id="officer-form-title")
            for field in OFFICER_FIELDS:
                control: Input | Select[str]
                if field == "role":
                    control = Select(
                        OfficerRole.choices(ctx(self).lang),
                        allow_blank=False,
                        value=OfficerRole.CSO.code,
                        id="role",
                        compact=True,
                    )
                else:
                    control = Input(id=field, compact=True)
                yield FormField(
                    _(OFFICER_LABELS[field]), control, field=field, required=field == "name"
                )
            with Horizontal(id="officer-buttons"):
                yield Button(_("Save") + " (Ctrl+S)", variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        if self.officer_id is None:
            self.initial = self.raw()
        else:
            self._load(self.officer_id)

    @work(thread=True, exclusive=True, group="officer-form")
    def _load(self, officer_id: str) -> None:
        self.post_message(self.Loaded(ctx(self).store.officers.get(officer_id)))

    def on_officer_form_screen_loaded(self, message: Loaded) -> None:
        if message.record is None or message.record.deleted:
            self.notify(_("This officer no longer exists."), severity="error")
            self.dismiss(None)
            return
        self.original = message.record
        for field, text in officer_form_text(message.record).items():
            widget = self.query_one(f"#{field}")
            if isinstance(widget, Select):
                widget.value = text or OfficerRole.CSO.code
            elif isinstance(widget, Input):
                widget.value = text or ""
        self.initial = self.raw()

    def raw(self) -> dict[str, str | None]:
        return read_fields(self, OFFICER_FIELDS)

    @property
    def dirty(self) -> bool:
        return bool(self.initial) and self.raw() != self.initial

    def _show(self, field: str) -> None:
        check = check_officer_field(field, self.raw()[field])
        self.query_one(f"#field-{field}", FormField).show(check.error, check.warning)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        cleaned = live_clean(event.value)
        if cleaned != event.value:
            event.input.value = cleaned
            return
        if event.input.id in OFFICER_FIELDS:
            self._show(event.input.id or "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        if self.busy or (self.officer_id is not None and self.original is None):
            return
        check = check_officer(self.raw())
        for field in OFFICER_FIELDS:
            self._show(field)
        if not check.ok:
            first = next(f for f in OFFICER_FIELDS if f in check.errors)
            self.query_one(f"#{first}").focus()
            return
        self.busy = True
        self._save(check.values)

    @work(thread=True, exclusive=True, group="officer-form-save")
    def _save(self, values: dict[str, Any]) -> None:
        store = ctx(self).store
        try:
            if self.officer_id is None:
                saved = store.officers.create(Officer(**values)).id
            else:
                assert self.original is not None
                changes = changed_fields(self.original, values)
                if changes:
                    store.officers.update(self.officer_id, **changes)
                saved = self.officer_id
        except Exception as exc:  # keep the form filled in; the user can retry
            self.post_message(self.Finished(error=str(exc)))
            return
        self.post_message(self.Finished(saved_id=saved))

    def on_officer_form_screen_finished(self, message: Finished) -> None:
        self.busy = False
        if message.error:
            self.notify(message.error, title=_("Not saved"), severity="error", markup=False)
            return
        self.dismiss(message.saved_id)

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
