"""Migration 0007 on a database made before it: existing visits get their list rows with the
right draft state, are queued for the text search, and old history entries read right."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from fieldtui.domain.enums import SEED_NEGATIVE_ITEMS
from fieldtui.domain.records import (
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    Enterprise,
    Officer,
    Problem,
    ProblemEvent,
    Visit,
)
from fieldtui.store import Store
from fieldtui.store import db as store_db
from fieldtui.store.problems import problem_history
from fieldtui.store.visit_list import VisitFilter, VisitQuery

D = date(2025, 5, 6)


def test_existing_visits_are_listed_with_their_draft_state_and_found_by_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tmp_path / "migrations"
    shutil.copytree(store_db.MIGRATIONS_DIR, before)
    for later in before.glob("000[7-9]_*.py"):
        later.unlink()
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:
        m.setattr(store_db, "MIGRATIONS_DIR", before)
        with Store(path) as s, s.batch():
            o = s.officers.create(Officer(name="张三"))
            e = s.enterprises.create(Enterprise(name="华音电器"))
            # a template as older versions made it: random ids, version 1
            t = s.checklist_templates.create(ChecklistTemplate(kind="negative", version=1))
            items = [
                s.checklist_items.create(ChecklistItem(template_id=t.id, position=n, text=x)).id
                for n, x in enumerate(SEED_NEGATIVE_ITEMS, 1)
            ]
            done = s.visits.create(Visit(date=D, enterprise_id=e.id, summary="了解用电需求"))
            half = s.visits.create(Visit(date=D, enterprise_id=e.id, summary="协调招工"))
            gone = s.visits.create(Visit(date=D, enterprise_id=e.id, summary="招工 已删除"))
            for visit, answered in ((done, items), (half, items[:4]), (gone, [])):
                for item in answered:
                    s.checklist_answers.create(
                        ChecklistAnswer(item_id=item, officer_id=o.id, visit_id=visit.id)
                    )
            s.visits.delete(gone.id)
            p = s.problems.create(Problem(enterprise_id=e.id, description="首期用电"))
            s.problem_events.create(ProblemEvent(problem_id=p.id, on=D, status="new"))
            s.problem_events.create(ProblemEvent(problem_id=p.id, on=D, note="已电话联系"))
        with Store(path) as s:
            assert store_db.schema_version(s.db) < 7
    with Store(path) as s:
        assert store_db.schema_version(s.db) == store_db.latest_schema_version()
        drafts = dict(s.db.execute_sql("SELECT id, draft FROM visit_list").fetchall())
        assert drafts == {done.id: 0, half.id: 1}
        assert [r.id for r in VisitQuery(s.db, VisitFilter(text="招工")).fetch(0, 9)] == [half.id]
        assert [(h.kind, h.status) for h in problem_history(s, p.id)] == [
            ("status", "new"),
            ("note", None),
        ]
