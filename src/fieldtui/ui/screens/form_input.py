"""The fields of a form on screen: their controls, what is typed, and the messages under them.

The lower layer of :class:`~fieldtui.ui.screens.form_base.RecordFormScreen`: it knows the
form's record kind (``SCHEMA``) and fields (``FIELDS``, by default the kind's form fields:
:func:`~fieldtui.domain.forms.form_specs`), builds each field's control
(:mod:`fieldtui.ui.widgets.form_controls`: input, textarea, select, multiselect, checkbox,
picker, multipicker), checks each field with the schema's parser, cleans what is typed or
pasted (control characters go), shows each field's error or warning under it as it is typed,
and runs a kind's database checks of a field (as typed, or when the cursor leaves it) in a
thread worker. It knows nothing of records, saving or drafts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from fieldtui.domain.forms import FieldCheck, FormCheck, check_field, live_clean
from fieldtui.domain.schema import Kind
from fieldtui.i18n import _
from fieldtui.store import Store
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.form_spec import FieldSpec, Finding, Texts, form_specs
from fieldtui.ui.widgets.form_controls import (
    ControlChanged,
    RefFieldBase,
    control_text,
    make_control,
    set_control_text,
)
from fieldtui.ui.widgets.form_field import FormField

__all__ = ["FormInput"]


class FormInput(Screen[str | None]):
    """Fields, typing and messages; subclasses add what the fields are for."""

    SCHEMA: ClassVar[Kind | None] = None
    """The record kind; its fields' checks are the schema's."""
    FIELDS: ClassVar[tuple[FieldSpec, ...]] = ()
    """The form's fields in order; a subclass that sets ``SCHEMA`` and not ``FIELDS`` gets
    the kind's form fields (``form_specs(SCHEMA)``)."""
    LIVE_ON_CHANGE: ClassVar[frozenset[str]] = frozenset()
    """Fields whose database check runs as they are typed (once their own check passes)."""
    LIVE_ON_BLUR: ClassVar[frozenset[str]] = frozenset()
    """Fields whose database check runs when the cursor leaves them."""

    class LiveChecked(Message):
        def __init__(self, field: str, value: Any, findings: list[Finding]) -> None:
            super().__init__()
            self.field = field
            self.value = value
            self.findings = findings

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.SCHEMA is not None and "SCHEMA" in cls.__dict__ and "FIELDS" not in cls.__dict__:
            cls.FIELDS = form_specs(cls.SCHEMA)

    def __init__(self) -> None:
        super().__init__()
        self.ready = False
        """The fields show what they should (loaded, or a new record's defaults)."""
        self.findings: dict[str, Finding] = {}
        """What the database checks found, by field."""
        self.acks: set[str] = set()
        """Warnings the officer has been stopped by once (their ``ack`` keys)."""

    # -- what a kind implements -------------------------------------------------------------

    def check_field(self, name: str, raw: str | None) -> FieldCheck:
        """One field as typed, by the schema's parser (a kind may add to it)."""
        assert self.SCHEMA is not None, f"{type(self).__name__} sets no SCHEMA"
        return check_field(self.SCHEMA, name, raw)

    def check_form(self, raw: Mapping[str, str | None]) -> FormCheck:
        """Every field of the form as typed (each by :meth:`check_field`); its values are
        what a save writes."""
        result = FormCheck()
        for spec in self.FIELDS:
            check = self.check_field(spec.name, raw.get(spec.name))
            result.checks[spec.name] = check
            result.values[spec.name] = check.value
        return result

    def live_check(
        self, store: Store, name: str, value: Any, raw: Mapping[str, str | None]
    ) -> list[Finding]:
        """Database checks of one field as typed (thread worker; read only). ``raw`` is the
        whole form as typed when the check started."""
        return []

    # -- layout ---------------------------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="form-notice")
        for spec in self.FIELDS:
            yield FormField(
                _(spec.label),
                make_control(spec, ctx(self).lang),
                field=spec.name,
                required=spec.required,
            )

    def focus_first(self) -> None:
        """The first field has the focus (again after loading, which takes it away)."""
        if self.FIELDS:
            self.query_one(f"#{self.FIELDS[0].name}").focus()

    # -- reading and writing the controls -----------------------------------------------------

    def control(self, name: str) -> Widget:
        """The control of a field (its id is the field's name)."""
        return self.query_one(f"#{name}")

    def set_texts(self, texts: Mapping[str, str | None]) -> None:
        for spec in self.FIELDS:
            if spec.name in texts:
                set_control_text(self.control(spec.name), texts[spec.name])

    def raw(self) -> Texts:
        """What the form holds now, as text (see :mod:`fieldtui.ui.widgets.form_controls`)."""
        return {spec.name: control_text(self.control(spec.name)) for spec in self.FIELDS}

    def field_message(self, name: str) -> str:
        return self.query_one(f"#field-{name}", FormField).message

    def finding(self, name: str) -> Finding | None:
        return self.findings.get(name)

    def show(self, name: str) -> None:
        """Show a field's message: its own check first, then what the database said."""
        check = self.check_field(name, self.raw()[name])
        error, warning = check.error, check.warning
        found = self.findings.get(name)
        if found is not None and not error:
            error = found.error
            warning = found.warning or warning
        self.query_one(f"#field-{name}", FormField).show(error, warning)

    # -- typing -------------------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name not in self._names():
            return
        cleaned = live_clean(event.value)
        if cleaned != event.value:  # a paste brought control characters: drop them
            event.input.value = cleaned
            return
        self._field_changed(name)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        name = event.text_area.id or ""
        if name not in self._names():
            return
        text = event.text_area.text
        cleaned = live_clean(text, multiline=True)
        if cleaned != text:
            event.text_area.load_text(cleaned)
            event.text_area.move_cursor(event.text_area.document.end)
            return
        self._field_changed(name)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        name = event.select.id or ""
        if name in self._names():
            self._field_changed(name)

    @on(ControlChanged)
    def _control_changed(self, event: ControlChanged) -> None:
        name = event.widget.id or ""
        if name in self._names():
            self._field_changed(name)

    async def take_key(self, event: events.Key) -> bool:
        """A character typed on a reference field opens its picker with it, handled as it
        arrives (called by the app): the keys typed after it reach the picker's search in
        order, however fast. Every other key goes the usual way."""
        focused = self.focused
        if isinstance(focused, RefFieldBase) and event.is_printable and event.character:
            focused.type_char(event.character)
            return True
        return False

    @on(Input.Blurred)
    def _input_left(self, event: Input.Blurred) -> None:
        name = event.input.id or ""
        if name in self.LIVE_ON_BLUR and self.ready:
            self._live(name)

    def _names(self) -> set[str]:
        return {spec.name for spec in self.FIELDS}

    def _field_changed(self, name: str) -> None:
        self.findings.pop(name, None)
        self.field_changed(name)
        if name in self.LIVE_ON_CHANGE and self.ready:
            self._live(name)
        self.show(name)
        self.edited(name)

    def edited(self, name: str) -> None:
        """After every change of a field (the record form keeps its draft here)."""

    def field_changed(self, name: str) -> None:
        """A kind's reaction to a field's change (after its findings were dropped)."""

    def _live(self, name: str) -> None:
        raw = self.raw()
        check = self.check_field(name, raw[name])
        if check.value is not None and not check.error:
            self._live_check(name, check.value, raw)

    @work(thread=True, exclusive=True, group="form-live")
    def _live_check(self, name: str, value: Any, raw: Texts) -> None:
        found = self.live_check(ctx(self).store, name, value, raw)
        self.post_message(self.LiveChecked(name, value, found))

    def on_form_input_live_checked(self, message: LiveChecked) -> None:
        if self.check_field(message.field, self.raw()[message.field]).value != message.value:
            return  # typed on since: a newer check is coming
        self._take_findings(message.findings, fields=[message.field])

    def _take_findings(self, findings: Iterable[Finding], fields: Iterable[str]) -> None:
        for name in fields:
            self.findings.pop(name, None)
        for found in findings:
            self.findings[found.field] = found
        for name in {*fields, *(f.field for f in findings)}:
            self.show(name)
        self.refresh_bindings()
        self.findings_changed()

    def findings_changed(self) -> None:
        """A kind's reaction to new database findings (e.g. showing an "open it" button)."""
