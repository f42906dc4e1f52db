"""Every synced row equals its ops: replay the op log and compare with the stored rows.

A change that skipped the op log (a raw ``UPDATE``, a Peewee ``save()``, a row copied in from
elsewhere) never reaches the office, and nothing else notices it. Replaying each row's ops with
the rules merge and the writer use (:mod:`fieldtui.store.rowstate`) and comparing the result
with what the table holds catches it: a column that differs, a row without ops, ops without a
row, a conflict the ops do not imply or one they imply that is missing. ``fieldtui doctor``
reports these; the tests run the check after imports, the demo build and form saves.

Rows and ops are streamed table by table in id order (a merge join), so memory stays flat on
a database of any size.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from peewee import SqliteDatabase

from fieldtui.store.models import SYNCED_MODELS
from fieldtui.store.rowstate import (
    DELETED_COLUMN,
    HELD_TABLE,
    OpView,
    Value,
    column_of,
    decode_value,
    resolve_row,
    storable,
    table_columns,
)

NOT_COMPARED = ("id", "updated_at")
"""The key, and the local time of the last change (never synced)."""

ROW = "<row>"
"""``Mismatch.column`` when the row itself is the problem (no ops, or ops and no row)."""


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One place where a stored row (or its conflicts) differs from what its ops say."""

    table: str
    row_id: str
    column: str
    """A column; ``conflict:<field>`` for the conflict table; :data:`ROW` for the row."""
    stored: Any
    """What the database holds (``None`` when it holds nothing)."""
    expected: Any
    """What the ops say it should hold (``None`` when nothing)."""
    problem: str = ""
    """Set for whole-row problems: what is wrong, in a few words."""

    def __str__(self) -> str:
        where = f"{self.table} {self.row_id}"
        if self.problem:
            return f"{where}: {self.problem}"
        return f"{where} {self.column}: stored {self.stored!r}, its ops say {self.expected!r}"


def row_mismatches(db: SqliteDatabase, limit: int | None = None) -> list[Mismatch]:
    """Every difference between the synced tables and their op log (the first ``limit``)."""
    found: list[Mismatch] = []
    for mismatch in _all_mismatches(db):
        found.append(mismatch)
        if limit is not None and len(found) >= limit:
            break
    return found


def _all_mismatches(db: SqliteDatabase) -> Iterator[Mismatch]:
    for table in SYNCED_MODELS:
        yield from _table_mismatches(db, table)
    known = ", ".join("?" for _ in SYNCED_MODELS)
    for tbl, row_id in db.execute_sql(
        f"SELECT DISTINCT tbl, row_id FROM op WHERE tbl NOT IN ({known}) ORDER BY tbl, row_id",
        tuple(SYNCED_MODELS),
    ):
        yield Mismatch(str(tbl), str(row_id), ROW, None, None, "ops for a table this schema lacks")


def _table_mismatches(db: SqliteDatabase, table: str) -> Iterator[Mismatch]:
    columns = [c for c in table_columns(db, table) if c[0] not in NOT_COMPARED]
    names = [c[0] for c in columns]
    quoted = ", ".join(f'"{n}"' for n in names)
    rows = db.execute_sql(f'SELECT id, {quoted} FROM "{table}" ORDER BY id')
    ops = db.execute_sql(
        "SELECT row_id, field, op_id, replica_id, hlc, value, parents FROM op"
        " WHERE tbl = ? ORDER BY row_id",
        (table,),
    )
    held = _held(db, table)
    conflicts: dict[str, dict[str, list[str]]] = {}
    for row_id, field_name, heads in db.execute_sql(
        "SELECT row_id, field, heads FROM conflict WHERE tbl = ?", (table,)
    ):
        conflicts.setdefault(str(row_id), {})[str(field_name)] = sorted(json.loads(heads))

    op_groups = groupby(ops, key=itemgetter(0))
    stored_row = next(rows, None)
    group = next(op_groups, None)
    while stored_row is not None or group is not None:
        row_key = None if stored_row is None else str(stored_row[0])
        ops_key = None if group is None else str(group[0])
        if ops_key is None or (row_key is not None and row_key < ops_key):
            assert row_key is not None
            yield Mismatch(
                table,
                row_key,
                ROW,
                None,
                None,
                "a row without ops (written outside the write path)",
            )
            stored_row = next(rows, None)
            continue
        if row_key is None or ops_key < row_key:
            assert group is not None
            yield Mismatch(table, ops_key, ROW, None, None, "ops but no row")
            group = next(op_groups, None)
            continue
        assert stored_row is not None and group is not None
        yield from _row_mismatches(
            table, row_key, columns, stored_row[1:], group[1], conflicts, held.get(row_key, ())
        )
        stored_row = next(rows, None)
        group = next(op_groups, None)
    for row_id in sorted(conflicts):
        for field_name, heads in sorted(conflicts[row_id].items()):
            yield Mismatch(table, row_id, f"conflict:{field_name}", heads, None)


def _held(db: SqliteDatabase, table: str) -> dict[str, set[str]]:
    """Row id → ids of its ops held aside by sync (none before the table existed)."""
    exists = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (HELD_TABLE,)
    ).fetchone()
    if not exists:
        return {}
    held: dict[str, set[str]] = {}
    for row_id, op_id in db.execute_sql(
        f"SELECT row_id, op_id FROM {HELD_TABLE} WHERE tbl = ?", (table,)
    ):
        held.setdefault(str(row_id), set()).add(str(op_id))
    return held


def _fields(ops: Iterator[tuple[Any, ...]]) -> dict[str, list[OpView]]:
    fields: dict[str, list[OpView]] = {}
    for _row_id, field_name, op_id, replica_id, hlc, value, parents in ops:
        fields.setdefault(field_name, []).append(
            (
                op_id,
                replica_id,
                hlc,
                decode_value(value),
                () if parents == "[]" else json.loads(parents),
            )
        )
    return fields


def _row_mismatches(
    table: str,
    row_id: str,
    columns: list[tuple[str, bool, Value]],
    stored: tuple[Any, ...],
    ops: Iterator[tuple[Any, ...]],
    conflicts: dict[str, dict[str, list[str]]],
    held_ops: Collection[str] = (),
) -> Iterator[Mismatch]:
    fields = _fields(ops)
    state = resolve_row(fields, held_ops)
    known = {name for name, _, _ in columns}
    for field_name in sorted(fields):
        if column_of(field_name) not in known:
            yield Mismatch(
                table, row_id, field_name, None, None, f"ops for {field_name}, a missing column"
            )
    for (name, not_null, default), actual in zip(columns, stored, strict=True):
        if name in state.values:
            expected = storable(state.values[name], not_null, default)
        elif name == DELETED_COLUMN:
            expected = 0
        else:
            expected = default  # a field nobody wrote keeps the schema's default
        if actual != expected:
            yield Mismatch(table, row_id, name, actual, expected)
    kept = conflicts.pop(row_id, {})
    for field_name in sorted(set(kept) | set(state.conflicts)):
        want = state.conflicts.get(field_name)
        have = kept.get(field_name)
        if want != have:
            yield Mismatch(table, row_id, f"conflict:{field_name}", have, want)
