"""The visits list: filtered, newest first, paged by key over ``visit_list``.

``visit_list`` (migration ``0007_field_work``) holds one row per live visit with the list's
sort and filter keys, kept by triggers, among them ``draft``. Each filter that narrows by an
equality has an index ending in ``(date, id)`` (enterprise, kind, draft), so a page is a short
index walk from a key whatever the filter; the others (month, officer, text) are checked on
the rows walked. One filter drives the walk (the most selective one given), the others are
written with a unary ``+`` so the planner cannot pick their index instead (without table
statistics SQLite cannot tell which leaves fewer rows). An officer's visits are looked up
through the link table and sorted: a few thousand rows at most.

What a row shows beyond its keys (the enterprise's name, the officers, the person met, the
summary, the problems raised) is read for the page's rows only, in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import SqliteDatabase

from fieldtui.domain.checklists import next_month, parse_month
from fieldtui.domain.validators import clean_line
from fieldtui.store.paging import PagedSource, SortKey, keyset_clause
from fieldtui.store.search.text import parse_query
from fieldtui.store.visit_search import refresh_visit_search

__all__ = ["VisitFilter", "VisitQuery", "VisitRow", "VisitSort"]

_KEYS = ("l.date", "l.id")

SORT_LIMIT = 2000
"""Text searches matching up to this many visits are looked up and sorted; more are walked
in date order (then a page is found after walking a few hundred visits at most)."""

_MATCHES = (
    "SELECT s.id FROM visit_fts f JOIN visit_search s ON s.sid = f.rowid"
    " WHERE visit_fts MATCH ?"
    " UNION SELECT m.id FROM visit_list m WHERE m.enterprise_id IN (SELECT e.id"
    " FROM enterprise_fts g JOIN enterprise_ledger e ON e.sid = g.rowid"
    " WHERE enterprise_fts MATCH ?)"
)
"""Ids of visits whose text, or whose enterprise (as the ledger's search finds it), matches."""


@dataclass(frozen=True, slots=True)
class VisitFilter:
    """Conditions that combine (AND); empty ones do not filter."""

    text: str = ""
    """The enterprise (its name, USCC, pinyin… as the ledger's search finds it), or a
    substring of the person met, their title, the summary or the follow-up (punctuation,
    spaces and case ignored)."""
    officer_id: str | None = None
    """Visits this officer made (alone or with others)."""
    enterprise_id: str | None = None
    month: str | None = None
    """``YYYY-MM`` (also ``2025/3``, ``2025年3月``)."""
    kind: str | None = None
    draft: bool | None = None
    """True: drafts only (self-check not complete); False: complete ones only."""

    @property
    def is_empty(self) -> bool:
        return self == VisitFilter()


@dataclass(frozen=True, slots=True)
class VisitSort:
    """Visits list by date; ``descending`` (the default) puts the newest first."""

    descending: bool = True


@dataclass(frozen=True, slots=True)
class VisitRow:
    id: str
    date: date | None
    kind: str
    enterprise_id: str
    enterprise: str
    """The enterprise's name ('' when it no longer exists)."""
    officers: tuple[str, ...]
    """The visiting officers' names."""
    person: str
    person_title: str
    summary: str
    draft: bool
    problems: int
    """Problems raised at the visit (live ones)."""
    key: SortKey


class VisitQuery(PagedSource[VisitRow]):
    """One filter and order over the visits: the visits list's table source.

    The plan is decided on first use, in the worker thread that pages (a text search looks
    at how many visits match first, and indexes visits whose text changed since the last
    search).
    """

    def __init__(
        self, db: SqliteDatabase, filter: VisitFilter | None = None, sort: VisitSort | None = None
    ) -> None:
        super().__init__()
        self.db = db
        self.filter = filter or VisitFilter()
        self.sort = sort or VisitSort()
        self._search = parse_query(clean_line(self.filter.text))
        self._plan: tuple[list[str], list[Any], bool] | None = None

    def _text_driver(self) -> bool:
        """A text search whose matches are few enough to look up and sort (rather than walk
        the date order checking each visit)."""
        if self._search is None or self.filter.enterprise_id or self.filter.officer_id:
            return False
        refresh_visit_search(self.db)
        capped = self.db.execute_sql(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({_MATCHES}) LIMIT ?)",
            (self._search.match, self._search.match, SORT_LIMIT + 1),
        ).fetchone()[0]
        return int(capped) <= SORT_LIMIT

    def _conditions(self) -> tuple[list[str], list[Any], bool]:
        with self._lock:
            if self._plan is not None:
                return self._plan
        f = self.filter
        clauses: list[str] = []
        params: list[Any] = []
        # the filter that drives the index walk; the others get a unary + (see module doc)
        if f.enterprise_id:
            driver = "enterprise_id"
        elif f.officer_id:
            driver = "officer"
        elif self._text_driver():
            driver = "text"
        elif f.draft is True:
            driver = "draft"
        elif f.kind:
            driver = "kind"
        elif f.draft is False:
            driver = "draft"
        else:
            driver = "date"

        def col(name: str) -> str:
            return f"l.{name}" if driver == name else f"+l.{name}"

        if f.enterprise_id:
            clauses.append(f"{col('enterprise_id')} = ?")
            params.append(f.enterprise_id)
        if f.kind:
            clauses.append(f"{col('kind')} = ?")
            params.append(f.kind)
        if f.draft is not None:
            clauses.append(f"{col('draft')} = ?")
            params.append(int(f.draft))
        if f.month:
            start = parse_month(f.month)
            clauses.append("l.date >= ? AND l.date < ?")
            params.extend((f"{start}-01", f"{next_month(start)}-01"))
        if f.officer_id:
            clauses.append(
                "l.id IN (SELECT vo.visit_id FROM visit_officer vo"
                " WHERE vo.officer_id = ? AND vo.deleted = 0)"
            )
            params.append(f.officer_id)
        if self._search is not None:
            refresh_visit_search(self.db)
            clauses.append(f"{'l.id' if driver == 'text' else '+l.id'} IN ({_MATCHES})")
            params.extend((self._search.match, self._search.match))
        plan = (clauses, params, driver in ("officer", "text"))
        with self._lock:
            self._plan = plan
        return plan

    # -- counting and pages ---------------------------------------------------------------

    def _count_rows(self) -> int:
        clauses, params, _sorted = self._conditions()
        if self._search is not None and len(clauses) == 1:
            # the search alone: its matches are live visits, one each (UNION)
            row = self.db.execute_sql(f"SELECT COUNT(*) FROM ({_MATCHES})", params).fetchone()
            return int(row[0])
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        row = self.db.execute_sql(f"SELECT COUNT(*) FROM visit_list l{where}", params).fetchone()
        return int(row[0])

    def _select(
        self,
        *,
        after: SortKey | None = None,
        before: SortKey | None = None,
        limit: int,
        offset: int = 0,
        reverse: bool = False,
    ) -> list[VisitRow]:
        if limit <= 0:
            return []
        base, base_params, looked_up = self._conditions()
        keys = [f"+{k}" for k in _KEYS] if looked_up else list(_KEYS)
        clauses, params = list(base), list(base_params)
        descending = self.sort.descending
        for key, is_after in ((after, True), (before, False)):
            if key is not None:
                clause, values = keyset_clause(keys, key, after=is_after, descending=descending)
                clauses.append(clause)
                params.extend(values)
        direction = "DESC" if descending != reverse else "ASC"
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        order = ", ".join(f"{k} {direction}" for k in keys)
        cur = self.db.execute_sql(
            f"SELECT l.id, l.date, l.kind, l.enterprise_id, l.draft FROM visit_list l{where}"
            f" ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        found = cur.fetchall()
        if reverse:
            found.reverse()
        return self._rows(found)

    def _rows(self, found: Sequence[Sequence[Any]]) -> list[VisitRow]:
        if not found:
            return []
        ids = [str(r[0]) for r in found]
        marks = ", ".join("?" for _ in ids)
        details = {
            str(r[0]): r[1:]
            for r in self.db.execute_sql(
                "SELECT v.id, COALESCE(v.person, ''), COALESCE(v.person_title, ''),"
                " COALESCE(v.summary, ''), COALESCE(e.name, ''),"
                " (SELECT group_concat(name, char(31)) FROM (SELECT o.name FROM visit_officer vo"
                "   JOIN officer o ON o.id = vo.officer_id"
                "   WHERE vo.visit_id = v.id AND vo.deleted = 0 ORDER BY vo.created_at, o.name)),"
                " (SELECT COUNT(*) FROM problem p WHERE p.visit_id = v.id AND p.deleted = 0)"
                " FROM visit v LEFT JOIN enterprise e ON e.id = v.enterprise_id"
                f" WHERE v.id IN ({marks})",
                ids,
            ).fetchall()
        }
        rows = []
        for visit_id, day, kind, enterprise_id, draft in found:
            person, title, summary, enterprise, officers, problems = details.get(
                str(visit_id), ("", "", "", "", None, 0)
            )
            rows.append(
                VisitRow(
                    id=str(visit_id),
                    date=_day(day),
                    kind=str(kind),
                    enterprise_id=str(enterprise_id),
                    enterprise=str(enterprise),
                    officers=tuple(str(officers).split("\x1f")) if officers else (),
                    person=str(person),
                    person_title=str(title),
                    summary=str(summary),
                    draft=bool(draft),
                    problems=int(problems or 0),
                    key=(day, visit_id),
                )
            )
        return rows


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
