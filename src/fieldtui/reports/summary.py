"""The period summary: what the centre publishes for any date range.

Its JSON form is an interface (domain.md, "Period summary"): the keys below are exactly those,
so scripts and the office's templates can rely on them. A visit, meeting or activity counts
when its date is in the range (both ends included); problems as :mod:`.problems` defines
them; investment and projects:

- ``trips_out`` / ``receptions``: activities of that kind dated in the range;
- ``enterprises_visited_on_trips``: the enterprises listed on those trips, each once per trip
  (the same enterprise on two trips counts twice: it was visited twice);
- ``projects_introduced``: projects of source ``attracted`` signed in the range;
  ``planned_investment_wan`` their planned investment summed (万元);
- ``revitalized``: projects flagged revitalised (盘活厂房) signed or given land in the range;
- ``same_year``: projects signed, started, completed and producing all within one calendar
  year, those four dates all in the range;
- ``land_to_start_days_median`` / ``land_to_trial_days_median``: the median days from land
  supply to construction start (0 = 拿地即开工) / to trial production, over projects whose start /
  trial date is in the range (a date before the land date is a typing slip and is left out);
  null when no project qualifies.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from fieldtui.domain.enums import ActivityKind, MeetingKind, ProjectSource, VisitKind
from fieldtui.reports.periods import Period, day, median_days, number
from fieldtui.reports.problems import problem_figures

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = ["summary"]


def summary(store: Store, period: Period, *, today: date | None = None) -> dict[str, Any]:
    """The summary of ``period`` in domain.md's JSON shape."""
    today = today or date.today()
    store.writer.flush()
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "visits": visit_figures(store, period),
        "problems": problem_figures(store, period, today=today),
        "meetings": _meetings(store, period),
        "investment": _investment(store, period),
        "projects": _projects(store, period),
    }


def visit_figures(store: Store, period: Period, *, officer_id: str | None = None) -> dict[str, Any]:
    """``{"total", "enterprises", "by_kind"}`` of the visits dated in ``period``; with
    ``officer_id``, the visits that officer made (alone or with others)."""
    sql = "SELECT v.kind, COUNT(*), COUNT(DISTINCT v.enterprise_id) FROM visit v"
    params: list[object] = [*period.bounds]
    where = " WHERE v.deleted = 0 AND v.date BETWEEN ? AND ?"
    if officer_id is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM visit_officer vo WHERE vo.visit_id = v.id"
            " AND vo.deleted = 0 AND vo.officer_id = ?)"
        )
        params.append(officer_id)
    by_kind = dict.fromkeys((k.code for k in VisitKind), 0)
    for kind, count, _distinct in store.db.execute_sql(sql + where + " GROUP BY v.kind", params):
        by_kind[str(kind)] = by_kind.get(str(kind), 0) + int(count)
    row = store.db.execute_sql(
        "SELECT COUNT(*), COUNT(DISTINCT v.enterprise_id) FROM visit v" + where, params
    ).fetchone()
    return {"total": int(row[0]), "enterprises": int(row[1]), "by_kind": by_kind}


def _meetings(store: Store, period: Period) -> dict[str, Any]:
    by_kind = dict.fromkeys((k.code for k in MeetingKind), 0)
    cur = store.db.execute_sql(
        "SELECT kind, COUNT(*) FROM meeting WHERE deleted = 0 AND date BETWEEN ? AND ?"
        " GROUP BY kind",
        period.bounds,
    )
    for kind, count in cur.fetchall():
        by_kind[str(kind)] = by_kind.get(str(kind), 0) + int(count)
    return {"total": sum(by_kind.values()), "by_kind": by_kind}


def _investment(store: Store, period: Period) -> dict[str, Any]:
    def one(sql: str, *params: object) -> int:
        return int(store.db.execute_sql(sql, params).fetchone()[0] or 0)

    activities = "FROM activity a WHERE a.deleted = 0 AND a.kind = ? AND a.date BETWEEN ? AND ?"
    trip, reception = ActivityKind.TRIP_OUT.code, ActivityKind.RECEPTION.code
    cur = store.db.execute_sql(
        "SELECT planned_investment_wan FROM project"
        " WHERE deleted = 0 AND source = ? AND signed_on BETWEEN ? AND ?",
        (ProjectSource.ATTRACTED.code, *period.bounds),
    )
    planned = [_money(r[0]) for r in cur.fetchall()]
    return {
        "trips_out": one(f"SELECT COUNT(*) {activities}", trip, *period.bounds),
        "enterprises_visited_on_trips": one(
            "SELECT COUNT(*) FROM activity_enterprise ae"
            " JOIN activity a ON a.id = ae.activity_id"
            " WHERE ae.deleted = 0 AND a.deleted = 0 AND a.kind = ? AND a.date BETWEEN ? AND ?",
            trip,
            *period.bounds,
        ),
        "receptions": one(f"SELECT COUNT(*) {activities}", reception, *period.bounds),
        "projects_introduced": len(planned),
        "planned_investment_wan": number(sum(planned, Decimal(0))),
    }


def _money(value: object) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _projects(store: Store, period: Period) -> dict[str, Any]:
    cur = store.db.execute_sql(
        "SELECT revitalized, signed_on, land_on, started_on, completed_on, trial_on,"
        " production_on FROM project WHERE deleted = 0"
    )
    revitalized = same_year = 0
    to_start: list[int] = []
    to_trial: list[int] = []
    for flag, *raw in cur.fetchall():
        signed, land, started, completed, trial, production = (day(v) for v in raw)
        if flag and (period.holds(signed) or period.holds(land)):
            revitalized += 1
        four = (signed, started, completed, production)
        if all(period.holds(d) for d in four) and len({d.year for d in four if d}) == 1:
            same_year += 1
        for later, into in ((started, to_start), (trial, to_trial)):
            if land is not None and later is not None and period.holds(later) and later >= land:
                into.append((later - land).days)
    return {
        "revitalized": revitalized,
        "same_year": same_year,
        "land_to_start_days_median": median_days(to_start),
        "land_to_trial_days_median": median_days(to_trial),
    }
