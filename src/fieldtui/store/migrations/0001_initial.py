"""Initial schema: every synced table, the op log, conflicts and per-database metadata.

Frozen on purpose: later migrations change the schema, this file never does. Synced tables
carry no FOREIGN KEY constraints (see ``fieldtui.store.models``) and every NOT NULL column
has a default, because a row created by merging ops gets only the fields its ops carry.
"""

from typing import Any

TABLES = [
    """CREATE TABLE officer (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "name" TEXT NOT NULL DEFAULT '',
        "phone" TEXT,
        "unit" TEXT,
        "role" TEXT NOT NULL DEFAULT 'cso',
        "notes" TEXT
    )""",
    """CREATE TABLE enterprise (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "name" TEXT NOT NULL DEFAULT '',
        "uscc" TEXT,
        "legal_rep" TEXT,
        "industry" TEXT,
        "scale" TEXT,
        "address" TEXT,
        "contact" TEXT,
        "phone" TEXT,
        "employees" INTEGER,
        "revenue_wan" TEXT,
        "status" TEXT NOT NULL DEFAULT 'operating',
        "tags" TEXT NOT NULL DEFAULT '[]',
        "notes" TEXT
    )""",
    """CREATE TABLE assignment (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "year" INTEGER NOT NULL DEFAULT 0,
        "officer_id" TEXT NOT NULL DEFAULT '',
        "enterprise_id" TEXT,
        "project_id" TEXT,
        "role" TEXT NOT NULL DEFAULT 'cso'
    )""",
    """CREATE TABLE project (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "name" TEXT NOT NULL DEFAULT '',
        "enterprise_id" TEXT,
        "planned_investment_wan" TEXT,
        "source" TEXT NOT NULL DEFAULT 'attracted',
        "revitalized" INTEGER NOT NULL DEFAULT 0,
        "signed_on" TEXT,
        "land_on" TEXT,
        "started_on" TEXT,
        "completed_on" TEXT,
        "trial_on" TEXT,
        "production_on" TEXT,
        "activity_id" TEXT,
        "notes" TEXT
    )""",
    """CREATE TABLE visit (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "date" TEXT,
        "enterprise_id" TEXT NOT NULL DEFAULT '',
        "kind" TEXT NOT NULL DEFAULT 'onsite',
        "person" TEXT,
        "person_title" TEXT,
        "topics" TEXT NOT NULL DEFAULT '[]',
        "policies" TEXT,
        "summary" TEXT,
        "follow_up" TEXT
    )""",
    """CREATE TABLE visit_officer (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "visit_id" TEXT NOT NULL DEFAULT '',
        "officer_id" TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE problem (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "enterprise_id" TEXT NOT NULL DEFAULT '',
        "project_id" TEXT,
        "visit_id" TEXT,
        "raised_on" TEXT,
        "category" TEXT NOT NULL DEFAULT 'other',
        "description" TEXT NOT NULL DEFAULT '',
        "lead_unit" TEXT,
        "assist_units" TEXT NOT NULL DEFAULT '[]',
        "deadline" TEXT,
        "status" TEXT NOT NULL DEFAULT 'new',
        "resolved_on" TEXT,
        "resolution" TEXT,
        "satisfaction" TEXT,
        "officer_id" TEXT
    )""",
    """CREATE TABLE problem_event (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "problem_id" TEXT NOT NULL DEFAULT '',
        "on" TEXT,
        "status" TEXT,
        "note" TEXT,
        "officer_id" TEXT
    )""",
    """CREATE TABLE meeting (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "date" TEXT,
        "kind" TEXT NOT NULL DEFAULT 'coordination',
        "topic" TEXT NOT NULL DEFAULT '',
        "chair" TEXT,
        "departments" TEXT NOT NULL DEFAULT '[]',
        "decisions" TEXT,
        "notes" TEXT
    )""",
    """CREATE TABLE meeting_enterprise (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "meeting_id" TEXT NOT NULL DEFAULT '',
        "enterprise_id" TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE meeting_project (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "meeting_id" TEXT NOT NULL DEFAULT '',
        "project_id" TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE meeting_problem (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "meeting_id" TEXT NOT NULL DEFAULT '',
        "problem_id" TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE activity (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "date" TEXT,
        "kind" TEXT NOT NULL DEFAULT 'trip_out',
        "place" TEXT NOT NULL DEFAULT '',
        "leads" TEXT,
        "notes" TEXT
    )""",
    """CREATE TABLE activity_member (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "activity_id" TEXT NOT NULL DEFAULT '',
        "officer_id" TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE activity_enterprise (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "activity_id" TEXT NOT NULL DEFAULT '',
        "enterprise_id" TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE checklist_template (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "kind" TEXT NOT NULL DEFAULT 'duty',
        "version" INTEGER NOT NULL DEFAULT 1,
        "title" TEXT NOT NULL DEFAULT '',
        "effective_from" TEXT
    )""",
    """CREATE TABLE checklist_item (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "template_id" TEXT NOT NULL DEFAULT '',
        "position" INTEGER NOT NULL DEFAULT 0,
        "text" TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE checklist_answer (
        id TEXT NOT NULL PRIMARY KEY,
        "created_at" TEXT NOT NULL DEFAULT '',
        "updated_at" TEXT NOT NULL DEFAULT '',
        "deleted" INTEGER NOT NULL DEFAULT 0,
        "item_id" TEXT NOT NULL DEFAULT '',
        "officer_id" TEXT NOT NULL DEFAULT '',
        "visit_id" TEXT,
        "month" TEXT,
        "answer" TEXT NOT NULL DEFAULT 'kept',
        "note" TEXT
    )""",
    """CREATE TABLE op (
        op_id TEXT NOT NULL PRIMARY KEY,
        replica_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hlc INTEGER NOT NULL,
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT,
        parents TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE conflict (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        field TEXT NOT NULL,
        heads TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, field)
    )""",
    """CREATE TABLE meta (
        key TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL
    )""",
]

INDEXES = [
    "CREATE UNIQUE INDEX op_replica_seq ON op (replica_id, seq)",
    "CREATE INDEX op_row_field ON op (tbl, row_id, field)",
    "CREATE INDEX enterprise_uscc ON enterprise (uscc)",
    "CREATE INDEX enterprise_name ON enterprise (name)",
    "CREATE INDEX assignment_year_officer ON assignment (year, officer_id)",
    "CREATE INDEX assignment_enterprise ON assignment (enterprise_id)",
    "CREATE INDEX project_enterprise ON project (enterprise_id)",
    "CREATE INDEX visit_enterprise_date ON visit (enterprise_id, date)",
    "CREATE INDEX visit_date ON visit (date)",
    "CREATE INDEX visit_officer_visit ON visit_officer (visit_id)",
    "CREATE INDEX visit_officer_officer ON visit_officer (officer_id)",
    "CREATE INDEX problem_enterprise ON problem (enterprise_id)",
    "CREATE INDEX problem_status_deadline ON problem (status, deadline)",
    "CREATE INDEX problem_event_problem ON problem_event (problem_id)",
    "CREATE INDEX checklist_item_template ON checklist_item (template_id)",
    "CREATE INDEX checklist_answer_officer ON checklist_answer (officer_id, month)",
]


def up(migrator: Any, db: Any) -> None:
    for sql in TABLES + INDEXES:
        db.execute_sql(sql)
