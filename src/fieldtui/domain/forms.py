"""What a form typed becomes: checked values and per-field messages, for any front end.

The enterprise and officer screens call these on every keystroke and again before saving, so
the rules live here once, free of Textual and tested as plain functions. Each field's check
returns its parsed value *and* its message: a form shows the message under the field while
keeping what was typed, exactly as typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fieldtui.domain.enums import (
    CodedEnum,
    EnterpriseScale,
    EnterpriseStatus,
    Industry,
    OfficerRole,
)
from fieldtui.domain.records import Enterprise, Officer, Record
from fieldtui.domain.validators import (
    check_phone,
    check_uscc,
    clean_line,
    clean_text,
    format_money_wan,
    parse_money_wan,
    split_list,
)
from fieldtui.i18n import _ as _gettext

__all__ = [
    "ENTERPRISE_FIELDS",
    "OFFICER_FIELDS",
    "FieldCheck",
    "FormCheck",
    "changed_fields",
    "check_enterprise",
    "check_enterprise_field",
    "check_officer",
    "check_officer_field",
    "enterprise_form_text",
    "live_clean",
    "officer_form_text",
]

ENTERPRISE_FIELDS: tuple[str, ...] = (
    "name",
    "uscc",
    "legal_rep",
    "industry",
    "scale",
    "status",
    "address",
    "contact",
    "phone",
    "employees",
    "revenue_wan",
    "tags",
    "notes",
)
"""Enterprise fields in form order (also the order messages are listed in)."""

OFFICER_FIELDS: tuple[str, ...] = ("name", "phone", "unit", "role")

_MULTILINE = frozenset({"notes"})
_LINE_FIELDS = frozenset({"legal_rep", "address", "contact", "unit"})
_EMPLOYEES = re.compile(r"\d+")


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params)


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


def _code(enum: type[CodedEnum], raw: str | None, *, required: bool) -> FieldCheck:
    if not raw:
        return FieldCheck(error=_("Required")) if required else FieldCheck()
    try:
        return FieldCheck(enum.parse(raw).code)
    except ValueError as exc:
        return FieldCheck(error=str(exc))


def _employees(raw: str) -> FieldCheck:
    text = unicodedata.normalize("NFKC", raw).replace(",", "").replace(" ", "")
    if not text:
        return FieldCheck()
    if text.startswith("-") and _EMPLOYEES.fullmatch(text[1:]):
        return FieldCheck(error=_("Cannot be negative"))
    if not _EMPLOYEES.fullmatch(text):
        return FieldCheck(error=_("Enter a whole number of people, e.g. 120"))
    return FieldCheck(int(text))


def _revenue(raw: str) -> FieldCheck:
    if not raw.strip():
        return FieldCheck()
    try:
        return FieldCheck(parse_money_wan(raw))
    except ValueError as exc:
        return FieldCheck(error=str(exc))


def _name(raw: str) -> FieldCheck:
    name = clean_line(raw)
    return FieldCheck(name) if name else FieldCheck(error=_("Name is required"))


def _optional_line(raw: str) -> FieldCheck:
    return FieldCheck(clean_line(raw) or None)


def _phone(raw: str) -> FieldCheck:
    """A form shows the number typed beside its message and examples in the placeholder, so
    the message is short enough for one line under the field at 80 columns."""
    result = check_phone(clean_line(raw))
    if result.ok:
        return FieldCheck(result.value)
    return FieldCheck(error=_("Enter an 11-digit mobile or area code + number"))


def check_enterprise_field(name: str, raw: str | None) -> FieldCheck:
    """Check one enterprise field as typed (select fields pass their code, or None)."""
    text = raw or ""
    if name == "name":
        return _name(text)
    if name == "uscc":
        uscc = check_uscc(clean_line(text))
        if uscc.error:
            return FieldCheck(error=uscc.error)
        return FieldCheck(uscc.value, warning=uscc.warning)
    if name == "industry":
        return _code(Industry, raw, required=False)
    if name == "scale":
        return _code(EnterpriseScale, raw, required=False)
    if name == "status":
        return _code(EnterpriseStatus, raw, required=True)
    if name == "phone":
        return _phone(text)
    if name == "employees":
        return _employees(text)
    if name == "revenue_wan":
        return _revenue(text)
    if name == "tags":
        tags = [t for t in (clean_line(t) for t in split_list(clean_text(text))) if t]
        return FieldCheck(list(dict.fromkeys(tags)))
    if name in _MULTILINE:
        return FieldCheck(clean_text(text).strip() or None)
    if name in _LINE_FIELDS:
        return _optional_line(text)
    raise KeyError(f"enterprise has no form field {name!r}")


def check_enterprise(raw: Mapping[str, str | None]) -> FormCheck:
    """Check every enterprise field; missing keys count as empty."""
    result = FormCheck()
    for name in ENTERPRISE_FIELDS:
        check = check_enterprise_field(name, raw.get(name))
        result.checks[name] = check
        result.values[name] = check.value
    return result


def check_officer_field(name: str, raw: str | None) -> FieldCheck:
    text = raw or ""
    if name == "name":
        name_text = clean_line(text)
        return FieldCheck(name_text) if name_text else FieldCheck(error=_("Enter a name"))
    if name == "phone":
        return _phone(text)
    if name == "unit":
        return _optional_line(text)
    if name == "role":
        return _code(OfficerRole, raw, required=True)
    raise KeyError(f"officer has no form field {name!r}")


def check_officer(raw: Mapping[str, str | None]) -> FormCheck:
    result = FormCheck()
    for name in OFFICER_FIELDS:
        check = check_officer_field(name, raw.get(name))
        result.checks[name] = check
        result.values[name] = check.value
    return result


def enterprise_form_text(record: Enterprise) -> dict[str, str | None]:
    """A stored enterprise as the form shows it; checking these texts gives the same values.

    Revenue is shown without thousands separators because it is being edited, not read.
    """
    return {
        "name": record.name,
        "uscc": record.uscc or "",
        "legal_rep": record.legal_rep or "",
        "industry": record.industry,
        "scale": record.scale,
        "status": record.status,
        "address": record.address or "",
        "contact": record.contact or "",
        "phone": record.phone or "",
        "employees": "" if record.employees is None else str(record.employees),
        "revenue_wan": (
            ""
            if record.revenue_wan is None
            else format_money_wan(record.revenue_wan, grouping=False)
        ),
        "tags": "、".join(record.tags),
        "notes": record.notes or "",
    }


def officer_form_text(record: Officer) -> dict[str, str | None]:
    return {
        "name": record.name,
        "phone": record.phone or "",
        "unit": record.unit or "",
        "role": record.role,
    }


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
