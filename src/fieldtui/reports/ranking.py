"""The yearly ranking for the "excellent chief service officer" award (优秀首席服务官评选).

Each officer on the year's plan (or who visited that year) gets six measures from 0 to 1; the
score is ``100 × Σ weight·measure / Σ weight`` over the measures that apply to the officer (a
measure with nothing to measure, such as satisfaction with no follow-up call, is left out
and its weight shared among the others, rather than counting as a failure or a success).

- ``visits`` (the weekly rule, 每周深入园区企业走访): of the weeks of the year up to today
  (Monday to Sunday), the share in which the officer made at least one visit. The rule is that
  an officer goes out every week, not that every assigned enterprise is seen every week (a
  zone's officers make about one visit a week each, domain.md). Not applicable to an officer
  with no assignment that year.
- ``resolution``: of the problems the officer follows that were raised in the year, the share
  now resolved (暂无法解决 counts as not resolved).
- ``on_time``: of the officer's problems resolved in the year, the share resolved on or before
  their deadline (no deadline: on time).
- ``satisfaction``: over the officer's problems resolved in the year whose follow-up call
  recorded a satisfaction: 满意 1, 基本满意 0.5, 不满意 0, averaged.
- ``projects`` (milestones and investment results): the mean of (a) the share of the
  officer's assigned projects (directly or through an assigned enterprise) that reached a
  milestone in the year and (b) the investment activities (trips out, receptions) the officer
  took part in, relative to the most any officer took part in that year; each part only when
  it applies.
- ``monthly_report``: of the year's months so far, the share in which the officer's duty list
  (职责清单, where the monthly report is filed) is completely answered.

A negative-list breach in the year (一票否决) keeps the officer ranked and shown, with the
breaches, but ``eligible`` false: excluded from the award.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from fieldtui.domain.enums import ProblemStatus, Satisfaction
from fieldtui.domain.milestones import MILESTONES
from fieldtui.i18n import _, quoted
from fieldtui.reports.periods import Period, day, year_period
from fieldtui.store.checklists import Breach, breaches, duty_check

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = ["COMPONENTS", "DEFAULT_WEIGHTS", "OfficerScore", "check_weights", "ranking"]

DEFAULT_WEIGHTS: dict[str, float] = {
    "visits": 20,
    "resolution": 25,
    "on_time": 10,
    "satisfaction": 25,
    "projects": 15,
    "monthly_report": 5,
}
"""domain.md's suggestion; the settings file's ``[ranking]`` table overrides any of them."""

COMPONENTS: tuple[str, ...] = tuple(DEFAULT_WEIGHTS)

_SATISFACTION = {Satisfaction.SATISFIED.code: 1.0, Satisfaction.BASIC.code: 0.5}


@dataclass(frozen=True, slots=True)
class OfficerScore:
    officer_id: str
    name: str
    unit: str | None
    measures: dict[str, float | None]
    """Component → 0..1, None when it does not apply to this officer."""
    score: float
    """0..100, rounded to one decimal."""
    breaches: tuple[Breach, ...] = field(default=())
    rank: int = 0

    @property
    def eligible(self) -> bool:
        """A negative-list breach vetoes the award (一票否决)."""
        return not self.breaches

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "officer_id": self.officer_id,
            "officer": self.name,
            "unit": self.unit,
            "score": self.score,
            "measures": {k: None if v is None else round(v, 4) for k, v in self.measures.items()},
            "eligible": self.eligible,
            "breaches": [
                {
                    "date": b.on.isoformat() if b.on else None,
                    "enterprise": b.enterprise,
                    "item": b.item,
                    "note": b.note,
                }
                for b in self.breaches
            ],
        }


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The defaults with ``weights`` applied; an unknown name or a negative weight, or all
    weights zero, raises ValueError naming it."""
    merged = dict(DEFAULT_WEIGHTS)
    for name, value in weights.items():
        if name not in DEFAULT_WEIGHTS:
            raise ValueError(
                _("unknown ranking weight {name}; known: {known}").format(
                    name=quoted(name), known=", ".join(COMPONENTS)
                )
            )
        if value < 0:
            raise ValueError(
                _("ranking weight {name} = {value:g}: give 0 or more").format(
                    name=quoted(name), value=value
                )
            )
        merged[name] = float(value)
    if not any(merged.values()):
        raise ValueError(_("every ranking weight is 0; give at least one a weight above 0"))
    return merged


