"""The problem workflow (诉求办理): which status may follow which, what each step needs, and
the states derived from a problem's dates (open, overdue, due this week).

Pure rules: the store's problem service (:mod:`fieldtui.store.problems`) plans a change here
and writes it under its write lock, so the check and the write see the same problem. Every
change becomes a dated entry of the problem's history (a ``problem_event``); this module
says what the problem's own fields become.

The path is new → assigned → in progress → resolved or unresolvable, but real work skips
steps (a problem settled on the spot is resolved the day it is raised), so any step forward
is allowed; going back is allowed where offices do it (an assignment withdrawn, a problem
handed to another unit, a resolved or unresolvable problem reopened), always with a reason.
A status this version does not know (from a newer version, by sync) may move to any known
status, so nobody is stuck with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from fieldtui.domain.enums import ProblemEventKind, ProblemStatus, Satisfaction
from fieldtui.domain.validators import clean_line, clean_text
from fieldtui.i18n import _ as _gettext
from fieldtui.i18n import language, list_separator

__all__ = [
    "CLOSED_STATUSES",
    "TRANSITIONS",
    "Planned",
    "WorkflowError",
    "event_kind",
    "is_due_this_week",
    "is_open",
    "is_overdue",
    "next_statuses",
    "plan_extension",
    "plan_follow_up",
    "plan_note",
    "plan_status_change",
    "week_bounds",
]

NEW, ASSIGNED, IN_PROGRESS = "new", "assigned", "in_progress"
RESOLVED, UNRESOLVABLE = "resolved", "unresolvable"

CLOSED_STATUSES = frozenset({RESOLVED, UNRESOLVABLE})
"""Done with: a problem in any other status (one this version does not know included) is open."""

TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    NEW: (ASSIGNED, IN_PROGRESS, RESOLVED, UNRESOLVABLE),
    ASSIGNED: (IN_PROGRESS, RESOLVED, UNRESOLVABLE, NEW),
    IN_PROGRESS: (RESOLVED, UNRESOLVABLE, ASSIGNED),
    RESOLVED: (IN_PROGRESS,),
    UNRESOLVABLE: (IN_PROGRESS,),
}
"""Status → the statuses it may change to, in the order a screen offers them."""

BACKWARD = frozenset({(ASSIGNED, NEW), (IN_PROGRESS, ASSIGNED), (RESOLVED, IN_PROGRESS)})
"""Steps back that need a reason (reopening an unresolvable problem needs one too)."""


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params) if params else _gettext(template)


class WorkflowError(ValueError):
    """A change the workflow refuses; ``field`` names the input at fault (for a form or CLI)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Planned:
    """What one workflow step writes: the problem's changed fields and its history entry."""

    changes: dict[str, Any]
    """Problem fields to write (only those that change)."""
    event: dict[str, Any] = field(default_factory=dict)
    """The history entry's fields (``kind``, ``on``, ``status``, ``note``, ``deadline``,
    ``satisfaction``); the service adds the problem and the officer."""


# --------------------------------------------------------------------------- derived states


def is_open(status: str | None) -> bool:
    return status not in CLOSED_STATUSES


