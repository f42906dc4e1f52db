"""Derived ledger and search data for enterprises (see ``fieldtui.store.search``).

Frozen like every migration. These tables are local and disposable: nothing syncs them, they
are recomputed from the synced tables. ``enterprise_ledger`` holds one row per live
enterprise with the ledger's sort and filter keys, each with an index so any sort pages by
key at 100,000 rows; its ``sid`` (also the FTS rowid) follows the pinyin order of the name.
Figures that come from visits, problems and assignments are kept current by the triggers
below (plain SQL, so every writer, sync's raw ``executemany`` included, keeps them); the name,
pinyin and haystack need Python and are refreshed by
``fieldtui.store.search.refresh_enterprises``.

The lead officer is this calendar year's ``cso`` assignment; ``refresh_lead_year`` recomputes
all of them once when the year turns (triggers only see the year they run in).
"""

from typing import Any

CLOSED = "('resolved', 'unresolvable')"
THIS_YEAR = "CAST(strftime('%Y', 'now', 'localtime') AS INTEGER)"

TABLES = [
    """CREATE TABLE enterprise_ledger (
        sid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        name_key TEXT NOT NULL DEFAULT '',
        uscc TEXT NOT NULL DEFAULT '',
        industry TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT '',
        status_rank INTEGER NOT NULL DEFAULT 99,
        tags TEXT NOT NULL DEFAULT '',
        lead_officer_id TEXT,
        lead_officer TEXT NOT NULL DEFAULT '',
        last_visit TEXT NOT NULL DEFAULT '',
        open_problems INTEGER NOT NULL DEFAULT 0,
        open_deadline TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE enterprise_search (
        sid INTEGER PRIMARY KEY,
        hay TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE VIRTUAL TABLE enterprise_fts USING fts5(t, content='', tokenize='ascii', prefix='1')",
]

INDEXES = [
    # Neighbour lookups when a new name gets its sid (sids follow this order).
    "CREATE INDEX enterprise_ledger_name ON enterprise_ledger (name_key, id)",
    # One per sortable column; SQLite appends the rowid (sid) to every index entry, so each
    # also orders ties by name and serves keyset paging on (column, sid).
    "CREATE INDEX enterprise_ledger_uscc ON enterprise_ledger (uscc)",
    "CREATE INDEX enterprise_ledger_industry ON enterprise_ledger (industry)",
    "CREATE INDEX enterprise_ledger_status ON enterprise_ledger (status_rank)",
    "CREATE INDEX enterprise_ledger_lead ON enterprise_ledger (lead_officer)",
    "CREATE INDEX enterprise_ledger_visit ON enterprise_ledger (last_visit)",
    "CREATE INDEX enterprise_ledger_open ON enterprise_ledger (open_problems)",
    "CREATE INDEX enterprise_ledger_deadline ON enterprise_ledger (open_deadline)",
    "CREATE INDEX enterprise_ledger_officer ON enterprise_ledger (lead_officer_id)",
    # Small (most rows have no tags): a tag filter scans this instead of the table.
    "CREATE INDEX enterprise_ledger_tags ON enterprise_ledger (tags)",
    # Covers the ledger's officer filter (this year's enterprises of one officer, any role).
    "CREATE INDEX assignment_officer_year ON assignment (officer_id, year, deleted, enterprise_id)",
]

VISIT_SET = """UPDATE enterprise_ledger SET last_visit = COALESCE((
    SELECT MAX(v.date) FROM visit v WHERE v.enterprise_id = enterprise_ledger.id
    AND v.deleted = 0 AND v.date IS NOT NULL), '')"""

PROBLEM_SET = f"""UPDATE enterprise_ledger SET
    open_problems = (SELECT COUNT(*) FROM problem p WHERE p.enterprise_id = enterprise_ledger.id
        AND p.deleted = 0 AND p.status NOT IN {CLOSED}),
    open_deadline = COALESCE((SELECT MIN(p.deadline) FROM problem p
        WHERE p.enterprise_id = enterprise_ledger.id AND p.deleted = 0
        AND p.status NOT IN {CLOSED} AND p.deadline IS NOT NULL AND p.deadline != ''), '')"""

LEAD_SET = f"""UPDATE enterprise_ledger SET
    lead_officer_id = (SELECT a.officer_id FROM assignment a
        WHERE a.enterprise_id = enterprise_ledger.id AND a.deleted = 0 AND a.role = 'cso'
        AND a.year = {THIS_YEAR} ORDER BY a.created_at, a.id LIMIT 1),
    lead_officer = COALESCE((SELECT o.name FROM officer o WHERE o.id = (
        SELECT a.officer_id FROM assignment a
        WHERE a.enterprise_id = enterprise_ledger.id AND a.deleted = 0 AND a.role = 'cso'
        AND a.year = {THIS_YEAR} ORDER BY a.created_at, a.id LIMIT 1)), '')"""


def _triggers(table: str, update_of: str, body: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_ledger_ins AFTER INSERT ON {table} BEGIN
            {body} WHERE id = NEW.enterprise_id; END""",
        f"""CREATE TRIGGER {table}_ledger_upd AFTER UPDATE OF {update_of} ON {table} BEGIN
            {body} WHERE id IN (NEW.enterprise_id, OLD.enterprise_id); END""",
        f"""CREATE TRIGGER {table}_ledger_del AFTER DELETE ON {table} BEGIN
            {body} WHERE id = OLD.enterprise_id; END""",
    ]


TRIGGERS = [
    *_triggers("visit", "date, deleted, enterprise_id", VISIT_SET),
    *_triggers("problem", "status, deadline, deleted, enterprise_id", PROBLEM_SET),
    *_triggers("assignment", "year, officer_id, enterprise_id, role, deleted", LEAD_SET),
    """CREATE TRIGGER officer_ledger_ins AFTER INSERT ON officer BEGIN
        UPDATE enterprise_ledger SET lead_officer = NEW.name WHERE lead_officer_id = NEW.id;
    END""",
    """CREATE TRIGGER officer_ledger_upd AFTER UPDATE OF name ON officer BEGIN
        UPDATE enterprise_ledger SET lead_officer = NEW.name WHERE lead_officer_id = NEW.id;
    END""",
]


def up(migrator: Any, db: Any) -> None:
    for sql in TABLES + INDEXES + TRIGGERS:
        db.execute_sql(sql)
    from fieldtui.store.search import rebuild

    rebuild(db)
