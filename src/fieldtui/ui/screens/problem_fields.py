"""What the problem form is made of: its fields in form order, and the pickers and labels
of its references (the enterprise, its projects and visits, the officer following it).

Plain declarations and functions over the store (the pickers' searches run in thread
workers), so the form module holds only the screen.
"""

from __future__ import annotations

from typing import Any

from fieldtui.domain.enums import ProblemCategory, VisitKind
from fieldtui.domain.schema import PROBLEM
from fieldtui.i18n import N_
from fieldtui.store import Store
from fieldtui.store.assignments import pick_officers
from fieldtui.store.enterprises import pick_enterprises
from fieldtui.store.problem_refs import VisitRef, enterprise_projects, enterprise_visits, visit_ref
from fieldtui.ui.screens.form_spec import FieldSpec
from fieldtui.ui.screens.problem_display import code_label
from fieldtui.ui.widgets.record_picker import PickItem

__all__ = [
    "FIELDS",
    "REFS",
    "WORKFLOW_SHOWN",
    "field_label",
    "project_items",
    "search_enterprises",
    "search_officers",
    "visit_items",
    "visit_label",
]

WORKFLOW_SHOWN = ("status", "resolved_on", "satisfaction")
"""Fields the state line shows and only the steps change."""

DAY_EXAMPLE = N_("YYYY-MM-DD, e.g. 2026-12-31")


def field_label(name: str) -> str:
    """A problem field's label (English msgid)."""
    found = PROBLEM.get(name)
    assert found is not None
    return found.label


def _spec(name: str, widget: str = "input", **kw: Any) -> FieldSpec:
    found = PROBLEM.get(name)
    assert found is not None
    return FieldSpec(
        name,
        found.label,
        widget,
        required=found.required,
        max_length=found.max_len or 0,
        **kw,
    )


FIELDS: tuple[FieldSpec, ...] = (
    _spec("enterprise_id"),
    _spec("category", "select", choices=ProblemCategory.choices),
    _spec("description", "textarea"),
    _spec("raised_on", placeholder=DAY_EXAMPLE),
    _spec("lead_unit", placeholder=N_("e.g. the power supply bureau")),
    _spec("assist_units", placeholder=N_("separate with 、 or ,")),
    _spec("deadline", placeholder=DAY_EXAMPLE),
    _spec("resolution", "textarea"),
    _spec("project_id"),
    _spec("visit_id"),
    _spec("officer_id"),
)
"""The form's fields, in form order. A new problem starts at 待交办 and has no resolution
yet: its form leaves that field out of sight (resolving writes it; a stored problem's form
corrects it)."""

REFS = frozenset({"enterprise_id", "project_id", "visit_id", "officer_id"})


def search_enterprises(store: Store, text: str) -> list[PickItem]:
    return [PickItem(r.id, r.name, r.uscc) for r in pick_enterprises(store, text)]


def search_officers(store: Store, text: str) -> list[PickItem]:
    return [PickItem(i, name, unit) for i, name, unit in pick_officers(store, text)]


def project_items(store: Store, enterprise_id: str | None, text: str) -> list[PickItem]:
    """The enterprise's projects matching ``text``, for the project picker."""
    return [PickItem(i, name) for i, name in enterprise_projects(store, enterprise_id, text)]


def _visit_name(visit: VisitRef, lang: str) -> str:
    day = visit.date.isoformat() if visit.date else "—"
    return f"{day} {code_label(VisitKind, visit.kind, lang)}"


def visit_items(store: Store, enterprise_id: str | None, text: str, lang: str) -> list[PickItem]:
    """The enterprise's visits matching ``text``, newest first, for the visit picker."""
    items: list[PickItem] = []
    for visit in enterprise_visits(store, enterprise_id, text):
        first = visit.summary.splitlines()[0] if visit.summary else ""
        detail = " ".join(part for part in (visit.person, first) if part)
        items.append(PickItem(visit.id, _visit_name(visit, lang), detail))
    return items


def visit_label(store: Store, visit_id: str, lang: str) -> str | None:
    """How the visit field names a visit: its date and kind (None: gone)."""
    visit = visit_ref(store, visit_id)
    return _visit_name(visit, lang) if visit else None
