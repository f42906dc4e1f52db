"""Open conflicts: listing them with every kept value, and settling one.

A conflict is settled by a new op whose parents are all its heads, written through the normal
write path: ``Writer.update(..., force=[field])`` for a field (taking one head's value or a new
value), ``Writer.delete/restore(..., force=True)`` for a delete against an edit. That op syncs
like any edit, so the conflict closes on every replica once the file reaches it, and a
resolution made on two replicas at once is itself just a new (visible) conflict.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peewee import SqliteDatabase

from fieldtui.domain.tables import table_title
from fieldtui.i18n import _
from fieldtui.store.clock import hlc_datetime
from fieldtui.store.models import DELETED_FIELD, SYNCED_MODELS, synced_columns
from fieldtui.store.rowstate import Value, decode_value, winner_key
from fieldtui.sync.errors import SyncError
from fieldtui.sync.peers import known_names
from fieldtui.sync.values import column_value

if TYPE_CHECKING:
    from fieldtui.store import Store

LABEL_COLUMNS = ("name", "topic", "title", "text", "place", "description", "summary")
"""The first of these a table has names its rows in listings."""


@dataclass(slots=True)
class Head:
    """One kept value of a conflict."""

    op_id: str
    field: str
    value: Value
    replica_id: str
    replica_name: str
    stamp: str
    winner: bool
    """True for the provisional winner the row shows until someone decides."""

    @property
    def kind(self) -> str:
        """``delete`` / ``restore`` for ops on the row's existence, else ``edit``."""
        if self.field != DELETED_FIELD:
            return "edit"
        return "delete" if self.value == 1 else "restore"


@dataclass(slots=True)
class Conflict:
    table: str
    row_id: str
    field: str
    label: str
    row_deleted: bool
    detected_at: str
    heads: list[Head] = dataclasses.field(default_factory=list)

    @property
    def is_delete(self) -> bool:
        """A delete against a concurrent edit (the row's existence is in dispute)."""
        return self.field == DELETED_FIELD


def _label_column(table: str) -> str | None:
    columns = synced_columns(table)
    return next((c for c in LABEL_COLUMNS if c in columns), None)


def row_label(db: SqliteDatabase, table: str, row_id: str) -> str:
    """What a row is called in listings: its name (or topic, …), else its id."""
    label_col = _label_column(table) if table in SYNCED_MODELS else None
    if label_col is None:
        return row_id
    row = db.execute_sql(f'SELECT "{label_col}" FROM "{table}" WHERE id = ?', (row_id,)).fetchone()
    return str(row[0]) if row and row[0] is not None and row[0] != "" else row_id


def list_conflicts(db: SqliteDatabase, table: str | None = None) -> list[Conflict]:
    """Every open conflict (of one table, if given), oldest first."""
    sql = "SELECT tbl, row_id, field, heads, detected_at FROM conflict"
    params: tuple[str, ...] = ()
    if table:
        if table not in SYNCED_MODELS:
            raise SyncError(
                _("unknown table {table}; tables: {tables}").format(
                    table=f"“{table}”", tables=", ".join(sorted(SYNCED_MODELS))
                )
            )
        sql += " WHERE tbl = ?"
        params = (table,)
    rows = db.execute_sql(sql + " ORDER BY detected_at, tbl, row_id, field", params).fetchall()
    names = known_names(db)
    found: list[Conflict] = []
    for tbl, row_id, name, heads_json, detected_at in rows:
        label_col = _label_column(tbl)
        cols = '"deleted"' + (f', "{label_col}"' if label_col else "")
        row = db.execute_sql(f'SELECT {cols} FROM "{tbl}" WHERE id = ?', (row_id,)).fetchone()
        label = str(row[1]) if row and label_col and row[1] is not None else row_id
        head_ids = list(json.loads(heads_json))
        marks = ", ".join("?" * len(head_ids))
        ops = db.execute_sql(
            f"SELECT op_id, field, value, replica_id, hlc FROM op WHERE op_id IN ({marks})",
            head_ids,
        ).fetchall()
        views = [(str(o[0]), str(o[3]), int(o[4]), decode_value(o[2]), ()) for o in ops]
        best = max(views, key=winner_key)[0] if views else None
        heads = [
            Head(
                op_id=str(op_id),
                field=str(f),
                value=decode_value(value),
                replica_id=str(replica_id),
                replica_name=names.get(str(replica_id), ""),
                stamp=hlc_datetime(int(hlc)).isoformat(timespec="seconds"),
                winner=op_id == best,
            )
            for op_id, f, value, replica_id, hlc in sorted(ops, key=lambda o: (o[4], o[3], o[0]))
        ]
        found.append(
            Conflict(
                table=str(tbl),
                row_id=str(row_id),
                field=str(name),
                label=label,
                row_deleted=bool(row[0]) if row else False,
                detected_at=str(detected_at),
                heads=heads,
            )
        )
    return found


