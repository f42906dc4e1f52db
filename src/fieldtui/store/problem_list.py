"""The problem ledger list (诉求台账): filtered, sorted by the date raised or the deadline,
paged by key.

Two expression indexes of migration ``0007_field_work`` order the live problems by
``(raised_on, id)`` and by ``(deadline, id)`` (no deadline last), so a page is an index walk
from a key; filters are checked on the rows walked (a zone has thousands of problems, not
hundreds of thousands). An officer's or an enterprise's problems are looked up by their index
and sorted. Overdue and "due this week" follow the workflow's rules
(:mod:`fieldtui.domain.problems`) with ``today`` fixed when the query is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import SqliteDatabase

from fieldtui.domain.problems import CLOSED_STATUSES, is_due_this_week, is_overdue, week_bounds
from fieldtui.domain.validators import clean_line
from fieldtui.store.paging import PagedSource, SortKey, keyset_clause
from fieldtui.store.pinyin import pinyin_key
from fieldtui.store.search.text import parse_query

__all__ = [
    "SORT_KEYS",
    "ProblemFilter",
    "ProblemQuery",
    "ProblemRow",
    "ProblemSort",
    "lead_units",
]

NO_DEADLINE = "9999-12-31"
SORT_KEYS: dict[str, tuple[str, str]] = {
    "raised_on": ("coalesce(p.raised_on, '')", "p.id"),
    "deadline": (f"coalesce(p.deadline, '{NO_DEADLINE}')", "p.id"),
}
"""Sort column → the indexed key it pages by (the expressions of the migration's indexes)."""

_CLOSED = ", ".join(f"'{s}'" for s in sorted(CLOSED_STATUSES))


@dataclass(frozen=True, slots=True)
class ProblemFilter:
    """Conditions that combine (AND); empty ones do not filter."""

    text: str = ""
    """The enterprise (as the ledger's search finds it), or a substring of the description,
    the lead unit or the resolution."""
    status: str | None = None
    open: bool = False
    """Not resolved and not unresolvable."""
    category: str | None = None
    lead_unit: str | None = None
    officer_id: str | None = None
    enterprise_id: str | None = None
    visit_id: str | None = None
    overdue: bool = False
    due_this_week: bool = False

    @property
    def is_empty(self) -> bool:
        return self == ProblemFilter()


@dataclass(frozen=True, slots=True)
class ProblemSort:
    column: str = "raised_on"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in SORT_KEYS:
            raise ValueError(f"unknown problem sort column {self.column!r}")


@dataclass(frozen=True, slots=True)
class ProblemRow:
    id: str
    enterprise_id: str
    enterprise: str
    project_id: str | None
    visit_id: str | None
    raised_on: date | None
    category: str
    description: str
    lead_unit: str
    status: str
    deadline: date | None
    resolved_on: date | None
    satisfaction: str | None
    officer_id: str | None
    officer: str
    overdue: bool
    due_this_week: bool
    key: SortKey


_COLUMNS = (
    "p.id, p.enterprise_id, COALESCE(e.name, ''), p.project_id, p.visit_id, p.raised_on,"
    " p.category, p.description, COALESCE(p.lead_unit, ''), p.status, p.deadline,"
    " p.resolved_on, p.satisfaction, p.officer_id, COALESCE(o.name, '')"
)


class ProblemQuery(PagedSource[ProblemRow]):
    """One filter and sort over the live problems: the problem list's table source."""

    def __init__(
        self,
        db: SqliteDatabase,
        filter: ProblemFilter | None = None,
        sort: ProblemSort | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.filter = filter or ProblemFilter()
        self.sort = sort or ProblemSort()
        self.today = today or date.today()
        self._keys_sql = SORT_KEYS[self.sort.column]
        self._clauses, self._params = self._conditions()
        self._sorted = bool(
            self.filter.officer_id or self.filter.enterprise_id or self.filter.visit_id
        )

    def _conditions(self) -> tuple[list[str], list[Any]]:
        f = self.filter
        clauses = ["p.deleted = 0"]
        params: list[Any] = []
        for name in ("status", "category", "officer_id", "enterprise_id", "visit_id"):
            value = getattr(f, name)
            if value:
                clauses.append(f"p.{name} = ?")
                params.append(value)
        if f.lead_unit:
            clauses.append("p.lead_unit = ?")
            params.append(clean_line(f.lead_unit))
        if f.open or f.overdue or f.due_this_week:
            clauses.append(f"p.status NOT IN ({_CLOSED})")
        if f.overdue:
            clauses.append("p.deadline IS NOT NULL AND p.deadline != '' AND p.deadline < ?")
            params.append(self.today.isoformat())
        if f.due_this_week:
            monday, sunday = week_bounds(self.today)
            clauses.append("p.deadline >= ? AND p.deadline <= ?")
            params.extend((monday.isoformat(), sunday.isoformat()))
        text = clean_line(f.text).lower()
        if text:
            parts = [
                "instr(lower(COALESCE(p.description, '') || ' ' || COALESCE(p.lead_unit, '')"
                " || ' ' || COALESCE(p.resolution, '')), ?)"
            ]
            text_params: list[Any] = [text]
            search = parse_query(text)
            if search is not None:
                parts.insert(
                    0,
                    "p.enterprise_id IN (SELECT l.id FROM enterprise_fts f"
                    " JOIN enterprise_ledger l ON l.sid = f.rowid WHERE enterprise_fts MATCH ?)",
                )
                text_params.insert(0, search.match)
            clauses.append(f"({' OR '.join(parts)})")
            params.extend(text_params)
        return clauses, params

    def _count_rows(self) -> int:
        row = self.db.execute_sql(
            f"SELECT COUNT(*) FROM problem p WHERE {' AND '.join(self._clauses)}", self._params
        ).fetchone()
        return int(row[0])

    def _select(
        self,
        *,
        after: SortKey | None = None,
        before: SortKey | None = None,
        limit: int,
        offset: int = 0,
        reverse: bool = False,
    ) -> list[ProblemRow]:
        if limit <= 0:
            return []
        keys = [f"+{k}" if self._sorted else k for k in self._keys_sql]
        clauses, params = list(self._clauses), list(self._params)
        descending = self.sort.descending
        for key, is_after in ((after, True), (before, False)):
            if key is not None:
                clause, values = keyset_clause(keys, key, after=is_after, descending=descending)
                clauses.append(clause)
                params.extend(values)
        direction = "DESC" if descending != reverse else "ASC"
        order = ", ".join(f"{k} {direction}" for k in keys)
        cur = self.db.execute_sql(
            f"SELECT {_COLUMNS}, {', '.join(self._keys_sql)} FROM problem p"
            " LEFT JOIN enterprise e ON e.id = p.enterprise_id"
            " LEFT JOIN officer o ON o.id = p.officer_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        found = cur.fetchall()
        if reverse:
            found.reverse()
        return [self._row(r) for r in found]

    def _row(self, r: Sequence[Any]) -> ProblemRow:
        status = str(r[9] or "")
        deadline = _day(r[10])
        return ProblemRow(
            id=str(r[0]),
            enterprise_id=str(r[1] or ""),
            enterprise=str(r[2]),
            project_id=r[3],
            visit_id=r[4],
            raised_on=_day(r[5]),
            category=str(r[6] or ""),
            description=str(r[7] or ""),
            lead_unit=str(r[8]),
            status=status,
            deadline=deadline,
            resolved_on=_day(r[11]),
            satisfaction=r[12],
            officer_id=r[13],
            officer=str(r[14]),
            overdue=is_overdue(status, deadline, self.today),
            due_this_week=is_due_this_week(status, deadline, self.today),
            key=tuple(r[15:]),
        )


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def lead_units(db: SqliteDatabase) -> list[str]:
    """The lead units the live problems name, in pinyin order: the filter's choices (a zone
    works with a few dozen departments, so they are read whole)."""
    cur = db.execute_sql(
        "SELECT DISTINCT lead_unit FROM problem"
        " WHERE deleted = 0 AND lead_unit IS NOT NULL AND lead_unit != ''"
    )
    return sorted((str(r[0]) for r in cur.fetchall()), key=pinyin_key)
