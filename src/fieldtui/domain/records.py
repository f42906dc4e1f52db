"""Record dataclasses: what repositories hand to the UI, sheets, reports and the CLI.

Fields hold stored codes (``str``) rather than enum members so a record read from a newer
replica with a code this version does not know still loads and round-trips unchanged; the
enums in :mod:`fieldtui.domain.enums` turn codes into labels at the edges.
Field names match the database columns one to one, which lets the store map records without
a per-kind hand-written mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(slots=True)
class Record:
    """Columns every synced row carries. ``id`` is empty until the store assigns one."""

    id: str = ""
    created_at: str = ""
    updated_at: str = ""
    deleted: bool = False


@dataclass(slots=True)
class Officer(Record):
    name: str = ""
    phone: str | None = None
    unit: str | None = None
    role: str = "cso"
    notes: str | None = None


@dataclass(slots=True)
class Enterprise(Record):
    name: str = ""
    uscc: str | None = None
    legal_rep: str | None = None
    industry: str | None = None
    scale: str | None = None
    address: str | None = None
    contact: str | None = None
    phone: str | None = None
    employees: int | None = None
    revenue_wan: Decimal | None = None
    status: str = "operating"
    tags: list[str] = field(default_factory=list)
    notes: str | None = None


@dataclass(slots=True)
class Assignment(Record):
    year: int = 0
    officer_id: str = ""
    enterprise_id: str | None = None
    project_id: str | None = None
    role: str = "cso"


@dataclass(slots=True)
class Project(Record):
    name: str = ""
    enterprise_id: str | None = None
    planned_investment_wan: Decimal | None = None
    source: str = "attracted"
    revitalized: bool = False
    signed_on: date | None = None
    land_on: date | None = None
    started_on: date | None = None
    completed_on: date | None = None
    trial_on: date | None = None
    production_on: date | None = None
    activity_id: str | None = None
    notes: str | None = None


@dataclass(slots=True)
class Visit(Record):
    date: date | None = None
    enterprise_id: str = ""
    kind: str = "onsite"
    person: str | None = None
    person_title: str | None = None
    topics: list[str] = field(default_factory=list)
    policies: str | None = None
    summary: str | None = None
    follow_up: str | None = None


@dataclass(slots=True)
class VisitOfficer(Record):
    visit_id: str = ""
    officer_id: str = ""


@dataclass(slots=True)
class Problem(Record):
    enterprise_id: str = ""
    project_id: str | None = None
    visit_id: str | None = None
    raised_on: date | None = None
    category: str = "other"
    description: str = ""
    lead_unit: str | None = None
    assist_units: list[str] = field(default_factory=list)
    deadline: date | None = None
    status: str = "new"
    resolved_on: date | None = None
    resolution: str | None = None
    satisfaction: str | None = None
    officer_id: str | None = None


@dataclass(slots=True)
class ProblemEvent(Record):
    """One entry of a problem's history: a status change, a note, a deadline extension (the
    new ``deadline``, the reason in ``note``) or the follow-up call (``satisfaction``).
    ``kind`` is None in entries made before kinds existed (see
    :func:`fieldtui.domain.problems.event_kind`)."""

    problem_id: str = ""
    on: date | None = None
    status: str | None = None
    note: str | None = None
    officer_id: str | None = None
    kind: str | None = None
    deadline: date | None = None
    satisfaction: str | None = None


@dataclass(slots=True)
class Meeting(Record):
    date: date | None = None
    kind: str = "coordination"
    topic: str = ""
    chair: str | None = None
    departments: list[str] = field(default_factory=list)
    decisions: str | None = None
    notes: str | None = None


@dataclass(slots=True)
class MeetingEnterprise(Record):
    meeting_id: str = ""
    enterprise_id: str = ""


@dataclass(slots=True)
class MeetingProject(Record):
    meeting_id: str = ""
    project_id: str = ""


@dataclass(slots=True)
class MeetingProblem(Record):
    meeting_id: str = ""
    problem_id: str = ""


@dataclass(slots=True)
class Activity(Record):
    date: date | None = None
    kind: str = "trip_out"
    place: str = ""
    leads: str | None = None
    notes: str | None = None


@dataclass(slots=True)
class ActivityMember(Record):
    activity_id: str = ""
    officer_id: str = ""


@dataclass(slots=True)
class ActivityEnterprise(Record):
    activity_id: str = ""
    enterprise_id: str = ""


@dataclass(slots=True)
class ChecklistTemplate(Record):
    kind: str = "duty"
    version: int = 1
    title: str = ""
    effective_from: date | None = None


@dataclass(slots=True)
class ChecklistItem(Record):
    template_id: str = ""
    position: int = 0
    text: str = ""


@dataclass(slots=True)
class ChecklistAnswer(Record):
    """An officer's answer to one item: per visit (negative list) or per month (duty list)."""

    item_id: str = ""
    officer_id: str = ""
    visit_id: str | None = None
    month: str | None = None
    answer: str = "kept"
    note: str | None = None


RECORD_TYPES: dict[str, type[Record]] = {
    "officer": Officer,
    "enterprise": Enterprise,
    "assignment": Assignment,
    "project": Project,
    "visit": Visit,
    "visit_officer": VisitOfficer,
    "problem": Problem,
    "problem_event": ProblemEvent,
    "meeting": Meeting,
    "meeting_enterprise": MeetingEnterprise,
    "meeting_project": MeetingProject,
    "meeting_problem": MeetingProblem,
    "activity": Activity,
    "activity_member": ActivityMember,
    "activity_enterprise": ActivityEnterprise,
    "checklist_template": ChecklistTemplate,
    "checklist_item": ChecklistItem,
    "checklist_answer": ChecklistAnswer,
}
"""Synced table name → record type. The table names are part of the sync-file format."""
