"""The meetings (会议) and investment activities (招商活动) lists: dated records with a kind and
the enterprises (and, for activities, the officers) linked to them.

A zone holds a few dozen meetings and activities a year, so a query reads them whole (the
records, then their link rows joined with the names) in the worker thread that pages, and
filters and sorts in Python, with the pinyin search of the short lists
(:func:`~fieldtui.store.pinyin.name_matches`). The table reads it like every list source
(``count()``/``fetch(offset, limit)``), so the screen never waits on SQLite.
"""

from __future__ import annotations

import calendar
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import SqliteDatabase

from fieldtui.domain.validators import clean_line, parse_date
from fieldtui.i18n import _
from fieldtui.store.pinyin import fold, name_matches, pinyin_key

__all__ = [
    "SORT_COLUMNS",
    "DatedFilter",
    "DatedQuery",
    "DatedRow",
    "DatedSort",
    "month_range",
    "parse_bound",
    "read_activities",
    "read_meetings",
    "select_rows",
]

SORT_COLUMNS = ("date", "kind", "title")
"""The orders the lists can be in, F6's cycle (``title``: a meeting's topic, an activity's
place or visiting party)."""


@dataclass(frozen=True, slots=True)
class DatedFilter:
    """Conditions that combine (AND); empty ones do not filter."""

    text: str = ""
    """Part of the topic (place), the enterprises' names or the people's, or their pinyin."""
    kind: str | None = None
    since: date | None = None
    until: date | None = None
    """Both ends included."""
    person: str | None = None
    """An activity's team member (officer id), or a meeting's chair (as written)."""

    @property
    def is_empty(self) -> bool:
        return self == DatedFilter()


@dataclass(frozen=True, slots=True)
class DatedSort:
    column: str = "date"
    descending: bool = True
    """Newest first by default: the latest meeting is the one an officer looks for."""

    def __post_init__(self) -> None:
        if self.column not in SORT_COLUMNS:
            raise ValueError(f"unknown sort column {self.column!r}")


@dataclass(frozen=True, slots=True)
class DatedRow:
    id: str
    on: date | None
    """None when the stored date is missing or not a date (shown last, as it is)."""
    on_text: str
    kind: str
    title: str
    """A meeting's topic; an activity's place or visiting party."""
    people: tuple[str, ...]
    """A meeting's chair; an activity's team members, in pinyin order."""
    person_keys: frozenset[str]
    """What the person filter matches: the chair as written; the members' officer ids."""
    enterprises: tuple[str, ...]
    """The linked enterprises' names, in pinyin order (each once)."""


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _linked(db: SqliteDatabase, sql: str) -> dict[str, list[tuple[str, str]]]:
    """Owner id → [(linked id, its name)] from a link table joined with the named table."""
    found: dict[str, list[tuple[str, str]]] = {}
    for owner, other, name in db.execute_sql(sql).fetchall():
        pairs = found.setdefault(str(owner), [])
        if all(other != seen for seen, _name in pairs):
            pairs.append((str(other), str(name or "")))
    return found


