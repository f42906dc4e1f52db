"""Merge: the set union of ops by op id, then every touched row recomputed from all its ops.

The result depends only on the set of ops held, never on the order files arrive in or how
often: an op already held is skipped, and each touched row is recomputed from scratch with
:func:`fieldtui.store.rowstate.resolve_row` (the same rules the writer uses). Ops go in with
``executemany`` on the raw cursor inside the caller's transaction; rows that did not exist
are inserted with their columns' defaults for fields no op names yet (ops may arrive before
the row's create, e.g. an edit relayed by the hub), and a NOT NULL column given null gets its
default so a merge never fails on a constraint.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from json.encoder import encode_basestring
from operator import itemgetter

from peewee import SqliteDatabase

from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.rowstate import (
    HELD_TABLE,
    OpView,
    RowState,
    Value,
    decode_value,
    resolve_row,
    storable,
    table_columns,
)
from fieldtui.sync.fileformat import Op

INSERT_OP = (
    "INSERT INTO op (op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
CHUNK = 500
_OP_ID, _SEQ = itemgetter(0), itemgetter(2)


class OpCollision(Exception):
    """A replica's seq held with a different op id: two databases share one replica id."""

    def __init__(self, message: str, replica_id: str = "", seq: int = 0) -> None:
        super().__init__(message)
        self.replica_id = replica_id
        self.seq = seq


class NewOps:
    """Collects the ops of several files that this database does not hold yet (reads only).

    Checking before writing is what lets a file be refused with the database untouched: an op
    whose (replica, seq) is held under another op id means a database file was copied and both
    copies kept working under one replica id; merging would corrupt the op log.
    """

    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db
        self.ops: list[Op] = []
        self._planned: dict[str, dict[int, str]] = {}
        """Replica → seq → op id of the ops queued so far (from earlier files of the call)."""

    def add(self, ops: Sequence[Op]) -> list[Op]:
        """Queue the ops not held yet and return them. Raises :class:`OpCollision` (and then
        queues nothing of ``ops``)."""
        by_replica: dict[str, list[Op]] = {}
        for replica_id, run in groupby(ops, key=itemgetter(1)):  # files list ops by replica
            by_replica.setdefault(replica_id, []).extend(run)
        fresh: list[Op] = []
        planning: dict[str, dict[int, str]] = {}
        for replica_id, group in by_replica.items():
            seqs = list(map(_SEQ, group))
            held = dict(
                self.db.execute_sql(
                    "SELECT seq, op_id FROM op WHERE replica_id = ? AND seq BETWEEN ? AND ?",
                    (replica_id, min(seqs), max(seqs)),
                ).fetchall()
            )
            planned = self._planned.get(replica_id, {})
            if not held and not planned:  # the common case: all of them are new
                fresh.extend(group)
                planning[replica_id] = dict(zip(seqs, map(_OP_ID, group), strict=True))
                continue
            mine: dict[int, str] = {}
            for op in group:
                known = held.get(op[2]) or planned.get(op[2])
                if known is None:
                    mine[op[2]] = op[0]
                    fresh.append(op)
                elif known != op[0]:
                    raise OpCollision(
                        f"replica {replica_id} has two different ops at seq {op[2]} "
                        f"({known} held, {op[0]} in the file): a database was copied (or put "
                        "back from a backup) and both copies were used. Import the latest file "
                        "from its peer into the database that wrote this file first: it then "
                        "continues under a new identity, and its next file goes through",
                        replica_id,
                        op[2],
                    )
            planning[replica_id] = mine
        for replica_id, mine in planning.items():
            self._planned.setdefault(replica_id, {}).update(mine)
        self.ops.extend(fresh)
        return fresh


def clashing_ids(db: SqliteDatabase, ops: Sequence[Op]) -> list[tuple[Op, str, int]]:
    """Ops whose id this database already holds for another op (another replica or seq):
    ``(op, replica_id, seq)`` of what is held. Only a crafted or damaged file has any; merge
    would fail on the op table's key."""
    found: list[tuple[Op, str, int]] = []
    for i in range(0, len(ops), CHUNK):
        chunk = ops[i : i + CHUNK]
        marks = ", ".join("?" * len(chunk))
        held = {
            str(r[0]): (str(r[1]), int(r[2]))
            for r in db.execute_sql(
                f"SELECT op_id, replica_id, seq FROM op WHERE op_id IN ({marks})",
                [o[0] for o in chunk],
            )
        }
        for op in chunk:
            where = held.get(op[0])
            if where is not None and where != (op[1], op[2]):
                found.append((op, *where))
    return found


@dataclass(slots=True)
class TableChanges:
    """What a merge did to the rows of one table (one kind of record)."""

    created: int = 0
    """New rows that are live (a row that arrives deleted is not counted)."""
    updated: int = 0
    """Rows that existed and were recomputed (deleted or restored ones included)."""
    deleted: int = 0
    """Rows that were live and are now deleted."""
    restored: int = 0
    """Rows that were deleted and are live again."""


