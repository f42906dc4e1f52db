"""A value typed by a person for one field of a synced row, checked and made storable.

``fieldtui sync resolve --value`` writes a new value straight into the op log, past the forms
and sheet imports that normally check what people type; this module applies the same domain
rules so a resolution cannot store an unknown code or a malformed date or amount:

- coded fields (status, kind, role, ...) take a code or its Chinese or English label
  (:meth:`fieldtui.domain.enums.CodedEnum.parse`) and store the code; list fields of codes
  (a visit's topics) take them separated by commas or semicolons;
- dates take what :func:`~fieldtui.domain.validators.parse_date` accepts and store ISO;
- amounts in 万元 take what :func:`~fieldtui.domain.validators.parse_money_wan` accepts;
- whole numbers, yes/no flags, USCCs (:func:`~fieldtui.domain.validators.check_uscc`) and
  phone numbers (:func:`~fieldtui.domain.validators.check_phone`);
- text: as typed, but a required (NOT NULL) column cannot be left empty; an empty value
  clears an optional field (stores null).

Field types come from the record dataclasses (:data:`fieldtui.domain.records.RECORD_TYPES`);
which text fields hold codes is listed in :data:`CODED_FIELDS`, the one place that says so.
"""

from __future__ import annotations

import types
import typing
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from fieldtui.domain import enums
from fieldtui.domain.records import RECORD_TYPES
from fieldtui.domain.validators import (
    check_phone,
    check_uscc,
    parse_bool,
    parse_date,
    parse_money_wan,
    split_list,
)
from fieldtui.store.convert import to_column
from fieldtui.store.models import SYNCED_MODELS
from fieldtui.store.rowstate import Value

__all__ = ["CODED_FIELDS", "column_value"]

CODED_FIELDS: dict[tuple[str, str], type[enums.CodedEnum]] = {
    ("officer", "role"): enums.OfficerRole,
    ("enterprise", "industry"): enums.Industry,
    ("enterprise", "scale"): enums.EnterpriseScale,
    ("enterprise", "status"): enums.EnterpriseStatus,
    ("assignment", "role"): enums.AssignmentRole,
    ("project", "source"): enums.ProjectSource,
    ("visit", "kind"): enums.VisitKind,
    ("visit", "topics"): enums.VisitTopic,
    ("problem", "category"): enums.ProblemCategory,
    ("problem", "status"): enums.ProblemStatus,
    ("problem", "satisfaction"): enums.Satisfaction,
    ("problem_event", "status"): enums.ProblemStatus,
    ("meeting", "kind"): enums.MeetingKind,
    ("activity", "kind"): enums.ActivityKind,
    ("checklist_template", "kind"): enums.ChecklistKind,
    ("checklist_answer", "answer"): enums.ChecklistAnswer,
}
"""(table, field) → the code list a text (or list-of-text) field takes its values from."""

USCC_FIELDS = frozenset({("enterprise", "uscc")})
PHONE_FIELDS = frozenset({("officer", "phone"), ("enterprise", "phone")})


@cache
def _field_type(table: str, field: str) -> tuple[Any, bool]:
    """The record type of a field without ``None``, and whether the column takes null."""
    record = RECORD_TYPES.get(table)
    if record is None:
        raise ValueError(f"unknown table {table!r}; tables: {', '.join(sorted(RECORD_TYPES))}")
    hints = typing.get_type_hints(record)
    model_field = SYNCED_MODELS[table]._meta.fields.get(field)
    if field not in hints or model_field is None:
        raise ValueError(f"{table} has no field {field!r}")
    tp = hints[field]
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        tp = rest[0] if len(rest) == 1 else tp
    return tp, bool(model_field.null)


def _accepted(enum: type[enums.CodedEnum]) -> str:
    return "; ".join(f"{m.code} ({m.zh}, {m.en})" for m in enum)


def column_value(table: str, field: str, value: object) -> Value:
    """What the column stores for ``value`` typed for ``table.field``.

    Raises ``ValueError`` naming the field and what it accepts when the value does not fit.
    """
    tp, nullable = _field_type(table, field)
    where = f"{table}.{field}"
    if isinstance(value, bool):
        value = int(value)
    text = "" if value is None else str(value).strip()
    if not text:
        if nullable:
            return None
        if typing.get_origin(tp) is list:
            return "[]"
        raise ValueError(f"{where} is required: give a non-empty value")
    enum = CODED_FIELDS.get((table, field))
    try:
        if enum is not None:
            if typing.get_origin(tp) is list:
                return to_column([enum.parse(item).code for item in split_list(text)])
            return enum.parse(text).code
        if (table, field) in USCC_FIELDS:
            uscc = check_uscc(text)
            if uscc.error is not None:
                raise ValueError(uscc.error)
            return uscc.value
        if (table, field) in PHONE_FIELDS:
            phone = check_phone(text)
            if phone.error is not None:
                raise ValueError(phone.error)
            return phone.value
        if tp is date:
            return parse_date(text).isoformat()
        if tp is Decimal:
            return to_column(parse_money_wan(text))
        if tp is bool:
            return int(parse_bool(text))
        if tp is int:
            return _whole_number(text)
        if typing.get_origin(tp) is list:
            return to_column(split_list(text))
    except ValueError as exc:
        accepted = f" Accepted: {_accepted(enum)}." if enum is not None else ""
        message = str(exc) if enum is None else f"unknown value {text!r}."
        raise ValueError(f"{where}: {message}{accepted}") from None
    return str(value)


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"takes a whole number, not {text!r}") from None