def _names(pairs: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(sorted((name for _id, name in pairs), key=pinyin_key))


def read_meetings(db: SqliteDatabase) -> list[DatedRow]:
    """Every live meeting with the enterprises it involved (thread worker)."""
    enterprises = _linked(
        db,
        "SELECT l.meeting_id, e.id, e.name FROM meeting_enterprise l"
        " JOIN enterprise e ON e.id = l.enterprise_id AND e.deleted = 0 WHERE l.deleted = 0",
    )
    rows = []
    for mid, on, kind, topic, chair in db.execute_sql(
        "SELECT id, date, kind, topic, chair FROM meeting WHERE deleted = 0"
    ).fetchall():
        chair_text = str(chair or "").strip()
        rows.append(
            DatedRow(
                id=str(mid),
                on=_day(on),
                on_text="" if on is None else str(on),
                kind=str(kind or ""),
                title=str(topic or ""),
                people=(chair_text,) if chair_text else (),
                person_keys=frozenset([chair_text]) if chair_text else frozenset(),
                enterprises=_names(enterprises.get(str(mid), [])),
            )
        )
    return rows


def read_activities(db: SqliteDatabase) -> list[DatedRow]:
    """Every live investment activity with its team and enterprises (thread worker)."""
    members = _linked(
        db,
        "SELECT l.activity_id, o.id, o.name FROM activity_member l"
        " JOIN officer o ON o.id = l.officer_id AND o.deleted = 0 WHERE l.deleted = 0",
    )
    enterprises = _linked(
        db,
        "SELECT l.activity_id, e.id, e.name FROM activity_enterprise l"
        " JOIN enterprise e ON e.id = l.enterprise_id AND e.deleted = 0 WHERE l.deleted = 0",
    )
    rows = []
    for aid, on, kind, place in db.execute_sql(
        "SELECT id, date, kind, place FROM activity WHERE deleted = 0"
    ).fetchall():
        team = members.get(str(aid), [])
        rows.append(
            DatedRow(
                id=str(aid),
                on=_day(on),
                on_text="" if on is None else str(on),
                kind=str(kind or ""),
                title=str(place or ""),
                people=_names(team),
                person_keys=frozenset(oid for oid, _name in team),
                enterprises=_names(enterprises.get(str(aid), [])),
            )
        )
    return rows


def _matches(text: str, row: DatedRow) -> bool:
    if not text:
        return True
    if name_matches(text, row.title, *row.enterprises, *row.people):
        return True
    # name_matches reads the pinyin of its first name only: the others' pinyin too.
    return fold(text).isascii() and any(
        name_matches(text, name) for name in (*row.enterprises, *row.people)
    )


def _sort_key(column: str) -> Callable[[DatedRow], Any]:
    if column == "kind":
        return lambda r: (r.kind, r.on or date.min, pinyin_key(r.title))
    if column == "title":
        return lambda r: (pinyin_key(r.title), r.on or date.min)
    return lambda r: (r.on or date.min, pinyin_key(r.title), r.id)


def select_rows(rows: Sequence[DatedRow], filter: DatedFilter, sort: DatedSort) -> list[DatedRow]:
    """The rows the filter keeps, in the sort's order."""
    text = clean_line(filter.text)
    found = [
        r
        for r in rows
        if (filter.kind is None or r.kind == filter.kind)
        and (filter.since is None or (r.on is not None and r.on >= filter.since))
        and (filter.until is None or (r.on is not None and r.on <= filter.until))
        and (filter.person is None or filter.person in r.person_keys)
        and _matches(text, r)
    ]
    found.sort(key=_sort_key(sort.column), reverse=sort.descending)
    return found


_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")


def month_range(text: str) -> tuple[date, date] | None:
    """A month as typed (``2026-3``, ``2026/03``, ``2026年3月``) → its first and last day."""
    match = _MONTH.fullmatch(text.strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_bound(text: str, *, end: bool) -> date | None:
    """A filter's date bound: a day, or a month (its first day, or its last for ``end``).
    Blank is no bound; anything else raises ``ValueError`` with a message for the officer."""
    text = text.strip()
    if not text:
        return None
    month = month_range(text)
    if month is not None:
        return month[1] if end else month[0]
    try:
        return parse_date(text)
    except ValueError:
        raise ValueError(
            _("Incorrect date: {text}; use YYYY-MM-DD or YYYY-MM").format(text=text)
        ) from None


class DatedQuery:
    """One filter and sort over one kind's live records: the list's table source. Read on
    first use, in the worker thread that pages; make a new one after a write."""

    def __init__(
        self,
        db: SqliteDatabase,
        read: Callable[[SqliteDatabase], list[DatedRow]],
        filter: DatedFilter | None = None,
        sort: DatedSort | None = None,
    ) -> None:
        self.db = db
        self.read = read
        self.filter = filter or DatedFilter()
        self.sort = sort or DatedSort()
        self._lock = threading.Lock()
        self._rows: list[DatedRow] | None = None

    def rows(self) -> list[DatedRow]:
        with self._lock:
            if self._rows is None:
                self._rows = select_rows(self.read(self.db), self.filter, self.sort)
            return self._rows

    def count(self) -> int:
        return len(self.rows())

    def fetch(self, offset: int, limit: int) -> list[DatedRow]:
        if offset < 0 or limit <= 0:
            return []
        return self.rows()[offset : offset + limit]
