"""The problem workflow: its rules (pure), and the service that writes each change with its
dated history entry in one transaction."""

from __future__ import annotations

from datetime import date

import pytest

from fieldtui.domain import problems as flow
from fieldtui.domain.problems import WorkflowError
from fieldtui.domain.records import Enterprise, Officer, Problem
from fieldtui.store import Store
from fieldtui.store import problems as ps
from fieldtui.store.service import InputError

D = date(2026, 3, 2)  # a Monday


def problem(**kw: object) -> Problem:
    p = Problem(enterprise_id="e", description="首期用电", raised_on=date(2026, 3, 1))
    for k, v in kw.items():
        setattr(p, k, v)
    return p


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("start", "target", "ok"),
    [
        ("new", "assigned", True),
        ("new", "in_progress", True),
        ("new", "resolved", True),  # settled on the spot
        ("assigned", "in_progress", True),
        ("in_progress", "resolved", True),
        ("in_progress", "unresolvable", True),
        ("assigned", "new", True),  # assignment withdrawn (with a reason)
        ("resolved", "in_progress", True),  # reopened (with a reason)
        ("unresolvable", "in_progress", True),
        ("resolved", "new", False),
        ("resolved", "unresolvable", False),
        ("in_progress", "new", False),
        ("unresolvable", "resolved", False),
    ],
)
def test_allowed_transitions(start: str, target: str, ok: bool) -> None:
    p = problem(status=start, lead_unit="供电局")
    if ok:
        plan = flow.plan_status_change(p, target, on=D, today=D, note="理由", resolution="已办")
        assert plan.changes["status"] == target
        assert plan.event["status"] == target and plan.event["kind"] == "status"
    else:
        with pytest.raises(WorkflowError) as info:
            flow.plan_status_change(p, target, on=D, today=D, note="理由")
        assert info.value.field == "status"


def test_a_status_from_a_newer_version_may_move_to_any_known_status() -> None:
    assert set(flow.next_statuses("escalated")) == {
        "new",
        "assigned",
        "in_progress",
        "resolved",
        "unresolvable",
    }
    plan = flow.plan_status_change(problem(status="escalated"), "in_progress", on=D, today=D)
    assert plan.changes == {"status": "in_progress"}


def test_labels_are_accepted_for_the_status() -> None:
    plan = flow.plan_status_change(problem(), "已交办", on=D, today=D, lead_unit="供电局")
    assert plan.changes == {"status": "assigned", "lead_unit": "供电局"}


@pytest.mark.parametrize(
    ("start", "target", "kw", "field"),
    [
        ("new", "assigned", {}, "lead_unit"),
        ("in_progress", "resolved", {}, "resolution"),
        ("in_progress", "unresolvable", {}, "resolution"),
        ("assigned", "new", {}, "note"),
        ("resolved", "in_progress", {}, "note"),
        ("new", "assigned", {"lead_unit": "供电局", "on": date(2026, 2, 1)}, "on"),
        ("new", "assigned", {"lead_unit": "供电局", "on": date(2026, 3, 9)}, "on"),
        ("new", "new", {}, "status"),
        ("new", "closed", {}, "status"),
    ],
)
def test_what_each_step_needs(start: str, target: str, kw: dict[str, object], field: str) -> None:
    on = kw.pop("on", D)
    with pytest.raises(WorkflowError) as info:
        flow.plan_status_change(problem(status=start), target, on=on, today=D, **kw)  # type: ignore[arg-type]
    assert info.value.field == field


def test_resolving_sets_the_date_and_reopening_clears_what_belonged_to_it() -> None:
    p = problem(status="in_progress", lead_unit="供电局")
    plan = flow.plan_status_change(p, "resolved", on=D, today=D, note="已接电")
    assert plan.changes == {"status": "resolved", "resolved_on": D, "resolution": "已接电"}
    done = problem(status="resolved", resolved_on=D, resolution="已接电", satisfaction="basic")
    plan = flow.plan_status_change(done, "in_progress", on=D, today=D, note="企业反映仍未通电")
    assert plan.changes == {"status": "in_progress", "resolved_on": None, "satisfaction": None}
    assert plan.event["note"] == "企业反映仍未通电"


