"""Deleted records and their restoring: what the delete dialogs promise the office.

A delete is a tombstone (``deleted = 1``, one ``_deleted`` op), never a removal, so every
deleted record is still here with all its fields. :func:`list_deleted` finds them with a label
people recognise and who deleted them when; :func:`restore_deleted` brings one back through
the writer, as an op, so the restore travels by sync like any other change.

Used by ``fieldtui deleted list|restore`` and meant for a "deleted records" screen: both take a
:class:`~fieldtui.store.Store` and return plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldtui.i18n import N_, _
from fieldtui.store.clock import hlc_datetime
from fieldtui.store.models import DELETED_FIELD

if TYPE_CHECKING:
    from fieldtui.store import Store


class RestoreError(Exception):
    """A restore refused: no such deleted record, an ambiguous id, or a clash with a live one."""


@dataclass(frozen=True, slots=True)
class DeletedKind:
    name: str
    """The name on the command line, as for sheets: ``enterprises``, ``officers``, …"""
    table: str
    title: str
    """English msgid, plural, shown translated."""
    label_sql: str
    """A SELECT of ``id, label, detail`` over the table's rows aliased ``t`` (deleted or not)."""


_NAME = "(SELECT name FROM {table} WHERE id = t.{column})"


def _ref(table: str, column: str) -> str:
    return _NAME.format(table=table, column=column)


KINDS: dict[str, DeletedKind] = {
    k.name: k
    for k in (
        DeletedKind(
            "enterprises",
            "enterprise",
            N_("Enterprises"),
            "SELECT t.id, t.name, t.uscc FROM enterprise AS t",
        ),
        DeletedKind(
            "officers",
            "officer",
            N_("Officers"),
            "SELECT t.id, t.name, t.unit FROM officer AS t",
        ),
        DeletedKind(
            "assignments",
            "assignment",
            N_("Assignments"),
            "SELECT t.id, t.year || ' ' || COALESCE("
            + _ref("officer", "officer_id")
            + ", '?') || ' → ' || COALESCE("
            + _ref("enterprise", "enterprise_id")
            + ", "
            + _ref("project", "project_id")
            + ", '?'), t.role FROM assignment AS t",
        ),
        DeletedKind(
            "projects",
            "project",
            N_("Projects"),
            "SELECT t.id, t.name, " + _ref("enterprise", "enterprise_id") + " FROM project AS t",
        ),
        DeletedKind(
            "visits",
            "visit",
            N_("Visits"),
            "SELECT t.id, COALESCE(t.date, '') || ' ' || COALESCE("
            + _ref("enterprise", "enterprise_id")
            + ", '?'), t.summary FROM visit AS t",
        ),
        DeletedKind(
            "problems",
            "problem",
            N_("Problems"),
            "SELECT t.id, COALESCE("
            + _ref("enterprise", "enterprise_id")
            + ", '?') || ' · ' || t.description, t.raised_on FROM problem AS t",
        ),
        DeletedKind(
            "meetings",
            "meeting",
            N_("Meetings"),
            "SELECT t.id, COALESCE(t.date, '') || ' ' || t.topic, t.chair FROM meeting AS t",
        ),
        DeletedKind(
            "activities",
            "activity",
            N_("Investment activities"),
            "SELECT t.id, COALESCE(t.date, '') || ' ' || t.place, t.kind FROM activity AS t",
        ),
    )
}
"""The record kinds a person deletes (and so may want back), in menu order. Link rows and
handling records follow their record and are not listed on their own."""


