"""Search upkeep: the derived ledger, haystack and FTS rows of each enterprise, kept current.

:func:`refresh_enterprises` is what the write path calls at commit for the enterprise rows it
wrote, and what sync's merge calls for the rows it touched; :func:`rebuild` recomputes
everything (migrations); :func:`renumber` respaces the ``sid`` order when a gap is full.
See :mod:`fieldtui.store.search` for the design.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, Final

from peewee import SqliteDatabase

from fieldtui.domain.schema import ENTERPRISE
from fieldtui.store.pinyin import name_pinyin
from fieldtui.store.search.query import (
    CLOSED_PROBLEM_STATUSES,
    SID_SPACING,
    STATUS_RANK,
    TAG_SEPARATOR,
    UNKNOWN_STATUS_RANK,
)
from fieldtui.store.search.text import haystack, tokens

__all__ = [
    "current_year",
    "rebuild",
    "refresh_enterprises",
    "refresh_lead_year",
    "refresh_status_ranks",
    "renumber",
]

_CHUNK = 500
"""Ids per ``IN (...)`` list: well under SQLite's variable limit."""


def _tags_column(tags_json: str | None) -> str:
    if not tags_json or tags_json == "[]":  # most enterprises: no tags, no JSON to parse
        return ""
    try:
        tags = json.loads(tags_json)
    except ValueError:
        tags = [tags_json]
    if not isinstance(tags, list):
        tags = [tags]
    names = [str(t) for t in tags if str(t)]
    if not names:
        return ""
    return TAG_SEPARATOR + TAG_SEPARATOR.join(names) + TAG_SEPARATOR


def current_year() -> int:
    return date.today().year


def _last_visit(eid: str) -> str:
    return f"""COALESCE((
        SELECT MAX(v.date) FROM visit v
        WHERE v.enterprise_id = {eid} AND v.deleted = 0 AND v.date IS NOT NULL
    ), '')"""


def _open_problems(eid: str) -> str:
    return f"""(
        SELECT COUNT(*) FROM problem p
        WHERE p.enterprise_id = {eid} AND p.deleted = 0
          AND p.status NOT IN {CLOSED_PROBLEM_STATUSES!r}
    )"""


def _open_deadline(eid: str) -> str:
    return f"""COALESCE((
        SELECT MIN(p.deadline) FROM problem p
        WHERE p.enterprise_id = {eid} AND p.deleted = 0
          AND p.status NOT IN {CLOSED_PROBLEM_STATUSES!r}
          AND p.deadline IS NOT NULL AND p.deadline != ''
    ), '')"""


def _lead_officer_id(eid: str, year: str) -> str:
    return f"""(
        SELECT a.officer_id FROM assignment a
        WHERE a.enterprise_id = {eid} AND a.deleted = 0 AND a.role = 'cso'
          AND a.year = {year}
        ORDER BY a.created_at, a.id LIMIT 1
    )"""


def _lead_officer(officer_id: str) -> str:
    return f"COALESCE((SELECT o.name FROM officer o WHERE o.id = {officer_id}), '')"


STATS_SQL = f"""
UPDATE enterprise_ledger SET
    last_visit = {_last_visit("enterprise_ledger.id")},
    open_problems = {_open_problems("enterprise_ledger.id")},
    open_deadline = {_open_deadline("enterprise_ledger.id")},
    lead_officer_id = {_lead_officer_id("enterprise_ledger.id", "?")}
"""
"""Recompute every figure derived from other tables; append a WHERE clause."""

LEAD_NAME_SQL = f"""
UPDATE enterprise_ledger SET lead_officer = {_lead_officer("enterprise_ledger.lead_officer_id")}
"""

INSERT_LEDGER_SQL = f"""
INSERT INTO enterprise_ledger (
    sid, id, name, name_key, uscc, industry, status, status_rank, tags,
    last_visit, open_problems, open_deadline, lead_officer_id, lead_officer
) VALUES (
    ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
    {_last_visit("?2")},
    {_open_problems("?2")},
    {_open_deadline("?2")},
    {_lead_officer_id("?2", "?10")},
    {_lead_officer(_lead_officer_id("?2", "?10"))}
)
"""
"""A new ledger row with its figures computed as STATS_SQL and LEAD_NAME_SQL would (the row
is written once, not inserted and then updated); parameters: the row of :func:`_derive`
after its ``sid``, then the year."""

