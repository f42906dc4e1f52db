"""Field work: problem history entries say what they record; the visits and problems lists
page by key; whether a visit's negative-list self-check is complete is derived.

Frozen like every migration.

- ``problem_event`` gains ``kind`` (status change, note, deadline extension, follow-up call),
  ``deadline`` (the new deadline of an extension) and ``satisfaction`` (of a follow-up call).
  Entries made before have no kind: readers derive it (a status means a status change).
- ``visit_list`` is local and disposable like ``enterprise_ledger``: nothing syncs it, it is
  derived from the synced tables by the triggers below (plain SQL, so every writer, sync's
  raw ``executemany`` included, keeps it). One row per live visit with the visits list's sort
  and filter keys, each with an index ending in ``id`` so every list pages by key, and
  ``draft``: 1 while the visit has no complete negative-list self-check, i.e. no version of
  the negative list with every item answered for the visit.
- ``visit_search``, ``visit_fts`` and ``visit_search_dirty``: the visits' text search (see
  ``fieldtui.store.visit_search``). Triggers queue every visit whose text changes; the
  search indexes the queue before it runs. Every existing visit is queued here.
"""

from typing import Any

ALTERS = [
    "ALTER TABLE problem_event ADD COLUMN kind TEXT",
    "ALTER TABLE problem_event ADD COLUMN deadline TEXT",
    "ALTER TABLE problem_event ADD COLUMN satisfaction TEXT",
]

