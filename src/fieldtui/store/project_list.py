"""The projects list (项目): every live project with its stage, searched, filtered and sorted.

A zone follows about 800 projects, so a query reads them whole (one join with their
enterprise, one read of the year's assignments) in the worker thread that pages, and filters
and sorts in Python: the stage is derived from six dates (:func:`project_stage`), and a
project's name is searched by its pinyin and initials as the officer roster is
(:func:`~fieldtui.store.pinyin.name_matches`), neither of which SQL can index without a
migration. The table reads it like the ledger's and the problems' sources
(``count()``/``fetch(offset, limit)``), so the screen never waits on SQLite.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from peewee import SqliteDatabase

from fieldtui.domain.enums import AssignmentRole, ProjectStage
from fieldtui.domain.milestones import MILESTONES, project_stage
from fieldtui.domain.validators import clean_line
from fieldtui.store.pinyin import fold, name_matches, pinyin_key

__all__ = [
    "SORT_COLUMNS",
    "ProjectFilter",
    "ProjectQuery",
    "ProjectRow",
    "ProjectSort",
    "read_projects",
    "select_projects",
]

SORT_COLUMNS = ("name", "stage", "investment", "enterprise")
"""The orders the list can be in, F6's cycle."""


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """Conditions that combine (AND); empty ones do not filter."""

    text: str = ""
    """Part of the project's or the enterprise's name, or their pinyin or initials."""
    stage: str | None = None
    """A :class:`ProjectStage` code: projects whose latest milestone is that one."""
    source: str | None = None
    officer_id: str | None = None
    """Projects this officer looks after in the query's year (lead or assisting)."""
    revitalized: bool = False
    """Revitalised-plant projects only."""

    @property
    def is_empty(self) -> bool:
        return self == ProjectFilter()


@dataclass(frozen=True, slots=True)
class ProjectSort:
    column: str = "name"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.column not in SORT_COLUMNS:
            raise ValueError(f"unknown project sort column {self.column!r}")


@dataclass(frozen=True, slots=True)
class ProjectRow:
    id: str
    name: str
    enterprise_id: str | None
    enterprise: str
    """The enterprise's name ('' when none, or it no longer exists)."""
    investment: Decimal | None
    """Planned investment in 万元 (None: not given, or a stored value that is not an amount)."""
    investment_text: str
    """The stored amount as it is (shown when it is not an amount)."""
    source: str
    revitalized: bool
    stage: ProjectStage
    stage_on: date | None
    """The date of the stage's milestone."""
    lead: str
    """This year's lead officer (牵头), '' when none."""
    officer_ids: frozenset[str]
    """Everyone assigned to the project this year, lead or assisting."""


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _amount(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


_SELECT = (
    "SELECT p.id, p.name, p.enterprise_id, COALESCE(e.name, ''), p.planned_investment_wan,"
    " p.source, p.revitalized, p.signed_on, p.land_on, p.started_on, p.completed_on,"
    " p.trial_on, p.production_on"
    " FROM project p LEFT JOIN enterprise e ON e.id = p.enterprise_id AND e.deleted = 0"
    " WHERE p.deleted = 0"
)

_ASSIGNED = (
    "SELECT a.project_id, a.officer_id, a.role, o.name FROM assignment a"
    " JOIN officer o ON o.id = a.officer_id AND o.deleted = 0"
    " WHERE a.deleted = 0 AND a.year = ? AND a.project_id IS NOT NULL"
)


def read_projects(db: SqliteDatabase, year: int) -> list[ProjectRow]:
    """Every live project with its stage and ``year``'s officers (thread worker)."""
    leads: dict[str, list[str]] = {}
    officers: dict[str, set[str]] = {}
    for project_id, officer_id, role, name in db.execute_sql(_ASSIGNED, (year,)).fetchall():
        officers.setdefault(str(project_id), set()).add(str(officer_id))
        if role == AssignmentRole.CSO.code:
            leads.setdefault(str(project_id), []).append(str(name or ""))
    rows: list[ProjectRow] = []
    for r in db.execute_sql(_SELECT).fetchall():
        dates = [_day(v) for v in r[7:13]]
        stage = project_stage(*dates)
        stage_on = next(
            (
                day
                for (_field, milestone), day in zip(MILESTONES, dates, strict=True)
                if milestone == stage
            ),
            None,
        )
        pid = str(r[0])
        rows.append(
            ProjectRow(
                id=pid,
                name=str(r[1] or ""),
                enterprise_id=r[2],
                enterprise=str(r[3] or ""),
                investment=_amount(r[4]),
                investment_text="" if r[4] is None else str(r[4]),
                source=str(r[5] or ""),
                revitalized=bool(r[6]),
                stage=stage,
                stage_on=stage_on,
                lead="、".join(sorted(leads.get(pid, []), key=pinyin_key)),
                officer_ids=frozenset(officers.get(pid, ())),
            )
        )
    return rows


def _matches(text: str, row: ProjectRow) -> bool:
    if not text:
        return True
    if name_matches(text, row.name, row.enterprise):
        return True
    # The enterprise's pinyin too (name_matches reads the pinyin of its first name only).
    return bool(row.enterprise) and fold(text).isascii() and name_matches(text, row.enterprise)


def _sort_key(column: str) -> Any:
    if column == "stage":
        return lambda r: (r.stage.rank, r.stage_on or date.min, pinyin_key(r.name))
    if column == "investment":
        return lambda r: (r.investment is not None, r.investment or 0, pinyin_key(r.name))
    if column == "enterprise":
        return lambda r: (pinyin_key(r.enterprise), pinyin_key(r.name))
    return lambda r: (pinyin_key(r.name), r.id)


def select_projects(
    rows: Sequence[ProjectRow], filter: ProjectFilter, sort: ProjectSort
) -> list[ProjectRow]:
    """The rows the filter keeps, in the sort's order."""
    text = clean_line(filter.text)
    found = [
        r
        for r in rows
        if (filter.stage is None or r.stage.code == filter.stage)
        and (filter.source is None or r.source == filter.source)
        and (filter.officer_id is None or filter.officer_id in r.officer_ids)
        and (not filter.revitalized or r.revitalized)
        and _matches(text, r)
    ]
    found.sort(key=_sort_key(sort.column), reverse=sort.descending)
    return found


class ProjectQuery:
    """One filter and sort over the live projects: the list's table source. Read on first
    use, in the worker thread that pages; make a new one after a write."""

    def __init__(
        self,
        db: SqliteDatabase,
        filter: ProjectFilter | None = None,
        sort: ProjectSort | None = None,
        year: int | None = None,
    ) -> None:
        self.db = db
        self.filter = filter or ProjectFilter()
        self.sort = sort or ProjectSort()
        self.year = year or date.today().year
        self._lock = threading.Lock()
        self._rows: list[ProjectRow] | None = None

    def rows(self) -> list[ProjectRow]:
        with self._lock:
            if self._rows is None:
                self._rows = select_projects(
                    read_projects(self.db, self.year), self.filter, self.sort
                )
            return self._rows

    def count(self) -> int:
        return len(self.rows())

    def fetch(self, offset: int, limit: int) -> list[ProjectRow]:
        if offset < 0 or limit <= 0:
            return []
        return self.rows()[offset : offset + limit]