_Derived = tuple[str, str, str, str, str, str, int, str, str]
"""What ``refresh_enterprises`` computes for one live enterprise, in ``enterprise_ledger``'s
column order: id, name, name_key, uscc, industry, status, status_rank, tags; then the
haystack. Plain tuples: a bulk import makes one per new enterprise."""

_HAY: Final = 8
_order = itemgetter(2, 0)
"""The ledger's order of a derived row: (name_key, id)."""


SEARCHED: tuple[str, ...] = tuple(f.name for f in ENTERPRISE.searched)
"""The enterprise fields search finds an enterprise by, name first (the schema's ``search``
flags). Adding one changes every haystack: it needs a migration that calls :func:`rebuild`."""
assert SEARCHED[0] == "name", "the haystack starts with the name (its pinyin follows)"

_SELECT = f"SELECT id, {', '.join(SEARCHED)}, industry, status, uscc, tags FROM enterprise"


def _derive(row: Sequence[Any]) -> _Derived:
    eid, *searched, industry, status, uscc, tags = row
    name = str(searched[0] or "")
    status = str(status or "")
    return (
        str(eid),
        name,
        name_pinyin(name).sort_key,
        str(uscc or ""),
        str(industry or ""),
        status,
        STATUS_RANK.get(status, UNKNOWN_STATUS_RANK),
        _tags_column(tags),
        haystack(name, *searched[1:]),
    )


def refresh_enterprises(db: SqliteDatabase, ids: Iterable[str]) -> None:
    """Recompute the derived ledger and search rows of these enterprises.

    Call after writing enterprise rows (the Writer does, at commit; sync's merge does for the
    rows it touches). A deleted or unknown id loses its rows; a live one gets fresh ones.
    Runs in one transaction (a savepoint inside the caller's).

    Shaped for sync's bulk imports (every enterprise of a 100,000-op file may be new): rows
    that had no ledger row yet are inserted with their figures in one statement, and only
    rows that keep their place are updated and have their figures recomputed.
    """
    unique = list(dict.fromkeys(ids))
    if not unique:
        return
    with db.atomic():
        drop: list[tuple[int, str]] = []
        place: list[_Derived] = []
        keep: list[tuple[int, _Derived, str]] = []
        for chunk in _chunked(unique):
            marks = ", ".join("?" * len(chunk))
            live = {
                r[0]: r
                for r in map(
                    _derive,
                    db.execute_sql(
                        f"{_SELECT} WHERE deleted = 0 AND id IN ({marks})",
                        chunk,
                    ).fetchall(),
                )
            }
            existing = {
                str(r[0]): (int(r[1]), str(r[2]), str(r[3]))
                for r in db.execute_sql(
                    "SELECT l.id, l.sid, l.name_key, COALESCE(s.hay, '')"
                    " FROM enterprise_ledger l LEFT JOIN enterprise_search s ON s.sid = l.sid"
                    f" WHERE l.id IN ({marks})",
                    chunk,
                ).fetchall()
            }
            if not existing:  # all new (a bulk import): nothing to drop or keep
                place.extend(live.values())
                continue
            for eid in chunk:
                derived = live.get(eid)
                old = existing.get(eid)
                if old is not None and (derived is None or derived[2] != old[1]):
                    drop.append((old[0], old[2]))  # gone, or renamed: moves to a new sid
                    old = None
                if derived is None:
                    continue
                if old is None:
                    place.append(derived)
                else:
                    keep.append((old[0], derived, old[2]))
        year = current_year()
        _drop(db, drop)
        _update(db, keep, year)
        _insert(db, place, year)


