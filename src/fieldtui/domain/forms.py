"""What a form typed becomes: checked values and per-field messages, for any front end.

The enterprise and officer screens call these on every keystroke and again before saving. The
rules are the field schema's (:mod:`fieldtui.domain.schema`): each field's type parses what
was typed, exactly as a sheet cell or a sync value of that field is parsed; this module adds
what only a form needs (a required field left empty is an error here, where a sheet's blank
cell means "keep what is stored"). Each check returns the parsed value *and* its message: a
form shows the message under the field while keeping what was typed, exactly as typed.

``check_field``, ``check_form`` and ``form_text`` work for any kind; the enterprise and
officer functions are those for their kinds, kept for the screens that call them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fieldtui.domain.records import Enterprise, Officer, Record
from fieldtui.domain.schema import ENTERPRISE, OFFICER, Kind
from fieldtui.domain.validators import clean_text
from fieldtui.i18n import _

__all__ = [
    "ENTERPRISE_FIELDS",
    "OFFICER_FIELDS",
    "FieldCheck",
    "FormCheck",
    "changed_fields",
    "check_enterprise",
    "check_enterprise_field",
    "check_field",
    "check_form",
    "check_officer",
    "check_officer_field",
    "enterprise_form_text",
    "form_fields",
    "form_text",
    "live_clean",
    "officer_form_text",
]


def form_fields(kind: Kind) -> tuple[str, ...]:
    """A kind's form fields in form order (also the order messages are listed in)."""
    return tuple(f.name for f in kind.form_fields)


ENTERPRISE_FIELDS: tuple[str, ...] = form_fields(ENTERPRISE)
"""Enterprise fields in form order (also the order messages are listed in)."""

OFFICER_FIELDS: tuple[str, ...] = form_fields(OFFICER)


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


def check_form(kind: Kind, raw: Mapping[str, str | None]) -> FormCheck:
    """Check every form field of a kind; missing keys count as empty."""
    result = FormCheck()
    for name in form_fields(kind):
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
