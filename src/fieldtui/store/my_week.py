""" "My week": what the overview shows the current officer, read in one go.

- the enterprises assigned to the officer this year (lead or assisting), the longest unvisited
  first, those not visited within the zone's visit interval (a setting, 7 days by default)
  marked: the weekly visit rule (每周深入园区企业走访);
- the officer's open problems by deadline (overdue first, no deadline last);
- the officer's draft visits (self-check not complete);
- this month's duty-list self-check.

The last visit counts visits by anyone (the enterprise was served); the officer's own last
visit is given beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from fieldtui.domain.checklists import month_of
from fieldtui.store.checklists import SelfCheck, duty_check
from fieldtui.store.problem_list import ProblemFilter, ProblemQuery, ProblemRow, ProblemSort
from fieldtui.store.visit_list import VisitFilter, VisitQuery, VisitRow

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = ["DEFAULT_VISIT_INTERVAL_DAYS", "AssignedEnterprise", "MyWeek", "my_week"]

DEFAULT_VISIT_INTERVAL_DAYS = 7
"""The zone's rule, every assigned enterprise every week; the app and CLI pass the setting
``visit_interval_days`` (:class:`fieldtui.config.Settings`, same default)."""

MAX_ROWS = 500
"""Problems and drafts listed at most (an officer has tens)."""


@dataclass(frozen=True, slots=True)
class AssignedEnterprise:
    enterprise_id: str
    name: str
    role: str
    """The officer's role this year: ``cso`` (lead) or ``assist``."""
    last_visit: date | None
    """The latest visit by anyone."""
    my_last_visit: date | None
    days_since: int | None
    """Days since ``last_visit`` (None: never visited)."""
    due: bool
    """Not visited within the visit interval (never visited included): to visit this week."""
    open_problems: int
    overdue_problems: bool


@dataclass(frozen=True, slots=True)
class MyWeek:
    officer_id: str
    today: date
    interval_days: int
    enterprises: tuple[AssignedEnterprise, ...]
    problems: tuple[ProblemRow, ...]
    drafts: tuple[VisitRow, ...]
    duty: SelfCheck
    """This month's duty-list self-check (``duty.complete``: done)."""

    @property
    def due_count(self) -> int:
        return sum(1 for e in self.enterprises if e.due)


def my_week(
    store: Store,
    officer_id: str,
    *,
    today: date | None = None,
    interval_days: int = DEFAULT_VISIT_INTERVAL_DAYS,
) -> MyWeek:
    today = today or date.today()
    store.writer.flush()
    cur = store.db.execute_sql(
        "SELECT e.id, e.name,"
        " MIN(a.role) AS role,"  # 'assist' < 'cso': a lead role shows as lead below
        " MAX(CASE WHEN a.role = 'cso' THEN 1 ELSE 0 END),"
        " (SELECT MAX(v.date) FROM visit v WHERE v.enterprise_id = e.id AND v.deleted = 0"
        "   AND v.date IS NOT NULL AND v.date != ''),"
        " (SELECT MAX(v.date) FROM visit v JOIN visit_officer vo ON vo.visit_id = v.id"
        "   WHERE v.enterprise_id = e.id AND v.deleted = 0 AND vo.deleted = 0"
        "   AND vo.officer_id = ?),"
        " COALESCE(l.open_problems, 0), COALESCE(l.open_deadline, '')"
        " FROM assignment a JOIN enterprise e ON e.id = a.enterprise_id AND e.deleted = 0"
        " LEFT JOIN enterprise_ledger l ON l.id = e.id"
        " WHERE a.officer_id = ? AND a.year = ? AND a.deleted = 0"
        " GROUP BY e.id",
        (officer_id, officer_id, today.year),
    )
    enterprises = []
    for ent_id, name, _role, lead, last, mine, open_n, open_deadline in cur.fetchall():
        last_day = _day(last)
        days = (today - last_day).days if last_day else None
        enterprises.append(
            AssignedEnterprise(
                enterprise_id=str(ent_id),
                name=str(name),
                role="cso" if lead else "assist",
                last_visit=last_day,
                my_last_visit=_day(mine),
                days_since=days,
                due=days is None or days >= interval_days,
                open_problems=int(open_n or 0),
                overdue_problems=bool(open_deadline) and str(open_deadline) < today.isoformat(),
            )
        )
    enterprises.sort(
        key=lambda e: (e.days_since is not None, -(e.days_since or 0), e.name, e.enterprise_id)
    )
    problems = ProblemQuery(
        store.db,
        ProblemFilter(officer_id=officer_id, open=True),
        ProblemSort("deadline", descending=False),
        today=today,
    ).fetch(0, MAX_ROWS)
    drafts = VisitQuery(store.db, VisitFilter(officer_id=officer_id, draft=True)).fetch(0, MAX_ROWS)
    return MyWeek(
        officer_id=officer_id,
        today=today,
        interval_days=interval_days,
        enterprises=tuple(enterprises),
        problems=tuple(problems),
        drafts=tuple(drafts),
        duty=duty_check(store, officer_id, month_of(today)),
    )


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