def _chunked(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _drop(db: SqliteDatabase, rows: list[tuple[int, str]]) -> None:
    if not rows:
        return
    cursor = db.cursor()
    cursor.executemany(
        "INSERT INTO enterprise_fts (enterprise_fts, rowid, t) VALUES ('delete', ?, ?)",
        [(sid, tokens(hay)) for sid, hay in rows if hay],
    )
    cursor.executemany("DELETE FROM enterprise_search WHERE sid = ?", [(s,) for s, _ in rows])
    cursor.executemany("DELETE FROM enterprise_ledger WHERE sid = ?", [(s,) for s, _ in rows])


def _update(db: SqliteDatabase, rows: list[tuple[int, _Derived, str]], year: int) -> None:
    """Rows that keep their place: new column values and figures, re-indexed when the
    haystack changed."""
    if not rows:
        return
    cursor = db.cursor()
    cursor.executemany(
        "UPDATE enterprise_ledger SET id = ?, name = ?, name_key = ?, uscc = ?, industry = ?,"
        " status = ?, status_rank = ?, tags = ? WHERE sid = ?",
        [(*d[:_HAY], sid) for sid, d, _hay in rows],
    )
    for chunk in _chunked([d[0] for _sid, d, _hay in rows]):
        marks = ", ".join("?" * len(chunk))
        db.execute_sql(STATS_SQL + f" WHERE id IN ({marks})", (year, *chunk))
        db.execute_sql(LEAD_NAME_SQL + f" WHERE id IN ({marks})", chunk)
    changed = [(sid, d[_HAY], old) for sid, d, old in rows if d[_HAY] != old]
    if changed:
        cursor.executemany(
            "INSERT INTO enterprise_fts (enterprise_fts, rowid, t) VALUES ('delete', ?, ?)",
            [(sid, tokens(old)) for sid, _hay, old in changed if old],
        )
        cursor.executemany(
            "INSERT INTO enterprise_search (sid, hay) VALUES (?, ?)"
            " ON CONFLICT(sid) DO UPDATE SET hay = excluded.hay",
            [(sid, hay) for sid, hay, _old in changed],
        )
        cursor.executemany(
            "INSERT INTO enterprise_fts (rowid, t) VALUES (?, ?)",
            [(sid, tokens(hay)) for sid, hay, _old in changed],
        )


def _neighbour(db: SqliteDatabase, order: tuple[str, str], after: bool) -> tuple[Any, ...] | None:
    """The existing row just before (``after`` False) or after ``order``: (sid, name_key, id)."""
    op, direction = (">", "ASC") if after else ("<", "DESC")
    row = db.execute_sql(
        f"SELECT sid, name_key, id FROM enterprise_ledger WHERE (name_key, id) {op} (?, ?)"
        f" ORDER BY name_key {direction}, id {direction} LIMIT 1",
        order,
    ).fetchone()
    return tuple(row) if row else None


def _assign_sids(db: SqliteDatabase, items: list[_Derived]) -> list[int] | None:
    """Sids for new rows (sorted by order) between their neighbours; None if a gap is full.

    Items falling into the same gap are spread evenly across it, so a bulk import into an
    empty or sparse ledger never halves a gap more than once.
    """
    sids: list[int] = []
    i = 0
    while i < len(items):
        order = _order(items[i])
        pred = _neighbour(db, order, after=False)
        succ = _neighbour(db, order, after=True)
        j = i + 1
        if succ is None:  # every later item falls in the last gap
            j = len(items)
        else:
            while j < len(items) and _order(items[j]) < (succ[1], succ[2]):
                j += 1
        k = j - i
        lo = int(pred[0]) if pred else None
        hi = int(succ[0]) if succ else None
        if lo is None and hi is None:
            sids.extend(SID_SPACING * (n + 1) for n in range(k))
        elif lo is None:
            assert hi is not None
            sids.extend(hi - SID_SPACING * (k - n) for n in range(k))
        elif hi is None:
            sids.extend(lo + SID_SPACING * (n + 1) for n in range(k))
        else:
            step = (hi - lo) // (k + 1)
            if step < 1:
                return None
            sids.extend(lo + step * (n + 1) for n in range(k))
        i = j
    return sids


def _insert(db: SqliteDatabase, items: list[_Derived], year: int) -> None:
    if not items:
        return
    items.sort(key=_order)
    sids = _assign_sids(db, items)
    if sids is None:
        renumber(db)
        sids = _assign_sids(db, items)
        if sids is None:  # pragma: no cover - a fresh renumbering leaves 2**32 per gap
            raise RuntimeError("enterprise_ledger: no room for new rows after renumbering")
    cursor = db.cursor()
    hays = [d[_HAY] for d in items]
    cursor.executemany(
        INSERT_LEDGER_SQL,
        [(sid, *d[:_HAY], year) for sid, d in zip(sids, items, strict=True)],
    )
    cursor.executemany(
        "INSERT INTO enterprise_search (sid, hay) VALUES (?, ?)", zip(sids, hays, strict=True)
    )
    cursor.executemany(
        "INSERT INTO enterprise_fts (rowid, t) VALUES (?, ?)",
        zip(sids, map(tokens, hays), strict=True),
    )


def renumber(db: SqliteDatabase) -> None:
    """Give every ledger row a fresh, evenly spaced ``sid`` in name order, re-indexing FTS.

    Needed only when 32 names have landed in one gap; reuses the stored haystacks (no pinyin
    work), about 4 s at 100,000 rows.
    """
    with db.atomic():
        rows = db.execute_sql(
            "SELECT l.*, COALESCE(s.hay, '') FROM enterprise_ledger l"
            " LEFT JOIN enterprise_search s ON s.sid = l.sid ORDER BY l.name_key, l.id"
        ).fetchall()
        columns = [c[1] for c in db.execute_sql("PRAGMA table_info(enterprise_ledger)")]
        sid_at = columns.index("sid")
        db.execute_sql("INSERT INTO enterprise_fts (enterprise_fts) VALUES ('delete-all')")
        db.execute_sql("DELETE FROM enterprise_search")
        db.execute_sql("DELETE FROM enterprise_ledger")
        fresh = []
        for n, row in enumerate(rows):
            values = list(row[: len(columns)])
            values[sid_at] = SID_SPACING * (n + 1)
            fresh.append((values, str(row[len(columns)])))
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        cursor = db.cursor()
        cursor.executemany(
            f"INSERT INTO enterprise_ledger ({quoted}) VALUES ({marks})",
            [tuple(v) for v, _hay in fresh],
        )
        cursor.executemany(
            "INSERT INTO enterprise_search (sid, hay) VALUES (?, ?)",
            [(v[sid_at], hay) for v, hay in fresh],
        )
        cursor.executemany(
            "INSERT INTO enterprise_fts (rowid, t) VALUES (?, ?)",
            [(v[sid_at], tokens(hay)) for v, hay in fresh if hay],
        )


def refresh_lead_year(db: SqliteDatabase, year: int | None = None) -> bool:
    """Recompute every lead officer when the calendar year has turned since the last time.

    The triggers keep lead officers current for the year they run in; on the first use in a
    new year every row is recomputed once (100,000 rows: well under a second). Returns True
    when it did so.
    """
    year = year or current_year()
    row = db.execute_sql("SELECT value FROM meta WHERE key = 'ledger_year'").fetchone()
    if row and row[0] == str(year):
        return False
    with db.atomic():
        db.execute_sql(
            "UPDATE enterprise_ledger SET lead_officer_id = ("
            " SELECT a.officer_id FROM assignment a"
            " WHERE a.enterprise_id = enterprise_ledger.id AND a.deleted = 0"
            " AND a.role = 'cso' AND a.year = ? ORDER BY a.created_at, a.id LIMIT 1)",
            (year,),
        )
        db.execute_sql(LEAD_NAME_SQL)
        _set_ledger_year(db, year)
    return True


def _status_order() -> str:
    return ",".join(STATUS_RANK)


def refresh_status_ranks(db: SqliteDatabase) -> bool:
    """Recompute every stored status rank when the status code list changed order.

    Ranks are the enum's order, stored per row for the ledger's sort and filter; a new code
    between two others (半停产 after 在产) moves the ranks after it, and a database whose rows
    were ranked by the older list would sort and filter by the old numbers. Cheap when nothing
    changed (one meta read). Returns True when it did so.
    """
    order = _status_order()
    row = db.execute_sql("SELECT value FROM meta WHERE key = 'status_order'").fetchone()
    if row and row[0] == order:
        return False
    cases = " ".join("WHEN ? THEN ?" for _code in STATUS_RANK)
    params: list[Any] = [v for item in STATUS_RANK.items() for v in item]
    with db.atomic():
        db.execute_sql(
            f"UPDATE enterprise_ledger SET status_rank = CASE status {cases} ELSE ? END",
            (*params, UNKNOWN_STATUS_RANK),
        )
        _set_meta(db, "status_order", order)
    return True


def _set_meta(db: SqliteDatabase, key: str, value: str) -> None:
    db.execute_sql(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _set_ledger_year(db: SqliteDatabase, year: int) -> None:
    db.execute_sql(
        "INSERT INTO meta (key, value) VALUES ('ledger_year', ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(year),),
    )


def rebuild(db: SqliteDatabase) -> None:
    """Recompute all derived ledger and search data from the enterprise table.

    Used by the migration that creates the tables and by any later migration that changes
    tokenisation (the contentless index cannot be patched row by row then).
    """
    with db.atomic():
        db.execute_sql("DELETE FROM enterprise_ledger")
        db.execute_sql("DELETE FROM enterprise_search")
        db.execute_sql("INSERT INTO enterprise_fts (enterprise_fts) VALUES ('delete-all')")
        ids = [str(r[0]) for r in db.execute_sql("SELECT id FROM enterprise WHERE deleted = 0")]
        refresh_enterprises(db, ids)
        _set_ledger_year(db, current_year())
        _set_meta(db, "status_order", _status_order())
