"""Between record dataclasses (domain types) and column values (str, int, None).

Field names match columns one to one, so one pair of functions serves every record kind.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Hashable
from dataclasses import fields
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar, cast

from fieldtui.domain.records import Record

R = TypeVar("R", bound=Record)
Column = str | int | None


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _base(tp: Any) -> Any:
    """``X | None`` → ``X``."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return args[0] if len(args) == 1 else tp
    return tp


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


def from_column(tp: Any, value: Column) -> Any:
    base = _base(tp)
    if value is None:
        if typing.get_origin(base) is list:
            return []
        return None
    if base is bool:
        return bool(value)
    if base is int:
        return int(value)
    if base is Decimal:
        return Decimal(str(value))
    if base is date:
        return date.fromisoformat(str(value))
    if typing.get_origin(base) is list:
        try:
            items = json.loads(str(value))
        except ValueError:
            return [str(value)]
        return [str(i) for i in items] if isinstance(items, list) else [str(items)]
    return value


def record_columns(record: Record) -> dict[str, Column]:
    """A record's field values as columns (all fields, including the bookkeeping ones)."""
    return {f.name: to_column(getattr(record, f.name)) for f in fields(record)}


def changes_to_columns(cls: type[Record], changes: dict[str, Any]) -> dict[str, Column]:
    names = {f.name for f in fields(cls)}
    unknown = set(changes) - names
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(sorted(unknown))}")
    return {k: to_column(v) for k, v in changes.items()}


def record_from_row(cls: type[R], row: dict[str, Column]) -> R:
    hints = _hints(cast(Hashable, cls))
    kwargs = {f.name: from_column(hints[f.name], row.get(f.name)) for f in fields(cls)}
    return cls(**kwargs)
