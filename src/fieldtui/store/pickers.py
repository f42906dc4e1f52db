"""Choosing a record by typing part of its name, for every table a form field can refer to,
and the names of the records a form shows by id.

A reference field of the schema (``Ref(table=…)``, ``RefList(table=…)``) names its table; a
form's picker calls :func:`pick` with what was typed and shows ``(id, name, detail)`` rows,
and the field shows the chosen ids by :func:`ref_names`. Enterprises are found through the
ledger's search index (name, USCC, address, contact, pinyin and its initials), so a picker
over 100,000 enterprises answers at once; the other tables are small and are matched in
Python with the same pinyin rule (``zw`` finds 张伟).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fieldtui.store.assignments import pick_by_name, pick_officers, pick_projects
from fieldtui.store.enterprises import pick_enterprises

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = ["PICKABLE", "Pick", "RefName", "pick", "ref_names"]

Pick = tuple[str, str, str | None]
"""``(id, name, detail)`` of one record a picker offers."""


@dataclass(frozen=True, slots=True)
class RefName:
    """What a form shows for a chosen id: the record's name, and whether it was deleted."""

    name: str
    deleted: bool = False


def _enterprises(store: Store, text: str, limit: int) -> list[Pick]:
    return [(r.id, r.name, r.uscc) for r in pick_enterprises(store, text, limit)]


def _rows(sql: str) -> Callable[[Store, str, int], list[Pick]]:
    def pick_rows(store: Store, text: str, limit: int) -> list[Pick]:
        rows = store.db.execute_sql(sql).fetchall()
        return pick_by_name(((str(r[0]), str(r[1] or ""), r[2]) for r in rows), text, limit)

    return pick_rows


_NAMES: dict[str, str] = {
    "officer": "SELECT id, name, deleted FROM officer",
    "enterprise": "SELECT id, name, deleted FROM enterprise",
    "project": "SELECT id, name, deleted FROM project",
    "problem": "SELECT p.id, substr(p.description, 1, 40) || '（' || coalesce(e.name, '') || '）', "
    "p.deleted FROM problem p LEFT JOIN enterprise e ON e.id = p.enterprise_id",
    "activity": "SELECT id, coalesce(date, '') || ' ' || place, deleted FROM activity",
    "visit": "SELECT v.id, coalesce(v.date, '') || ' ' || coalesce(e.name, ''), v.deleted "
    "FROM visit v LEFT JOIN enterprise e ON e.id = v.enterprise_id",
}
"""Per table: ``id, name, deleted`` of its rows, where ``name`` is what people call a record."""

_PICKERS: dict[str, Callable[[Store, str, int], list[Pick]]] = {
    "enterprise": _enterprises,
    "officer": lambda store, text, limit: pick_officers(store, text, limit),
    "project": lambda store, text, limit: pick_projects(store, text, limit),
    "problem": _rows(
        "SELECT p.id, p.description, e.name FROM problem p "
        "LEFT JOIN enterprise e ON e.id = p.enterprise_id WHERE p.deleted = 0"
    ),
    "activity": _rows(
        "SELECT id, coalesce(date, '') || ' ' || place, kind FROM activity WHERE deleted = 0"
    ),
    "visit": _rows(
        "SELECT v.id, coalesce(v.date, '') || ' ' || coalesce(e.name, ''), v.person FROM visit v "
        "LEFT JOIN enterprise e ON e.id = v.enterprise_id WHERE v.deleted = 0"
    ),
}

PICKABLE: frozenset[str] = frozenset(_PICKERS)
"""Tables a form's picker can choose from."""


def pick(store: Store, table: str, text: str, limit: int = 50) -> list[Pick]:
    """Live records of ``table`` matching ``text`` (all of them for ""), at most ``limit``."""
    try:
        found = _PICKERS[table]
    except KeyError:
        known = ", ".join(sorted(PICKABLE))
        raise ValueError(f"no picker for {table!r}; pickable: {known}") from None
    return found(store, text, limit)


def ref_names(store: Store, table: str, ids: Iterable[str]) -> dict[str, RefName]:
    """The names of the given records (deleted ones too, marked); unknown ids are left out."""
    wanted: Sequence[str] = list(dict.fromkeys(i for i in ids if i))
    if not wanted or table not in _NAMES:
        return {}
    names: dict[str, RefName] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT * FROM ({_NAMES[table]}) WHERE id IN ({marks})"
        for row_id, name, deleted in store.db.execute_sql(sql, chunk).fetchall():
            names[str(row_id)] = RefName(str(name or ""), bool(deleted))
    return names
