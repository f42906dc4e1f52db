"""Lists of references kept in link tables (a visit's officers, an activity's team), read and
written the way a form needs them.

A :class:`~fieldtui.domain.schema.Field` with ``link=`` is not a column of its kind: each
reference is a row of the link table (``visit_officer``: ``visit_id``, ``officer_id``) whose
id derives from its two ends, so the same link made on two laptops is one row. A form reads
the list with the record in one snapshot (:func:`load`) and writes only what the officer
changed (:func:`write_links`): the references added since it showed the list are linked, the
ones removed are unlinked, and a reference someone else added meanwhile stays. The "heads"
of such a field are the heads of its link rows: they change whenever a link is added,
removed or restored anywhere, which is how an open form learns that the list changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fieldtui.domain.schema import Field, Kind, kind_of
from fieldtui.store.repos import LinkRepo, Loaded, read_heads
from fieldtui.store.writer import compute_heads

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = ["link_heads", "link_ids", "link_repo", "load", "write_links"]


def link_repo(store: Store, field: Field) -> LinkRepo[Any]:
    """The repository of a link field's table (``store.visit_officers`` …)."""
    if field.link is None:
        raise ValueError(f"{field.name} is not kept in a link table")
    repo = getattr(store, kind_of(field.link).repo)
    if not isinstance(repo, LinkRepo):
        raise TypeError(f"{field.link} is not a link table")
    return repo


def link_ids(store: Store, field: Field, row_id: str) -> tuple[str, ...]:
    """The ids a record's link field holds now (live links, in the order they were made)."""
    return tuple(link_repo(store, field).right_ids(row_id))


def link_heads(store: Store, field: Field, row_id: str) -> tuple[str, ...]:
    """The heads of every link row of one record (live or removed), sorted."""
    repo = link_repo(store, field)
    store.writer.flush()
    cur = store.db.execute_sql(
        f'SELECT o.row_id, o.field, o.op_id, o.parents FROM op o JOIN "{repo.table}" l '
        f'ON l.id = o.row_id WHERE o.tbl = ? AND l."{repo.left}" = ?',
        (repo.table, row_id),
    )
    by_field: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for link_row, name, op_id, parents in cur.fetchall():
        by_field[(link_row, name)].append((op_id, parents))
    heads: set[str] = set()
    for ops in by_field.values():
        heads |= compute_heads(ops)
    return tuple(sorted(heads))


def load(store: Store, kind: Kind, row_id: str) -> Loaded[Any] | None:
    """A record, the heads of its fields and its link fields' ids, in one snapshot (deleted
    records too): what a form shows and saves against."""
    repo = getattr(store, kind.repo)
    store.writer.flush()
    with store.db.atomic("DEFERRED"):
        record = repo.get(row_id)
        if record is None:
            return None
        heads = read_heads(store, kind.table, row_id)
        links: dict[str, tuple[str, ...]] = {}
        for field in kind.link_fields:
            links[field.name] = link_ids(store, field, row_id)
            heads[field.name] = link_heads(store, field, row_id)
        return Loaded(record, heads, links)


def write_links(
    store: Store, field: Field, row_id: str, shown: Sequence[str], wanted: Sequence[str]
) -> bool:
    """Apply what the officer changed in a link field (inside the save's transaction): link
    what is in ``wanted`` but was not ``shown``, unlink what was shown and is no longer
    wanted. Links nobody here touched stay, whoever made them. True if anything changed."""
    repo = link_repo(store, field)
    changed = False
    with store.writer.transaction():
        current = set(repo.right_ids(row_id))
        for target in dict.fromkeys(wanted):
            if target not in shown and target not in current:
                repo.link(row_id, target)
                changed = True
        for target in dict.fromkeys(shown):
            if target not in wanted and target in current:
                repo.unlink(row_id, target)
                changed = True
    return changed
