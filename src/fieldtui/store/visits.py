"""Visits (走访): the service the visit entry, the visit list, "my week" and the command line
call.

A visit is saved whole, in one transaction: its fields, its officers (the link table), the
problems raised at it (new problem records linked by ``visit_id``, each with its first history
entry; or edits of problems already linked) and its negative-list self-check answers. A
visit whose self-check is not complete (no version of the negative list with every item
answered) is a *draft*: that is derived (``visit_list.draft``, kept by triggers), not a flag
anyone sets, so it is right on every replica whatever order answers and visits arrive in.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from fieldtui.domain.checklists import Answer
from fieldtui.domain.enums import VisitKind
from fieldtui.domain.records import Problem, Visit
from fieldtui.domain.schema import VISIT
from fieldtui.domain.validators import clean_line, clean_text
from fieldtui.i18n import _ as _gettext
from fieldtui.store import checklists, problems
from fieldtui.store.checklists import Checklist, SelfCheck
from fieldtui.store.convert import to_column
from fieldtui.store.models import Problem as ProblemModel
from fieldtui.store.problems import ProblemInput
from fieldtui.store.repos import Heads, read_heads
from fieldtui.store.service import (
    InputError,
    Parents,
    check_values,
    live_ids,
    require_live,
    update_row,
)

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = [
    "Heads",
    "RaisedProblem",
    "SavedVisit",
    "SelfCheckInput",
    "VisitDefaults",
    "VisitDetail",
    "VisitInput",
    "default_officer_id",
    "delete_visit",
    "is_draft",
    "load_visit",
    "save_visit",
    "visit_defaults",
]

"""Field → sorted op ids of its heads when read (what a form passes back as ``parents``)."""


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params) if params else _gettext(template)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class RaisedProblem:
    """A problem entered inside the visit: new (``id`` None) or an edit of one it raised."""

    category: str
    description: str
    id: str | None = None
    project_id: str | None = None
    lead_unit: str | None = None
    assist_units: tuple[str, ...] = ()
    deadline: date | None = None
    parents: Parents | None = None
    """For an edit: the problem's heads when the form loaded it."""


@dataclass(frozen=True, slots=True)
class SelfCheckInput:
    """Answers to one version of the negative list: item id → answer."""

    template_id: str
    answers: Mapping[str, Answer]


@dataclass(frozen=True, slots=True)
class VisitInput:
    """A visit as the entry form or the command line gives it (typed values)."""

    enterprise_id: str
    date: date | None
    officer_ids: tuple[str, ...]
    """The visiting officers; the first one answers the self-check."""
    kind: str = VisitKind.ONSITE.code
    person: str | None = None
    person_title: str | None = None
    topics: tuple[str, ...] = ()
    policies: str | None = None
    summary: str | None = None
    follow_up: str | None = None
    id: str | None = None
    """None: a new visit."""
    problems: tuple[RaisedProblem, ...] = ()
    self_check: SelfCheckInput | None = None
    """None leaves the answers as they are (a new visit without one is a draft)."""


@dataclass(frozen=True, slots=True)
class VisitDefaults:
    """What a new visit's form starts with, and the negative-list version to answer."""

    visit: VisitInput
    checklist: Checklist


@dataclass(frozen=True, slots=True)
class SavedVisit:
    visit_id: str
    created: bool
    problem_ids: tuple[str, ...]
    """Problems created or edited by this save, in the order given."""
    draft: bool
    """True while the visit's self-check is not complete."""
    changed: tuple[str, ...] = ()
    """Visit fields that changed (``officer_ids`` for the officers)."""


@dataclass(frozen=True, slots=True)
class VisitDetail:
    """One visit with everything its form and detail view show, read in one snapshot."""

    visit: Visit
    officer_ids: tuple[str, ...]
    officer_names: tuple[str, ...]
    enterprise_name: str
    problems: tuple[Problem, ...]
    self_check: SelfCheck
    draft: bool
    heads: Heads = field(default_factory=dict)


# --------------------------------------------------------------------------- defaults


def default_officer_id(store: Store, configured: str | None = None) -> str | None:
    """The officer using this database: the settings' ``officer`` (a name or an id) when it
    names a live officer, else the one remembered by the first-run screen or ``profile
    set`` (``meta.officer_id``) when still live."""
    from fieldtui.store.stats import find_officer

    if configured:
        found = find_officer(store, configured)
        if found:
            return found
    remembered = store.meta("officer_id")
    if remembered and live_ids(store, "officer", [remembered]):
        return remembered
    return None