def test_extension_rules() -> None:
    p = problem(status="in_progress", deadline=date(2026, 3, 20))
    plan = flow.plan_extension(p, date(2026, 4, 20), on=D, today=D, reason="等待审批")
    assert plan.changes == {"deadline": date(2026, 4, 20)}
    assert plan.event == {
        "kind": "extension",
        "on": D,
        "note": "等待审批",
        "deadline": date(2026, 4, 20),
    }
    for deadline, reason, field in [
        (date(2026, 4, 20), "  ", "note"),
        (date(2026, 3, 20), "理由", "deadline"),
        (date(2026, 3, 10), "理由", "deadline"),
    ]:
        with pytest.raises(WorkflowError) as info:
            flow.plan_extension(p, deadline, on=D, today=D, reason=reason)
        assert info.value.field == field
    with pytest.raises(WorkflowError):
        flow.plan_extension(problem(status="resolved"), date(2026, 5, 1), on=D, today=D, reason="x")
    # a problem without a deadline gets its first one this way too
    first = flow.plan_extension(problem(status="new"), date(2026, 3, 30), on=D, today=D, reason="x")
    assert first.changes == {"deadline": date(2026, 3, 30)}


def test_follow_up_only_after_resolution() -> None:
    with pytest.raises(WorkflowError):
        flow.plan_follow_up(problem(status="in_progress"), "satisfied", on=D, today=D)
    done = problem(status="resolved", resolved_on=date(2026, 3, 1))
    plan = flow.plan_follow_up(done, "基本满意", on=D, today=D, note="电话回访")
    assert plan.changes == {"satisfaction": "basic"}
    assert plan.event["kind"] == "follow_up" and plan.event["satisfaction"] == "basic"
    with pytest.raises(WorkflowError) as info:
        flow.plan_follow_up(done, "happy", on=D, today=D)
    assert info.value.field == "satisfaction"


def test_overdue_and_due_this_week() -> None:
    today = date(2026, 3, 4)  # Wednesday; the week is 2 to 8 March
    assert flow.week_bounds(today) == (date(2026, 3, 2), date(2026, 3, 8))
    assert flow.is_overdue("in_progress", date(2026, 3, 3), today)
    assert not flow.is_overdue("in_progress", today, today)  # the deadline day is in time
    assert not flow.is_overdue("resolved", date(2026, 1, 1), today)
    assert not flow.is_overdue("unresolvable", date(2026, 1, 1), today)
    assert flow.is_overdue("escalated", date(2026, 1, 1), today)  # unknown status: open
    assert not flow.is_overdue("new", None, today)
    assert flow.is_due_this_week("new", date(2026, 3, 8), today)
    assert flow.is_due_this_week("new", date(2026, 3, 2), today)  # overdue and this week
    assert not flow.is_due_this_week("new", date(2026, 3, 9), today)
    assert not flow.is_due_this_week("resolved", date(2026, 3, 5), today)


def test_event_kind_of_entries_made_before_kinds_existed() -> None:
    assert flow.event_kind(None, "assigned") == "status"
    assert flow.event_kind(None, None) == "note"
    assert flow.event_kind("extension", None) == "extension"


# --------------------------------------------------------------------------- service


@pytest.fixture
def ids(tmp_store: Store) -> dict[str, str]:
    with tmp_store.batch():
        o = tmp_store.officers.create(Officer(name="张三"))
        e = tmp_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
    return {"officer": o.id, "enterprise": e.id}


def ops(store: Store) -> int:
    return int(store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])