@dataclass(slots=True)
class MergeResult:
    added: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    conflicts_opened: int = 0
    conflicts_closed: int = 0
    touched: dict[str, set[str]] = field(default_factory=dict)
    """Table → ids of the rows recomputed."""
    tables: dict[str, TableChanges] = field(default_factory=dict)
    """Table → what happened to its rows."""


def apply_ops(
    db: SqliteDatabase, ops: Sequence[Op], now: str, held: Collection[str] = ()
) -> MergeResult:
    """Insert ``ops`` (none of them held yet) and recompute every row they touch.

    ``held``: ids of ops among ``ops`` held aside (their values do not fit; see
    :mod:`fieldtui.sync.values`): inserted, but taking no part in their rows, like the ops
    the ``held_op`` table lists already.

    Must run inside a transaction; the caller commits or rolls back. Written for 100,000 ops
    at a time: list comprehensions and ``executemany`` rather than per-op calls, and a fast
    path for the common new row whose fields each have a single op.
    """
    result = MergeResult(added=len(ops))
    if not ops:
        return result
    held_ids = set(held)
    held_rows = {(o[4], o[5]) for o in ops if o[0] in held_ids} if held_ids else set()
    enc = encode_basestring
    dumps = json.dumps
    rows: list[tuple[object, ...]] = []
    append = rows.append
    groups: dict[tuple[str, str], dict[str, list[OpView]]] = {}
    for o in ops:  # one pass: the op table's rows, and the ops grouped by row and field
        value, parents = o[7], o[8]
        append(
            (
                o[0],
                o[1],
                o[2],
                o[3],
                o[4],
                o[5],
                o[6],
                enc(value) if value.__class__ is str else "null" if value is None else str(value),
                dumps(sorted(parents)) if parents else "[]",
            )
        )
        key = (o[4], o[5])
        fields = groups.get(key)
        if fields is None:
            groups[key] = {o[6]: [(o[0], o[1], o[3], value, parents)]}
            continue
        same = fields.get(o[6])
        if same is None:
            fields[o[6]] = [(o[0], o[1], o[3], value, parents)]
        else:
            same.append((o[0], o[1], o[3], value, parents))
    db.cursor().executemany(INSERT_OP, rows)
    del rows
    by_table: dict[str, list[str]] = {}
    for table, row_id in groups:
        by_table.setdefault(table, []).append(row_id)
    existing: dict[tuple[str, str], int] = {}
    for table, row_ids in by_table.items():
        result.touched[table] = set(row_ids)
        for i in range(0, len(row_ids), CHUNK):
            chunk = row_ids[i : i + CHUNK]
            marks = ", ".join("?" * len(chunk))
            cur = db.execute_sql(
                f'SELECT id, "deleted" FROM "{table}" WHERE id IN ({marks})', chunk
            )
            existing.update(((table, r[0]), r[1]) for r in cur.fetchall())
    old_conflicts: dict[tuple[str, str], set[str]] = {}
    if existing:
        _load_existing(db, existing, groups, old_conflicts, held_ids, held_rows)
    inserts: dict[str, list[tuple[object, ...]]] = {}
    updates: dict[tuple[str, tuple[str, ...]], list[tuple[object, ...]]] = {}
    new_conflicts: list[tuple[str, str, str, str, str]] = []
    stale_conflicts: list[tuple[str, str, str]] = []
    columns = {table: table_columns(db, table) for table in by_table}
    tables = result.tables
    for (table, row_id), fields in groups.items():
        key = (table, row_id)
        changes = tables.get(table)
        if changes is None:
            changes = tables[table] = TableChanges()
        if key in held_rows:
            state = resolve_row(fields, held_ids)
        elif key not in existing and DELETED_FIELD not in fields and _single(fields):
            values = {name: ops_[0][3] for name, ops_ in fields.items()}
            inserts.setdefault(table, []).append(_new_row(columns[table], row_id, values, now))
            changes.created += 1
            continue
        elif key in existing or DELETED_FIELD in fields:
            state = resolve_row(fields)
        else:  # a new live row: fields are independent, so only multi-op ones need resolving
            state = resolve_row({name: o for name, o in fields.items() if len(o) > 1})
            state.values.update(
                (name, ops_[0][3]) for name, ops_ in fields.items() if len(ops_) == 1
            )
        now_deleted = bool(state.values.get("deleted", 0))
        if key in existing:
            was_deleted = bool(existing[key])
            changes.updated += 1
            changes.deleted += not was_deleted and now_deleted
            changes.restored += was_deleted and "deleted" in state.values and not now_deleted
            _queue_update(table, columns[table], row_id, state, now, updates)
            before = old_conflicts.get(key, set())
            stale_conflicts.extend((table, row_id, f) for f in before if f not in state.conflicts)
            result.conflicts_closed += sum(1 for f in before if f not in state.conflicts)
            result.conflicts_opened += sum(1 for f in state.conflicts if f not in before)
        else:
            row = _new_row(columns[table], row_id, state.values, now)
            inserts.setdefault(table, []).append(row)
            changes.created += not now_deleted
            result.conflicts_opened += len(state.conflicts)
        for name, heads in state.conflicts.items():
            new_conflicts.append((table, row_id, name, json.dumps(heads), now))
    for table, rows in inserts.items():
        cols = [c[0] for c in columns[table]]
        quoted = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" * len(cols))
        db.cursor().executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)
        result.rows_created += len(rows)
    for (table, cols_changed), rows in updates.items():
        sets = ", ".join(f'"{c}" = ?' for c in cols_changed)
        db.cursor().executemany(f'UPDATE "{table}" SET {sets}, updated_at = ? WHERE id = ?', rows)
        result.rows_updated += len(rows)
    if stale_conflicts:
        db.cursor().executemany(
            "DELETE FROM conflict WHERE tbl = ? AND row_id = ? AND field = ?", stale_conflicts
        )
    if new_conflicts:
        db.cursor().executemany(
            "INSERT INTO conflict (tbl, row_id, field, heads, detected_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (tbl, row_id, field) DO UPDATE SET heads = excluded.heads",
            new_conflicts,
        )
    return result


