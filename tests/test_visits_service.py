"""Visits: saved whole in one transaction (officers, problems raised, self-check), drafts
derived from the self-check, defaults for a new visit, refusals that write nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from fieldtui.domain.checklists import Answer
from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store import problems as ps
from fieldtui.store.service import InputError
from fieldtui.store.visits import (
    RaisedProblem,
    SelfCheckInput,
    VisitInput,
    default_officer_id,
    delete_visit,
    is_draft,
    load_visit,
    save_visit,
    visit_defaults,
)

D = date(2026, 3, 2)


@pytest.fixture
def ids(tmp_store: Store) -> dict[str, str]:
    with tmp_store.batch():
        zhang = tmp_store.officers.create(Officer(name="张三"))
        li = tmp_store.officers.create(Officer(name="李四"))
        e = tmp_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
    tmp_store.set_meta("officer_id", zhang.id)
    return {"zhang": zhang.id, "li": li.id, "enterprise": e.id}


def ops(store: Store) -> int:
    return int(store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])


def full_visit(store: Store, ids: dict[str, str]) -> VisitInput:
    defaults = visit_defaults(store, enterprise_id=ids["enterprise"], today=D)
    answers = cl.all_answered(defaults.checklist)
    return replace(
        defaults.visit,
        officer_ids=(ids["zhang"], ids["li"]),
        person="陈经理",
        person_title="总经理",
        topics=("operations", "expansion"),
        summary="了解二期用电需求",
        follow_up="跟进用电增容",
        problems=(
            RaisedProblem("factors", "首期用电", lead_unit="供电局", deadline=date(2026, 3, 30)),
            RaisedProblem("approval", "规划验收"),
        ),
        self_check=SelfCheckInput(defaults.checklist.template_id, answers),
    )


def test_defaults_are_today_the_current_officer_and_the_enterprise_in_context(
    tmp_store: Store, ids: dict[str, str]
) -> None:
    d = visit_defaults(tmp_store, enterprise_id=ids["enterprise"], today=D)
    assert (d.visit.date, d.visit.officer_ids, d.visit.enterprise_id, d.visit.kind) == (
        D,
        (ids["zhang"],),
        ids["enterprise"],
        "onsite",
    )
    assert d.checklist.kind == "negative" and len(d.checklist.items) == 9
    assert default_officer_id(tmp_store, "李四") == ids["li"]  # the settings' officer wins
    assert default_officer_id(tmp_store, "nobody") == ids["zhang"]
    tmp_store.officers.delete(ids["zhang"])
    assert default_officer_id(tmp_store) is None


def test_a_visit_with_two_problems_and_the_full_self_check_in_one_save(
    tmp_store: Store, ids: dict[str, str]
) -> None:
    saved = save_visit(tmp_store, full_visit(tmp_store, ids), today=D)
    assert saved.created and not saved.draft and len(saved.problem_ids) == 2
    detail = load_visit(tmp_store, saved.visit_id)
    assert detail is not None
    assert detail.officer_names == ("张三", "李四")
    assert detail.enterprise_name == "广东浩海环保设备有限公司"
    assert detail.visit.topics == ["operations", "expansion"]
    assert detail.self_check.complete and not detail.draft
    assert {"date", "summary", "enterprise_id"} <= set(detail.heads)
    first, second = detail.problems
    assert (first.description, first.visit_id, first.raised_on) == ("首期用电", saved.visit_id, D)
    assert (first.enterprise_id, first.officer_id, first.status) == (
        ids["enterprise"],
        ids["zhang"],
        "new",
    )
    assert first.deadline == date(2026, 3, 30) and first.lead_unit == "供电局"
    assert second.category == "approval"
    assert [h.status for h in ps.problem_history(tmp_store, first.id)] == ["new"]
    answers = tmp_store.db.execute_sql(
        "SELECT COUNT(*), MIN(officer_id), MAX(officer_id) FROM checklist_answer"
        " WHERE visit_id = ?",
        (saved.visit_id,),
    ).fetchone()
    assert answers == (9, ids["zhang"], ids["zhang"])  # the first officer answers


def test_drafts_are_derived_from_the_self_check(tmp_store: Store, ids: dict[str, str]) -> None:
    data = full_visit(tmp_store, ids)
    assert data.self_check is not None
    draft = save_visit(tmp_store, replace(data, self_check=None, problems=()), today=D)
    assert draft.draft and is_draft(tmp_store, draft.visit_id)
    partial = dict(list(data.self_check.answers.items())[:4])
    again = save_visit(
        tmp_store,
        replace(
            data,
            id=draft.visit_id,
            problems=(),
            self_check=SelfCheckInput(data.self_check.template_id, partial),
        ),
        today=D,
    )
    assert again.draft and not again.created
    done = save_visit(tmp_store, replace(data, id=draft.visit_id, problems=()), today=D)
    assert not done.draft
    # deleting an answer (as a sync conflict resolution might) makes it a draft again
    answer_id = tmp_store.db.execute_sql(
        "SELECT id FROM checklist_answer WHERE visit_id = ? LIMIT 1", (draft.visit_id,)
    ).fetchone()[0]
    tmp_store.checklist_answers.delete(answer_id)
    assert is_draft(tmp_store, draft.visit_id)
    tmp_store.checklist_answers.restore(answer_id)
    assert not is_draft(tmp_store, draft.visit_id)
    # a deleted visit is no draft (it is not in the list at all)
    delete_visit(tmp_store, draft.visit_id)
    assert not is_draft(tmp_store, draft.visit_id)


def test_drafts_survive_reopening_the_database(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    with Store(path) as s:
        with s.batch():
            o = s.officers.create(Officer(name="张三"))
            e = s.enterprises.create(Enterprise(name="浩海"))
        saved = save_visit(s, VisitInput(e.id, D, (o.id,)), today=D)
    with Store(path) as s:
        assert is_draft(s, saved.visit_id)
        detail = load_visit(s, saved.visit_id)
        assert detail is not None and detail.draft and not detail.self_check.answers


def test_editing_a_visit_and_its_problems(tmp_store: Store, ids: dict[str, str]) -> None:
    data = full_visit(tmp_store, ids)
    saved = save_visit(tmp_store, data, today=D)
    first, second = saved.problem_ids
    edited = replace(
        data,
        id=saved.visit_id,
        officer_ids=(ids["zhang"],),
        summary="了解二期用电需求，企业希望月底前通电",
        self_check=None,
        problems=(
            RaisedProblem("factors", "首期用电（10kV）", id=first, lead_unit="供电局"),
            RaisedProblem("safety", "环评批复"),
        ),
    )
    again = save_visit(tmp_store, edited, today=D)
    assert set(again.changed) == {"summary", "officer_ids"}
    assert again.problem_ids[0] == first and again.problem_ids[1] not in (first, second)
    detail = load_visit(tmp_store, saved.visit_id)
    assert detail is not None and detail.officer_names == ("张三",)
    assert [p.description for p in detail.problems] == ["首期用电（10kV）", "规划验收", "环评批复"]
    assert not detail.draft  # answers stay when a save leaves the self-check alone


def test_refusals_name_the_field_and_write_nothing(tmp_store: Store, ids: dict[str, str]) -> None:
    data = full_visit(tmp_store, ids)
    assert data.self_check is not None
    neg = cl.current_checklist(tmp_store, "negative")
    breached = dict(data.self_check.answers)
    breached[neg.items[2].id] = Answer("breached")
    before = ops(tmp_store)
    cases = {
        "date": replace(data, date=None),
        "officer_ids": replace(data, officer_ids=()),
        "enterprise_id": replace(data, enterprise_id="missing"),
        "kind": replace(data, kind="teleport"),
        "problems.1.description": replace(
            data, problems=(data.problems[0], RaisedProblem("other", " "))
        ),
        "problems.0.category": replace(data, problems=(RaisedProblem("nope", "x"),)),
        f"answers.{neg.items[2].id}": replace(
            data, self_check=SelfCheckInput(neg.template_id, breached)
        ),
        "person": replace(data, person="陈" * 201),
    }
    for field, bad in cases.items():
        with pytest.raises(InputError) as info:
            save_visit(tmp_store, bad, today=D)
        assert field in info.value.errors, (field, info.value.errors)
    with pytest.raises(InputError) as info:
        save_visit(tmp_store, replace(data, date=date(2026, 3, 3)), today=D)
    assert info.value.field == "date"
    assert ops(tmp_store) == before
    assert tmp_store.db.execute_sql("SELECT COUNT(*) FROM visit").fetchone()[0] == 0


def test_a_visit_of_a_deleted_enterprise_can_still_be_corrected(
    tmp_store: Store, ids: dict[str, str]
) -> None:
    data = replace(full_visit(tmp_store, ids), problems=(), self_check=None)
    saved = save_visit(tmp_store, data, today=D)
    tmp_store.enterprises.delete(ids["enterprise"])
    tmp_store.officers.delete(ids["li"])
    again = save_visit(tmp_store, replace(data, id=saved.visit_id, summary="更正"), today=D)
    assert again.changed == ("summary",)
    with pytest.raises(InputError) as info:  # but a new visit cannot name them
        save_visit(tmp_store, data, today=D)
    assert info.value.field in ("officer_ids", "enterprise_id")
    with pytest.raises(InputError) as info:
        save_visit(tmp_store, replace(data, id="nope"), today=D)
    assert info.value.field == "id"
