"""Enterprise queries the form and the detail screen need beyond plain CRUD.

Reads only; writes stay with ``store.enterprises`` (the op-logging repository). Every query
is bounded (an index lookup or a ``LIMIT``) because the ledger may hold 100,000 rows and these
run while someone types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from fieldtui.domain.milestones import MILESTONES
from fieldtui.domain.names import like_pattern, name_key, names_match
from fieldtui.domain.validators import check_uscc
from fieldtui.store.search.query import search_enterprise_ids

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = [
    "EnterpriseRef",
    "TimelineEntry",
    "enterprise_timeline",
    "find_by_uscc",
    "pick_enterprises",
    "similar_names",
]


@dataclass(frozen=True, slots=True)
class EnterpriseRef:
    """Enough of an enterprise to name it in a message or a picker."""

    id: str
    name: str
    uscc: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated event in an enterprise's history.

    ``source`` is ``visit``, ``problem`` (raised), ``problem_resolved`` or ``project``;
    ``code`` is the visit kind, the problem category or the project milestone field
    (``signed_on`` …); ``text`` is the visit summary, problem description or project name;
    ``extra`` is the visiting officers (visits) or the problem status code (problems).
    """

    on: date
    source: str
    ref_id: str
    code: str
    text: str
    extra: str = ""


def find_by_uscc(store: Store, uscc: str, exclude_id: str | None = None) -> EnterpriseRef | None:
    """The live enterprise holding this USCC, other than ``exclude_id`` (the one being edited).

    The code is normalised first (case, spaces, full-width), as the form stores it. Deleted
    enterprises do not hold their code: re-entering a deleted company is allowed.
    """
    value = check_uscc(uscc).value
    if not value:
        return None
    row = store.db.execute_sql(
        "SELECT id, name, uscc FROM enterprise WHERE uscc = ? AND deleted = 0 AND id != ? "
        "ORDER BY created_at LIMIT 1",
        (value, exclude_id or ""),
    ).fetchone()
    return EnterpriseRef(row[0], row[1], row[2]) if row else None


def similar_names(
    store: Store, name: str, exclude_id: str | None = None, limit: int = 5
) -> list[EnterpriseRef]:
    """Live enterprises whose name matches ``name`` up to legal-form suffix, spaces, brackets
    and character width (see :func:`fieldtui.domain.names.name_key`).

    An SQL ``LIKE`` on the key's characters narrows the rows; Python confirms each one, so a
    ``LIKE`` false positive never reaches the user.
    """
    pattern = like_pattern(name_key(name))
    if pattern is None:
        return []
    cursor = store.db.execute_sql(
        "SELECT id, name, uscc FROM enterprise WHERE deleted = 0 AND id != ? AND name LIKE ?",
        (exclude_id or "", pattern),
    )
    found: list[EnterpriseRef] = []
    for row_id, other, uscc in cursor:
        if names_match(name, other):
            found.append(EnterpriseRef(row_id, other, uscc))
            if len(found) >= limit:
                break
    return found


def pick_enterprises(store: Store, text: str, limit: int = 50) -> list[EnterpriseRef]:
    """Enterprises for a picker: the ledger's own search (name, USCC, address, contact,
    pinyin and its initials), in pinyin order of the name, at most ``limit``.

    Uses the ledger's bigram index (:func:`fieldtui.store.search.query.search_enterprise_ids`), so
    a picker over 100,000 enterprises answers as fast as over a hundred, even with no match.
    """
    ids = search_enterprise_ids(store.db, text, limit)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = store.db.execute_sql(
        f"SELECT id, name, uscc FROM enterprise WHERE id IN ({marks})", ids
    ).fetchall()
    by_id = {r[0]: EnterpriseRef(r[0], r[1], r[2]) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def enterprise_timeline(store: Store, enterprise_id: str, limit: int = 500) -> list[TimelineEntry]:
    """Visits, problems and project milestones of one enterprise, newest first.

    Each source is read with its own indexed query and capped at ``limit``; undated rows are
    left out (a timeline needs a date to place them).
    """
    entries: list[TimelineEntry] = []
    db = store.db
    visits = db.execute_sql(
        "SELECT v.id, v.date, v.kind, COALESCE(v.summary, ''), "
        "  (SELECT group_concat(name, '、') FROM ("
        "     SELECT o.name FROM visit_officer vo JOIN officer o ON o.id = vo.officer_id"
        "     WHERE vo.visit_id = v.id AND vo.deleted = 0 ORDER BY o.name)) "
        "FROM visit v WHERE v.enterprise_id = ? AND v.deleted = 0 AND v.date IS NOT NULL "
        "ORDER BY v.date DESC LIMIT ?",
        (enterprise_id, limit),
    ).fetchall()
    for row_id, on, kind, summary, officers in visits:
        day = _day(on)
        if day:
            entries.append(TimelineEntry(day, "visit", row_id, kind, summary, officers or ""))
    problems = db.execute_sql(
        "SELECT id, raised_on, resolved_on, category, description, status FROM problem "
        "WHERE enterprise_id = ? AND deleted = 0 ORDER BY raised_on DESC LIMIT ?",
        (enterprise_id, limit),
    ).fetchall()
    for row_id, raised, resolved, category, description, status in problems:
        if day := _day(raised):
            entries.append(TimelineEntry(day, "problem", row_id, category, description, status))
        if day := _day(resolved):
            entries.append(
                TimelineEntry(day, "problem_resolved", row_id, category, description, status)
            )
    columns = ", ".join(f for f, _stage in MILESTONES)
    projects = db.execute_sql(
        f"SELECT id, name, {columns} FROM project WHERE enterprise_id = ? AND deleted = 0 "
        "ORDER BY name LIMIT ?",
        (enterprise_id, limit),
    ).fetchall()
    for row in projects:
        for (field, _stage), value in zip(MILESTONES, row[2:], strict=True):
            if day := _day(value):
                entries.append(TimelineEntry(day, "project", row[0], field, row[1]))
    entries.sort(key=lambda e: (e.on, e.source, e.ref_id), reverse=True)
    return entries