def is_overdue(status: str | None, deadline: date | None, today: date) -> bool:
    """Not resolved (nor found unresolvable) and past its deadline (the deadline day itself
    is still in time)."""
    return is_open(status) and isinstance(deadline, date) and deadline < today


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s week (Chinese offices count weeks from Monday)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def is_due_this_week(status: str | None, deadline: date | None, today: date) -> bool:
    """Open with its deadline in this week, Monday to Sunday (an earlier day of this week
    included: it is overdue and due this week)."""
    if not is_open(status) or not isinstance(deadline, date):
        return False
    monday, sunday = week_bounds(today)
    return monday <= deadline <= sunday


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a problem in ``status`` may change to."""
    known = TRANSITIONS.get(status)
    if known is not None:
        return known
    return tuple(s.code for s in ProblemStatus if s.code != status)


def event_kind(kind: str | None, status: str | None) -> str:
    """An entry's kind; entries stored before kinds existed: a status change when they carry
    a status, else a note."""
    if kind:
        return kind
    return ProblemEventKind.STATUS.code if status else ProblemEventKind.NOTE.code


# --------------------------------------------------------------------------- checks


def _text(value: str | None) -> str | None:
    cleaned = clean_text(value or "").strip()
    return cleaned or None


def _status_label(code: str) -> str:
    try:
        return ProblemStatus(code).label(_lang())
    except ValueError:
        return code


def _lang() -> str:
    return language()


def _check_day(on: date, raised_on: date | None, today: date) -> None:
    if on > today:
        raise WorkflowError("on", _("The date is in the future ({day})", day=on.isoformat()))
    if raised_on is not None and isinstance(raised_on, date) and on < raised_on:
        raise WorkflowError(
            "on",
            _(
                "The date {day} is before the problem was raised ({raised})",
                day=on.isoformat(),
                raised=raised_on.isoformat(),
            ),
        )


def plan_status_change(
    problem: Any,
    status: str,
    *,
    on: date,
    today: date,
    note: str | None = None,
    lead_unit: str | None = None,
    resolution: str | None = None,
) -> Planned:
    """Move ``problem`` (a :class:`~fieldtui.domain.records.Problem`) to ``status``.

    - to *assigned*: the lead unit must be known (given here or already on the problem);
    - to *resolved*: a resolution (``resolution``, else the note) and the resolved-on date
      (``on``);
    - to *unresolvable*: the reason (``resolution``, else the note);
    - back a step, or reopening: the reason (the note). Reopening clears the resolved-on
      date and the satisfaction, which belonged to the resolution; the resolution stays in
      the history.
    Raises :class:`WorkflowError` naming the input at fault.
    """
    try:
        target = ProblemStatus.parse(status).code
    except ValueError:
        choices = list_separator().join(s.label(_lang()) for s in ProblemStatus)
        raise WorkflowError(
            "status",
            _("Unknown status “{status}”; use one of: {choices}", status=status, choices=choices),
        ) from None
    current = problem.status
    if target == current:
        raise WorkflowError(
            "status", _("The problem is already {status}", status=_status_label(target))
        )
    allowed = next_statuses(current)
    if target not in allowed:
        raise WorkflowError(
            "status",
            _(
                "A problem that is {current} cannot become {target}; it can become: {allowed}",
                current=_status_label(current),
                target=_status_label(target),
                allowed="、".join(_status_label(s) for s in allowed),
            ),
        )
    _check_day(on, problem.raised_on, today)
    note = _text(note)
    resolution = _text(resolution)
    lead = clean_line(lead_unit or "") or None
    changes: dict[str, Any] = {"status": target}
    if lead and lead != problem.lead_unit:
        changes["lead_unit"] = lead
    if target == ASSIGNED and not (lead or problem.lead_unit):
        raise WorkflowError("lead_unit", _("Give the lead unit the problem is assigned to"))
    reopening = current in CLOSED_STATUSES
    backward = (current, target) in BACKWARD or reopening
    if backward and not note:
        raise WorkflowError("note", _("Give the reason for going back a step"))
    if target == RESOLVED:
        text = resolution or note
        if not text:
            raise WorkflowError("resolution", _("Say how the problem was resolved"))
        changes.update(resolved_on=on, resolution=text)
    elif target == UNRESOLVABLE:
        text = resolution or note
        if not text:
            raise WorkflowError("resolution", _("Say why the problem cannot be resolved now"))
        changes.update(resolution=text, resolved_on=None)
    elif reopening:
        changes.update(resolved_on=None, satisfaction=None)
    event = {
        "kind": ProblemEventKind.STATUS.code,
        "on": on,
        "status": target,
        "note": note or changes.get("resolution"),
    }
    return Planned(_changed(problem, changes), event)


def plan_extension(
    problem: Any, deadline: date, *, on: date, today: date, reason: str | None
) -> Planned:
    """A new deadline for an open problem, with the reason (required). It must be later than
    the current deadline (a first deadline may be set with this too) and not before the
    problem was raised."""
    if not is_open(problem.status):
        raise WorkflowError(
            "deadline",
            _(
                "The problem is {status}: reopen it before changing its deadline",
                status=_status_label(problem.status),
            ),
        )
    _check_day(on, problem.raised_on, today)
    reason = _text(reason)
    if not reason:
        raise WorkflowError("note", _("Give the reason for the new deadline"))
    old = problem.deadline if isinstance(problem.deadline, date) else None
    if old is not None and deadline <= old:
        raise WorkflowError(
            "deadline",
            _(
                "The new deadline {new} is not later than the current one ({old})",
                new=deadline.isoformat(),
                old=old.isoformat(),
            ),
        )
    raised = problem.raised_on if isinstance(problem.raised_on, date) else None
    if raised is not None and deadline < raised:
        raise WorkflowError(
            "deadline",
            _(
                "The deadline {day} is before the problem was raised ({raised})",
                day=deadline.isoformat(),
                raised=raised.isoformat(),
            ),
        )
    event = {
        "kind": ProblemEventKind.EXTENSION.code,
        "on": on,
        "note": reason,
        "deadline": deadline,
    }
    return Planned({"deadline": deadline}, event)


def plan_follow_up(
    problem: Any, satisfaction: str, *, on: date, today: date, note: str | None = None
) -> Planned:
    """The follow-up call after resolution (回访): the enterprise's satisfaction."""
    if problem.status != RESOLVED:
        raise WorkflowError(
            "satisfaction",
            _(
                "Only a resolved problem gets a follow-up call; this one is {status}",
                status=_status_label(problem.status),
            ),
        )
    try:
        code = Satisfaction.parse(satisfaction).code
    except ValueError:
        choices = list_separator().join(s.label(_lang()) for s in Satisfaction)
        raise WorkflowError(
            "satisfaction",
            _(
                "Unknown satisfaction “{value}”; use one of: {choices}",
                value=satisfaction,
                choices=choices,
            ),
        ) from None
    _check_day(on, problem.raised_on, today)
    resolved = problem.resolved_on if isinstance(problem.resolved_on, date) else None
    if resolved is not None and on < resolved:
        raise WorkflowError(
            "on",
            _(
                "The follow-up call {day} is before the resolution ({resolved})",
                day=on.isoformat(),
                resolved=resolved.isoformat(),
            ),
        )
    event = {
        "kind": ProblemEventKind.FOLLOW_UP.code,
        "on": on,
        "note": _text(note),
        "satisfaction": code,
    }
    return Planned(_changed(problem, {"satisfaction": code}), event)


def plan_note(problem: Any, note: str | None, *, on: date, today: date) -> Planned:
    """A dated note in the history (a call, a visit to the lead unit), changing nothing else."""
    text = _text(note)
    if not text:
        raise WorkflowError("note", _("The note is empty"))
    _check_day(on, problem.raised_on, today)
    return Planned({}, {"kind": ProblemEventKind.NOTE.code, "on": on, "note": text})


def _changed(problem: Any, changes: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in changes.items() if getattr(problem, k) != v or k == "status"}