TABLES = [
    """CREATE TABLE visit_list (
        id TEXT NOT NULL PRIMARY KEY,
        date TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT '',
        enterprise_id TEXT NOT NULL DEFAULT '',
        draft INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE visit_search (
        sid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        tokens TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE TABLE visit_search_dirty (id TEXT NOT NULL PRIMARY KEY)",
    "CREATE VIRTUAL TABLE visit_fts USING fts5(t, content='', tokenize='ascii', prefix='1')",
]

INDEXES = [
    "CREATE INDEX visit_list_date ON visit_list (date, id)",
    "CREATE INDEX visit_list_kind ON visit_list (kind, date, id)",
    "CREATE INDEX visit_list_enterprise ON visit_list (enterprise_id, date, id)",
    "CREATE INDEX visit_list_draft ON visit_list (draft, date, id)",
    "CREATE INDEX visit_officer_live ON visit_officer (officer_id, deleted, visit_id)",
    "CREATE INDEX checklist_answer_visit ON checklist_answer (visit_id)",
    "CREATE INDEX checklist_answer_item ON checklist_answer (item_id)",
    "CREATE INDEX checklist_template_kind ON checklist_template (kind, version)",
    "CREATE INDEX problem_list_raised ON problem (deleted, coalesce(raised_on, ''), id)",
    "CREATE INDEX problem_list_deadline ON problem (deleted, coalesce(deadline, '9999-12-31'), id)",
    "CREATE INDEX problem_officer ON problem (officer_id)",
    "CREATE INDEX problem_visit ON problem (visit_id)",
]


def draft(visit_id: str) -> str:
    """SQL: 1 when the visit ``visit_id`` (an expression) has no complete self-check."""
    return f"""NOT EXISTS (
        SELECT 1 FROM checklist_answer a
        JOIN checklist_item i ON i.id = a.item_id
        JOIN checklist_template t ON t.id = i.template_id
        WHERE a.visit_id = {visit_id} AND a.deleted = 0 AND i.deleted = 0
            AND t.deleted = 0 AND t.kind = 'negative'
        GROUP BY i.template_id
        HAVING COUNT(DISTINCT i.id) = (SELECT COUNT(*) FROM checklist_item j
            WHERE j.template_id = i.template_id AND j.deleted = 0))"""


ROW = f"""NEW.id, COALESCE(NEW.date, ''), COALESCE(NEW.kind, ''), COALESCE(NEW.enterprise_id, ''),
    {draft("NEW.id")}"""

REDRAFT = f"UPDATE visit_list SET draft = {draft('visit_list.id')}"

VISITS_OF_TEMPLATE = """(SELECT a.visit_id FROM checklist_answer a
    JOIN checklist_item i ON i.id = a.item_id
    WHERE i.template_id IN ({templates}) AND a.visit_id IS NOT NULL)"""

VISITS_OF_BOTH = VISITS_OF_TEMPLATE.format(templates="NEW.template_id, OLD.template_id")

QUEUE = "INSERT OR IGNORE INTO visit_search_dirty (id) VALUES ({id})"

TRIGGERS = [
    f"""CREATE TRIGGER visit_search_ins AFTER INSERT ON visit BEGIN
        {QUEUE.format(id="NEW.id")};
    END""",
    f"""CREATE TRIGGER visit_search_upd
    AFTER UPDATE OF person, person_title, summary, follow_up, deleted ON visit BEGIN
        {QUEUE.format(id="NEW.id")};
    END""",
    f"""CREATE TRIGGER visit_search_del AFTER DELETE ON visit BEGIN
        {QUEUE.format(id="OLD.id")};
    END""",
    f"""CREATE TRIGGER visit_list_ins AFTER INSERT ON visit WHEN NEW.deleted = 0 BEGIN
        INSERT OR REPLACE INTO visit_list (id, date, kind, enterprise_id, draft) VALUES ({ROW});
    END""",
    f"""CREATE TRIGGER visit_list_upd AFTER UPDATE OF date, kind, enterprise_id, deleted ON visit
    BEGIN
        DELETE FROM visit_list WHERE id = OLD.id AND (NEW.deleted != 0 OR NEW.id != OLD.id);
        INSERT INTO visit_list (id, date, kind, enterprise_id, draft) SELECT {ROW}
            WHERE NEW.deleted = 0
            ON CONFLICT (id) DO UPDATE SET date = excluded.date, kind = excluded.kind,
                enterprise_id = excluded.enterprise_id, draft = excluded.draft;
    END""",
    """CREATE TRIGGER visit_list_del AFTER DELETE ON visit BEGIN
        DELETE FROM visit_list WHERE id = OLD.id;
    END""",
    f"""CREATE TRIGGER checklist_answer_draft_ins AFTER INSERT ON checklist_answer
    WHEN NEW.visit_id IS NOT NULL BEGIN
        {REDRAFT} WHERE id = NEW.visit_id;
    END""",
    f"""CREATE TRIGGER checklist_answer_draft_upd
    AFTER UPDATE OF visit_id, item_id, deleted ON checklist_answer BEGIN
        {REDRAFT} WHERE id IN (NEW.visit_id, OLD.visit_id);
    END""",
    f"""CREATE TRIGGER checklist_answer_draft_del AFTER DELETE ON checklist_answer BEGIN
        {REDRAFT} WHERE id = OLD.visit_id;
    END""",
    f"""CREATE TRIGGER checklist_item_draft_ins AFTER INSERT ON checklist_item BEGIN
        {REDRAFT} WHERE id IN {VISITS_OF_TEMPLATE.format(templates="NEW.template_id")};
    END""",
    f"""CREATE TRIGGER checklist_item_draft_upd
    AFTER UPDATE OF template_id, deleted ON checklist_item BEGIN
        {REDRAFT} WHERE id IN {VISITS_OF_BOTH};
    END""",
    f"""CREATE TRIGGER checklist_item_draft_del AFTER DELETE ON checklist_item BEGIN
        {REDRAFT} WHERE id IN {VISITS_OF_TEMPLATE.format(templates="OLD.template_id")};
    END""",
    f"""CREATE TRIGGER checklist_template_draft_ins AFTER INSERT ON checklist_template BEGIN
        {REDRAFT} WHERE id IN {VISITS_OF_TEMPLATE.format(templates="NEW.id")};
    END""",
    f"""CREATE TRIGGER checklist_template_draft_upd
    AFTER UPDATE OF kind, deleted ON checklist_template BEGIN
        {REDRAFT} WHERE id IN {VISITS_OF_TEMPLATE.format(templates="NEW.id")};
    END""",
]

FILL = """WITH complete(visit_id) AS (
    SELECT a.visit_id FROM checklist_answer a
    JOIN checklist_item i ON i.id = a.item_id
    JOIN checklist_template t ON t.id = i.template_id
    WHERE a.deleted = 0 AND a.visit_id IS NOT NULL AND i.deleted = 0
        AND t.deleted = 0 AND t.kind = 'negative'
    GROUP BY a.visit_id, i.template_id
    HAVING COUNT(DISTINCT i.id) = (SELECT COUNT(*) FROM checklist_item j
        WHERE j.template_id = i.template_id AND j.deleted = 0))
INSERT INTO visit_list (id, date, kind, enterprise_id, draft)
SELECT v.id, COALESCE(v.date, ''), COALESCE(v.kind, ''), COALESCE(v.enterprise_id, ''),
    v.id NOT IN (SELECT visit_id FROM complete)
FROM visit v WHERE v.deleted = 0"""


def up(migrator: Any, db: Any) -> None:
    for sql in ALTERS + TABLES + INDEXES:
        db.execute_sql(sql)
    db.execute_sql(FILL)
    db.execute_sql("INSERT INTO visit_search_dirty (id) SELECT id FROM visit WHERE deleted = 0")
    for sql in TRIGGERS:
        db.execute_sql(sql)
