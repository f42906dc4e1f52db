"""A value typed by a person for one field of a synced row, checked and made storable.

``fieldtui sync resolve --value`` writes a new value straight into the op log, past the forms
and sheet imports that normally check what people type. It goes through the same parser as
they do: the field schema's (:mod:`fieldtui.domain.schema`), so a code is taken as the code or
its Chinese or English label, dates and amounts as a form takes them, USCCs and phones
checked, and the column gets what a form's save would have written. An empty value clears an
optional field (stores null); a required one cannot be left empty.

Which fields hold codes, USCCs or phone numbers is the schema's to say; the sets below are
derived from it for callers that ask by ``(table, field)``.

:func:`value_problem` is the same check for a value already in column form, as a received op
carries it, and :func:`check_values` runs it over a whole file's ops: an import holds aside
every op whose value does not fit (it never reaches a row) and refuses a file whose values
are far beyond their field's limit (:func:`hard_limit`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any

from fieldtui.domain import enums
from fieldtui.domain.schema import (
    KINDS,
    Field,
    Integer,
    Line,
    Multiline,
    Phone,
    Ref,
    Uscc,
    field_of,
)
from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.rowstate import Value

__all__ = [
    "CODED_FIELDS",
    "PHONE_FIELDS",
    "USCC_FIELDS",
    "ValueCheck",
    "check_values",
    "column_value",
    "hard_limit",
    "value_problem",
]

CODED_FIELDS: dict[tuple[str, str], type[enums.CodedEnum]] = {
    (kind.table, name): enum for kind in KINDS.values() for name, enum in kind.coded.items()
}
"""(table, field) → the code list a text (or list-of-text) field takes its values from."""

USCC_FIELDS = frozenset(
    (k.table, f.name) for k in KINDS.values() for f in k.columns if isinstance(f.type, Uscc)
)
PHONE_FIELDS = frozenset(
    (k.table, f.name) for k in KINDS.values() for f in k.columns if isinstance(f.type, Phone)
)


def column_value(table: str, field: str, value: object) -> Value:
    """What the column stores for ``value`` typed for ``table.field``.

    Raises ``ValueError`` naming the field and what it accepts when the value does not fit.
    """
    found = field_of(table, field)
    if found.link is not None:  # kept in a link table, not a column of this one
        raise ValueError(f"{table} has no field {field!r}")
    where = f"{table}.{field}"
    raw = value if isinstance(value, (str, int, bool)) or value is None else str(value)
    parsed = found.parse(raw)
    if parsed.blank:
        if found.null:
            return None
        if found.type.is_list:
            return found.encode([])
        raise ValueError(f"{where} is required: give a non-empty value")
    if parsed.error is not None:
        raise ValueError(f"{where}: {parsed.error}")
    return found.encode(parsed.value)


def value_problem(table: str, field: str, value: Value) -> str | None:
    """Why a column value (as stored, or as a received op carries it, JSON-decoded) does not
    fit ``table.field``; None when it does. A code this version does not know passes (a newer
    version may have added it); so do the bookkeeping fields every row has."""
    where = f"{table}.{field}"
    if field == DELETED_FIELD:
        return None if value in (0, 1) and not isinstance(value, str) else f"{where}: 0 or 1"
    if field in ("created_at", "updated_at"):
        return None if isinstance(value, str) else f"{where}: a time stamp"
    checked = field_of(table, field).check_column(value)
    return None if checked.ok else f"{where}: {checked.error}"


# -- received ops ------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What :class:`~fieldtui.domain.schema.Line` refuses (``clean_text`` would remove it)."""
_NOT_ID = re.compile(r"[^0-9A-Za-z_.:\n-]")
"""A character no record id holds (``\\n`` joins the ids checked at once)."""
_STAMPS = ("created_at", "updated_at")
SHORT_LIMIT = 256
"""Hard limit of fields without a length limit of their own (numbers, dates, codes, flags)."""


@dataclass(frozen=True, slots=True)
class _Spec:
    field: Field | None
    fast: str
    """How a whole column of values is checked at once: ``text``, ``ref``, ``int``,
    ``stamp``; or ``each`` (every distinct value checked on its own)."""
    soft: int | None
    hard: int


