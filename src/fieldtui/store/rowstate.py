"""How a row's current state follows from its ops: heads, conflicts and provisional winners.

This is the single definition of "what a row shows" given the set of ops a replica holds. The
writer uses it to keep the conflict table right after local writes, and sync's merge uses it
after adding received ops, so every replica that holds the same ops shows the same row and the
same conflicts, whatever order the ops arrived in (see design.md, "Sync model").

Rules:

- The **heads** of a field are its ops that no other op of the same field names as a parent.
- One head: its value. Several heads with different values: a **conflict**; every head is kept
  and the provisional winner is the head with the greatest ``(hlc, replica_id, op_id)``.
  Several heads that all carry the same value agree, so they are not shown as a conflict.
- ``created_at`` with several heads (the same row created on two replicas, as two officers
  linking the same pair do) is no conflict: the earliest value stands.
- An op **held aside** (a received value that does not fit its field, see
  :mod:`fieldtui.sync.values`; listed in the ``held_op`` table) takes no part: the row is what
  it would be had that edit never been made. An op naming a held op as a parent names that op's
  own parents instead, so a later correction still supersedes what the held op replaced.
- Ops whose parents form a circle (only a crafted file can make one) leave a field without a
  head; its provisional winner among all its ops stands, on every replica alike.
- A **delete against a concurrent edit**: when a head of ``_deleted`` is a delete (value 1) and
  some head of another field is not among the parents of any delete head, the delete did not
  see that edit. That is a row-level conflict stored under the field ``_deleted``; its heads
  are the ``_deleted`` heads plus those unseen edits, and the row shows deleted only if the
  provisional winner among them is a delete.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from peewee import SqliteDatabase

from fieldtui.store.models import DELETED_FIELD

Value = str | int | None

OpView = tuple[str, str, int, Value, Sequence[str]]
"""What resolution needs of an op: ``(op_id, replica_id, hlc, value, parents)``."""

DELETED_COLUMN = "deleted"
CREATED_FIELD = "created_at"


def encode_value(value: Value) -> str:
    """The op log's representation of a column value: JSON, so null and 0 stay distinct."""
    if value is None:
        return "null"
    if type(value) is int:  # bool is written as 0/1 too, through json below
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def decode_value(text: str | None) -> Value:
    if text is None:
        return None
    value = json.loads(text)
    if isinstance(value, bool):
        return int(value)
    if value is None or isinstance(value, (str, int)):
        return value
    raise ValueError(f"op value must be a string, an integer or null, not {text!r}")


def column_of(field_name: str) -> str:
    """The column a field's value lives in (``_deleted`` is stored in ``deleted``)."""
    return DELETED_COLUMN if field_name == DELETED_FIELD else field_name


def winner_key(op: OpView) -> tuple[int, str, str]:
    """Provisional-winner order among concurrent heads: ``(hlc, replica_id, op_id)``."""
    return (op[2], op[1], op[0])


def field_heads(ops: Sequence[OpView]) -> list[OpView]:
    """The ops of one field that no other op of the same field names as a parent.

    Never empty for a field with ops: when parents form a circle, so that every op is named
    by another, the provisional winner among them all is the head (the same everywhere).
    """
    if len(ops) == 1:
        return [ops[0]]
    superseded: set[str] = set()
    for op in ops:
        superseded.update(op[4])
    heads = [op for op in ops if op[0] not in superseded]
    return heads or [max(ops, key=winner_key)]


def without_held(
    fields: Mapping[str, Sequence[OpView]], held: Collection[str]
) -> dict[str, list[OpView]]:
    """The row's ops as if the ``held`` ones had never been made.

    A held op leaves; an op that names it as a parent names the held op's parents instead
    (transitively), so it still supersedes what the held op had replaced.
    """
    held_parents = {o[0]: o[4] for ops in fields.values() for o in ops if o[0] in held}
    if not held_parents:
        return {name: list(ops) for name, ops in fields.items()}

    def expand(parents: Sequence[str]) -> list[str]:
        found: set[str] = set()
        seen: set[str] = set()
        stack = list(parents)
        while stack:
            parent = stack.pop()
            if parent in seen:
                continue
            seen.add(parent)
            if parent in held_parents:
                stack.extend(held_parents[parent])
            else:
                found.add(parent)
        return sorted(found)

    kept: dict[str, list[OpView]] = {}
    for name, ops in fields.items():
        rest = [
            (o[0], o[1], o[2], o[3], expand(o[4]) if any(p in held_parents for p in o[4]) else o[4])
            for o in ops
            if o[0] not in held_parents
        ]
        if rest:
            kept[name] = rest
    return kept


@dataclass(slots=True)
class RowState:
    """What a row shows: a value per column that has ops, and its open conflicts."""

    values: dict[str, Value] = field(default_factory=dict)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    """Field (``_deleted`` for a row-level conflict) → sorted op ids of every kept head."""


