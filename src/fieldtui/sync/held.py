"""Values held aside: received ops whose value does not fit its field, listed for the office.

Such an op stays in the op log (so a replica's seqs stay gapless and the laptop that wrote it
is not refused for good: its next file carries the same op, which is simply held again) but
takes no part in its row (:func:`fieldtui.store.rowstate.resolve_row`). The ``held_op`` table
lists them; every replica that receives the op holds it aside the same way, so the office and
every laptop list the same values. A later edit of the field (a correction) supersedes it as
it would any value; the listing says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from peewee import SqliteDatabase

from fieldtui.store.clock import hlc_datetime
from fieldtui.store.rowstate import HELD_TABLE, Value, decode_value
from fieldtui.sync.conflicts import row_label
from fieldtui.sync.fileformat import Op
from fieldtui.sync.peers import known_names
from fieldtui.sync.values import value_problem

SHOWN_CHARS = 200
"""A held value is shown up to this many characters (it may be long, it is wrong anyway)."""


@dataclass(slots=True)
class HeldValue:
    """One op held aside, with what a person needs to find and fix it."""

    op_id: str
    table: str
    row_id: str
    field: str
    value: Value
    """The value as received (text cut to :data:`SHOWN_CHARS` characters)."""
    reason: str
    """Why it does not fit, in the current language."""
    label: str
    """The record's name (or its id when it has none yet)."""
    replica_id: str
    replica_name: str
    stamp: str
    """When it was written (its clock stamp), ISO 8601."""
    held_at: str = ""
    superseded: bool = False
    """A later edit of the field named it as replaced: nothing is left to do."""


def _shown(value: Value) -> Value:
    if isinstance(value, str) and len(value) > SHOWN_CHARS:
        return value[:SHOWN_CHARS] + "…"
    return value


def describe_held(db: SqliteDatabase, op: Op, reason: str, held_at: str = "") -> HeldValue:
    """A held op of a file just merged, for the import's report."""
    names = known_names(db)
    return HeldValue(
        op_id=op[0],
        table=op[4],
        row_id=op[5],
        field=op[6],
        value=_shown(op[7]),
        reason=reason,
        label=row_label(db, op[4], op[5]),
        replica_id=op[1],
        replica_name=names.get(op[1], ""),
        stamp=hlc_datetime(op[3]).isoformat(timespec="seconds"),
        held_at=held_at,
    )


def held_values(db: SqliteDatabase, *, include_superseded: bool = False) -> list[HeldValue]:
    """Every value held aside here, oldest first (superseded ones only when asked)."""
    rows = db.execute_sql(
        "SELECT o.op_id, o.replica_id, o.hlc, o.tbl, o.row_id, o.field, o.value, h.held_at"
        f" FROM {HELD_TABLE} h JOIN op o ON o.op_id = h.op_id"
        " ORDER BY h.held_at, o.tbl, o.row_id, o.field, o.op_id"
    ).fetchall()
    names = known_names(db)
    found: list[HeldValue] = []
    for op_id, replica_id, hlc, table, row_id, field, raw, held_at in rows:
        superseded = _superseded(db, str(table), str(row_id), str(field), str(op_id))
        if superseded and not include_superseded:
            continue
        value = decode_value(raw)
        found.append(
            HeldValue(
                op_id=str(op_id),
                table=str(table),
                row_id=str(row_id),
                field=str(field),
                value=_shown(value),
                reason=value_problem(str(table), str(field), value) or "",
                label=row_label(db, str(table), str(row_id)),
                replica_id=str(replica_id),
                replica_name=names.get(str(replica_id), ""),
                stamp=hlc_datetime(int(hlc)).isoformat(timespec="seconds"),
                held_at=str(held_at),
                superseded=superseded,
            )
        )
    return found


def _superseded(db: SqliteDatabase, table: str, row_id: str, field: str, op_id: str) -> bool:
    for (parents,) in db.execute_sql(
        "SELECT parents FROM op WHERE tbl = ? AND row_id = ? AND field = ? AND op_id != ?",
        (table, row_id, field, op_id),
    ):
        if op_id in json.loads(parents):
            return True
    return False