def _single(fields: dict[str, list[OpView]]) -> bool:
    return max(map(len, fields.values())) == 1


def _load_existing(
    db: SqliteDatabase,
    existing: Iterable[tuple[str, str]],
    groups: dict[tuple[str, str], dict[str, list[OpView]]],
    old_conflicts: dict[tuple[str, str], set[str]],
    held_ids: set[str],
    held_rows: set[tuple[str, str]],
) -> None:
    """Replace the in-memory ops of rows that already existed by all their ops (old + new),
    and add the ops of theirs held aside before to ``held_ids`` (and the rows to
    ``held_rows``)."""
    db.execute_sql(
        "CREATE TEMP TABLE IF NOT EXISTS sync_rows (tbl TEXT NOT NULL, row_id TEXT NOT NULL,"
        " PRIMARY KEY (tbl, row_id)) WITHOUT ROWID"
    )
    db.execute_sql("DELETE FROM temp.sync_rows")
    keys = list(existing)
    db.cursor().executemany("INSERT INTO temp.sync_rows (tbl, row_id) VALUES (?, ?)", keys)
    for key in keys:
        groups[key] = {}
    cur = db.execute_sql(
        "SELECT o.tbl, o.row_id, o.field, o.op_id, o.replica_id, o.hlc, o.value, o.parents"
        " FROM temp.sync_rows t JOIN op o ON o.tbl = t.tbl AND o.row_id = t.row_id"
    )
    for tbl, row_id, name, op_id, replica_id, hlc, value, parents in cur:
        fields = groups[(tbl, row_id)]
        view: OpView = (op_id, replica_id, hlc, decode_value(value), json.loads(parents))
        same = fields.get(name)
        if same is None:
            fields[name] = [view]
        else:
            same.append(view)
    cur = db.execute_sql(
        "SELECT h.tbl, h.row_id, h.op_id FROM temp.sync_rows t"
        f" JOIN {HELD_TABLE} h ON h.tbl = t.tbl AND h.row_id = t.row_id"
    )
    for tbl, row_id, op_id in cur:
        held_ids.add(op_id)
        held_rows.add((tbl, row_id))
    cur = db.execute_sql(
        "SELECT c.tbl, c.row_id, c.field FROM temp.sync_rows t"
        " JOIN conflict c ON c.tbl = t.tbl AND c.row_id = t.row_id"
    )
    for tbl, row_id, name in cur:
        old_conflicts.setdefault((tbl, row_id), set()).add(name)
    db.execute_sql("DELETE FROM temp.sync_rows")


def _new_row(
    columns: Sequence[tuple[str, bool, Value]], row_id: str, values: dict[str, Value], now: str
) -> tuple[object, ...]:
    """A full row for INSERT: defaults for fields without ops, and for NOT NULL given null."""
    return tuple(
        [
            row_id
            if name == "id"
            else now
            if name == "updated_at"
            else default
            if (value := values.get(name, default)) is None and not_null
            else value
            for name, not_null, default in columns
        ]
    )


def _queue_update(
    table: str,
    columns: Sequence[tuple[str, bool, Value]],
    row_id: str,
    state: RowState,
    now: str,
    updates: dict[tuple[str, tuple[str, ...]], list[tuple[object, ...]]],
) -> None:
    cols: list[str] = []
    vals: list[object] = []
    for name, not_null, default in columns:
        if name in state.values and name not in ("id", "updated_at"):
            cols.append(name)
            vals.append(storable(state.values[name], not_null, default))
    if cols:
        updates.setdefault((table, tuple(cols)), []).append((*vals, now, row_id))
