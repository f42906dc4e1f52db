"""The write path: every create, update and delete of a synced row goes through :class:`Writer`.

Each change writes the row *and* appends one op per changed field to the op log in the same
transaction, so nothing a user does can skip sync. Unchanged values write no op. Ops and new
rows are buffered and flushed with ``executemany`` (per-row statements are the slow part of
bulk work such as demo data and sheet imports); any read of existing state flushes first.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from peewee import SqliteDatabase

from fieldtui.store.clock import HybridClock
from fieldtui.store.ids import new_id
from fieldtui.store.models import DELETED_FIELD, SYNCED_MODELS, synced_columns, synced_fields
from fieldtui.store.rowstate import Value, decode_value, encode_value, refresh_row
from fieldtui.store.search.upkeep import refresh_enterprises

__all__ = ["Value", "WriteError", "Writer", "compute_heads", "decode_value", "encode_value"]


class WriteError(Exception):
    """A write the store refuses (unknown row or field, edit of a deleted row)."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def compute_heads(ops: Iterable[tuple[str, str]]) -> set[str]:
    """Heads of one field: its ops that no other op of the same field names as a parent.

    ``ops`` yields ``(op_id, parents_json)`` for every op of the field.
    """
    ids: set[str] = set()
    superseded: set[str] = set()
    for op_id, parents in ops:
        ids.add(op_id)
        superseded.update(json.loads(parents))
    return ids - superseded