def resolve_row(fields: Mapping[str, Sequence[OpView]], held: Collection[str] = ()) -> RowState:
    """The state of one row from every op of it, grouped by field; ``held``: ids of ops held
    aside (they may be among ``fields``; they take no part)."""
    if held:
        fields = without_held(fields, held)
    state = RowState()
    all_heads: dict[str, list[OpView]] = {}
    for name, ops in fields.items():
        heads = field_heads(ops)
        all_heads[name] = heads
        if len(heads) == 1:
            state.values[column_of(name)] = heads[0][3]
            continue
        if name == CREATED_FIELD:
            # A row made on two replicas at once (a link row's id comes from its two ends)
            # was created when it was first created. Nobody edits created_at, so a conflict
            # here could never be resolved: take the earliest, on every replica alike.
            state.values[name] = min(heads, key=lambda h: (str(h[3]), h[0]))[3]
            continue
        winner = max(heads, key=winner_key)
        state.values[column_of(name)] = winner[3]
        if any(h[3] != winner[3] for h in heads):
            state.conflicts[name] = sorted(h[0] for h in heads)
    deleted_heads = all_heads.get(DELETED_FIELD)
    if deleted_heads:
        deletes = [h for h in deleted_heads if h[3] == 1]
        if deletes:
            seen: set[str] = set()
            for d in deletes:
                seen.update(d[4])
            unseen = [
                h
                for name, heads in all_heads.items()
                if name != DELETED_FIELD
                for h in heads
                if h[0] not in seen
            ]
            if unseen:
                contenders = deleted_heads + unseen
                winner = max(contenders, key=winner_key)
                delete_ids = {d[0] for d in deletes}
                is_delete = winner[0] in delete_ids
                state.values[DELETED_COLUMN] = 1 if is_delete else 0
                state.conflicts[DELETED_FIELD] = sorted(h[0] for h in contenders)
    return state


# -- column defaults ------------------------------------------------------------------------

_COLUMNS: dict[str, tuple[tuple[str, bool, Value], ...]] = {}


def _parse_default(text: str | None) -> Value:
    if text is None or text.upper() == "NULL":
        return None
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    try:
        return int(text)
    except ValueError:
        return text


def table_columns(db: SqliteDatabase, table: str) -> tuple[tuple[str, bool, Value], ...]:
    """``(column, not_null, default)`` of a synced table, as the migrated schema says.

    Read from the database rather than the models because the frozen migrations, not the
    models, define the defaults a row created by merge must get. Cached per table: every
    database this code opens is migrated to the same schema.
    """
    cached = _COLUMNS.get(table)
    if cached is None:
        rows = db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
        cached = tuple((str(r[1]), bool(r[3]), _parse_default(r[4])) for r in rows)
        _COLUMNS[table] = cached
    return cached


def storable(value: Value, not_null: bool, default: Value) -> Value:
    """A NOT NULL column given null gets its default instead (a merge must not fail)."""
    return default if value is None and not_null else value


# -- one row at a time (the writer's path) --------------------------------------------------


def load_row_ops(db: SqliteDatabase, table: str, row_id: str) -> dict[str, list[OpView]]:
    cur = db.execute_sql(
        "SELECT field, op_id, replica_id, hlc, value, parents FROM op WHERE tbl = ? AND row_id = ?",
        (table, row_id),
    )
    fields: dict[str, list[OpView]] = {}
    for name, op_id, replica_id, hlc, value, parents in cur.fetchall():
        fields.setdefault(name, []).append(
            (op_id, replica_id, hlc, decode_value(value), json.loads(parents))
        )
    return fields


HELD_TABLE = "held_op"
"""Ops held aside by sync (their values do not fit their fields); see ``resolve_row``."""


def held_in_row(db: SqliteDatabase, table: str, row_id: str) -> set[str]:
    """Ids of the row's ops that are held aside."""
    cur = db.execute_sql(
        f"SELECT op_id FROM {HELD_TABLE} WHERE tbl = ? AND row_id = ?", (table, row_id)
    )
    return {str(r[0]) for r in cur.fetchall()}


def write_conflicts(
    db: SqliteDatabase,
    rows: Iterable[tuple[str, str, Mapping[str, list[str]]]],
    now: str,
    fresh: bool = False,
) -> None:
    """Make the conflict table say exactly ``conflicts`` for each ``(table, row_id)``.

    A conflict that stays open keeps its ``detected_at``. ``fresh`` skips the deletion of
    stale rows (for rows that cannot have had any).
    """
    upserts: list[tuple[str, str, str, str, str]] = []
    stale: list[tuple[str, str, str]] = []
    for table, row_id, conflicts in rows:
        if not fresh:
            cur = db.execute_sql(
                "SELECT field FROM conflict WHERE tbl = ? AND row_id = ?", (table, row_id)
            )
            stale.extend((table, row_id, f) for (f,) in cur.fetchall() if f not in conflicts)
        for name, heads in conflicts.items():
            upserts.append((table, row_id, name, json.dumps(heads), now))
    if stale:
        db.cursor().executemany(
            "DELETE FROM conflict WHERE tbl = ? AND row_id = ? AND field = ?", stale
        )
    if upserts:
        db.cursor().executemany(
            "INSERT INTO conflict (tbl, row_id, field, heads, detected_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (tbl, row_id, field) DO UPDATE SET heads = excluded.heads",
            upserts,
        )


def refresh_row(db: SqliteDatabase, table: str, row_id: str, now: str) -> RowState:
    """Recompute one existing row from its ops; write back changed columns and its conflicts."""
    state = resolve_row(load_row_ops(db, table, row_id), held_in_row(db, table, row_id))
    columns = table_columns(db, table)
    wanted = {
        name: storable(state.values[name], not_null, default)
        for name, not_null, default in columns
        if name in state.values
    }
    if wanted:
        quoted = ", ".join(f'"{c}"' for c in wanted)
        row = db.execute_sql(f'SELECT {quoted} FROM "{table}" WHERE id = ?', (row_id,)).fetchone()
        if row is not None:
            changed = {c: v for (c, v), old in zip(wanted.items(), row, strict=True) if v != old}
            if changed:
                sets = ", ".join(f'"{c}" = ?' for c in changed)
                db.execute_sql(
                    f'UPDATE "{table}" SET {sets}, updated_at = ? WHERE id = ?',
                    (*changed.values(), now, row_id),
                )
    write_conflicts(db, [(table, row_id, state.conflicts)], now)
    return state