def get_conflict(db: SqliteDatabase, table: str, row_id: str, field_name: str) -> Conflict:
    for conflict in list_conflicts(db, table):
        if conflict.row_id == row_id and conflict.field == field_name:
            return conflict
    raise SyncError(
        _("no open conflict on {table} {row} field {field}").format(
            table=table, row=row_id, field=field_name
        )
    )


_UNSET = object()


def resolve(
    store: Store,
    table: str,
    row_id: str,
    field_name: str,
    *,
    take: str | None = None,
    value: object = _UNSET,
) -> str:
    """Settle a conflict by taking one kept head (``take``: op id, or a unique prefix or
    suffix of it) or, for a field, a new ``value``. Returns a description of what was written.
    """
    conflict = get_conflict(store.db, table, row_id, field_name)
    if (take is None) == (value is _UNSET):
        raise SyncError(_("give either a value to take (op id) or a new value"))
    head: Head | None = None
    if take is not None:
        # UUIDv7 ids made close together share their first characters (the time), so a
        # unique suffix (the random part) is accepted as well as a prefix.
        matches = [h for h in conflict.heads if h.op_id == take]
        if not matches and len(take) >= 4:
            matches = [
                h for h in conflict.heads if h.op_id.startswith(take) or h.op_id.endswith(take)
            ]
        if len(matches) != 1:
            choices = ", ".join(h.op_id for h in conflict.heads)
            text = (
                _("{op} matches several of the conflict's values; they are: {choices}")
                if matches
                else _("{op} is not one of the conflict's values; they are: {choices}")
            )
            raise SyncError(text.format(op=f"“{take}”", choices=choices))
        head = matches[0]
    writer = store.writer
    if conflict.is_delete:
        if head is None:
            raise SyncError(
                _("a delete conflict is settled by taking one of its values (delete or edit)")
            )
        if head.kind == "delete":
            writer.delete(table, row_id, force=True)
            return _("{table} {label}: kept deleted").format(
                table=table_title(table), label=f"“{conflict.label}”"
            )
        writer.restore(table, row_id, force=True)
        return _("{table} {label}: kept (restored)").format(
            table=table_title(table), label=f"“{conflict.label}”"
        )
    if conflict.row_deleted:
        raise SyncError(
            _(
                "{table} {label} is deleted; settle the row first (restore it) to choose a "
                "value for one of its fields"
            ).format(table=table_title(table), label=f"“{conflict.label}”")
        )
    if head is not None:
        chosen: Value = head.value
    else:
        try:
            chosen = column_value(table, field_name, value)
        except ValueError as exc:
            raise SyncError(_("{error} Nothing was changed.").format(error=exc)) from exc
    writer.update(table, row_id, {field_name: chosen}, force=[field_name])
    return _("{table} {label}: {field} = {value}").format(
        table=table_title(table), label=f"“{conflict.label}”", field=field_name, value=f"“{chosen}”"
    )
