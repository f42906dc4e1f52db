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
carries it: what an import can use to keep a bad value from ever reaching a row.
"""

from __future__ import annotations

from fieldtui.domain import enums
from fieldtui.domain.schema import KINDS, Phone, Uscc, field_of
from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.rowstate import Value

__all__ = ["CODED_FIELDS", "PHONE_FIELDS", "USCC_FIELDS", "column_value", "value_problem"]

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
