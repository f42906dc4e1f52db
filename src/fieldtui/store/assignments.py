"""The yearly assignment plan (分工挂点): who looks after which enterprise and project.

An assignment is identified by (year, officer, enterprise, project); its role (lead officer
``cso`` or ``assist``) is an attribute that may change. Past years are never touched by work on
another year: they are the history the ranking and the reports read. Every write goes through
``store.assignments`` so it is op-logged and syncs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldtui.domain.enums import AssignmentRole
from fieldtui.domain.records import Assignment
from fieldtui.store.pinyin import name_matches, pinyin_key

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = [
    "OfficerLoad",
    "PlanEntry",
    "PlanRow",
    "ReplaceResult",
    "assign",
    "copy_year",
    "enterprise_officers",
    "lead_officer",
    "officer_loads",
    "pick_officers",
    "pick_projects",
    "plan_for_year",
    "plan_years",
    "reassign",
    "remove",
    "replace_year_plan",
    "set_role",
]

Key = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One wanted assignment of a year's plan (what a sheet row or a form gives)."""

    officer_id: str
    enterprise_id: str | None = None
    project_id: str | None = None
    role: str = AssignmentRole.CSO.code

    @property
    def key(self) -> Key:
        return (self.officer_id, self.enterprise_id, self.project_id)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A stored assignment with the names of what it links, for display."""

    id: str
    year: int
    officer_id: str
    officer_name: str
    enterprise_id: str | None
    enterprise_name: str | None
    project_id: str | None
    project_name: str | None
    role: str

    @property
    def target_name(self) -> str:
        return self.enterprise_name or self.project_name or ""

    @property
    def key(self) -> Key:
        return (self.officer_id, self.enterprise_id, self.project_id)


@dataclass(frozen=True, slots=True)
class OfficerLoad:
    """An officer and how many enterprises and projects they hold in one year."""

    officer_id: str
    name: str
    role: str
    unit: str | None
    phone: str | None
    enterprises: int
    projects: int
    deleted: bool = False


@dataclass(slots=True)
class ReplaceResult:
    """What :func:`replace_year_plan` and :func:`copy_year` did, for summaries."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


_PLAN_SQL = (
    "SELECT a.id, a.year, a.officer_id, COALESCE(o.name, ''), a.enterprise_id, e.name, "
    "a.project_id, p.name, a.role FROM assignment a "
    "LEFT JOIN officer o ON o.id = a.officer_id "
    "LEFT JOIN enterprise e ON e.id = a.enterprise_id "
    "LEFT JOIN project p ON p.id = a.project_id "
    "WHERE a.deleted = 0 "
)


def _plan_order(row: PlanRow) -> tuple[Any, ...]:
    """Officers in pinyin order, each one's lead assignments before assisting ones, then
    what they look after in pinyin order (as the ledger sorts names)."""
    return (
        pinyin_key(row.officer_name),
        row.officer_id,
        row.role != AssignmentRole.CSO.code,
        pinyin_key(row.target_name),
        row.id,
    )


def _rows(store: Store, where: str, params: tuple[Any, ...]) -> list[PlanRow]:
    cursor = store.db.execute_sql(_PLAN_SQL + where, params)
    return sorted((PlanRow(*row) for row in cursor.fetchall()), key=_plan_order)


def plan_for_year(store: Store, year: int, officer_id: str | None = None) -> list[PlanRow]:
    """The live assignments of a year (optionally one officer's), names joined."""
    if officer_id is None:
        return _rows(store, "AND a.year = ?", (year,))
    return _rows(store, "AND a.year = ? AND a.officer_id = ?", (year, officer_id))


def enterprise_officers(store: Store, enterprise_id: str) -> list[PlanRow]:
    """Every year's officers of one enterprise, newest year first (the detail screen)."""
    rows = _rows(store, "AND a.enterprise_id = ?", (enterprise_id,))
    return sorted(rows, key=lambda r: (-r.year, r.role != AssignmentRole.CSO.code))


