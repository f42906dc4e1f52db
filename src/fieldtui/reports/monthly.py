"""The monthly visit report (走访信息月报), for one officer or for the whole zone.

For a calendar month:

- **visits** by kind and the distinct enterprises visited: the officer's own visits (alone or
  with others), or every visit for the zone;
- **assigned, not visited**: the enterprises of the month's year's plan (分工挂点; lead or
  assisting) that the officer did not visit in the month; for the zone, the enterprises
  anyone is assigned that no one visited;
- **problems** raised, resolved, in progress and overdue, by category (:mod:`.problems`): the
  problems the officer follows, or all;
- **milestones**: project dates (signing to production) that fall in the month, for the
  projects the officer is assigned that year directly or through their enterprise (all
  projects for the zone);
- **duty list**: each officer's answers for the month (the officer's, or every officer's on the
  year's plan or who answered), with the unmet duties and their notes;
- **breaches**: negative-list breaches answered for visits dated in the month.

The free-text plan for next month has no place in the store yet (no table or field holds it),
so the report leaves it out; the office writes it beside the report.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from fieldtui.domain.checklists import month_of
from fieldtui.domain.milestones import MILESTONES
from fieldtui.reports.periods import Period, day
from fieldtui.reports.problems import problem_figures
from fieldtui.reports.summary import visit_figures
from fieldtui.store.checklists import breaches, duty_check

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = ["monthly_report"]


def monthly_report(
    store: Store, period: Period, *, officer_id: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """The report of the month ``period`` (see :func:`fieldtui.reports.periods.month_period`)
    for ``officer_id``, or for the zone when None."""
    today = today or date.today()
    store.writer.flush()
    year = period.start.year
    officer = _officer(store, officer_id) if officer_id else None
    return {
        "month": month_of(period.start),
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "officer": officer,
        "visits": visit_figures(store, period, officer_id=officer_id),
        "not_visited": _not_visited(store, period, year, officer_id),
        "problems": problem_figures(store, period, today=today, officer_id=officer_id),
        "milestones": _milestones(store, period, year, officer_id),
        "duty": _duty(store, period, year, officer_id),
        "breaches": [
            {
                "date": b.on.isoformat() if b.on else None,
                "officer_id": b.officer_id,
                "officer": b.officer,
                "enterprise": b.enterprise,
                "item": b.item,
                "note": b.note,
            }
            for b in sorted(
                breaches(store, year=year, officer_id=officer_id),
                key=lambda b: (b.on or period.start, b.officer, b.position),
            )
            if period.holds(b.on)
        ],
    }


def _officer(store: Store, officer_id: str) -> dict[str, Any]:
    row = store.db.execute_sql(
        "SELECT id, name, unit FROM officer WHERE id = ?", (officer_id,)
    ).fetchone()
    if row is None:
        raise KeyError(officer_id)
    return {"id": str(row[0]), "name": str(row[1]), "unit": row[2]}


def _not_visited(
    store: Store, period: Period, year: int, officer_id: str | None
) -> list[dict[str, str]]:
    mine = " AND a.officer_id = ?" if officer_id else ""
    by = (
        " AND EXISTS (SELECT 1 FROM visit_officer vo WHERE vo.visit_id = v.id"
        " AND vo.deleted = 0 AND vo.officer_id = ?)"
        if officer_id
        else ""
    )
    params: list[object] = [year]
    if officer_id:
        params.append(officer_id)
    params += [*period.bounds]
    if officer_id:
        params.append(officer_id)
    cur = store.db.execute_sql(
        "SELECT DISTINCT e.id, e.name FROM assignment a"
        " JOIN enterprise e ON e.id = a.enterprise_id AND e.deleted = 0"
        f" WHERE a.deleted = 0 AND a.year = ?{mine}"
        " AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.enterprise_id = e.id AND v.deleted = 0"
        f" AND v.date BETWEEN ? AND ?{by})"
        " ORDER BY e.name, e.id",
        params,
    )
    return [{"id": str(r[0]), "name": str(r[1])} for r in cur.fetchall()]


def _milestones(
    store: Store, period: Period, year: int, officer_id: str | None
) -> list[dict[str, Any]]:
    columns = ", ".join(f"p.{name}" for name, _stage in MILESTONES)
    sql = (
        f"SELECT p.id, p.name, COALESCE(e.name, ''), {columns} FROM project p"
        " LEFT JOIN enterprise e ON e.id = p.enterprise_id WHERE p.deleted = 0"
    )
    params: list[object] = []
    if officer_id:
        sql += (
            " AND EXISTS (SELECT 1 FROM assignment a WHERE a.deleted = 0 AND a.year = ?"
            " AND a.officer_id = ? AND (a.project_id = p.id OR a.enterprise_id = p.enterprise_id))"
        )
        params += [year, officer_id]
    found = []
    for project_id, name, enterprise, *dates in store.db.execute_sql(sql, params).fetchall():
        for (field, stage), raw in zip(MILESTONES, dates, strict=True):
            when = day(raw)
            if period.holds(when):
                found.append(
                    {
                        "date": when.isoformat() if when else None,
                        "project_id": str(project_id),
                        "project": str(name),
                        "enterprise": str(enterprise),
                        "milestone": stage.code,
                        "field": field,
                    }
                )
    found.sort(key=lambda m: (m["date"], m["project"], m["field"]))
    return found


def _duty(store: Store, period: Period, year: int, officer_id: str | None) -> list[dict[str, Any]]:
    month = month_of(period.start)
    if officer_id:
        officers = [(officer_id, str(_officer(store, officer_id)["name"]))]
    else:
        cur = store.db.execute_sql(
            "SELECT o.id, o.name FROM officer o WHERE o.deleted = 0 AND ("
            " EXISTS (SELECT 1 FROM assignment a WHERE a.deleted = 0 AND a.year = ?"
            "  AND a.officer_id = o.id)"
            " OR EXISTS (SELECT 1 FROM checklist_answer c WHERE c.deleted = 0 AND c.month = ?"
            "  AND c.officer_id = o.id)) ORDER BY o.name, o.id",
            (year, month),
        )
        officers = [(str(r[0]), str(r[1])) for r in cur.fetchall()]
    out = []
    for oid, name in officers:
        check = duty_check(store, oid, month)
        out.append(
            {
                "officer_id": oid,
                "officer": name,
                "version": check.checklist.version,
                "items": len(check.checklist.items),
                "answered": len(check.answers),
                "complete": check.complete,
                "not_done": [
                    {"position": item.position, "item": item.text, "note": answer.note}
                    for item, answer in check.failures
                ],
            }
        )
    return out
