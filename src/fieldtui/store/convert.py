"""Between record dataclasses (domain types) and column values (str, int, None).

Field names match columns one to one, so one pair of functions serves every record kind;
reading a column goes through the field schema's type for that field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from fieldtui.domain.records import Record
from fieldtui.domain.schema import KINDS

R = TypeVar("R", bound=Record)
Column = str | int | None


def to_column(value: Any) -> Column:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    raise TypeError(f"cannot store {type(value).__name__}")


def record_columns(record: Record) -> dict[str, Column]:
    """A record's field values as columns (all fields, including the bookkeeping ones)."""
    return {f.name: to_column(getattr(record, f.name)) for f in fields(record)}


def changes_to_columns(cls: type[Record], changes: dict[str, Any]) -> dict[str, Column]:
    names = {f.name for f in fields(cls)}
    unknown = set(changes) - names
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(sorted(unknown))}")
    return {k: to_column(v) for k, v in changes.items()}


_Decoders = tuple[tuple[str, Callable[[Column], Any]], ...]
_DECODERS: dict[type[Record], _Decoders] = {}


def _decoders(cls: type[Record]) -> _Decoders:
    """Each dataclass field with what reads its column: the schema's field, or for the
    bookkeeping columns every record has, a plain conversion."""
    found = _DECODERS.get(cls)
    if found is not None:
        return found
    kind = next((k for k in KINDS.values() if k.record is cls), None)
    out: list[tuple[str, Callable[[Column], Any]]] = []
    for f in fields(cls):
        schema_field = kind.get(f.name) if kind is not None else None
        if schema_field is not None:
            out.append((f.name, schema_field.decode))
        elif f.name == "deleted":
            out.append((f.name, bool))
        else:
            out.append((f.name, _text))
    _DECODERS[cls] = tuple(out)
    return _DECODERS[cls]


def _text(value: Column) -> Any:
    return value


def record_from_row(cls: type[R], row: dict[str, Column]) -> R:
    """A record from its row. A stored value its field cannot read (a count holding
    ``"abc"``, a date ``2024-02-30``) is kept as it is rather than failing: screens show it
    marked and the user can correct it (:meth:`fieldtui.domain.schema.Field.decode`)."""
    return cls(**{name: decode(row.get(name)) for name, decode in _decoders(cls)})
