"""What a form typed becomes: checked values and per-field messages, for any front end.

The enterprise and officer screens call these on every keystroke and again before saving. The
rules are the field schema's (:mod:`fieldtui.domain.schema`): each field's type parses what
was typed, exactly as a sheet cell or a sync value of that field is parsed; this module adds
what only a form needs (a required field left empty is an error here, where a sheet's blank
cell means "keep what is stored"). Each check returns the parsed value *and* its message: a
form shows the message under the field while keeping what was typed, exactly as typed.

``check_field``, ``check_form`` and ``form_text`` work for any kind; the enterprise and
officer functions are those for their kinds, kept for the callers that use them.

:func:`form_specs` gives what a form screen builds for each field of a kind, read from the
schema: label, widget (:data:`WIDGETS`), required marker, placeholder, length limit, code-list
choices, a new record's default and, for references, the table to pick from. Every widget's
contents are text that :func:`check_field` parses (a select's code, a checkbox's ``yes``/
``no``, a picker's id, a multiselect's or multipicker's items joined by 、), so drafts, dirty
tracking and outside changes treat every field alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fieldtui.domain.records import Enterprise, Officer, Record
from fieldtui.domain.schema import ENTERPRISE, LIST_JOINER, OFFICER, Field, Kind, Ref, RefList
from fieldtui.domain.validators import clean_text
from fieldtui.i18n import _

__all__ = [
    "ENTERPRISE_FIELDS",
    "OFFICER_FIELDS",
    "WIDGETS",
    "FieldCheck",
    "FieldSpec",
    "FormCheck",
    "changed_fields",
    "check_enterprise",
    "check_enterprise_field",
    "check_field",
    "check_form",
    "check_officer",
    "check_officer_field",
    "enterprise_form_text",
    "field_spec",
    "form_fields",
    "form_specs",
    "form_text",
    "join_items",
    "live_clean",
    "new_form_text",
    "officer_form_text",
    "split_items",
]


def form_fields(kind: Kind) -> tuple[str, ...]:
    """A kind's form fields in form order (also the order messages are listed in)."""
    return tuple(f.name for f in kind.form_fields)


ENTERPRISE_FIELDS: tuple[str, ...] = form_fields(ENTERPRISE)
"""Enterprise fields in form order (also the order messages are listed in)."""

OFFICER_FIELDS: tuple[str, ...] = form_fields(OFFICER)


WIDGETS: tuple[str, ...] = (
    "input",
    "textarea",
    "select",
    "multiselect",
    "checkbox",
    "picker",
    "multipicker",
)
"""What a form builds for a field (``Field.widget``, from its type): a line of text, free
text, one code of a list, several codes of a list, yes/no, one record of another table,
several records of another table."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a form: what the screen builds and marks, read from the schema.

    A form may change a copy (``dataclasses.replace``), e.g. another placeholder; what is
    checked stays the schema's (:func:`check_field`).
    """

    name: str
    label: str
    """English msgid, shown translated."""
    widget: str = "input"
    """One of :data:`WIDGETS`."""
    required: bool = False
    """Marks the label; the field's check decides what is refused."""
    placeholder: str = ""
    """A msgid or an example (shown through ``_()`` either way)."""
    max_length: int = 0
    """Characters an input takes (0: no limit)."""
    choices: Callable[[str], Sequence[tuple[str, str]]] | None = None
    """A select's or multiselect's ``(label, code)`` pairs in a language."""
    default: str | None = None
    """A new record's text for the field (None: empty)."""
    table: str | None = None
    """A picker's or multipicker's table (``enterprise``, ``officer``, ``project`` …)."""
    link: bool = False
    """A multipicker kept in a link table (saved link by link, not as a column)."""


def field_spec(found: Field) -> FieldSpec:
    """A schema field as a form shows it."""
    widget = found.widget
    if widget not in WIDGETS:
        raise ValueError(f"{found.name}: no form widget {widget!r}")
    table = found.type.table if isinstance(found.type, (Ref, RefList)) else None
    default = None if found.default is None else found.text(found.default)
    return FieldSpec(
        name=found.name,
        label=found.label,
        widget=widget,
        required=found.required,
        placeholder=found.placeholder or "",
        max_length=(found.max_len or 0) if widget == "input" else 0,
        choices=found.choices if found.enum is not None else None,
        default=default,
        table=table,
        link=found.link is not None,
    )


def form_specs(kind: Kind, names: Iterable[str] | None = None) -> tuple[FieldSpec, ...]:
    """A kind's form fields (``Kind.form_fields``: form order, then column order), or just
    ``names`` in the order given."""
    if names is None:
        return tuple(field_spec(f) for f in kind.form_fields)
    return tuple(field_spec(kind.field(name)) for name in names)


