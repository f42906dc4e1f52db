"""The duty and negative lists: seeding that converges across replicas, revisions as new
versions, answers that keep the version they answered, the breach list; and a revision made
on the hub while a laptop answers the old version, synced both ways."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.domain.checklists import Answer, check_item_texts, parse_month
from fieldtui.domain.enums import SEED_NEGATIVE_ITEMS
from fieldtui.domain.records import Enterprise, Officer, Visit
from fieldtui.store import Store, writer
from fieldtui.store import checklists as cl
from fieldtui.store.service import InputError
from fieldtui.store.visits import SelfCheckInput, VisitInput, is_draft, save_visit
from sync_support import replica, ship, snapshot

D = date(2026, 3, 2)


def ops(store: Store) -> int:
    return int(store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])


def setup(store: Store) -> tuple[str, str, str]:
    """An officer, an enterprise and a visit."""
    with store.batch():
        o = store.officers.create(Officer(name="张三"))
        e = store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
        v = store.visits.create(Visit(date=D, enterprise_id=e.id))
    return o.id, e.id, v.id


# --------------------------------------------------------------------------- rules


def test_month_and_item_text_rules() -> None:
    assert (
        parse_month("2025-3") == parse_month("2025年3月") == parse_month(" 2025/03 ") == "2025-03"
    )
    for bad in ("2025-13", "25-03", "March"):
        with pytest.raises(ValueError):
            parse_month(bad)
    cleaned, problems = check_item_texts([" 不得收礼 ", "", "不得收礼", "x" * 501])
    assert cleaned[0] == "不得收礼"
    assert [i for i, _m in problems] == [1, 2, 3]
    assert check_item_texts([])[1] == [(-1, "A checklist needs at least one item")]


# --------------------------------------------------------------------------- seeding


def test_the_seed_is_read_before_it_is_stored_with_the_ids_it_will_have(
    tmp_store: Store, tmp_path: Path
) -> None:
    seed = cl.current_checklist(tmp_store, "negative")
    assert not seed.stored and seed.version == 1
    assert seed.texts == SEED_NEGATIVE_ITEMS
    assert tmp_store.is_empty()  # reading wrote nothing: the first-run screen still shows
    assert cl.ensure_checklists(tmp_store) == ["duty", "negative"]
    stored = cl.current_checklist(tmp_store, "negative")
    assert stored.stored and stored.item_ids == seed.item_ids
    before = ops(tmp_store)
    assert cl.ensure_checklists(tmp_store) == []
    assert ops(tmp_store) == before
    with Store(tmp_path / "other.db") as other:
        cl.ensure_checklists(other)
        assert cl.current_checklist(other, "duty") == cl.current_checklist(tmp_store, "duty")


# --------------------------------------------------------------------------- answers


def test_answers_update_in_place_and_a_breach_needs_a_note(tmp_store: Store) -> None:
    officer, _e, visit = setup(tmp_store)
    neg = cl.current_checklist(tmp_store, "negative")
    first = dict(list(cl.all_answered(neg).items())[:3])
    state = cl.save_self_check(tmp_store, visit, neg.template_id, first, officer_id=officer)
    assert not state.complete and len(state.answers) == 3 and len(state.missing) == 6
    assert is_draft(tmp_store, visit)
    before = ops(tmp_store)
    with pytest.raises(InputError) as info:
        cl.save_self_check(
            tmp_store,
            visit,
            neg.template_id,
            {neg.items[0].id: Answer("breached")},
            officer_id=officer,
        )
    assert info.value.field == f"answers.{neg.items[0].id}"
    assert "Item 1" in str(info.value)
    with pytest.raises(InputError):  # a duty answer on the negative list
        cl.save_self_check(
            tmp_store, visit, neg.template_id, {neg.items[0].id: Answer("done")}, officer_id=officer
        )
    assert ops(tmp_store) == before
    answers = cl.all_answered(neg)
    answers[neg.items[1].id] = Answer("breached", "接受工作午餐一次")
    state = cl.save_self_check(tmp_store, visit, neg.template_id, answers, officer_id=officer)
    assert state.complete and not is_draft(tmp_store, visit)
    assert [(i.position, a.note) for i, a in state.failures] == [(2, "接受工作午餐一次")]
    rows = tmp_store.db.execute_sql(
        "SELECT COUNT(*) FROM checklist_answer WHERE visit_id = ?", (visit,)
    ).fetchone()[0]
    assert rows == len(neg.items)  # answering again updated the rows


def test_duty_check_per_officer_and_month(tmp_store: Store) -> None:
    officer, _e, _v = setup(tmp_store)
    duty = cl.current_checklist(tmp_store, "duty")
    assert not cl.duty_check(tmp_store, officer, "2026-02").complete
    answers = cl.all_answered(duty)
    answers[duty.items[0].id] = Answer("not_done", "本月外出招商")
    state = cl.save_duty_check(tmp_store, officer, "2026年2月", duty.template_id, answers)
    assert state.complete and state.month == "2026-02"
    assert [i.position for i, _a in state.failures] == [1]
    assert not cl.duty_check(tmp_store, officer, "2026-03").complete
    with pytest.raises(InputError) as info:
        cl.save_duty_check(tmp_store, officer, "2026-13", duty.template_id, answers)
    assert info.value.field == "month"
    with pytest.raises(InputError):  # the negative list's template for a duty check
        neg = cl.current_checklist(tmp_store, "negative")
        cl.save_duty_check(tmp_store, officer, "2026-02", neg.template_id, cl.all_answered(neg))


def test_breach_list(tmp_store: Store) -> None:
    officer, _enterprise, visit = setup(tmp_store)
    neg = cl.current_checklist(tmp_store, "negative")
    answers = cl.all_answered(neg)
    answers[neg.items[1].id] = Answer("breached", "收受礼品，已退回")
    cl.save_self_check(tmp_store, visit, neg.template_id, answers, officer_id=officer)
    duty = cl.current_checklist(tmp_store, "duty")
    dut = cl.all_answered(duty)
    dut[duty.items[7].id] = Answer("not_done", "月报迟报")
    cl.save_duty_check(tmp_store, officer, "2026-02", duty.template_id, dut)
    (b,) = cl.breaches(tmp_store)
    assert (b.officer, b.on, b.enterprise, b.position, b.note) == (
        "张三",
        D,
        "广东浩海环保设备有限公司",
        2,
        "收受礼品，已退回",
    )
    assert b.item == SEED_NEGATIVE_ITEMS[1] and b.version == 1
    assert len(cl.breaches(tmp_store, include_duty=True)) == 2
    assert cl.breaches(tmp_store, year=2025) == []
    assert len(cl.breaches(tmp_store, year=2026, officer_id=officer)) == 1
    tmp_store.visits.delete(visit)  # a visit entered by mistake takes its answers along
    assert cl.breaches(tmp_store) == []


# --------------------------------------------------------------------------- revisions


def test_a_revision_is_a_new_version_and_old_answers_read_the_same(tmp_store: Store) -> None:
    officer, _e, visit = setup(tmp_store)
    v1 = cl.current_checklist(tmp_store, "negative")
    answers = cl.all_answered(v1)
    answers[v1.items[5].id] = Answer("breached", "参加企业宴请")
    cl.save_self_check(tmp_store, visit, v1.template_id, answers, officer_id=officer)
    texts = list(v1.texts)
    texts[5] = "不得干预企业正常生产经营活动"  # reworded
    del texts[0]  # retired
    texts.append("不得在企业兼职或领取任何报酬")  # added
    v2 = cl.revise_checklist(tmp_store, "negative", texts, base_template_id=v1.template_id, today=D)
    assert (v2.version, v2.effective_from, v2.texts) == (2, D, tuple(texts))
    assert cl.current_checklist(tmp_store, "negative") == v2
    assert [c.version for c in cl.checklist_versions(tmp_store, "negative")] == [2, 1]
    state = cl.visit_self_check(tmp_store, visit)
    assert state.complete and state.checklist.version == 1
    assert state.failures[0][0].text == SEED_NEGATIVE_ITEMS[5]
    assert not is_draft(tmp_store, visit)
    # editing from a stale version is refused; an unchanged list makes no version
    before = ops(tmp_store)
    with pytest.raises(InputError) as info:
        cl.revise_checklist(tmp_store, "negative", texts[:3], base_template_id=v1.template_id)
    assert info.value.field == "base_template_id" and "version 2" in str(info.value)
    same = cl.revise_checklist(tmp_store, "negative", texts, base_template_id=v2.template_id)
    assert same == v2 and ops(tmp_store) == before
    with pytest.raises(InputError) as info:
        cl.revise_checklist(
            tmp_store, "negative", [*texts, texts[0]], base_template_id=v2.template_id
        )
    assert info.value.field == f"items.{len(texts)}"


# --------------------------------------------------------------------------- across sync


def versions_and_texts(store: Store, visit_id: str) -> tuple[int, bool, tuple[str, ...]]:
    state = cl.visit_self_check(store, visit_id)
    return state.checklist.version, state.complete, state.checklist.texts


def test_seeded_independently_then_revised_on_the_hub_while_a_laptop_answers_the_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "投资促进服务中心")
    a = replica(tmp_path / "a.db", sync.LAPTOP, "张三")
    b = replica(tmp_path / "b.db", sync.LAPTOP, "李四")
    sticks = tmp_path / "sticks"
    try:
        with hub.batch():
            zhang = hub.officers.create(Officer(name="张三")).id
            li = hub.officers.create(Officer(name="李四")).id
            ent = hub.enterprises.create(Enterprise(name="广东浩海环保设备有限公司")).id
        # every replica seeds on its own before it has seen anyone's file, on another day
        for day, store in enumerate((hub, a, b), start=1):
            stamp = f"2026-01-0{day}T08:00:00+00:00"
            monkeypatch.setattr(writer, "now_iso", lambda stamp=stamp: stamp)
            assert cl.ensure_checklists(store) == ["duty", "negative"]
        monkeypatch.undo()
        ship(hub, a, sticks / "1")
        ship(hub, b, sticks / "2")
        for store in (hub, a, b):
            assert (
                store.db.execute_sql("SELECT COUNT(*) FROM checklist_template").fetchone()[0] == 2
            )
            assert store.db.execute_sql("SELECT COUNT(*) FROM conflict").fetchone()[0] == 0

        # laptop A answers version 1 at a visit
        v1 = cl.current_checklist(a, "negative")

        def visit_on(store: Store, officer: str, day: date, check: cl.Checklist) -> str:
            answers = cl.all_answered(check)
            answers[check.items[5].id] = Answer("breached", f"{day} 参加宴请")
            saved = save_visit(
                store,
                VisitInput(
                    enterprise_id=ent,
                    date=day,
                    officer_ids=(officer,),
                    self_check=SelfCheckInput(check.template_id, answers),
                ),
                today=day,
            )
            assert not saved.draft
            return saved.visit_id

        first = visit_on(a, zhang, date(2026, 3, 2), v1)
        # the office revises the negative list; laptop A has not seen it yet
        texts = list(v1.texts)
        texts[5] = "不得干预企业正常生产经营活动"
        texts.append("不得在企业兼职或领取任何报酬")
        v2 = cl.revise_checklist(hub, "negative", texts, base_template_id=v1.template_id, today=D)
        second = visit_on(a, zhang, date(2026, 3, 3), cl.current_checklist(a, "negative"))
        # laptop B takes the office's file first and answers version 2
        ship(hub, b, sticks / "3")
        assert cl.current_checklist(b, "negative").version == 2
        third = visit_on(b, li, date(2026, 3, 4), cl.current_checklist(b, "negative"))
        # both ways: laptops to the hub, the hub back to both
        ship(a, hub, sticks / "4")
        ship(b, hub, sticks / "5")
        ship(hub, a, sticks / "6")
        ship(hub, b, sticks / "7")

        old = (1, True, SEED_NEGATIVE_ITEMS)
        for store in (hub, a, b):
            assert cl.current_checklist(store, "negative") == v2
            assert versions_and_texts(store, first) == old
            assert versions_and_texts(store, second) == old
            assert versions_and_texts(store, third) == (2, True, tuple(texts))
            assert not any(is_draft(store, v) for v in (first, second, third))
            items = {(x.visit_id, x.version, x.item) for x in cl.breaches(store)}
            assert items == {
                (first, 1, SEED_NEGATIVE_ITEMS[5]),
                (second, 1, SEED_NEGATIVE_ITEMS[5]),
                (third, 2, "不得干预企业正常生产经营活动"),
            }
        assert snapshot(hub) == snapshot(a) == snapshot(b)
        assert hub.db.execute_sql("SELECT COUNT(*) FROM conflict").fetchone()[0] == 0
        # a new visit on laptop A now starts from version 2
        assert cl.current_checklist(a, "negative").version == 2
    finally:
        for store in (hub, a, b):
            store.close()