def ranking(
    store: Store,
    year: int,
    *,
    weights: Mapping[str, float] | None = None,
    today: date | None = None,
) -> list[OfficerScore]:
    """Officers by score, highest first (ties by name); ``rank`` 1 for the first."""
    today = today or date.today()
    used = check_weights(weights or {})
    period = year_period(year)
    until = min(period.end, today)
    store.writer.flush()
    officers = store.db.execute_sql(
        "SELECT o.id, o.name, o.unit FROM officer o WHERE o.deleted = 0 AND ("
        " EXISTS (SELECT 1 FROM assignment a WHERE a.deleted = 0 AND a.year = ?"
        "  AND a.officer_id = o.id)"
        " OR EXISTS (SELECT 1 FROM visit_officer vo JOIN visit v ON v.id = vo.visit_id"
        "  WHERE vo.deleted = 0 AND v.deleted = 0 AND vo.officer_id = o.id"
        "  AND v.date BETWEEN ? AND ?))",
        (year, *period.bounds),
    ).fetchall()
    activities = {oid: _activities(store, oid, period) for oid, _n, _u in officers}
    most_activities = max(activities.values(), default=0)
    found = []
    for oid, name, unit in officers:
        measures: dict[str, float | None] = {
            "visits": _visits(store, oid, year, until),
            **_problems(store, oid, period),
            "projects": _mean(
                _projects(store, oid, period),
                activities[oid] / most_activities if most_activities else None,
            ),
            "monthly_report": _monthly(store, oid, year, until),
        }
        weighted = [(used[k], v) for k, v in measures.items() if v is not None and used[k]]
        total = sum(w for w, _v in weighted)
        score = round(100 * sum(w * v for w, v in weighted) / total, 1) if total else 0.0
        found.append(
            OfficerScore(
                officer_id=str(oid),
                name=str(name),
                unit=unit,
                measures=measures,
                score=score,
                breaches=tuple(breaches(store, year=year, officer_id=str(oid))),
            )
        )
    found.sort(key=lambda s: (-s.score, s.name, s.officer_id))
    return [
        OfficerScore(s.officer_id, s.name, s.unit, s.measures, s.score, s.breaches, rank=i)
        for i, s in enumerate(found, 1)
    ]


def _mean(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _weeks(year: int, until: date) -> list[date]:
    """Mondays of the weeks that overlap 1 January .. ``until`` (empty before the year)."""
    first = date(year, 1, 1)
    if until < first:
        return []
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= until:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _visits(store: Store, officer_id: str, year: int, until: date) -> float | None:
    assigned = store.db.execute_sql(
        "SELECT 1 FROM assignment a JOIN enterprise e ON e.id = a.enterprise_id AND e.deleted = 0"
        " WHERE a.deleted = 0 AND a.year = ? AND a.officer_id = ? LIMIT 1",
        (year, officer_id),
    ).fetchone()
    weeks = _weeks(year, until)
    if assigned is None or not weeks:
        return None
    out: set[date] = set()
    cur = store.db.execute_sql(
        "SELECT v.date FROM visit v JOIN visit_officer vo ON vo.visit_id = v.id"
        " JOIN enterprise e ON e.id = v.enterprise_id AND e.deleted = 0"
        " WHERE v.deleted = 0 AND vo.deleted = 0 AND vo.officer_id = ? AND v.date BETWEEN ? AND ?",
        (officer_id, f"{year:04d}-01-01", until.isoformat()),
    )
    for (raw,) in cur.fetchall():
        when = day(raw)
        if when is not None:
            out.add(when - timedelta(days=when.weekday()))
    return len(out & set(weeks)) / len(weeks)


def _problems(store: Store, officer_id: str, period: Period) -> dict[str, float | None]:
    cur = store.db.execute_sql(
        "SELECT raised_on, status, resolved_on, deadline, satisfaction FROM problem"
        " WHERE deleted = 0 AND officer_id = ?",
        (officer_id,),
    )
    raised = resolved_of_raised = resolved = on_time = 0
    scores: list[float] = []
    for raised_raw, status, resolved_raw, deadline_raw, satisfaction in cur.fetchall():
        is_resolved = status == ProblemStatus.RESOLVED.code
        if period.holds(day(raised_raw)):
            raised += 1
            resolved_of_raised += is_resolved
        resolved_on = day(resolved_raw)
        if is_resolved and period.holds(resolved_on):
            resolved += 1
            deadline = day(deadline_raw)
            on_time += deadline is None or (resolved_on is not None and resolved_on <= deadline)
            if satisfaction:
                scores.append(_SATISFACTION.get(str(satisfaction), 0.0))
    return {
        "resolution": resolved_of_raised / raised if raised else None,
        "on_time": on_time / resolved if resolved else None,
        "satisfaction": sum(scores) / len(scores) if scores else None,
    }


def _projects(store: Store, officer_id: str, period: Period) -> float | None:
    columns = ", ".join(f"p.{name}" for name, _stage in MILESTONES)
    rows = store.db.execute_sql(
        f"SELECT {columns} FROM project p WHERE p.deleted = 0 AND EXISTS (SELECT 1 FROM"
        " assignment a WHERE a.deleted = 0 AND a.year = ? AND a.officer_id = ?"
        " AND (a.project_id = p.id OR a.enterprise_id = p.enterprise_id))",
        (period.start.year, officer_id),
    ).fetchall()
    if not rows:
        return None
    moved = sum(1 for dates in rows if any(period.holds(day(d)) for d in dates))
    return moved / len(rows)


def _activities(store: Store, officer_id: str, period: Period) -> int:
    row = store.db.execute_sql(
        "SELECT COUNT(DISTINCT a.id) FROM activity a JOIN activity_member m"
        " ON m.activity_id = a.id WHERE a.deleted = 0 AND m.deleted = 0 AND m.officer_id = ?"
        " AND a.date BETWEEN ? AND ?",
        (officer_id, *period.bounds),
    ).fetchone()
    return int(row[0] or 0)


def _monthly(store: Store, officer_id: str, year: int, until: date) -> float | None:
    if until.year < year:
        return None
    months = [f"{year:04d}-{m:02d}" for m in range(1, until.month + 1)]
    done = sum(1 for m in months if duty_check(store, officer_id, m).complete)
    return done / len(months)