def test_a_problem_followed_to_resolution_keeps_its_full_history(
    tmp_store: Store, ids: dict[str, str]
) -> None:
    s = tmp_store
    p = ps.create_problem(
        s,
        ps.ProblemInput(
            ids["enterprise"],
            "factors",
            "首期用电",
            raised_on=date(2026, 3, 1),
            deadline=date(2026, 3, 20),
        ),
        recorded_by=ids["officer"],
        today=D,
    )
    assert (p.status, p.officer_id) == ("new", ids["officer"])
    day = lambda n: date(2026, 3, n)  # noqa: E731
    ps.change_status(s, p.id, "assigned", lead_unit="供电局", on=day(2), today=day(2))
    ps.add_note(s, p.id, "已与供电局现场踏勘", on=day(5), today=day(5), officer_id=ids["officer"])
    ps.change_status(s, p.id, "in_progress", on=day(6), today=day(6))
    ps.extend_deadline(s, p.id, day(31), reason="需报市供电局审批", on=day(15), today=day(15))
    done = ps.change_status(s, p.id, "resolved", note="已送电", on=day(28), today=day(28))
    assert (done.status, done.resolved_on, done.resolution) == ("resolved", day(28), "已送电")
    assert done.deadline == day(31) and done.lead_unit == "供电局"
    final = ps.record_follow_up(s, p.id, "满意", note="企业认可", on=day(30), today=day(30))
    assert final.satisfaction == "satisfied"
    history = ps.problem_history(s, p.id)
    assert [(h.kind, h.on, h.status) for h in history] == [
        ("status", day(1), "new"),
        ("status", day(2), "assigned"),
        ("note", day(5), None),
        ("status", day(6), "in_progress"),
        ("extension", day(15), None),
        ("status", day(28), "resolved"),
        ("follow_up", day(30), None),
    ]
    assert history[4].deadline == day(31) and history[4].note == "需报市供电局审批"
    assert history[6].satisfaction == "satisfied"
    assert history[2].officer == "张三"
    # every entry is a synced row: its fields travel as ops
    fields = {
        r[0]
        for r in s.db.execute_sql(
            "SELECT DISTINCT field FROM op WHERE tbl = 'problem_event'"
        ).fetchall()
    }
    assert {"kind", "deadline", "satisfaction", "note", "on", "status"} <= fields


def test_a_refused_step_writes_nothing(tmp_store: Store, ids: dict[str, str]) -> None:
    p = ps.create_problem(s := tmp_store, ps.ProblemInput(ids["enterprise"], "other", "x"), today=D)
    before = ops(s)
    with pytest.raises(InputError) as info:
        ps.change_status(s, p.id, "assigned", today=D)
    assert info.value.field == "lead_unit"
    with pytest.raises(InputError):
        ps.record_follow_up(s, p.id, "satisfied", today=D)
    with pytest.raises(InputError) as info:
        ps.update_problem(s, p.id, {"status": "resolved"})
    assert info.value.field == "status"
    with pytest.raises(InputError) as info:
        ps.create_problem(s, ps.ProblemInput(ids["enterprise"], "other", "  "), today=D)
    assert info.value.field == "description"
    with pytest.raises(InputError) as info:
        ps.create_problem(s, ps.ProblemInput("nope", "other", "y"), today=D)
    assert info.value.field == "enterprise_id"
    with pytest.raises(InputError) as info:
        ps.create_problem(s, ps.ProblemInput(ids["enterprise"], "bogus", "y"), today=D)
    assert info.value.field == "category"
    assert ops(s) == before
    assert len(ps.problem_history(s, p.id)) == 1


def test_a_set_deadline_changes_only_by_an_extension(tmp_store: Store, ids: dict[str, str]) -> None:
    s = tmp_store
    p = ps.create_problem(s, ps.ProblemInput(ids["enterprise"], "other", "x"), today=D)
    assert ps.update_problem(s, p.id, {"deadline": date(2026, 3, 10)}) == ["deadline"]
    with pytest.raises(InputError) as info:
        ps.update_problem(s, p.id, {"deadline": date(2026, 3, 20)})
    assert info.value.field == "deadline"
    assert ps.update_problem(s, p.id, {"description": "首期用电", "lead_unit": "供电局"}) == [
        "description",
        "lead_unit",
    ]


def test_find_by_a_unique_end_of_the_id(tmp_store: Store, ids: dict[str, str]) -> None:
    s = tmp_store
    a = ps.create_problem(s, ps.ProblemInput(ids["enterprise"], "other", "a"), today=D)
    assert ps.find_problem(s, a.id).id == a.id
    assert ps.find_problem(s, a.id[-8:].upper()).id == a.id
    with pytest.raises(InputError):
        ps.find_problem(s, "zzzzzz")
    ps.delete_problem(s, a.id)
    with pytest.raises(InputError):
        ps.find_problem(s, a.id)
