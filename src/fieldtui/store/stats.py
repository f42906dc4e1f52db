"""Small read-only figures for the overview screen: a handful of COUNT queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from fieldtui.domain.enums import ProblemStatus

if TYPE_CHECKING:
    from fieldtui.store import Store

CLOSED_PROBLEM_STATUSES = (ProblemStatus.RESOLVED.code, ProblemStatus.UNRESOLVABLE.code)
"""A problem in any other status (including one this version does not know) is open."""


@dataclass(frozen=True, slots=True)
class Overview:
    enterprises: int
    officers: int
    projects: int
    problems_open: int
    problems_overdue: int
    visits_this_month: int
    month: str
    """The month ``visits_this_month`` counts, as ``YYYY-MM``."""


def month_bounds(day: date) -> tuple[str, str]:
    """ISO dates of the first day of ``day``'s month and of the month after."""
    first = day.replace(day=1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first.isoformat(), after.isoformat()


def overview(store: Store, today: date | None = None) -> Overview:
    """Counts of live rows; overdue = open and past its deadline (``today`` excluded)."""
    today = today or date.today()
    start, end = month_bounds(today)
    marks = ", ".join("?" for _ in CLOSED_PROBLEM_STATUSES)

    def one(sql: str, params: tuple[object, ...] = ()) -> int:
        return int(store.db.execute_sql(sql, params).fetchone()[0] or 0)

    return Overview(
        enterprises=one("SELECT COUNT(*) FROM enterprise WHERE deleted = 0"),
        officers=one("SELECT COUNT(*) FROM officer WHERE deleted = 0"),
        projects=one("SELECT COUNT(*) FROM project WHERE deleted = 0"),
        problems_open=one(
            f"SELECT COUNT(*) FROM problem WHERE deleted = 0 AND status NOT IN ({marks})",
            CLOSED_PROBLEM_STATUSES,
        ),
        problems_overdue=one(
            f"SELECT COUNT(*) FROM problem WHERE deleted = 0 AND status NOT IN ({marks})"
            " AND deadline IS NOT NULL AND deadline != '' AND deadline < ?",
            (*CLOSED_PROBLEM_STATUSES, today.isoformat()),
        ),
        visits_this_month=one(
            "SELECT COUNT(*) FROM visit WHERE deleted = 0 AND date >= ? AND date < ?",
            (start, end),
        ),
        month=start[:7],
    )


def find_officer(store: Store, name_or_id: str) -> str | None:
    """The id of the live officer with this id or, failing that, this exact name."""
    row = store.db.execute_sql(
        "SELECT id FROM officer WHERE deleted = 0 AND (id = ? OR name = ?)"
        " ORDER BY id = ? DESC, id LIMIT 1",
        (name_or_id, name_or_id, name_or_id),
    ).fetchone()
    return str(row[0]) if row else None
