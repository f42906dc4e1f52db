"""The visits and problem list sources (filters, search, paging by key) and "my week"."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from fieldtui.domain.problems import is_due_this_week, is_overdue
from fieldtui.domain.records import Assignment, Enterprise, Officer
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store import problems as ps
from fieldtui.store.my_week import my_week
from fieldtui.store.problem_list import ProblemFilter, ProblemQuery, ProblemSort
from fieldtui.store.visit_list import VisitFilter, VisitQuery, VisitSort
from fieldtui.store.visits import SelfCheckInput, VisitInput, delete_visit, save_visit

TODAY = date(2026, 3, 4)  # a Wednesday
NAMES = ["广东浩海环保设备有限公司", "肇庆博俊科技有限公司", "华音电器", "日德机械", "东风灵"]
SUMMARIES = ["了解用电需求", "宣讲惠企政策", "协调招工", "项目建设进度", "员工宿舍"]


class Zone:
    """A small zone with visits and problems whose expected list contents are computed in
    Python, for comparing with what the queries return."""

    def __init__(self, store: Store) -> None:
        rng = random.Random(5)
        self.s = store
        with store.batch():
            self.officers = [store.officers.create(Officer(name=n)).id for n in ("张三", "李四")]
            self.ents = [store.enterprises.create(Enterprise(name=n)).id for n in NAMES]
        neg = cl.current_checklist(store, "negative")
        self.visits: list[dict[str, Any]] = []
        for n in range(60):
            day = TODAY - timedelta(days=rng.randrange(120))
            officers = tuple(rng.sample(self.officers, rng.choice((1, 2))))
            complete = rng.random() > 0.2
            data = VisitInput(
                enterprise_id=rng.choice(self.ents),
                date=day,
                officer_ids=officers,
                kind=rng.choice(("onsite", "phone", "policy")),
                person=rng.choice(("陈经理", "王总", None)),
                summary=f"{rng.choice(SUMMARIES)}（第{n}次）",
                self_check=SelfCheckInput(neg.template_id, cl.all_answered(neg))
                if complete
                else None,
            )
            saved = save_visit(store, data, today=TODAY)
            self.visits.append({"id": saved.visit_id, "data": data, "draft": not complete})
        self.problems = []
        for n in range(25):
            deadline = TODAY + timedelta(days=rng.randrange(-20, 20)) if n % 5 else None
            p = ps.create_problem(
                store,
                ps.ProblemInput(
                    enterprise_id=rng.choice(self.ents),
                    category=rng.choice(("factors", "approval", "safety")),
                    description=f"{rng.choice(('首期用电', '规划验收', '排污接口'))}{n}",
                    raised_on=TODAY - timedelta(days=rng.randrange(30, 60)),
                    lead_unit=rng.choice(("供电局", "自然资源局", None)),
                    deadline=deadline,
                    officer_id=rng.choice(self.officers),
                ),
                today=TODAY,
            )
            if n % 4 == 0:
                ps.change_status(store, p.id, "resolved", note="已办结", today=TODAY)
            self.problems.append(p.id)

    def visit_ids(self, keep: Any) -> list[str]:
        chosen = [v for v in self.visits if keep(v["data"], v["draft"])]
        chosen.sort(key=lambda v: (v["data"].date.isoformat(), v["id"]), reverse=True)
        return [v["id"] for v in chosen]


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = Store(tmp_path_factory.mktemp("lists") / "z.db")
    yield Zone(store)
    store.close()


def ids(rows: Any) -> list[str]:
    return [r.id for r in rows]


def test_visit_filters(zone: Zone) -> None:
    db, z = zone.s.db, zone
    month = f"{TODAY.year}-{TODAY.month - 1:02d}"
    cases = {
        VisitFilter(): lambda d, draft: True,
        VisitFilter(officer_id=z.officers[0]): lambda d, draft: z.officers[0] in d.officer_ids,
        VisitFilter(enterprise_id=z.ents[1]): lambda d, draft: d.enterprise_id == z.ents[1],
        VisitFilter(month=month): lambda d, draft: d.date.isoformat()[:7] == month,
        VisitFilter(kind="phone"): lambda d, draft: d.kind == "phone",
        VisitFilter(draft=True): lambda d, draft: draft,
        VisitFilter(draft=False): lambda d, draft: not draft,
        VisitFilter(officer_id=z.officers[1], kind="policy", draft=False): lambda d, draft: (
            z.officers[1] in d.officer_ids and d.kind == "policy" and not draft
        ),
        VisitFilter(enterprise_id=z.ents[0], draft=True): lambda d, draft: (
            d.enterprise_id == z.ents[0] and draft
        ),
    }
    for flt, keep in cases.items():
        expected = z.visit_ids(keep)
        query = VisitQuery(db, flt)
        assert query.count() == len(expected), flt
        assert ids(query.fetch(0, 100)) == expected, flt


def test_visit_rows_show_what_the_list_needs(zone: Zone) -> None:
    row = VisitQuery(zone.s.db).fetch(0, 1)[0]
    first = next(v for v in zone.visits if v["id"] == row.id)
    data = first["data"]
    assert row.date == data.date and row.kind == data.kind and row.draft == first["draft"]
    assert row.enterprise == NAMES[zone.ents.index(data.enterprise_id)]
    names = {zone.officers[0]: "张三", zone.officers[1]: "李四"}
    assert set(row.officers) == {names[o] for o in data.officer_ids}
    assert row.summary == data.summary and row.problems == 0


@pytest.mark.parametrize(
    ("text", "keep"),
    [
        ("hhhb", lambda d, ents: d.enterprise_id == ents[0]),  # pinyin initials of 浩海环保
        ("博俊", lambda d, ents: d.enterprise_id == ents[1]),
        ("用电", lambda d, ents: "用电" in d.summary),
        ("陈经理", lambda d, ents: d.person == "陈经理"),
        ("第1次", lambda d, ents: "第1次" in d.summary),
        ("（第12次）", lambda d, ents: "第12次" in d.summary),  # punctuation is ignored
        ("不存在", lambda d, ents: False),
    ],
)
def test_visit_search(zone: Zone, text: str, keep: Any) -> None:
    expected = zone.visit_ids(lambda d, draft: keep(d, zone.ents))
    query = VisitQuery(zone.s.db, VisitFilter(text=text))
    assert ids(query.fetch(0, 100)) == expected
    assert query.count() == len(expected)
    # with another filter driving the walk, the search still applies
    officer = zone.officers[0]
    both = zone.visit_ids(lambda d, draft: keep(d, zone.ents) and officer in d.officer_ids)
    assert (
        ids(VisitQuery(zone.s.db, VisitFilter(text=text, officer_id=officer)).fetch(0, 99)) == both
    )


def test_paging_by_key_gives_the_same_rows_as_one_read(zone: Zone) -> None:
    for sort in (VisitSort(), VisitSort(descending=False)):
        whole = ids(VisitQuery(zone.s.db, sort=sort).fetch(0, 100))
        query = VisitQuery(zone.s.db, sort=sort)
        paged = []
        for offset in range(0, 60, 7):
            paged.extend(ids(query.fetch(offset, 7)))
        assert paged == whole
        fresh = VisitQuery(zone.s.db, sort=sort)
        assert ids(fresh.fetch(53, 7)) == whole[53:]  # End on a fresh query
        assert ids(fresh.fetch(46, 7)) == whole[46:53]  # PageUp from there, by key
        assert ids(fresh.fetch(20, 5)) == whole[20:25]  # a jump into the middle
    assert whole == list(reversed(ids(VisitQuery(zone.s.db).fetch(0, 100))))


def test_search_finds_edited_text_and_forgets_deleted_visits(tmp_store: Store) -> None:
    with tmp_store.batch():
        o = tmp_store.officers.create(Officer(name="张三"))
        e = tmp_store.enterprises.create(Enterprise(name="华音电器"))
    data = VisitInput(e.id, TODAY, (o.id,), summary="了解用电需求")
    saved = save_visit(tmp_store, data, today=TODAY)
    assert VisitQuery(tmp_store.db, VisitFilter(text="用电")).count() == 1
    save_visit(tmp_store, replace(data, id=saved.visit_id, summary="协调招工"), today=TODAY)
    assert VisitQuery(tmp_store.db, VisitFilter(text="用电")).count() == 0
    assert ids(VisitQuery(tmp_store.db, VisitFilter(text="招工")).fetch(0, 5)) == [saved.visit_id]
    delete_visit(tmp_store, saved.visit_id)
    assert VisitQuery(tmp_store.db, VisitFilter(text="招工")).count() == 0
    assert VisitQuery(tmp_store.db).count() == 0
    tmp_store.visits.restore(saved.visit_id)
    assert VisitQuery(tmp_store.db, VisitFilter(text="招工")).count() == 1


def test_problem_filters_and_sorts(zone: Zone) -> None:
    s = zone.s
    records = [s.problems.require(i) for i in zone.problems]
    cases = {
        ProblemFilter(): lambda p: True,
        ProblemFilter(status="resolved"): lambda p: p.status == "resolved",
        ProblemFilter(open=True): lambda p: p.status != "resolved",
        ProblemFilter(category="approval"): lambda p: p.category == "approval",
        ProblemFilter(lead_unit="供电局"): lambda p: p.lead_unit == "供电局",
        ProblemFilter(officer_id=zone.officers[0]): lambda p: p.officer_id == zone.officers[0],
        ProblemFilter(enterprise_id=zone.ents[2]): lambda p: p.enterprise_id == zone.ents[2],
        ProblemFilter(overdue=True): lambda p: is_overdue(p.status, p.deadline, TODAY),
        ProblemFilter(due_this_week=True): lambda p: is_due_this_week(p.status, p.deadline, TODAY),
        ProblemFilter(text="用电"): lambda p: "用电" in p.description,
        ProblemFilter(text="供电局"): lambda p: p.lead_unit == "供电局",
        ProblemFilter(text="hhhb"): lambda p: p.enterprise_id == zone.ents[0],
    }
    for flt, keep in cases.items():
        expected = sorted(
            (p for p in records if keep(p)),
            key=lambda p: (p.raised_on.isoformat() if p.raised_on else "", p.id),
            reverse=True,
        )
        query = ProblemQuery(s.db, flt, today=TODAY)
        rows = query.fetch(0, 100)
        assert ids(rows) == [p.id for p in expected], flt
        assert query.count() == len(expected)
        for row in rows:
            assert row.overdue == is_overdue(row.status, row.deadline, TODAY)
    by_deadline = ProblemQuery(s.db, sort=ProblemSort("deadline", descending=False), today=TODAY)
    rows = by_deadline.fetch(0, 100)
    deadlines = [r.deadline for r in rows]
    dated = [d for d in deadlines if d is not None]
    assert dated == sorted(dated) and deadlines[len(dated) :] == [None] * (len(rows) - len(dated))
    paged = []
    query = ProblemQuery(s.db, sort=ProblemSort("deadline", descending=False), today=TODAY)
    for offset in range(0, 25, 4):
        paged.extend(ids(query.fetch(offset, 4)))
    assert paged == ids(rows)


def test_my_week(tmp_store: Store) -> None:
    s = tmp_store
    with s.batch():
        me = s.officers.create(Officer(name="张三")).id
        other = s.officers.create(Officer(name="李四")).id
        names = ["甲公司", "乙公司", "丙公司", "丁公司"]
        ents = [s.enterprises.create(Enterprise(name=n)).id for n in names]
        for e in ents[:3]:
            s.assignments.create(Assignment(year=TODAY.year, officer_id=me, enterprise_id=e))
        s.assignments.create(
            Assignment(year=TODAY.year, officer_id=me, enterprise_id=ents[2], role="assist")
        )
        s.assignments.create(Assignment(year=TODAY.year - 1, officer_id=me, enterprise_id=ents[3]))
    neg = cl.current_checklist(s, "negative")
    done = SelfCheckInput(neg.template_id, cl.all_answered(neg))
    save_visit(s, VisitInput(ents[0], TODAY - timedelta(2), (me,), self_check=done), today=TODAY)
    save_visit(s, VisitInput(ents[1], TODAY - timedelta(9), (other,), self_check=done), today=TODAY)
    draft = save_visit(s, VisitInput(ents[1], TODAY - timedelta(20), (me,)), today=TODAY)
    late = ps.create_problem(
        s,
        ps.ProblemInput(
            ents[0],
            "other",
            "晚",
            raised_on=TODAY - timedelta(9),
            deadline=TODAY - timedelta(1),
            officer_id=me,
        ),
        today=TODAY,
    )
    soon = ps.create_problem(
        s,
        ps.ProblemInput(ents[1], "other", "近", deadline=TODAY + timedelta(3), officer_id=me),
        today=TODAY,
    )
    ps.create_problem(s, ps.ProblemInput(ents[1], "other", "无期", officer_id=me), today=TODAY)
    ps.create_problem(s, ps.ProblemInput(ents[1], "other", "别人的", officer_id=other), today=TODAY)
    week = my_week(s, me, today=TODAY, interval_days=7)
    rows = [(e.name, e.days_since, e.due, e.role) for e in week.enterprises]
    assert rows == [
        ("丙公司", None, True, "cso"),  # never visited first
        ("乙公司", 9, True, "cso"),  # visited by a colleague 9 days ago: past the interval
        ("甲公司", 2, False, "cso"),
    ]
    assert week.enterprises[1].my_last_visit == TODAY - timedelta(20)
    assert week.enterprises[0].open_problems == 0 and week.enterprises[2].overdue_problems
    assert week.due_count == 2
    assert [p.description for p in week.problems] == ["晚", "近", "无期"]
    assert week.problems[0].id == late.id and week.problems[0].overdue
    assert week.problems[1].id == soon.id and week.problems[1].due_this_week
    assert [v.id for v in week.drafts] == [draft.visit_id]
    assert not week.duty.complete and week.duty.month == "2026-03"
    assert [e.due for e in my_week(s, me, today=TODAY, interval_days=10).enterprises] == [
        True,
        False,
        False,
    ]
    duty = cl.current_checklist(s, "duty")
    cl.save_duty_check(s, me, "2026-03", duty.template_id, cl.all_answered(duty))
    assert my_week(s, me, today=TODAY).duty.complete


def _plans(db: Any, run: Any) -> list[str]:
    """The query plan of every SELECT ``run`` makes on ``db`` (EXPLAIN QUERY PLAN)."""
    seen: list[tuple[str, Any]] = []
    original = db.execute_sql

    def spy(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT L.ID"):
            seen.append((sql, params))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        run()
    finally:
        del db.execute_sql
    return [
        " / ".join(str(r[-1]) for r in original(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
        for sql, params in seen
    ]


@pytest.mark.parametrize(
    ("flt", "index"),
    [
        (VisitFilter(), "visit_list_date"),
        (VisitFilter(kind="phone"), "visit_list_kind"),
        (VisitFilter(draft=True, kind="phone"), "visit_list_draft"),
        (VisitFilter(enterprise_id="x", draft=True), "visit_list_enterprise"),
        (VisitFilter(month="2026-02"), "visit_list_date"),
    ],
)
def test_visit_pages_walk_an_index_without_sorting(
    zone: Zone, flt: VisitFilter, index: str
) -> None:
    """First rows and End are index walks from a key: no sort of every matching row."""
    for descending in (True, False):
        query = VisitQuery(zone.s.db, flt, VisitSort(descending))
        plans = _plans(zone.s.db, lambda q=query: (q.fetch(0, 10), q.last_page(10)))
        assert len(plans) == 2
        for plan in plans:
            assert index in plan and "TEMP B-TREE" not in plan, plan


def test_search_on_a_database_that_cannot_be_written(tmp_path: Any) -> None:
    """The queue of visits to index waits; the search answers from what is indexed."""
    path = tmp_path / "ro.db"
    with Store(path) as s:
        with s.batch():
            o = s.officers.create(Officer(name="张三"))
            e = s.enterprises.create(Enterprise(name="华音电器"))
        first = save_visit(s, VisitInput(e.id, TODAY, (o.id,), summary="了解用电需求"))
        assert VisitQuery(s.db, VisitFilter(text="用电")).count() == 1  # indexed now
        save_visit(s, VisitInput(e.id, TODAY, (o.id,), summary="用电增容"), today=TODAY)
    with Store(path) as s:
        s.db.close()
        s.db.connect()
        s.db.execute_sql("PRAGMA query_only = 1")
        rows = VisitQuery(s.db, VisitFilter(text="用电")).fetch(0, 9)
        assert [r.id for r in rows] == [first.visit_id]
    with Store(path) as s:
        assert VisitQuery(s.db, VisitFilter(text="用电")).count() == 2
