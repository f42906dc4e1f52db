"""Problem figures shared by the period summary and the monthly report.

Definitions, for a period and a reference day ``today``:

- **raised**: raised on a day in the period;
- **resolved**: status resolved with its resolved-on date in the period (domain.md), whenever
  it was raised;
- **in progress**: still open at the end of the period: raised on or before its last day (or
  with no date) and neither resolved by then (a problem resolved after the period was still
  open during it) nor found unresolvable;
- **overdue**: in progress and past its deadline on the period's last day (or today, for a
  period that has not ended); the deadline day itself is still in time, as everywhere.

Counted per category as well, every category of :class:`ProblemCategory` present (zeros
included) plus any code a newer version wrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.domain.enums import ProblemCategory, ProblemStatus
from fieldtui.reports.periods import Period, day

if TYPE_CHECKING:
    from datetime import date

    from fieldtui.store import Store

FIGURES = ("raised", "resolved", "in_progress", "overdue")


def problem_figures(
    store: Store, period: Period, *, today: date, officer_id: str | None = None
) -> dict[str, Any]:
    """``{"raised", "resolved", "in_progress", "overdue", "by_category": {code: {...}}}``;
    ``officer_id``: only the problems that officer follows."""
    store.writer.flush()
    where, params = "deleted = 0", []
    if officer_id is not None:
        where += " AND officer_id = ?"
        params.append(officer_id)
    cur = store.db.execute_sql(
        f"SELECT category, raised_on, status, resolved_on, deadline FROM problem WHERE {where}",
        params,
    )
    by_category: dict[str, dict[str, int]] = {
        c.code: dict.fromkeys(FIGURES, 0) for c in ProblemCategory
    }
    totals = dict.fromkeys(FIGURES, 0)
    reference = min(period.end, today)
    for category, raised_raw, status, resolved_raw, deadline_raw in cur.fetchall():
        raised, resolved_on, deadline = day(raised_raw), day(resolved_raw), day(deadline_raw)
        hits = []
        if period.holds(raised):
            hits.append("raised")
        resolved = status == ProblemStatus.RESOLVED.code
        if resolved and period.holds(resolved_on):
            hits.append("resolved")
        closed_by_end = status == ProblemStatus.UNRESOLVABLE.code or (
            resolved and (resolved_on is None or resolved_on <= period.end)
        )
        if not closed_by_end and (raised is None or raised <= period.end):
            hits.append("in_progress")
            if deadline is not None and deadline < reference:
                hits.append("overdue")
        if not hits:
            continue
        counts = by_category.setdefault(
            str(category or ProblemCategory.OTHER.code), dict.fromkeys(FIGURES, 0)
        )
        for figure in hits:
            counts[figure] += 1
            totals[figure] += 1
    return {**totals, "by_category": by_category}