@dataclass(frozen=True, slots=True)
class DeletedRecord:
    kind: str
    """A key of :data:`KINDS`."""
    table: str
    id: str
    label: str
    """What people call the record: a name, or date and enterprise."""
    detail: str | None
    """A second hint: USCC, unit, summary, …"""
    deleted_at: str | None
    """When it was deleted (ISO, UTC, from the delete op's clock), if the op is here."""
    deleted_by: str | None
    """The replica that deleted it."""
    deleted_by_name: str | None
    """That replica's name (an officer's laptop or the hub), when known."""
    deleted_here: bool = False
    """Deleted on this database (not received by sync)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "table": self.table,
            "id": self.id,
            "label": self.label,
            "detail": self.detail,
            "deleted_at": self.deleted_at,
            "deleted_by": self.deleted_by,
            "deleted_by_name": self.deleted_by_name,
            "deleted_here": self.deleted_here,
        }


def get_kind(name: str) -> DeletedKind:
    try:
        return KINDS[name]
    except KeyError:
        raise RestoreError(
            _("unknown kind {kind}; use one of {kinds}").format(kind=name, kinds=", ".join(KINDS))
        ) from None


def _replica_names(store: Store) -> dict[str, str]:
    names = {
        str(rid): str(name)
        for rid, name in store.db.execute_sql("SELECT replica_id, name FROM sync_peer").fetchall()
        if name
    }
    own = store.meta("sync_name")
    if own:
        names[store.replica_id] = own
    return names


def _rows(store: Store, kind: DeletedKind, where: str, params: tuple[Any, ...]) -> list[Any]:
    sql = (
        f"SELECT q.*, (SELECT hlc || ' ' || replica_id FROM op WHERE op.tbl = ? "
        f"AND op.row_id = q.id AND op.field = ? ORDER BY hlc DESC LIMIT 1) "
        f"FROM ({kind.label_sql} WHERE {where}) AS q"
    )
    return list(store.db.execute_sql(sql, (kind.table, DELETED_FIELD, *params)).fetchall())


def _record(kind: DeletedKind, row: Any, names: dict[str, str], here: str) -> DeletedRecord:
    row_id, label, detail, stamp = row
    at = by = None
    if stamp:
        hlc, by = str(stamp).split(" ", 1)
        at = hlc_datetime(int(hlc)).isoformat(timespec="seconds")
    return DeletedRecord(
        kind=kind.name,
        table=kind.table,
        id=str(row_id),
        label=str(label or ""),
        detail=str(detail) if detail not in (None, "") else None,
        deleted_at=at,
        deleted_by=by,
        deleted_by_name=names.get(by) if by else None,
        deleted_here=by == here,
    )


def list_deleted(store: Store, kind: str | None = None) -> list[DeletedRecord]:
    """Deleted records of one kind (or of every kind), the most recently deleted first."""
    kinds = [get_kind(kind)] if kind else list(KINDS.values())
    names = _replica_names(store)
    found: list[tuple[int, DeletedRecord]] = []
    for k in kinds:
        for row in _rows(store, k, "t.deleted = 1", ()):
            # By the delete op's clock, not the seconds shown: records deleted in one
            # second (a batch, a sync file) keep the order they were deleted in.
            hlc = int(str(row[3]).split(" ", 1)[0]) if row[3] else 0
            found.append((hlc, _record(k, row, names, store.replica_id)))
    found.sort(key=lambda pair: (pair[0], pair[1].label), reverse=True)
    return [record for _hlc, record in found]


MIN_REF = 4
"""Characters of an id's end at least: "0" would pick a record nobody meant."""


def find_deleted(store: Store, kind: str, ref: str) -> DeletedRecord:
    """The deleted record of ``kind`` whose id is ``ref`` or ends with it (at least
    :data:`MIN_REF` characters); refuses an unknown, live or ambiguous one."""
    k = get_kind(kind)
    ref = ref.strip().lower()
    if len(ref) < MIN_REF:
        raise RestoreError(
            _("give the record's id, or a unique end of it (at least {n} characters)").format(
                n=MIN_REF
            )
        )
    names = _replica_names(store)
    matches = [
        _record(k, row, names, store.replica_id)
        for row in _rows(store, k, "t.deleted = 1 AND substr(t.id, ?) = ?", (-len(ref), ref))
    ]
    exact = [m for m in matches if m.id == ref]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise RestoreError(
            _("{n} deleted records of {kind} have an id ending in {ref}; give more of it").format(
                n=len(matches), kind=_(k.title), ref=ref
            )
        )
    live = store.db.execute_sql(
        f"SELECT 1 FROM {k.table} WHERE deleted = 0 AND substr(id, ?) = ? LIMIT 1",
        (-len(ref), ref),
    ).fetchone()
    if live:
        raise RestoreError(
            _("the record of {kind} with id {ref} is not deleted").format(kind=_(k.title), ref=ref)
        )
    raise RestoreError(
        _(
            "no deleted record of {kind} has an id ending in {ref} "
            "(fieldtui deleted list shows them)"
        ).format(kind=_(k.title), ref=ref)
    )


def _uscc_clash(store: Store, record: DeletedRecord) -> str | None:
    """A live enterprise holding the same USCC (it was entered again after the delete)."""
    if record.table != "enterprise":
        return None
    row = store.db.execute_sql(
        "SELECT e.name FROM enterprise AS e JOIN enterprise AS d ON d.id = ? "
        "WHERE e.deleted = 0 AND e.uscc IS NOT NULL AND e.uscc != '' AND e.uscc = d.uscc",
        (record.id,),
    ).fetchone()
    return str(row[0]) if row else None


CLASHES: list[Callable[[Store, DeletedRecord], str | None]] = [_uscc_clash]
"""Checks that refuse a restore; each returns the live record's label when it clashes."""


def restore_deleted(store: Store, kind: str, ref: str) -> DeletedRecord:
    """Restore one deleted record (``ref``: its id or a unique end of it); returns it.

    The lookup, the checks and the restore op happen under one write lock, so a record
    deleted, restored or re-entered elsewhere in the meantime is seen. An enterprise whose
    USCC a live enterprise now holds is refused: two live records would share it.
    """
    with store.writer.transaction():
        store.writer.flush()
        record = find_deleted(store, kind, ref)
        for clash in CLASHES:
            other = clash(store, record)
            if other is not None:
                raise RestoreError(
                    _(
                        "“{label}” cannot be restored: the live enterprise “{other}” has the "
                        "same USCC (merge or delete one of them first)"
                    ).format(label=record.label, other=other)
                )
        store.writer.restore(record.table, record.id)
    return record
