"""Repositories: record dataclasses in, record dataclasses out, every write through the Writer.

Queries are bound to the owning store's database explicitly (``query.bind(db)``) rather than
through a global proxy, so several databases can be open in one process (the sync tests run a
hub and three laptops side by side).
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from peewee import Expression, ModelSelect

from fieldtui.domain.records import Record
from fieldtui.store.convert import changes_to_columns, record_columns, record_from_row
from fieldtui.store.ids import link_id
from fieldtui.store.models import SYNCED_MODELS, SyncedModel, synced_fields
from fieldtui.store.writer import compute_heads

if TYPE_CHECKING:
    from fieldtui.store import Store

R = TypeVar("R", bound=Record)

Heads = dict[str, tuple[str, ...]]
"""Field → sorted op ids of its heads (a field with no op is absent)."""


@dataclass(frozen=True, slots=True)
class Loaded(Generic[R]):
    """A record and the heads of its fields, read together: what a form shows.

    Saving with ``parents=loaded.heads`` (:meth:`Repo.update`) makes an edit made since
    the read a conflict instead of silently overwriting it.
    """

    record: R
    heads: Heads
    links: dict[str, tuple[str, ...]] = dataclass_field(default_factory=dict)
    """For a kind with lists of references kept in link tables (a visit's officers): each
    such field's ids, read in the same snapshot (:func:`fieldtui.store.record_links.load`).
    ``heads`` then also holds, under the field's name, the heads of its link rows."""

    def seen(self) -> set[str]:
        """Every head of the row when read: the parents of a delete made from what was shown
        (the heads of link rows, kept under link fields, are not the row's)."""
        return {op for name, ops in self.heads.items() if name not in self.links for op in ops}


def read_heads(store: Store, table: str, row_id: str) -> Heads:
    """The heads of every field of one row, as they are now."""
    cur = store.db.execute_sql(
        "SELECT field, op_id, parents FROM op WHERE tbl = ? AND row_id = ?", (table, row_id)
    )
    by_field: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for field, op_id, parents in cur.fetchall():
        by_field[field].append((op_id, parents))
    return {field: tuple(sorted(compute_heads(ops))) for field, ops in by_field.items()}


class Repo(Generic[R]):
    """CRUD for one synced table."""

    def __init__(self, store: Store, table: str, cls: type[R]) -> None:
        self.store = store
        self.table = table
        self.cls = cls
        self.model: type[SyncedModel] = SYNCED_MODELS[table]

    # -- reading ------------------------------------------------------------------------

    def select(self, *where: Expression, include_deleted: bool = False) -> ModelSelect[SyncedModel]:
        """A bound query over this table; callers may add ordering, limits and joins.

        Inside a batch the writer's buffered rows and ops are written first, so a read sees
        the batch's own earlier writes (linking a pair twice in one batch finds the link).
        """
        self.store.writer.flush()
        query = self.model.select().bind(self.store.db)
        if not include_deleted:
            query = query.where(self.model.deleted == False)  # noqa: E712
        if where:
            query = query.where(*where)
        return query

    def records(self, query: ModelSelect[SyncedModel]) -> builtins.list[R]:
        """Rows as records. Peewee keys foreign keys by field name (``officer``); records use
        the column name (``officer_id``), so keys are translated."""
        fields = self.model._meta.fields
        out = []
        # The stub types dicts() as returning the query itself, so iterating it yields models
        # to mypy; at run time it yields dicts.
        for row in cast("Iterable[dict[str, Any]]", query.dicts()):
            cols = {(fields[k].column_name if k in fields else k): v for k, v in row.items()}
            out.append(record_from_row(self.cls, cols))
        return out

    def get(self, row_id: str) -> R | None:
        rows = self.records(self.select(self.model.id == row_id, include_deleted=True))
        return rows[0] if rows else None

    def require(self, row_id: str) -> R:
        record = self.get(row_id)
        if record is None:
            raise KeyError(f"no {self.table} {row_id}")
        return record

    def load(self, row_id: str) -> Loaded[R] | None:
        """The record and its fields' heads in one read (one snapshot), deleted or not.

        A form keeps both: it shows the record and saves against the heads, so a change
        committed by another process between the two reads cannot slip in unseen.
        """
        with self.store.db.atomic("DEFERRED"):
            record = self.get(row_id)
            if record is None:
                return None
            return Loaded(record, read_heads(self.store, self.table, row_id))

    def heads(self, row_id: str) -> Heads:
        """The heads of every field of a row now (compare with :attr:`Loaded.heads`)."""
        return read_heads(self.store, self.table, row_id)

    def conflict_fields(self, row_id: str) -> builtins.list[str]:
        """Fields of a row with an open conflict (``_deleted`` for delete against edit)."""
        cur = self.store.db.execute_sql(
            "SELECT field FROM conflict WHERE tbl = ? AND row_id = ? ORDER BY field",
            (self.table, row_id),
        )
        return [str(r[0]) for r in cur.fetchall()]

    def list(self, *where: Expression, include_deleted: bool = False) -> list[R]:
        return self.records(self.select(*where, include_deleted=include_deleted))

    def count(self, *where: Expression, include_deleted: bool = False) -> int:
        return int(self.select(*where, include_deleted=include_deleted).count())

    # -- writing ------------------------------------------------------------------------

    def create(self, record: R) -> R:
        """Store a new record (its ``id`` is assigned unless already set); returns it fresh."""
        columns = record_columns(record)
        values = {k: v for k, v in columns.items() if k in synced_fields(self.table)}
        row_id = self.store.writer.create(self.table, values, row_id=record.id or None)
        if self.store.writer._depth:  # inside a batch: avoid a read per row
            record.id = row_id
            return record
        return self.require(row_id)

    def update(
        self,
        row_id: str,
        *,
        parents: Mapping[str, Iterable[str]] | None = None,
        **changes: Any,
    ) -> builtins.list[str]:
        """Change some fields; returns the names of fields that really changed.

        ``parents``: the heads the caller showed (``Loaded.heads``); see
        :meth:`fieldtui.store.writer.Writer.update`. Every form passes them.
        """
        columns = changes_to_columns(self.cls, changes)
        return self.store.writer.update(self.table, row_id, columns, parents=parents)

    def save(self, record: R) -> builtins.list[str]:
        """Write every synced field of ``record``; unchanged ones produce no op."""
        columns = record_columns(record)
        values = {
            k: v for k, v in columns.items() if k in synced_fields(self.table) and k != "created_at"
        }
        return self.store.writer.update(self.table, record.id, values)

    def delete(self, row_id: str, *, parents: Iterable[str] | None = None) -> bool:
        """Tombstone a row; ``parents`` = ``Loaded.seen()`` when deleting what a form showed."""
        return self.store.writer.delete(self.table, row_id, parents=parents)

    def restore(self, row_id: str) -> bool:
        return self.store.writer.restore(self.table, row_id)


class LinkRepo(Repo[R]):
    """A link table between two records; a link's id is derived from its two ends."""

    def __init__(self, store: Store, table: str, cls: type[R], left: str, right: str) -> None:
        super().__init__(store, table, cls)
        self.left = left
        self.right = right

    def link(self, left_id: str, right_id: str) -> str:
        row_id = link_id(self.table, left_id, right_id)
        existing = self.get(row_id)
        if existing is None:
            self.store.writer.create(
                self.table, {self.left: left_id, self.right: right_id}, row_id=row_id
            )
        elif existing.deleted:
            self.store.writer.restore(self.table, row_id)
        return row_id

    def unlink(self, left_id: str, right_id: str) -> bool:
        row_id = link_id(self.table, left_id, right_id)
        return self.get(row_id) is not None and self.store.writer.delete(self.table, row_id)

    def right_ids(self, left_id: str) -> builtins.list[str]:
        col = getattr(self.model, self.left)
        return [getattr(r, self.right) for r in self.list(col == left_id)]

    def left_ids(self, right_id: str) -> builtins.list[str]:
        col = getattr(self.model, self.right)
        return [getattr(r, self.left) for r in self.list(col == right_id)]

    def set_right_ids(self, left_id: str, right_ids: Sequence[str]) -> None:
        """Make the links of ``left_id`` exactly ``right_ids`` (adding and tombstoning)."""
        with self.store.writer.transaction():
            current = set(self.right_ids(left_id))
            wanted = list(dict.fromkeys(right_ids))
            for rid in wanted:
                if rid not in current:
                    self.link(left_id, rid)
            for rid in current - set(wanted):
                self.unlink(left_id, rid)