def visit_defaults(
    store: Store,
    *,
    enterprise_id: str | None = None,
    officer_id: str | None = None,
    today: date | None = None,
) -> VisitDefaults:
    """A new visit: today, the current officer, the enterprise in context (from the ledger,
    the detail screen or "my week"), an on-site visit; with the negative list to answer."""
    officer = officer_id or default_officer_id(store)
    visit = VisitInput(
        enterprise_id=enterprise_id or "",
        date=today or date.today(),
        officer_ids=(officer,) if officer else (),
    )
    return VisitDefaults(visit, checklists.current_checklist(store, "negative"))


# --------------------------------------------------------------------------- reading


def is_draft(store: Store, visit_id: str) -> bool:
    """The visit is live and its self-check is not complete."""
    store.writer.flush()
    row = store.db.execute_sql("SELECT draft FROM visit_list WHERE id = ?", (visit_id,)).fetchone()
    return bool(row and row[0])


def load_visit(store: Store, visit_id: str) -> VisitDetail | None:
    """A visit (deleted ones too, for a detail view to say so) with its officers, problems,
    self-check and the heads of its fields, read in one snapshot."""
    store.writer.flush()
    snapshot: AbstractContextManager[Any] = (
        nullcontext() if store.db.in_transaction() else store.db.atomic("DEFERRED")
    )
    with snapshot:
        visit = store.visits.get(visit_id)
        if visit is None:
            return None
        officer_ids = tuple(store.visit_officers.right_ids(visit_id))
        names = {
            str(r[0]): str(r[1])
            for r in store.db.execute_sql(
                f"SELECT id, name FROM officer WHERE id IN ({', '.join('?' for _ in officer_ids)})",
                officer_ids,
            ).fetchall()
        }
        enterprise = store.enterprises.get(visit.enterprise_id)
        raised = store.problems.list(ProblemModel.visit == visit_id)
        # In the order they were entered: one save stamps its creates with rising clock
        # stamps, while ids (random within a millisecond) and created_at (seconds) tie.
        entered = _creation_stamps(store, "problem", [p.id for p in raised])
        raised.sort(key=lambda p: (p.created_at, entered.get(p.id, 0), p.id))
        return VisitDetail(
            visit=visit,
            officer_ids=officer_ids,
            officer_names=tuple(names.get(i, i) for i in officer_ids),
            enterprise_name=enterprise.name if enterprise else visit.enterprise_id,
            problems=tuple(raised),
            self_check=checklists.visit_self_check(store, visit_id),
            draft=is_draft(store, visit_id),
            heads=read_heads(store, "visit", visit_id),
        )


def _creation_stamps(store: Store, table: str, row_ids: list[str]) -> dict[str, int]:
    """Each row's earliest ``created_at`` clock stamp (how rows made together are ordered)."""
    if not row_ids:
        return {}
    marks = ", ".join("?" for _ in row_ids)
    cur = store.db.execute_sql(
        f"SELECT row_id, MIN(hlc) FROM op WHERE tbl = ? AND field = 'created_at'"
        f" AND row_id IN ({marks}) GROUP BY row_id",
        (table, *row_ids),
    )
    return {str(r[0]): int(r[1]) for r in cur.fetchall()}


# --------------------------------------------------------------------------- saving


def _columns(data: VisitInput) -> dict[str, Any]:
    return {
        "date": data.date,
        "enterprise_id": data.enterprise_id,
        "kind": data.kind,
        "person": clean_line(data.person or "") or None,
        "person_title": clean_line(data.person_title or "") or None,
        "topics": list(dict.fromkeys(data.topics)),
        "policies": clean_text(data.policies or "").strip() or None,
        "summary": clean_text(data.summary or "").strip() or None,
        "follow_up": clean_text(data.follow_up or "").strip() or None,
    }


