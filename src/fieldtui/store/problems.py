"""Problems (诉求) and their history: the service the problem form, the workflow keys, the
visit entry and the command line call.

Every change is one transaction: the workflow's check (:mod:`fieldtui.domain.problems`)
reads the problem as it is under the write lock, then the problem's fields and a dated
history entry (``problem_event``, synced like everything else) are written together. A form
passes ``parents`` (the heads it loaded) so that a change it never saw, say a status set at
the office and arriving by sync, becomes a conflict instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from fieldtui.domain import problems as flow
from fieldtui.domain.problems import WorkflowError
from fieldtui.domain.records import Problem
from fieldtui.domain.schema import PROBLEM, PROBLEM_EVENT
from fieldtui.domain.validators import clean_line, clean_text
from fieldtui.i18n import _ as _gettext
from fieldtui.store.convert import to_column
from fieldtui.store.rowstate import Value
from fieldtui.store.service import InputError, Parents, check_values, require_live, update_row

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = [
    "WORKFLOW_FIELDS",
    "HistoryEntry",
    "ProblemInput",
    "add_note",
    "change_status",
    "create_problem",
    "delete_problem",
    "extend_deadline",
    "find_problem",
    "problem_history",
    "record_follow_up",
    "update_problem",
]

WORKFLOW_FIELDS = frozenset({"status", "resolved_on", "satisfaction"})
"""Fields only the workflow changes (each change leaves a history entry)."""


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params) if params else _gettext(template)


@dataclass(frozen=True, slots=True)
class ProblemInput:
    """A new problem as a form or the command line gives it (typed values)."""

    enterprise_id: str
    category: str
    description: str
    project_id: str | None = None
    visit_id: str | None = None
    raised_on: date | None = None
    """Default: today (a problem raised at a visit: the visit's date)."""
    lead_unit: str | None = None
    assist_units: tuple[str, ...] = ()
    deadline: date | None = None
    officer_id: str | None = None
    """The officer following it (default: who records it)."""
    note: str | None = None
    """What the first history entry says (default: nothing beyond "raised")."""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One dated entry of a problem's history, for its timeline."""

    id: str
    kind: str
    """A :class:`~fieldtui.domain.enums.ProblemEventKind` code."""
    on: date | None
    status: str | None
    note: str | None
    deadline: date | None
    satisfaction: str | None
    officer_id: str | None
    officer: str
    created_at: str = field(compare=False, default="")


# --------------------------------------------------------------------------- helpers


def _today(today: date | None) -> date:
    return today or date.today()


def _load(store: Store, problem_id: str) -> Problem:
    """The problem as stored now (inside the caller's batch: under the write lock)."""
    store.writer.flush()
    found = store.problems.get(problem_id)
    if found is None or found.deleted:
        raise InputError.one("problem_id", _("The problem does not exist or was deleted"))
    return found


def _values(data: Mapping[str, Any]) -> dict[str, Value]:
    return {k: to_column(v) for k, v in data.items() if v is not None and v != [] and v != ()}


def _event(store: Store, problem_id: str, event: Mapping[str, Any], officer_id: str | None) -> str:
    values = _values({**event, "problem_id": problem_id, "officer_id": officer_id})
    errors = check_values(PROBLEM_EVENT, {k: v for k, v in event.items() if v is not None})
    if errors:
        raise InputError(errors)
    return store.writer.create("problem_event", values)


def _workflow(
    store: Store,
    problem_id: str,
    plan: Any,
    *,
    officer_id: str | None,
    parents: Parents | None,
) -> Problem:
    planned: flow.Planned = plan
    if planned.changes:
        update_row(store, "problem", problem_id, planned.changes, parents)
    _event(store, problem_id, planned.event, officer_id)
    return _load(store, problem_id)


def _refuse(exc: WorkflowError) -> InputError:
    return InputError.one(exc.field, exc.message)


# --------------------------------------------------------------------------- creating


def _check_new(store: Store, data: ProblemInput, prefix: str = "") -> dict[str, Any]:
    values: dict[str, Any] = {
        "enterprise_id": data.enterprise_id,
        "project_id": data.project_id,
        "visit_id": data.visit_id,
        "raised_on": data.raised_on,
        "category": data.category,
        "description": clean_text(data.description or "").strip(),
        "lead_unit": clean_line(data.lead_unit or "") or None,
        "assist_units": [clean_line(u) for u in data.assist_units if clean_line(u)],
        "deadline": data.deadline,
        "officer_id": data.officer_id,
    }
    errors = check_values(PROBLEM, values, prefix, new=True)
    if errors:
        raise InputError(errors)
    require_live(
        store, "enterprise", data.enterprise_id, prefix + "enterprise_id", _("The enterprise")
    )
    if data.project_id:
        require_live(store, "project", data.project_id, prefix + "project_id", _("The project"))
    if data.officer_id:
        require_live(store, "officer", data.officer_id, prefix + "officer_id", _("The officer"))
    raised = data.raised_on
    if raised is not None and data.deadline is not None and data.deadline < raised:
        raise InputError.one(
            prefix + "deadline",
            _(
                "The deadline {day} is before the problem was raised ({raised})",
                day=data.deadline.isoformat(),
                raised=raised.isoformat(),
            ),
        )
    return values


def create_problem(
    store: Store,
    data: ProblemInput,
    *,
    recorded_by: str | None = None,
    today: date | None = None,
) -> Problem:
    """A new problem in status *new*, with its first history entry ("raised"), in one
    transaction. ``recorded_by``: the officer entering it (default officer of the problem
    and of the entry)."""
    with store.batch():
        problem = _create(store, data, recorded_by=recorded_by, today=today)
    return _load(store, problem)


def _create(
    store: Store,
    data: ProblemInput,
    *,
    recorded_by: str | None,
    today: date | None,
    prefix: str = "",
) -> str:
    """Inside the caller's batch; returns the new problem's id."""
    day = _today(today)
    if data.raised_on is None:
        data = replace(data, raised_on=day)
    if data.officer_id is None and recorded_by:
        data = replace(data, officer_id=recorded_by)
    values = _check_new(store, data, prefix)
    assert data.raised_on is not None
    if data.raised_on > day:
        raise InputError.one(
            prefix + "raised_on",
            _("The date is in the future ({day})", day=data.raised_on.isoformat()),
        )
    values["status"] = flow.NEW
    problem_id = store.writer.create("problem", _values(values))
    note = clean_text(data.note or "").strip() or None
    _event(
        store,
        problem_id,
        {"kind": "status", "on": data.raised_on, "status": flow.NEW, "note": note},
        recorded_by or data.officer_id,
    )
    return problem_id


# --------------------------------------------------------------------------- editing


EDITABLE = frozenset(
    {
        "enterprise_id",
        "project_id",
        "visit_id",
        "raised_on",
        "category",
        "description",
        "lead_unit",
        "assist_units",
        "deadline",
        "resolution",
        "officer_id",
    }
)


def update_problem(
    store: Store,
    problem_id: str,
    changes: Mapping[str, Any],
    *,
    parents: Parents | None = None,
) -> list[str]:
    """Edit a problem's plain fields (the form's save); returns the fields that changed.

    Status, resolved-on date and satisfaction change only through the workflow (each leaves
    a history entry); a deadline once set changes only by :func:`extend_deadline` (with its
    reason), so the history shows every extension.
    """
    refused = sorted(set(changes) - EDITABLE)
    if refused:
        raise InputError(
            {
                name: _("{field} changes through the workflow, not the form", field=name)
                if name in WORKFLOW_FIELDS
                else _("{field} is not a field of a problem", field=name)
                for name in refused
            }
        )
    values = dict(changes)
    if "description" in values:
        values["description"] = clean_text(values["description"] or "").strip()
    if "lead_unit" in values:
        values["lead_unit"] = clean_line(values["lead_unit"] or "") or None
    errors = check_values(PROBLEM, values)
    if errors:
        raise InputError(errors)
    with store.batch():
        current = _load(store, problem_id)
        for name, table, what in (
            ("enterprise_id", "enterprise", _("The enterprise")),
            ("project_id", "project", _("The project")),
            ("officer_id", "officer", _("The officer")),
        ):
            if values.get(name) and values[name] != getattr(current, name):
                require_live(store, table, values[name], name, what)
        if (
            "deadline" in values
            and current.deadline is not None
            and values["deadline"] != current.deadline
        ):
            raise InputError.one(
                "deadline", _("Extend the deadline with a reason instead of editing it")
            )
        return update_row(store, "problem", problem_id, values, parents)


def delete_problem(store: Store, problem_id: str) -> bool:
    """Tombstone a problem (its history stays with it)."""
    with store.batch():
        _load(store, problem_id)
        return store.problems.delete(problem_id)


# --------------------------------------------------------------------------- workflow


def change_status(
    store: Store,
    problem_id: str,
    status: str,
    *,
    on: date | None = None,
    note: str | None = None,
    lead_unit: str | None = None,
    resolution: str | None = None,
    officer_id: str | None = None,
    today: date | None = None,
    parents: Parents | None = None,
) -> Problem:
    """Move a problem along the workflow (see :func:`fieldtui.domain.problems.plan_status_change`
    for what each step needs); the change and its history entry in one transaction."""
    day = _today(today)
    with store.batch():
        problem = _load(store, problem_id)
        try:
            plan = flow.plan_status_change(
                problem,
                status,
                on=on or day,
                today=day,
                note=note,
                lead_unit=lead_unit,
                resolution=resolution,
            )
        except WorkflowError as exc:
            raise _refuse(exc) from None
        return _workflow(store, problem_id, plan, officer_id=officer_id, parents=parents)


def extend_deadline(
    store: Store,
    problem_id: str,
    deadline: date,
    *,
    reason: str | None,
    on: date | None = None,
    officer_id: str | None = None,
    today: date | None = None,
    parents: Parents | None = None,
) -> Problem:
    """A later deadline for an open problem, with its reason, kept in the history."""
    day = _today(today)
    with store.batch():
        problem = _load(store, problem_id)
        try:
            plan = flow.plan_extension(problem, deadline, on=on or day, today=day, reason=reason)
        except WorkflowError as exc:
            raise _refuse(exc) from None
        return _workflow(store, problem_id, plan, officer_id=officer_id, parents=parents)


def record_follow_up(
    store: Store,
    problem_id: str,
    satisfaction: str,
    *,
    note: str | None = None,
    on: date | None = None,
    officer_id: str | None = None,
    today: date | None = None,
    parents: Parents | None = None,
) -> Problem:
    """The follow-up call after resolution and the enterprise's satisfaction."""
    day = _today(today)
    with store.batch():
        problem = _load(store, problem_id)
        try:
            plan = flow.plan_follow_up(problem, satisfaction, on=on or day, today=day, note=note)
        except WorkflowError as exc:
            raise _refuse(exc) from None
        return _workflow(store, problem_id, plan, officer_id=officer_id, parents=parents)


def add_note(
    store: Store,
    problem_id: str,
    note: str,
    *,
    on: date | None = None,
    officer_id: str | None = None,
    today: date | None = None,
) -> HistoryEntry:
    """A dated note in the problem's history."""
    day = _today(today)
    with store.batch():
        problem = _load(store, problem_id)
        try:
            plan = flow.plan_note(problem, note, on=on or day, today=day)
        except WorkflowError as exc:
            raise _refuse(exc) from None
        event_id = _event(store, problem_id, plan.event, officer_id)
    return next(e for e in problem_history(store, problem_id) if e.id == event_id)


# --------------------------------------------------------------------------- reading


def problem_history(store: Store, problem_id: str) -> list[HistoryEntry]:
    """The problem's history, oldest first: by date, then in the order the entries were
    recorded (the clock stamp of each entry's first op: a hybrid logical clock, so entries
    recorded in the same second on one replica keep their order, and entries from another
    replica sort among them the same way on every replica)."""
    store.writer.flush()
    cur = store.db.execute_sql(
        'SELECT e.id, e.kind, e."on", e.status, e.note, e.deadline, e.satisfaction,'
        " e.officer_id, COALESCE(o.name, ''), e.created_at"
        " FROM problem_event e LEFT JOIN officer o ON o.id = e.officer_id"
        " WHERE e.problem_id = ? AND e.deleted = 0"
        " ORDER BY COALESCE(e.\"on\", ''), (SELECT MIN(x.hlc) FROM op x"
        "   WHERE x.tbl = 'problem_event' AND x.row_id = e.id AND x.field = 'created_at'),"
        " e.created_at, e.id",
        (problem_id,),
    )
    return [
        HistoryEntry(
            id=str(r[0]),
            kind=flow.event_kind(r[1], r[3]),
            on=_day(r[2]),
            status=r[3],
            note=r[4],
            deadline=_day(r[5]),
            satisfaction=r[6],
            officer_id=r[7],
            officer=str(r[8]),
            created_at=str(r[9] or ""),
        )
        for r in cur.fetchall()
    ]


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def find_problem(store: Store, ref: str) -> Problem:
    """A live problem by its id or a unique end of it (as ``fieldtui problem list`` shows)."""
    ref = clean_line(ref).lower()
    if not ref:
        raise InputError.one("id", _("Give the problem's id (or its last characters)"))
    store.writer.flush()
    rows = store.db.execute_sql(
        "SELECT id FROM problem WHERE deleted = 0 AND (id = ? OR id LIKE ?) LIMIT 3",
        (ref, "%" + ref.replace("%", "").replace("_", "")),
    ).fetchall()
    exact = [r[0] for r in rows if r[0] == ref]
    ids = exact or [r[0] for r in rows]
    if not ids:
        raise InputError.one("id", _("No problem with the id “{ref}”", ref=ref))
    if len(ids) > 1:
        raise InputError.one(
            "id", _("Several problems have ids ending in “{ref}”; give more of it", ref=ref)
        )
    return _load(store, str(ids[0]))
