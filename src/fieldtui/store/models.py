"""Peewee models of the synced tables and the sync bookkeeping tables.

Only :mod:`fieldtui.store` imports this module. The schema itself is created by the numbered
migrations (frozen SQL); ``tests/test_store_schema.py`` checks that these models and the
migrated database agree.

Reference columns are ``ForeignKeyField`` for joins, but the database carries no FOREIGN KEY
constraints on synced tables: sync files arrive in any order and a row may name a row that
another file brings, so a constraint would refuse valid work. ``fieldtui doctor`` reports
dangling references instead.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SyncedModel(BaseModel):
    """A row that travels by sync: UUID key, timestamps, tombstone instead of delete."""

    id = CharField(primary_key=True)
    created_at = TextField(default="")
    updated_at = TextField(default="")
    deleted = BooleanField(default=False)


def _ref(model: Any, name: str, null: bool = True) -> ForeignKeyField:
    return ForeignKeyField(
        model, column_name=name, null=null, backref="+", lazy_load=False, constraints=[]
    )


class Officer(SyncedModel):
    name = TextField()
    phone = TextField(null=True)
    unit = TextField(null=True)
    role = TextField(default="cso")
    notes = TextField(null=True)


class Enterprise(SyncedModel):
    name = TextField()
    uscc = TextField(null=True)
    legal_rep = TextField(null=True)
    industry = TextField(null=True)
    scale = TextField(null=True)
    address = TextField(null=True)
    contact = TextField(null=True)
    phone = TextField(null=True)
    employees = IntegerField(null=True)
    revenue_wan = TextField(null=True)
    status = TextField(default="operating")
    tags = TextField(default="[]")
    notes = TextField(null=True)


class Activity(SyncedModel):
    date = TextField(null=True)
    kind = TextField(default="trip_out")
    place = TextField(default="")
    leads = TextField(null=True)
    notes = TextField(null=True)


class Project(SyncedModel):
    name = TextField()
    enterprise = _ref(Enterprise, "enterprise_id")
    planned_investment_wan = TextField(null=True)
    source = TextField(default="attracted")
    revitalized = BooleanField(default=False)
    signed_on = TextField(null=True)
    land_on = TextField(null=True)
    started_on = TextField(null=True)
    completed_on = TextField(null=True)
    trial_on = TextField(null=True)
    production_on = TextField(null=True)
    activity = _ref(Activity, "activity_id")
    notes = TextField(null=True)


class Assignment(SyncedModel):
    year = IntegerField(default=0)
    officer = _ref(Officer, "officer_id", null=False)
    enterprise = _ref(Enterprise, "enterprise_id")
    project = _ref(Project, "project_id")
    role = TextField(default="cso")


class Visit(SyncedModel):
    date = TextField(null=True)
    enterprise = _ref(Enterprise, "enterprise_id", null=False)
    kind = TextField(default="onsite")
    person = TextField(null=True)
    person_title = TextField(null=True)
    topics = TextField(default="[]")
    policies = TextField(null=True)
    summary = TextField(null=True)
    follow_up = TextField(null=True)


class VisitOfficer(SyncedModel):
    visit = _ref(Visit, "visit_id", null=False)
    officer = _ref(Officer, "officer_id", null=False)


class Problem(SyncedModel):
    enterprise = _ref(Enterprise, "enterprise_id", null=False)
    project = _ref(Project, "project_id")
    visit = _ref(Visit, "visit_id")
    raised_on = TextField(null=True)
    category = TextField(default="other")
    description = TextField(default="")
    lead_unit = TextField(null=True)
    assist_units = TextField(default="[]")
    deadline = TextField(null=True)
    status = TextField(default="new")
    resolved_on = TextField(null=True)
    resolution = TextField(null=True)
    satisfaction = TextField(null=True)
    officer = _ref(Officer, "officer_id")


class ProblemEvent(SyncedModel):
    problem = _ref(Problem, "problem_id", null=False)
    on = TextField(null=True)
    status = TextField(null=True)
    note = TextField(null=True)
    officer = _ref(Officer, "officer_id")
    kind = TextField(null=True)
    deadline = TextField(null=True)
    satisfaction = TextField(null=True)


class Meeting(SyncedModel):
    date = TextField(null=True)
    kind = TextField(default="coordination")
    topic = TextField(default="")
    chair = TextField(null=True)
    departments = TextField(default="[]")
    decisions = TextField(null=True)
    notes = TextField(null=True)


class MeetingEnterprise(SyncedModel):
    meeting = _ref(Meeting, "meeting_id", null=False)
    enterprise = _ref(Enterprise, "enterprise_id", null=False)


class MeetingProject(SyncedModel):
    meeting = _ref(Meeting, "meeting_id", null=False)
    project = _ref(Project, "project_id", null=False)


class MeetingProblem(SyncedModel):
    meeting = _ref(Meeting, "meeting_id", null=False)
    problem = _ref(Problem, "problem_id", null=False)


class ActivityMember(SyncedModel):
    activity = _ref(Activity, "activity_id", null=False)
    officer = _ref(Officer, "officer_id", null=False)


class ActivityEnterprise(SyncedModel):
    activity = _ref(Activity, "activity_id", null=False)
    enterprise = _ref(Enterprise, "enterprise_id", null=False)


class ChecklistTemplate(SyncedModel):
    kind = TextField(default="duty")
    version = IntegerField(default=1)
    title = TextField(default="")
    effective_from = TextField(null=True)


class ChecklistItem(SyncedModel):
    template = _ref(ChecklistTemplate, "template_id", null=False)
    position = IntegerField(default=0)
    text = TextField(default="")


class ChecklistAnswer(SyncedModel):
    item = _ref(ChecklistItem, "item_id", null=False)
    officer = _ref(Officer, "officer_id", null=False)
    visit = _ref(Visit, "visit_id")
    month = TextField(null=True)
    answer = TextField(default="kept")
    note = TextField(null=True)


SYNCED_MODELS: dict[str, type[SyncedModel]] = {
    m._meta.table_name: m
    for m in (
        Officer,
        Enterprise,
        Assignment,
        Project,
        Visit,
        VisitOfficer,
        Problem,
        ProblemEvent,
        Meeting,
        MeetingEnterprise,
        MeetingProject,
        MeetingProblem,
        Activity,
        ActivityMember,
        ActivityEnterprise,
        ChecklistTemplate,
        ChecklistItem,
        ChecklistAnswer,
    )
}


class Op(BaseModel):
    """One change to one field of one row; the unit of sync (see design.md, Sync model)."""

    op_id = CharField(primary_key=True)
    replica_id = TextField()
    seq = IntegerField()
    hlc = IntegerField()
    tbl = TextField()
    row_id = TextField()
    field = TextField()
    value = TextField(null=True)
    parents = TextField(default="[]")

    class Meta:
        table_name = "op"


class Conflict(BaseModel):
    """A field (or ``_deleted``) whose ops have more than one head; kept until resolved."""

    tbl = TextField()
    row_id = TextField()
    field = TextField()
    heads = TextField()
    detected_at = TextField()

    class Meta:
        table_name = "conflict"
        primary_key = False


class Meta(BaseModel):
    """Per-database settings that must survive: replica id, clock, role."""

    key = TextField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "meta"


@cache
def synced_columns(table: str) -> tuple[str, ...]:
    """Column names of a synced table, in declaration order (``id`` first)."""
    model = SYNCED_MODELS[table]
    return tuple(f.column_name for f in model._meta.sorted_fields)


@cache
def synced_fields(table: str) -> frozenset[str]:
    """Columns that travel as ops: everything but the key and the local ``updated_at``.

    ``deleted`` travels as the pseudo-field ``_deleted`` (see :data:`DELETED_FIELD`).
    """
    return frozenset(c for c in synced_columns(table) if c not in ("id", "updated_at", "deleted"))


DELETED_FIELD = "_deleted"