def _check(store: Store, data: VisitInput, values: dict[str, Any], today: date) -> None:
    """Refuse what a form would refuse. References must be live when they are given anew: an
    existing visit whose enterprise or officer was deleted since can still be corrected."""
    errors = check_values(VISIT, values, new=True, known=data.id is None)
    if data.date is not None and data.date > today:
        errors.setdefault("date", _("The date is in the future ({day})", day=data.date.isoformat()))
    stored_enterprise, stored_officers = None, set[str]()
    if data.id is not None:
        store.writer.flush()
        current = store.visits.get(data.id)
        if current is None or current.deleted:
            raise InputError.one("id", _("The visit does not exist or was deleted"))
        stored_enterprise = current.enterprise_id
        stored_officers = set(store.visit_officers.right_ids(data.id))
    officers = list(dict.fromkeys(o for o in data.officer_ids if o))
    added = [o for o in officers if o not in stored_officers]
    if not officers:
        errors.setdefault(
            "officer_ids",
            _("Give at least one officer (no current officer is set on this computer)"),
        )
    elif len(live_ids(store, "officer", added)) != len(added):
        errors.setdefault("officer_ids", _("An officer does not exist or was deleted"))
    if errors:
        raise InputError(errors)
    if data.enterprise_id != stored_enterprise:
        require_live(store, "enterprise", data.enterprise_id, "enterprise_id", _("The enterprise"))


def save_visit(
    store: Store,
    data: VisitInput,
    *,
    parents: Parents | None = None,
    today: date | None = None,
) -> SavedVisit:
    """Create or update a visit with its officers, problems and self-check, in one
    transaction; nothing is written when anything is refused (:class:`InputError`, keyed by
    field: ``date``, ``problems.0.description``, ``answers.<item id>``…).

    ``parents``: the visit's heads when the form loaded it (:attr:`VisitDetail.heads`).
    """
    day = today or date.today()
    values = _columns(data)
    officers = tuple(dict.fromkeys(o for o in data.officer_ids if o))
    with store.batch():
        _check(store, data, values, day)
        created = data.id is None
        changed: list[str] = []
        if created:
            visit_id = store.writer.create(
                "visit", {k: v for k, v in _storable(values).items() if v is not None}
            )
            changed = [k for k, v in values.items() if v not in (None, [], "")]
        else:
            assert data.id is not None
            visit_id = data.id
            changed = update_row(store, "visit", visit_id, values, parents)
        before = set(store.visit_officers.right_ids(visit_id))
        store.visit_officers.set_right_ids(visit_id, list(officers))
        if before != set(officers):
            changed.append("officer_ids")
        problem_ids = _save_problems(store, visit_id, data, officers[0], day)
        if data.self_check is not None:
            checklists.save_self_check(
                store,
                visit_id,
                data.self_check.template_id,
                data.self_check.answers,
                officer_id=officers[0],
            )
    return SavedVisit(
        visit_id, created, tuple(problem_ids), is_draft(store, visit_id), tuple(changed)
    )


def _storable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: to_column(v) for k, v in values.items()}


def _save_problems(
    store: Store, visit_id: str, data: VisitInput, officer_id: str, today: date
) -> list[str]:
    ids: list[str] = []
    for n, raised in enumerate(data.problems):
        prefix = f"problems.{n}."
        if raised.id is None:
            new = ProblemInput(
                enterprise_id=data.enterprise_id,
                category=raised.category,
                description=raised.description,
                project_id=raised.project_id,
                visit_id=visit_id,
                raised_on=data.date,
                lead_unit=raised.lead_unit,
                assist_units=raised.assist_units,
                deadline=raised.deadline,
                officer_id=officer_id,
            )
            ids.append(
                problems._create(store, new, recorded_by=officer_id, today=today, prefix=prefix)
            )
            continue
        store.writer.flush()
        existing = store.problems.get(raised.id)
        if existing is None or existing.deleted or existing.visit_id != visit_id:
            raise InputError.one(prefix + "id", _("The problem is not one raised at this visit"))
        try:
            problems.update_problem(
                store,
                raised.id,
                {
                    "category": raised.category,
                    "description": raised.description,
                    "project_id": raised.project_id,
                    "lead_unit": raised.lead_unit,
                    "assist_units": list(raised.assist_units),
                    **({"deadline": raised.deadline} if raised.deadline else {}),
                },
                parents=raised.parents,
            )
        except InputError as exc:
            raise InputError({prefix + k: v for k, v in exc.errors.items()}) from None
        ids.append(raised.id)
    return ids


def delete_visit(store: Store, visit_id: str) -> bool:
    """Tombstone a visit. Its answers and the problems raised at it stay (a problem is real
    work whatever happens to the visit record); the breach list leaves out answers of deleted
    visits."""
    with store.batch():
        store.writer.flush()
        current = store.visits.get(visit_id)
        if current is None:
            raise InputError.one("id", _("The visit does not exist or was deleted"))
        return store.visits.delete(visit_id)