@cache
def _spec(table: str, field: str) -> _Spec:
    if field in _STAMPS:
        return _Spec(None, "stamp", 64, SHORT_LIMIT)
    found = field_of(table, field)
    soft = found.max_len
    hard = max(4 * soft, SHORT_LIMIT) if soft else SHORT_LIMIT
    kind = type(found.type)
    fast = (
        "text"
        if kind in (Line, Multiline)
        else "ref"
        if kind is Ref
        else "int"
        if kind is Integer
        else "each"
    )
    return _Spec(found, fast, soft, hard)


def hard_limit(table: str, field: str) -> int:
    """Characters beyond which a received value of ``table.field`` refuses its whole file.

    Four times the field's own limit (a newer fieldtui may allow longer values; those are only
    held aside here), at least :data:`SHORT_LIMIT`. No form, sheet or resolution writes a
    longer value: a file carrying one was made to do harm, or is damaged.
    """
    return _spec(table, field).hard


@dataclass(slots=True)
class ValueCheck:
    """What :func:`check_values` found in a file's ops."""

    held: dict[str, str] = dataclass_field(default_factory=dict)
    """Op id → why its value does not fit its field (the op is held aside)."""
    too_long: tuple[int, str, int, int] | None = None
    """``(op index, "table.field", characters, the field's limit)`` of the first value so
    long (beyond :func:`hard_limit`) that the file is refused."""
    value_chars: int = 0
    """Characters of all text values (charged to the run's budget)."""


def check_values(ops: Sequence[Sequence[Any]]) -> ValueCheck:
    """Check every op's value for its field, as a form would; column by column where possible.

    ``ops`` are shape-checked already (known tables and fields, values of str, int or None;
    ``_deleted`` 0 or 1). A value that does not fit is *held* (named with the reason); one
    beyond :func:`hard_limit` makes the caller refuse the file. Values are grouped by field,
    and a group of text or ids is cleared by a few passes in C (types, lengths, one search
    over the joined text); only the groups that fail those, and fields of other types (few
    distinct values: codes, dates, numbers), are checked value by value.
    """
    result = ValueCheck()
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for op in ops:
        groups[(op[4], op[6])].append(op[7])
    bad_keys: dict[tuple[str, str, Any], str] = {}
    for (table, field), values in groups.items():
        if field == DELETED_FIELD:
            continue
        spec = _spec(table, field)
        types = set(map(type, values))
        texts = values if types == {str} else [v for v in values if v.__class__ is str]
        if texts:
            longest = max(map(len, texts))
            result.value_chars += sum(map(len, texts))
            if longest > spec.hard:
                index = next(
                    i
                    for i, op in enumerate(ops, 1)
                    if op[4] == table
                    and op[6] == field
                    and isinstance(op[7], str)
                    and len(op[7]) == longest
                )
                result.too_long = (index, f"{table}.{field}", longest, spec.soft or spec.hard)
                return result
        if _group_fits(spec, values, texts, types):
            continue
        for value in set(values):
            problem = value_problem(table, field, value)
            if problem is not None:
                bad_keys[(table, field, value)] = problem
    if bad_keys:
        for op in ops:
            problem = bad_keys.get((op[4], op[6], op[7]))
            if problem is not None:
                result.held[op[0]] = problem
    return result


def _group_fits(spec: _Spec, values: list[Any], texts: list[str], types: set[type]) -> bool:
    """Every value of one field fits, shown without looking at them one by one; False means
    "not shown" (the caller then checks each distinct value)."""
    if spec.fast == "int":
        assert spec.field is not None
        kind = spec.field.type
        return (
            types == {int}
            and min(values) >= getattr(kind, "low", 0)
            and max(values) <= getattr(kind, "high", 0)
        )
    if spec.fast == "each" or len(texts) + values.count(None) != len(values):
        return False
    if spec.fast == "stamp":
        return not values.count(None)
    assert spec.field is not None
    if values.count(None) and not spec.field.null:
        return False
    if not texts:
        return True
    if spec.soft is not None and max(map(len, texts)) > spec.soft:
        return False
    joined = "\n".join(texts)
    if spec.fast == "text":
        if spec.field.required and min(map(len, texts)) == 0:
            return False
        return _CONTROL.search(joined) is None
    return (
        min(map(len, texts)) >= 1
        and max(map(len, texts)) <= 64
        and joined.count("\n") == len(texts) - 1  # no id holds the joining newline
        and not _NOT_ID.search(joined)
    )