class Writer:
    """One replica's writer. Not thread-safe: each thread opens its own :class:`Store`."""

    def __init__(
        self, db: SqliteDatabase, replica_id: str, clock: HybridClock | None = None
    ) -> None:
        """``clock`` lets tests run a replica on a wrong wall clock: ``HybridClock(now_ms=f)``."""
        self.db = db
        self.replica_id = replica_id
        self.clock = clock or HybridClock()
        self._depth = 0
        self._seq = 0
        self._saved_clock = 0
        self._ops: list[tuple[Any, ...]] = []
        self._rows: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = defaultdict(list)
        self._touched_rows: dict[tuple[str, str], None] = {}
        self._stale_rows: dict[tuple[str, str], None] = {}
        """Rows written with parents that missed a head: recomputed at flush, as merge would."""
        self._ledger_pending: dict[str, None] = {}
        """Enterprises whose derived ledger/search rows are recomputed at commit."""
        self.ops_written = 0
        self._lock = threading.RLock()

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        """A write transaction; nested calls join the outer one. Commits flush the buffers.

        The lock serialises writers of this process (UI worker threads share one Store);
        BEGIN IMMEDIATE serialises writers across processes.
        """
        with self._lock, self._transaction() as writer:
            yield writer

    @contextmanager
    def _transaction(self) -> Iterator[Writer]:
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        with self.db.atomic():
            self._depth = 1
            try:
                self._load_state()
                yield self
                self.flush()
                if self._ledger_pending:
                    refresh_enterprises(self.db, self._ledger_pending)
                self._save_state()
            finally:
                self._depth = 0
                self._ops.clear()
                self._rows.clear()
                self._touched_rows.clear()
                self._stale_rows.clear()
                self._ledger_pending.clear()

    def _load_state(self) -> None:
        """Read what another process may have changed since our last transaction: the clock,
        and the replica id itself (a sync import may have continued this database under a
        fresh id, see :mod:`fieldtui.sync.continuity`)."""
        meta = dict(
            self.db.execute_sql(
                "SELECT key, value FROM meta WHERE key IN ('hlc', 'replica_id')"
            ).fetchall()
        )
        if meta.get("replica_id"):
            self.replica_id = str(meta["replica_id"])
        self._saved_clock = int(meta.get("hlc") or 0)
        self.clock.last = max(self.clock.last, self._saved_clock)
        cur = self.db.execute_sql(
            "SELECT MAX(seq) FROM op WHERE replica_id = ?", (self.replica_id,)
        )
        self._seq = cur.fetchone()[0] or 0

    def _save_state(self) -> None:
        """Persist the clock if it moved: a transaction that wrote nothing leaves the file as
        it was, byte for byte (a refused sync file must not change the database)."""
        if self.clock.last == self._saved_clock:
            return
        self.db.execute_sql(
            "INSERT INTO meta (key, value) VALUES ('hlc', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(self.clock.last),),
        )
        self._saved_clock = self.clock.last

    def flush(self) -> None:
        """Write buffered rows and ops. Called before any read of existing state."""
        for (table, columns), rows in self._rows.items():
            cols = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            self.db.cursor().executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
            if table == "enterprise":
                self._ledger_pending.update(dict.fromkeys(r[0] for r in rows))
        self._rows.clear()
        if self._ops:
            self.db.cursor().executemany(
                "INSERT INTO op (op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._ops,
            )
            self.ops_written += len(self._ops)
            self._ops.clear()
        # A row with open conflicts is recomputed from its ops after a local write, with the
        # same rules merge uses (store.rowstate), so the conflicts a write settles disappear
        # and those it does not settle (a field conflict under a delete, a delete against a
        # concurrent edit under a field edit) stay exactly as every other replica sees them.
        # A row without conflicts gains one from a local write only when the write named
        # parents that missed a head (a form saving against what it showed): those rows are
        # in ``_stale_rows`` and are recomputed too.
        for table, row_id in self._touched_rows:
            if table == "enterprise":
                self._ledger_pending[row_id] = None
            stale = (table, row_id) in self._stale_rows
            has_conflict = (
                stale
                or self.db.execute_sql(
                    "SELECT 1 FROM conflict WHERE tbl = ? AND row_id = ? LIMIT 1", (table, row_id)
                ).fetchone()
            )
            if has_conflict:
                refresh_row(self.db, table, row_id, now_iso())
        self._touched_rows.clear()
        self._stale_rows.clear()

    # -- ops ----------------------------------------------------------------------------

    def _append_op(
        self, table: str, row_id: str, field: str, value: Value, parents: Iterable[str]
    ) -> str:
        self._seq += 1
        op_id = new_id()
        self._ops.append(
            (
                op_id,
                self.replica_id,
                self._seq,
                self.clock.tick(),
                table,
                row_id,
                field,
                encode_value(value),
                json.dumps(sorted(parents)) if parents else "[]",
            )
        )
        return op_id

    def heads(self, table: str, row_id: str, field: str) -> set[str]:
        self.flush()
        cur = self.db.execute_sql(
            "SELECT op_id, parents FROM op WHERE tbl = ? AND row_id = ? AND field = ?",
            (table, row_id, field),
        )
        return compute_heads(cur.fetchall())

    def row_heads(self, table: str, row_id: str) -> set[str]:
        """Heads of every field of a row: what a delete or restore has seen."""
        self.flush()
        cur = self.db.execute_sql(
            "SELECT field, op_id, parents FROM op WHERE tbl = ? AND row_id = ?",
            (table, row_id),
        )
        by_field: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for field, op_id, parents in cur.fetchall():
            by_field[field].append((op_id, parents))
        heads: set[str] = set()
        for ops in by_field.values():
            heads |= compute_heads(ops)
        return heads

    # -- row changes --------------------------------------------------------------------

    @staticmethod
    def _check_table(table: str) -> None:
        if table not in SYNCED_MODELS:
            raise WriteError(f"unknown table {table!r}")

    def create(self, table: str, values: Mapping[str, Value], row_id: str | None = None) -> str:
        """Insert a row and one op per given non-null field (plus ``created_at``)."""
        self._check_table(table)
        allowed = synced_fields(table)
        unknown = set(values) - allowed
        if unknown:
            raise WriteError(f"unknown field(s) for {table}: {', '.join(sorted(unknown))}")
        row_id = row_id or new_id()
        stamp = now_iso()
        fields = {k: v for k, v in values.items() if v is not None and k != "created_at"}
        fields["created_at"] = stamp
        with self.transaction():
            for field, value in fields.items():
                self._append_op(table, row_id, field, value, ())
            columns = ("id", "updated_at", *fields)
            self._rows[(table, tuple(columns))].append((row_id, stamp, *fields.values()))
        return row_id

    def current(self, table: str, row_id: str) -> dict[str, Value] | None:
        self.flush()
        cols = synced_columns(table)
        quoted = ", ".join(f'"{c}"' for c in cols)
        row = self.db.execute_sql(
            f"SELECT {quoted} FROM {table} WHERE id = ?", (row_id,)
        ).fetchone()
        return dict(zip(cols, row, strict=True)) if row else None

    def update(
        self,
        table: str,
        row_id: str,
        changes: Mapping[str, Value],
        force: Iterable[str] = (),
        parents: Mapping[str, Iterable[str]] | None = None,
    ) -> list[str]:
        """Change fields of a row; returns the fields that changed.

        ``force`` names fields to write even when the value is unchanged: that is how a
        conflict is resolved in favour of the value already shown (the new op's parents are
        all the heads, so every replica sees the conflict settled).

        ``parents`` is what the caller *showed* before this change: for each field, the op
        ids of its heads when the record was read (:meth:`fieldtui.store.repos.Repo.load`).
        A field missing from it was read with no op. Each changed field's op then names those
        ops as parents instead of the heads now, so an edit the caller never saw (a sync
        import, the command line, another window) stays a head beside this one: the row is
        recomputed and the conflict recorded exactly as merge would on every replica. With
        ``parents`` a row deleted since it was read may be written too: the edit is concurrent
        with the delete, which merge reports as a delete-against-edit conflict. Without
        ``parents`` the ops supersede the current heads, and a deleted row is refused.
        """
        self._check_table(table)
        allowed = synced_fields(table) - {"created_at"}
        unknown = set(changes) - allowed
        if unknown:
            raise WriteError(f"unknown field(s) for {table}: {', '.join(sorted(unknown))}")
        forced = set(force)
        with self.transaction():
            row = self.current(table, row_id)
            if row is None:
                raise WriteError(f"no {table} row {row_id}")
            if row["deleted"] and parents is None:
                raise WriteError(f"{table} row {row_id} is deleted")
            changed = [
                f
                for f, v in changes.items()
                if f in forced or encode_value(row[f]) != encode_value(v)
            ]
            stale = bool(row["deleted"]) and bool(changed)
            for field in changed:
                heads = self.heads(table, row_id, field)
                if parents is None:
                    seen = heads
                else:
                    seen = set(parents.get(field, ()))
                    stale = stale or not heads <= seen
                self._append_op(table, row_id, field, changes[field], seen)
                self._touched_rows[(table, row_id)] = None
            if stale:
                self._stale_rows[(table, row_id)] = None
            if changed:
                sets = ", ".join(f'"{f}" = ?' for f in changed)
                self.db.execute_sql(
                    f"UPDATE {table} SET {sets}, updated_at = ? WHERE id = ?",
                    (*(changes[f] for f in changed), now_iso(), row_id),
                )
        return changed

    def set_deleted(
        self,
        table: str,
        row_id: str,
        deleted: bool,
        force: bool = False,
        parents: Iterable[str] | None = None,
    ) -> bool:
        """Tombstone (or restore) a row; returns False when it already was in that state.

        The op's parents are the heads of every field of the row: the writer saw the whole
        row, so an edit it did not see is a concurrent edit and merge reports the conflict.
        ``force`` writes the op even when the row already shows that state: that is how a
        delete-against-edit conflict is settled in favour of what the row shows.
        ``parents`` is what the caller showed instead (every head of the row when it was
        read): an edit made since then stays a head and the delete becomes a conflict with
        it, recomputed as merge would, rather than silently superseding it.
        """
        self._check_table(table)
        with self.transaction():
            row = self.current(table, row_id)
            if row is None:
                raise WriteError(f"no {table} row {row_id}")
            if bool(row["deleted"]) == deleted and not force:
                return False
            heads = self.row_heads(table, row_id)
            seen = heads if parents is None else set(parents)
            self._append_op(table, row_id, DELETED_FIELD, int(deleted), seen)
            self._touched_rows[(table, row_id)] = None
            if not heads <= seen:
                self._stale_rows[(table, row_id)] = None
            self.db.execute_sql(
                f"UPDATE {table} SET deleted = ?, updated_at = ? WHERE id = ?",
                (int(deleted), now_iso(), row_id),
            )
        return True

    def delete(
        self, table: str, row_id: str, force: bool = False, parents: Iterable[str] | None = None
    ) -> bool:
        return self.set_deleted(table, row_id, True, force=force, parents=parents)

    def restore(self, table: str, row_id: str, force: bool = False) -> bool:
        return self.set_deleted(table, row_id, False, force=force)