def lead_officer(store: Store, enterprise_id: str, year: int) -> tuple[str, str] | None:
    """``(officer_id, name)`` of the enterprise's lead officer (role ``cso``) in ``year``.

    With several lead officers (a plan being rearranged) the first by name is returned, so
    the answer is stable.
    """
    row = store.db.execute_sql(
        "SELECT a.officer_id, COALESCE(o.name, '') FROM assignment a "
        "LEFT JOIN officer o ON o.id = a.officer_id "
        "WHERE a.enterprise_id = ? AND a.year = ? AND a.role = ? AND a.deleted = 0 "
        "ORDER BY o.name, a.officer_id LIMIT 1",
        (enterprise_id, year, AssignmentRole.CSO.code),
    ).fetchone()
    return (row[0], row[1]) if row else None


def plan_years(store: Store) -> list[int]:
    """Years that have a live plan, newest first."""
    cursor = store.db.execute_sql(
        "SELECT DISTINCT year FROM assignment WHERE deleted = 0 ORDER BY year DESC"
    )
    return [int(r[0]) for r in cursor.fetchall()]


def officer_loads(store: Store, year: int) -> list[OfficerLoad]:
    """Every live officer, plus deleted ones still holding assignments that year, in pinyin
    order of the name."""
    cursor = store.db.execute_sql(
        "SELECT o.id, o.name, o.role, o.unit, o.phone, "
        "  COUNT(a.enterprise_id), COUNT(a.project_id), o.deleted "
        "FROM officer o LEFT JOIN assignment a "
        "  ON a.officer_id = o.id AND a.year = ? AND a.deleted = 0 "
        "GROUP BY o.id HAVING o.deleted = 0 OR COUNT(a.id) > 0",
        (year,),
    )
    loads = [
        OfficerLoad(r[0], r[1], r[2], r[3], r[4], int(r[5]), int(r[6]), bool(r[7]))
        for r in cursor.fetchall()
    ]
    return sorted(loads, key=lambda o: (pinyin_key(o.name), o.officer_id))


def _live_by_key(store: Store, year: int) -> dict[Key, list[PlanRow]]:
    store.writer.flush()  # rows an enclosing batch has buffered count as existing
    by_key: dict[Key, list[PlanRow]] = {}
    for row in plan_for_year(store, year):
        by_key.setdefault(row.key, []).append(row)
    return by_key


def assign(
    store: Store,
    year: int,
    officer_id: str,
    *,
    enterprise_id: str | None = None,
    project_id: str | None = None,
    role: str = AssignmentRole.CSO.code,
) -> str:
    """Give an enterprise or project to an officer for a year; returns the assignment id.

    Assigning what the officer already holds writes nothing (and keeps the existing role):
    a repeated key press must not create a second row.
    """
    if (enterprise_id is None) == (project_id is None):
        raise ValueError("an assignment names exactly one enterprise or one project")
    role = AssignmentRole.parse(role).code
    with store.batch():
        existing = _live_by_key(store, year).get((officer_id, enterprise_id, project_id))
        if existing:
            return existing[0].id
        record = Assignment(
            year=year,
            officer_id=officer_id,
            enterprise_id=enterprise_id,
            project_id=project_id,
            role=role,
        )
        return store.assignments.create(record).id


def reassign(store: Store, assignment_id: str, officer_id: str) -> bool:
    """Move an assignment to another officer (same year, target and role).

    Returns False, writing nothing, when that officer already holds the same target that
    year: moving would make a duplicate, and the plan already says what was wanted.
    """
    with store.batch():
        current = store.assignments.require(assignment_id)
        if current.officer_id == officer_id:
            return True
        key = (officer_id, current.enterprise_id, current.project_id)
        if _live_by_key(store, current.year).get(key):
            return False
        store.assignments.update(assignment_id, officer_id=officer_id)
    return True


def set_role(store: Store, assignment_id: str, role: str) -> bool:
    """Make an assignment lead (``cso``) or assisting; returns whether anything changed."""
    return bool(store.assignments.update(assignment_id, role=AssignmentRole.parse(role).code))


def remove(store: Store, assignment_id: str) -> bool:
    """Tombstone one assignment (it syncs; history keeps it)."""
    return store.assignments.delete(assignment_id)


