"""What a problem form picks its references from: an enterprise's projects and visits, and
the name of a referenced record.

A problem belongs to an enterprise; its project and the visit it was raised at are that
enterprise's, so the form offers only those (an enterprise has a handful of projects and a
few hundred visits at most: read whole and matched here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from fieldtui.store.pinyin import name_matches, pinyin_key

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = [
    "VisitRef",
    "enterprise_projects",
    "enterprise_visits",
    "record_name",
    "visit_ref",
]

NAMED_TABLES = frozenset({"enterprise", "officer", "project"})


def record_name(store: Store, table: str, row_id: str) -> str | None:
    """The name of a live enterprise, officer or project (None: none such, or deleted)."""
    if table not in NAMED_TABLES:
        raise ValueError(f"{table} has no name")
    row = store.db.execute_sql(
        f"SELECT name FROM {table} WHERE id = ? AND deleted = 0", (row_id,)
    ).fetchone()
    return str(row[0]) if row else None


def enterprise_projects(
    store: Store, enterprise_id: str | None, text: str = "", limit: int = 50
) -> list[tuple[str, str]]:
    """The enterprise's live projects matching ``text`` (name, pinyin, initials): ``(id,
    name)`` in pinyin order; none without an enterprise."""
    if not enterprise_id:
        return []
    rows = store.db.execute_sql(
        "SELECT id, name FROM project WHERE enterprise_id = ? AND deleted = 0", (enterprise_id,)
    ).fetchall()
    found = [(str(r[0]), str(r[1] or "")) for r in rows if name_matches(text, str(r[1] or ""))]
    found.sort(key=lambda r: (pinyin_key(r[1]), r[0]))
    return found[:limit]


@dataclass(frozen=True, slots=True)
class VisitRef:
    id: str
    date: date | None
    kind: str
    person: str
    summary: str


def _visit(row: tuple[object, ...]) -> VisitRef:
    row_id, day, kind, person, summary = row
    try:
        on = date.fromisoformat(str(day)) if day else None
    except ValueError:
        on = None
    return VisitRef(str(row_id), on, str(kind or ""), str(person or ""), str(summary or ""))


def visit_ref(store: Store, visit_id: str) -> VisitRef | None:
    """A live visit (None: none such, or deleted)."""
    row = store.db.execute_sql(
        "SELECT id, date, kind, person, summary FROM visit WHERE id = ? AND deleted = 0",
        (visit_id,),
    ).fetchone()
    return _visit(tuple(row)) if row else None


def enterprise_visits(
    store: Store, enterprise_id: str | None, text: str = "", limit: int = 50
) -> list[VisitRef]:
    """The enterprise's live visits whose date, person met or summary contains ``text``,
    newest first; none without an enterprise."""
    if not enterprise_id:
        return []
    rows = store.db.execute_sql(
        "SELECT id, date, kind, COALESCE(person, ''), COALESCE(summary, '') FROM visit"
        " WHERE enterprise_id = ? AND deleted = 0 ORDER BY date DESC, id",
        (enterprise_id,),
    ).fetchall()
    found: list[VisitRef] = []
    for row in rows:
        if name_matches(text, str(row[1] or ""), str(row[3]), str(row[4])):
            found.append(_visit(tuple(row)))
            if len(found) == limit:
                break
    return found
