"""The enterprise ledger query: filtered, sorted, paged by key over ``enterprise_ledger``.

Every sort column has an index ending in ``(…, name_key, id)``, so each page is a short index
walk from a key (keyset paging) rather than an ``OFFSET`` that rereads everything before it;
figures derived from other tables (lead officer, last visit, open problems) are columns kept
current by triggers (see migration ``0003_search``), not per-row subqueries, which at 100,000
rows cost ~0.2 s per page when sorted by them.

Search text goes through the bigram index of :mod:`fieldtui.store.search`. Which plan is quick
depends on how many rows match, so :class:`LedgerQuery` counts first (the index answers in a
few ms) and then either looks the few matches up by id and sorts them, or walks the sort index
checking each row's haystack: with *m* matches out of *n* rows a page reads about
``limit * n / m`` rows, so the walk is cheap exactly when the lookup is not.

Results are plain :class:`LedgerRow` dataclasses; ``LedgerQuery`` also implements the
``count()``/``fetch(offset, limit)`` source that ``fieldtui.ui.widgets.virtual_table`` pages
through, remembering the keys of the pages it has served so that scrolling and PageDown use
keys and only a jump into the middle of an unseen region uses ``OFFSET``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from peewee import SqliteDatabase

from fieldtui.store.search.query import STATUS_RANK, UNKNOWN_STATUS_RANK, tag_pattern
from fieldtui.store.search.text import parse_query
from fieldtui.store.search.upkeep import refresh_lead_year, refresh_status_ranks

__all__ = [
    "SORT_COLUMNS",
    "LedgerFilter",
    "LedgerQuery",
    "LedgerRow",
    "LedgerSort",
    "SortKey",
    "prepare_ledger",
]

SortKey = tuple[Any, ...]

SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("sid",),
    "uscc": ("uscc", "sid"),
    "industry": ("industry", "sid"),
    "status": ("status_rank", "sid"),
    "lead_officer": ("lead_officer", "sid"),
    "last_visit": ("last_visit", "sid"),
    "open_problems": ("open_problems", "sid"),
}
"""Sortable columns → the indexed key they page by. ``sid`` follows the pinyin order of the
name (see :mod:`fieldtui.store.search`), so ties sort by name and then by id."""

WALK_BUDGET = 2000
"""Rows a searched page may walk along a non-name sort index before it looks matches up."""

SORT_LIMIT = 20000
"""Searches matching up to this many rows are looked up and sorted rather than walked."""

_FTS_JOIN = "enterprise_fts f CROSS JOIN enterprise_ledger l ON l.sid = f.rowid"

_ROW_COLUMNS = (
    "l.id, l.name, l.uscc, l.industry, l.status, l.lead_officer, l.last_visit,"
    " l.open_problems, l.open_deadline"
)


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    """Conditions that combine (AND). Empty/None fields do not filter."""

    text: str = ""
    officer_id: str | None = None
    """Enterprises this officer is assigned to this year, in any role."""
    status: str | None = None
    industry: str | None = None
    tag: str | None = None
    no_visit_days: int | None = None
    """Not visited in the last N days (never visited included)."""
    overdue: bool = False
    """Has a problem that is open and past its deadline."""

    @property
    def is_empty(self) -> bool:
        return self == LedgerFilter()

    def without_text(self) -> LedgerFilter:
        return replace(self, text="")


@dataclass(frozen=True, slots=True)
class LedgerSort:
    column: str = "name"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.column not in SORT_COLUMNS:
            raise ValueError(f"unknown ledger sort column {self.column!r}")


@dataclass(frozen=True, slots=True)
class LedgerRow:
    id: str
    name: str
    uscc: str
    industry: str
    """GB/T 4754 section code, '' when not set."""
    status: str
    """EnterpriseStatus code (possibly one this version does not know)."""
    lead_officer: str
    """This year's lead officer's name, '' when nobody is assigned."""
    last_visit: date | None
    open_problems: int
    overdue: bool
    key: SortKey
    """The row's sort key, for :meth:`LedgerQuery.page_after` / :meth:`~LedgerQuery.page_before`."""


