"""Possible duplicate enterprises, and merging one into another.

Two laptops that each enter the same company before either has synced make two enterprises
with one unified social credit code: each form checked its own ledger, and neither could see
the other's. Sync keeps both (they are different rows), so the office sees them side by side.
:func:`duplicate_enterprises` finds them (live enterprises sharing a USCC, with what hangs
off each so a person can choose); :func:`merge_enterprises` keeps the chosen one, moves every
link of the others to it (visits, problems, projects, assignments, meetings and investment
activities), fills the kept one's empty fields from them, and deletes the others. All of it
goes through the writer in one transaction, after checking under the same write lock that
the enterprises are still live duplicates, so the merge is a set of ordinary ops that syncs
to every laptop. Nothing is lost: a deleted duplicate keeps its own values and waits in the
deleted records (回收站).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldtui.i18n import _
from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.rowstate import Value

if TYPE_CHECKING:
    from fieldtui.store import Store
    from fieldtui.store.repos import LinkRepo

__all__ = [
    "CHILD_TABLES",
    "LINK_TABLES",
    "DuplicateEnterprise",
    "DuplicateGroup",
    "MergeError",
    "Merged",
    "duplicate_enterprises",
    "merge_enterprises",
]

CHILD_TABLES: tuple[str, ...] = ("visit", "problem", "project", "assignment")
"""Tables whose rows name one enterprise in ``enterprise_id``: moved to the kept one."""

LINK_TABLES: dict[str, str] = {
    "meeting_enterprise": "meeting_id",
    "activity_enterprise": "activity_id",
}
"""Link tables between an enterprise and another record (table → the other end's column):
each link is made again to the kept enterprise."""

_KEPT_AS_IS = frozenset({"id", "created_at", "updated_at", "deleted", "name", "uscc"})


class MergeError(ValueError):
    """A merge refused: the enterprises are not (or no longer) live duplicates."""


@dataclass(frozen=True, slots=True)
class DuplicateEnterprise:
    """One enterprise of a group, with what a person weighs to choose which to keep."""

    id: str
    name: str
    uscc: str
    created_at: str
    created_by: str
    """The replica id whose op created the row (a sync screen names it)."""
    filled: int
    """How many of its fields hold a value."""
    links: dict[str, int]
    """Live rows naming it, by table (``visit``, ``problem``, ``meeting_enterprise``…)."""

    @property
    def linked(self) -> int:
        return sum(self.links.values())


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    uscc: str
    enterprises: tuple[DuplicateEnterprise, ...]
    """Oldest first."""


@dataclass(frozen=True, slots=True)
class Merged:
    kept: str
    dropped: tuple[str, ...]
    moved: dict[str, int]
    """Rows moved to the kept enterprise, by table."""
    filled: tuple[str, ...]
    """Fields of the kept enterprise filled from a dropped one."""


def duplicate_enterprises(store: Store) -> list[DuplicateGroup]:
    """Live enterprises sharing a USCC, grouped by the code (groups in order of their oldest
    enterprise's creation). Uses the USCC index; a zone has a handful at most."""
    db = store.db
    codes = [
        str(r[0])
        for r in db.execute_sql(
            "SELECT uscc FROM enterprise WHERE deleted = 0 AND uscc IS NOT NULL AND uscc != ''"
            " GROUP BY uscc HAVING COUNT(*) > 1"
        ).fetchall()
    ]
    groups = [DuplicateGroup(code, tuple(_candidates(store, code))) for code in codes]
    groups.sort(key=lambda g: (g.enterprises[0].created_at, g.uscc))
    return groups


def _candidates(store: Store, uscc: str) -> list[DuplicateEnterprise]:
    db = store.db
    found = []
    rows = db.execute_sql(
        "SELECT id, name, created_at FROM enterprise WHERE uscc = ? AND deleted = 0"
        " ORDER BY created_at, id",
        (uscc,),
    ).fetchall()
    for row_id, name, created_at in rows:
        first = db.execute_sql(
            "SELECT replica_id FROM op WHERE tbl = 'enterprise' AND row_id = ?"
            " ORDER BY hlc, op_id LIMIT 1",
            (row_id,),
        ).fetchone()
        current = store.writer.current("enterprise", str(row_id)) or {}
        filled = sum(
            1
            for column, value in current.items()
            if column not in _KEPT_AS_IS and not _blank(value)
        )
        found.append(
            DuplicateEnterprise(
                id=str(row_id),
                name=str(name or ""),
                uscc=uscc,
                created_at=str(created_at or ""),
                created_by=str(first[0]) if first else "",
                filled=filled,
                links=_links(store, str(row_id)),
            )
        )
    return found


def _links(store: Store, enterprise_id: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in (*CHILD_TABLES, *LINK_TABLES):
        n = int(
            store.db.execute_sql(
                f'SELECT COUNT(*) FROM "{table}" WHERE enterprise_id = ? AND deleted = 0',
                (enterprise_id,),
            ).fetchone()[0]
        )
        if n:
            counts[table] = n
    return counts


def _blank(value: Value) -> bool:
    return value is None or value == "" or value == "[]"


def merge_enterprises(store: Store, keep_id: str, drop_ids: list[str] | tuple[str, ...]) -> Merged:
    """Merge the enterprises ``drop_ids`` into ``keep_id`` (see the module docstring).

    Refused with :class:`MergeError` (nothing written) unless every one is a live enterprise
    with the kept one's USCC.
    """
    drops = tuple(dict.fromkeys(d for d in drop_ids if d != keep_id))
    if not drops:
        raise MergeError(_("Choose another enterprise to merge into the one kept."))
    writer = store.writer
    moved: dict[str, int] = {}
    filled: list[str] = []
    with store.batch():
        keep = writer.current("enterprise", keep_id)
        if keep is None or keep["deleted"]:
            raise MergeError(_("The enterprise to keep is no longer in the ledger."))
        uscc = keep["uscc"]
        others = []
        for drop_id in drops:
            other = writer.current("enterprise", drop_id)
            if other is None or other["deleted"]:
                raise MergeError(
                    _("An enterprise to merge is no longer in the ledger (it was deleted).")
                )
            if not uscc or other["uscc"] != uscc:
                raise MergeError(
                    _("{name} has another unified social credit code: not a duplicate.").format(
                        name=f"“{other['name']}”"
                    )
                )
            others.append(other)
        for drop_id in drops:
            for table, n in _move_children(store, drop_id, keep_id).items():
                moved[table] = moved.get(table, 0) + n
            for table, n in _move_links(store, drop_id, keep_id).items():
                moved[table] = moved.get(table, 0) + n
        changes = _fill(keep, others)
        if changes:
            filled = writer.update("enterprise", keep_id, changes)
        for drop_id in drops:
            writer.delete("enterprise", drop_id)
    return Merged(kept=keep_id, dropped=drops, moved=moved, filled=tuple(filled))


def _ids(store: Store, table: str, enterprise_id: str) -> list[str]:
    return [
        str(r[0])
        for r in store.db.execute_sql(
            f'SELECT id FROM "{table}" WHERE enterprise_id = ? AND deleted = 0 ORDER BY id',
            (enterprise_id,),
        ).fetchall()
    ]


def _move_children(store: Store, drop_id: str, keep_id: str) -> dict[str, int]:
    writer = store.writer
    moved: dict[str, int] = {}
    for table in CHILD_TABLES:
        for row_id in _ids(store, table, drop_id):
            if table == "assignment" and _same_assignment(store, row_id, keep_id):
                continue
            writer.update(table, row_id, {"enterprise_id": keep_id})
            moved[table] = moved.get(table, 0) + 1
    return moved


def _same_assignment(store: Store, assignment_id: str, keep_id: str) -> bool:
    """The kept enterprise already has this year's assignment of this officer: the
    duplicate's one is folded into it (lead wins over assisting) and deleted, rather than
    making the plan list one officer twice for one enterprise."""
    writer = store.writer
    row = writer.current("assignment", assignment_id)
    assert row is not None
    twin = store.db.execute_sql(
        "SELECT id, role FROM assignment WHERE deleted = 0 AND enterprise_id = ? AND year = ?"
        " AND officer_id = ? AND project_id IS ? ORDER BY id LIMIT 1",
        (keep_id, row["year"], row["officer_id"], row["project_id"]),
    ).fetchone()
    if twin is None:
        return False
    if row["role"] == "cso" and twin[1] != "cso":
        writer.update("assignment", str(twin[0]), {"role": "cso"})
    writer.delete("assignment", assignment_id)
    return True


def _move_links(store: Store, drop_id: str, keep_id: str) -> dict[str, int]:
    moved: dict[str, int] = {}
    repos: dict[str, LinkRepo[Any]] = {
        "meeting_enterprise": store.meeting_enterprises,
        "activity_enterprise": store.activity_enterprises,
    }
    for table, other_end in LINK_TABLES.items():
        repo = repos[table]
        rows = store.db.execute_sql(
            f'SELECT "{other_end}" FROM "{table}" WHERE enterprise_id = ? AND deleted = 0'
            " ORDER BY id",
            (drop_id,),
        ).fetchall()
        for (left_id,) in rows:
            repo.unlink(str(left_id), drop_id)
            repo.link(str(left_id), keep_id)
            moved[table] = moved.get(table, 0) + 1
    return moved


def _fill(keep: dict[str, Value], others: list[dict[str, Value]]) -> dict[str, Value]:
    """The kept enterprise's empty fields, filled from the first duplicate that has them;
    tags are the union of all (a tag on either is still true of the company)."""
    changes: dict[str, Value] = {}
    for column, value in keep.items():
        if column in _KEPT_AS_IS or column == DELETED_FIELD:
            continue
        if column == "tags":
            tags = _tags(value)
            for other in others:
                tags += [t for t in _tags(other.get("tags")) if t not in tags]
            if tags != _tags(value):
                changes["tags"] = json.dumps(tags, ensure_ascii=False)
            continue
        if not _blank(value):
            continue
        source = next((o[column] for o in others if not _blank(o.get(column))), None)
        if source is not None:
            changes[column] = source
    return changes


def _tags(value: Value) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    try:
        loaded = json.loads(value)
    except ValueError:
        return [value]
    return [str(t) for t in loaded] if isinstance(loaded, list) else [str(loaded)]