def copy_year(store: Store, from_year: int, to_year: int) -> ReplaceResult:
    """Start ``to_year`` from ``from_year``'s plan: copy every live assignment not yet there.

    Existing assignments of ``to_year`` are left as they are (``unchanged`` counts the
    skipped ones), so running it twice, or after some hand edits, adds only what is missing.
    One transaction: the plan appears whole or not at all.
    """
    if from_year == to_year:
        raise ValueError("copy a plan to a different year")
    result = ReplaceResult()
    with store.batch():
        existing = _live_by_key(store, to_year)
        for row in plan_for_year(store, from_year):
            if row.key in existing:
                result.unchanged += 1
                continue
            store.assignments.create(
                Assignment(
                    year=to_year,
                    officer_id=row.officer_id,
                    enterprise_id=row.enterprise_id,
                    project_id=row.project_id,
                    role=row.role,
                )
            )
            existing[row.key] = [row]
            result.created += 1
    return result


def replace_year_plan(store: Store, year: int, rows: Iterable[PlanEntry]) -> ReplaceResult:
    """Make ``year``'s plan exactly ``rows`` (domain: "a year's plan is replaced as a whole").

    Assignments in both keep their id (a changed role is an update); missing ones are created;
    the year's assignments not in ``rows`` are tombstoned, as are duplicates of one key. Other
    years are untouched. Replacing with the same rows again writes nothing.
    """
    result = ReplaceResult()
    wanted: dict[Key, PlanEntry] = {}
    for entry in rows:
        if (entry.enterprise_id is None) == (entry.project_id is None):
            raise ValueError("an assignment names exactly one enterprise or one project")
        wanted[entry.key] = entry
    with store.batch():
        existing = _live_by_key(store, year)
        for key, entry in wanted.items():
            role = AssignmentRole.parse(entry.role).code
            current = existing.pop(key, [])
            if not current:
                store.assignments.create(
                    Assignment(
                        year=year,
                        officer_id=entry.officer_id,
                        enterprise_id=entry.enterprise_id,
                        project_id=entry.project_id,
                        role=role,
                    )
                )
                result.created += 1
                continue
            keep, *extra = current
            if store.assignments.update(keep.id, role=role):
                result.updated += 1
            else:
                result.unchanged += 1
            for row in extra:
                store.assignments.delete(row.id)
                result.removed += 1
        for leftover in existing.values():
            for row in leftover:
                store.assignments.delete(row.id)
                result.removed += 1
    return result


def pick_by_name(
    rows: Iterable[tuple[str, str, str | None]], text: str, limit: int
) -> list[tuple[str, str, str | None]]:
    """Rows whose name (also by pinyin and its initials) or detail matches ``text``, in
    pinyin order of the name, at most ``limit``. A zone has ~80 officers and ~800 projects:
    read whole and matched in Python, as the roster and the plan do."""
    found = [row for row in rows if name_matches(text, row[1], row[2])]
    found.sort(key=lambda row: (pinyin_key(row[1]), row[0]))
    return found[:limit]


def pick_officers(store: Store, text: str, limit: int = 50) -> list[tuple[str, str, str | None]]:
    """Live officers whose name (or its pinyin) or unit contains ``text``: ``(id, name,
    unit)``, in pinyin order."""
    cursor = store.db.execute_sql("SELECT id, name, unit FROM officer WHERE deleted = 0")
    return pick_by_name(((r[0], r[1], r[2]) for r in cursor.fetchall()), text, limit)


def pick_projects(store: Store, text: str, limit: int = 50) -> list[tuple[str, str, str | None]]:
    """Live projects whose name (or its pinyin) or enterprise name contains ``text``:
    ``(id, name, enterprise name)``, in pinyin order, at most ``limit``."""
    cursor = store.db.execute_sql(
        "SELECT p.id, p.name, e.name FROM project p "
        "LEFT JOIN enterprise e ON e.id = p.enterprise_id WHERE p.deleted = 0"
    )
    return pick_by_name(((r[0], r[1], r[2]) for r in cursor.fetchall()), text, limit)