def prepare_ledger(db: SqliteDatabase, today: date | None = None) -> bool:
    """Bring derived data up to date: lead officers after New Year, status ranks after the
    status code list changed.

    Cheap when nothing changed (two meta reads); call it before the first query of a session.
    Returns True when it changed something a list shows.
    """
    ranks = refresh_status_ranks(db)
    return refresh_lead_year(db, (today or date.today()).year) or ranks


class LedgerQuery:
    """One filter and sort over the ledger. Safe to share between worker threads.

    Each thread uses its own connection (Peewee opens one per thread). A query object is
    a snapshot of intent, not of data: after a write, make a new one (its remembered keys
    and count would be stale).
    """

    def __init__(
        self,
        db: SqliteDatabase,
        filter: LedgerFilter | None = None,
        sort: LedgerSort | None = None,
        today: date | None = None,
    ) -> None:
        self.db = db
        self.filter = filter or LedgerFilter()
        self.sort = sort or LedgerSort()
        self.today = today or date.today()
        self._key_columns = SORT_COLUMNS[self.sort.column]
        self._search = parse_query(self.filter.text)
        self._clauses, self._params = self._filter_conditions()
        self._selective = bool(self.filter.officer_id or self.filter.overdue)
        """Filters that leave few rows: cheaper to look those up and sort than to walk."""
        self._lock = threading.Lock()
        self._plan: str | None = None
        self._count: int | None = None
        self._keys: dict[int, SortKey] = {}
        """Offset → sort key of rows already served: anchors for keyset fetches."""

    # -- conditions ---------------------------------------------------------------------

    def _filter_conditions(self) -> tuple[list[str], list[Any]]:
        """WHERE clauses on ``enterprise_ledger l`` for everything but the search text."""
        clauses: list[str] = []
        params: list[Any] = []
        f = self.filter
        # With a selective filter present, unary + keeps SQLite from driving the query by the
        # status or industry index instead (without statistics it cannot tell).
        plus = "+" if f.officer_id or f.overdue else ""
        if f.officer_id:
            clauses.append(
                "l.id IN (SELECT a.enterprise_id FROM assignment a"
                " WHERE a.year = ? AND a.officer_id = ? AND a.deleted = 0)"
            )
            params.extend((self.today.year, f.officer_id))
        if f.status:
            rank = STATUS_RANK.get(f.status)
            if rank is None:  # a code this version does not know
                clauses.append(f"{plus}l.status_rank = ? AND l.status = ?")
                params.extend((UNKNOWN_STATUS_RANK, f.status))
            else:
                clauses.append(f"{plus}l.status_rank = ?")
                params.append(rank)
        if f.industry:
            clauses.append(f"{plus}l.industry = ?")
            params.append(f.industry)
        if f.tag:
            clauses.append("l.tags > '' AND instr(l.tags, ?) > 0")
            params.append(tag_pattern(f.tag))
        if f.no_visit_days is not None:
            cutoff = self.today - timedelta(days=max(f.no_visit_days, 0))
            clauses.append("l.last_visit < ?")
            params.append(cutoff.isoformat())
        if f.overdue:
            clauses.append("l.open_deadline > '' AND l.open_deadline < ?")
            params.append(self.today.isoformat())
        return clauses, params

    # -- counting -----------------------------------------------------------------------

    def count(self) -> int:
        """Rows matching the filter (cached for the life of this query object).

        With search text this can take tens of ms at 100,000 rows (a long phrase that every
        row contains), so callers show the first page before asking.
        """
        with self._lock:
            if self._count is not None:
                return self._count
        clauses, params = list(self._clauses), list(self._params)
        if self._search is None:
            source = "enterprise_ledger l"
        elif not clauses:
            source = "enterprise_fts f"
        else:
            source = _FTS_JOIN
        if self._search is not None:
            clauses.insert(0, "enterprise_fts MATCH ?")
            params.insert(0, self._search.match)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        row = self.db.execute_sql(f"SELECT COUNT(*) FROM {source}{where}", params).fetchone()
        with self._lock:
            self._count = int(row[0])
            return self._count

    # -- pages --------------------------------------------------------------------------

    def _keyset(
        self, columns: Sequence[str], after: SortKey | None, before: SortKey | None
    ) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        cols = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        ascending = not self.sort.descending
        if after is not None:
            clauses.append(f"({cols}) {'>' if ascending else '<'} ({marks})")
            params.extend(after)
        if before is not None:
            clauses.append(f"({cols}) {'<' if ascending else '>'} ({marks})")
            params.extend(before)
        return clauses, params

    def _order(self, columns: Sequence[str], reverse: bool) -> str:
        direction = "ASC" if self.sort.descending == reverse else "DESC"
        return ", ".join(f"{c} {direction}" for c in columns)

    def _choose_plan(self) -> str:
        """How pages are read (decided once, on the first page, in a worker thread).

        - ``plain``: walk the sort index, checking the filters on each row;
        - ``fts``: walk the search index (its rowids are in name order);
        - ``sorted``: look the few matching rows up and sort them;
        - ``walk``: walk the sort index checking haystacks, ``sorted`` when that fails.
        """
        with self._lock:
            if self._plan is not None:
                return self._plan
        if self._search is None:
            plan = "sorted" if self._selective else "plain"
        elif self.sort.column == "name":
            plan = "fts"
        else:
            capped = self.db.execute_sql(
                "SELECT COUNT(*) FROM (SELECT 1 FROM enterprise_fts"
                " WHERE enterprise_fts MATCH ? LIMIT ?)",
                (self._search.match, SORT_LIMIT + 1),
            ).fetchone()[0]
            plan = "sorted" if capped <= SORT_LIMIT or self._selective else "walk"
        with self._lock:
            self._plan = plan
        return plan

    def _select(
        self,
        *,
        after: SortKey | None = None,
        before: SortKey | None = None,
        limit: int,
        offset: int = 0,
        reverse: bool = False,
    ) -> list[LedgerRow]:
        """Rows in display order (``reverse`` walks from the end and flips back)."""
        if limit <= 0:
            return []
        plan = self._choose_plan()
        search = self._search
        if plan == "walk" and search is not None and offset == 0:
            walked = self._walk(search.text, after, before, limit, reverse)
            if walked is not None:
                return walked
        clauses, params = list(self._clauses), list(self._params)
        keys = [f"l.{c}" for c in self._key_columns]
        source = "enterprise_ledger l"
        if plan == "fts" and search is not None:
            # FTS5 yields matches in rowid (= name) order and seeks on rowid ranges; CROSS
            # JOIN keeps it the outer loop (otherwise SQLite may rerun MATCH for every row).
            source = _FTS_JOIN
            clauses.insert(0, "enterprise_fts MATCH ?")
            params.insert(0, search.match)
            keys = ["f.rowid"]
        elif search is not None:
            clauses.append(
                "l.sid IN (SELECT rowid FROM enterprise_fts WHERE enterprise_fts MATCH ?)"
            )
            params.append(search.match)
        # Unary + hides the sort index from the planner: look the matches up, then sort.
        order_keys = [f"+{k}" for k in keys] if plan in ("sorted", "walk") else keys
        key_clauses, key_params = self._keyset(order_keys, after, before)
        clauses += key_clauses
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = (
            f"SELECT {_ROW_COLUMNS}, {', '.join(keys)} FROM {source}{where}"
            f" ORDER BY {self._order(order_keys, reverse)} LIMIT ? OFFSET ?"
        )
        cur = self.db.execute_sql(sql, (*params, *key_params, limit, offset))
        rows = [self._row(r) for r in cur]
        if reverse:
            rows.reverse()
        return rows

    def _walk(
        self,
        text: str,
        after: SortKey | None,
        before: SortKey | None,
        limit: int,
        reverse: bool,
    ) -> list[LedgerRow] | None:
        """A searched page along the sort index, or None when matches are too sparse there.

        Checks up to :data:`WALK_BUDGET` rows' haystacks; quick when many rows match (the
        case where looking every match up and sorting would be slow).
        """
        keys = [f"l.{c}" for c in self._key_columns]
        clauses, params = list(self._clauses), list(self._params)
        key_clauses, key_params = self._keyset(keys, after, before)
        clauses += key_clauses
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        walked = self.db.execute_sql(
            "SELECT l.sid, instr((SELECT s.hay FROM enterprise_search s WHERE s.sid = l.sid), ?)"
            f" FROM enterprise_ledger l{where} ORDER BY {self._order(keys, reverse)} LIMIT ?",
            (text, *params, *key_params, WALK_BUDGET),
        ).fetchall()
        hits = [int(sid) for sid, at in walked if at][:limit]
        if len(hits) < limit and len(walked) == WALK_BUDGET:
            return None
        if not hits:
            return []
        marks = ", ".join("?" for _ in hits)
        sql = (
            f"SELECT {_ROW_COLUMNS}, {', '.join(keys)} FROM enterprise_ledger l"
            f" WHERE l.sid IN ({marks}) ORDER BY {self._order(keys, False)}"
        )
        return [self._row(r) for r in self.db.execute_sql(sql, hits)]

    def _row(self, r: Sequence[Any]) -> LedgerRow:
        deadline = str(r[8] or "")
        return LedgerRow(
            id=str(r[0]),
            name=str(r[1]),
            uscc=str(r[2]),
            industry=str(r[3]),
            status=str(r[4]),
            lead_officer=str(r[5]),
            last_visit=_parse_date(r[6]),
            open_problems=int(r[7]),
            overdue=bool(deadline) and deadline < self.today.isoformat(),
            key=tuple(r[9:]),
        )

    def first_page(self, limit: int) -> list[LedgerRow]:
        return self._select(limit=limit)

    def last_page(self, limit: int) -> list[LedgerRow]:
        """The last ``limit`` rows, in display order."""
        return self._select(limit=limit, reverse=True)

    def page_after(self, key: SortKey | None, limit: int) -> list[LedgerRow]:
        """The rows following ``key`` (from the start when None)."""
        return self._select(after=key, limit=limit)

    def page_before(self, key: SortKey | None, limit: int) -> list[LedgerRow]:
        """The ``limit`` rows preceding ``key`` (the last rows when None), in display order."""
        return self._select(before=key, limit=limit, reverse=True)

    def rows_at(self, offset: int, limit: int) -> list[LedgerRow]:
        """Rows by position: ``OFFSET`` from whichever end is nearer."""
        total = self.count()
        if offset >= total or limit <= 0:
            return []
        limit = min(limit, total - offset)
        from_end = total - offset - limit
        if from_end < offset:
            return self._select(limit=limit, offset=from_end, reverse=True)
        return self._select(limit=limit, offset=offset)

    # -- the virtual table's data source ------------------------------------------------

    def fetch(self, offset: int, limit: int) -> list[LedgerRow]:
        """Rows ``offset .. offset+limit-1``, from a remembered neighbour's key when possible.

        The first page needs no count, so a list can show it before counting.
        """
        if limit <= 0 or offset < 0:
            return []
        with self._lock:
            before_key = self._keys.get(offset - 1)
            after_key = self._keys.get(offset + limit)
        if offset == 0:
            rows = self.first_page(limit)
        elif before_key is not None:
            rows = self.page_after(before_key, limit)
        elif after_key is not None:
            rows = self.page_before(after_key, limit)
        else:
            total = self.count()
            if offset >= total:
                return []
            if offset + limit >= total:
                rows = self.last_page(total - offset)
            else:
                rows = self.rows_at(offset, limit)
        if rows:
            with self._lock:
                self._keys[offset] = rows[0].key
                self._keys[offset + len(rows) - 1] = rows[-1].key
        return rows


def _parse_date(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None