def new_form_text(specs: Iterable[FieldSpec]) -> dict[str, str | None]:
    """What a new record's form shows: each field's default (a code, ``no``…) or empty."""
    return {spec.name: spec.default for spec in specs}


def split_items(text: str | None) -> list[str]:
    """A list field's form text as its items (codes or ids)."""
    if not text:
        return []
    return [item for item in (part.strip() for part in text.split(LIST_JOINER)) if item]


def join_items(items: Iterable[str]) -> str:
    """Items (codes or ids) as a list field's form text; :func:`check_field` parses it back."""
    return LIST_JOINER.join(items)


@dataclass(frozen=True, slots=True)
class FieldCheck:
    """One field's parsed value and what to tell the user about it.

    ``value`` is None when the field is empty or has an error; an error blocks saving, a
    warning does not.
    """

    value: Any = None
    error: str | None = None
    warning: str | None = None

    @property
    def message(self) -> str | None:
        return self.error or self.warning


@dataclass(slots=True)
class FormCheck:
    """A whole form: the values to store and each field's check."""

    values: dict[str, Any] = field(default_factory=dict)
    checks: dict[str, FieldCheck] = field(default_factory=dict)

    @property
    def errors(self) -> dict[str, str]:
        return {f: c.error for f, c in self.checks.items() if c.error}

    @property
    def warnings(self) -> dict[str, str]:
        return {f: c.warning for f, c in self.checks.items() if c.warning}

    @property
    def ok(self) -> bool:
        return not self.errors


def live_clean(text: str, *, multiline: bool = False) -> str:
    """What a field keeps of a keystroke or paste: control characters go, nothing else.

    Unlike :func:`clean_line` this keeps surrounding spaces, because it runs while the user is
    still typing ("浩海 " is on its way to "浩海 环保").
    """
    cleaned = clean_text(text)
    if multiline:
        return cleaned
    return cleaned.replace("\n", " ").replace("\t", " ")


def check_field(kind: Kind, name: str, raw: str | None) -> FieldCheck:
    """Check one field of a kind's form as typed (select fields pass their code, or None)."""
    found = kind.get(name)
    if found is None or not found.form:
        raise KeyError(f"{kind.table} has no form field {name!r}")
    parsed = found.parse(raw)
    if parsed.blank:
        return FieldCheck(error=_("Required")) if found.required else FieldCheck(parsed.value)
    error = parsed.error
    if error is not None and found.type.form_error is not None:
        error = _(found.type.form_error)
    return FieldCheck(parsed.value, error, parsed.warning)


def check_form(
    kind: Kind, raw: Mapping[str, str | None], names: Iterable[str] | None = None
) -> FormCheck:
    """Check every form field of a kind (or just ``names``); missing keys count as empty."""
    result = FormCheck()
    for name in form_fields(kind) if names is None else names:
        check = check_field(kind, name, raw.get(name))
        result.checks[name] = check
        result.values[name] = check.value
    return result


def form_text(kind: Kind, record: Record) -> dict[str, str | None]:
    """A stored record as its form shows it; checking these texts gives the same values.

    Amounts are shown without thousands separators because they are being edited, not read.
    Link fields (a visit's officers) are not on the record: they come out empty, for the form
    to fill from the link table.
    """
    return {f.name: f.text(getattr(record, f.name, None)) for f in kind.form_fields}


def check_enterprise_field(name: str, raw: str | None) -> FieldCheck:
    """Check one enterprise field as typed (select fields pass their code, or None)."""
    return check_field(ENTERPRISE, name, raw)


def check_enterprise(raw: Mapping[str, str | None]) -> FormCheck:
    """Check every enterprise field; missing keys count as empty."""
    return check_form(ENTERPRISE, raw)


def check_officer_field(name: str, raw: str | None) -> FieldCheck:
    return check_field(OFFICER, name, raw)


def check_officer(raw: Mapping[str, str | None]) -> FormCheck:
    return check_form(OFFICER, raw)


def enterprise_form_text(record: Enterprise) -> dict[str, str | None]:
    """A stored enterprise as the form shows it; checking these texts gives the same values."""
    return form_text(ENTERPRISE, record)


def officer_form_text(record: Officer) -> dict[str, str | None]:
    return form_text(OFFICER, record)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b  # 12.5 and 12.50 are one amount, whatever the stored spelling
    return bool(a == b) and type(a) is type(b)


def changed_fields(original: Record, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that differ from ``original``: what an edit must write, and nothing more.

    Comparing here, rather than leaving it to the store, keeps equal amounts spelled
    differently (``12.5`` stored, ``12.50`` parsed) from producing a pointless op.
    """
    return {k: v for k, v in values.items() if not _same(getattr(original, k), v)}
