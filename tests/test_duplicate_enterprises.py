"""Possible duplicate enterprises (one USCC entered on two laptops) and their merge (issue 11,
item 7): found at the office, merged into one with every link moved, nothing lost, and the
merge travels to every laptop."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.domain.records import (
    Activity,
    Enterprise,
    Meeting,
    Officer,
    Problem,
    Project,
    Visit,
)
from fieldtui.store import Store
from fieldtui.store.assignments import assign
from fieldtui.store.duplicates import MergeError, duplicate_enterprises, merge_enterprises
from invariants import assert_rows_equal_ops
from sheet_files import USCC_OK
from sync_support import replica, ship, snapshot

YEAR = date.today().year
OTHER_USCC = "91441284MA4UK8XQ3X"


def live(store: Store, table: str, enterprise_id: str) -> int:
    return int(
        store.db.execute_sql(
            f"SELECT COUNT(*) FROM {table} WHERE enterprise_id = ? AND deleted = 0",
            (enterprise_id,),
        ).fetchone()[0]
    )


def test_one_store_lists_groups_and_merges_everything_into_the_kept_one(
    tmp_store: Store,
) -> None:
    s = tmp_store
    officer = s.officers.create(Officer(name="张三"))
    helper = s.officers.create(Officer(name="李四"))
    kept = s.enterprises.create(Enterprise(name="浩海环保", uscc=USCC_OK, tags=["环保"]))
    dup = s.enterprises.create(
        Enterprise(
            name="广东浩海环保设备有限公司",
            uscc=USCC_OK,
            address="大旺大道18号",
            phone="13800138000",
            tags=["环保", "规上"],
            notes="第二台笔记本录入",
        )
    )
    s.enterprises.create(Enterprise(name="另一家", uscc=OTHER_USCC))
    visit = s.visits.create(Visit(enterprise_id=dup.id, date=date(YEAR, 3, 1), summary="走访"))
    problem = s.problems.create(Problem(enterprise_id=dup.id, description="用电"))
    project = s.projects.create(Project(name="新厂房", enterprise_id=dup.id))
    lead = assign(s, YEAR, officer.id, enterprise_id=kept.id, role="assist")
    assign(s, YEAR, officer.id, enterprise_id=dup.id, role="cso")  # the same officer, twice
    moved_assignment = assign(s, YEAR, helper.id, enterprise_id=dup.id)
    meeting = s.meetings.create(Meeting(date=date(YEAR, 4, 1), topic="协调会"))
    s.meeting_enterprises.link(meeting.id, dup.id)
    activity = s.activities.create(Activity(date=date(YEAR, 5, 1), place="深圳"))
    s.activity_enterprises.link(activity.id, dup.id)
    s.activity_enterprises.link(activity.id, kept.id)  # already linked to both

    (group,) = duplicate_enterprises(s)
    assert group.uscc == USCC_OK
    assert [e.id for e in group.enterprises] == [kept.id, dup.id]
    assert group.enterprises[1].links == {
        "visit": 1,
        "problem": 1,
        "project": 1,
        "assignment": 2,
        "meeting_enterprise": 1,
        "activity_enterprise": 1,
    }
    assert group.enterprises[0].created_by == s.replica_id

    merged = merge_enterprises(s, kept.id, [dup.id])
    assert merged.dropped == (dup.id,)
    assert set(merged.filled) == {"address", "phone", "notes", "tags"}
    assert duplicate_enterprises(s) == []
    after = s.enterprises.require(kept.id)
    assert after.address == "大旺大道18号" and after.phone == "13800138000"
    assert after.notes == "第二台笔记本录入"
    assert after.tags == ["环保", "规上"]
    assert s.enterprises.require(dup.id).deleted  # waits in the deleted records
    assert s.visits.require(visit.id).enterprise_id == kept.id
    assert s.problems.require(problem.id).enterprise_id == kept.id
    assert s.projects.require(project.id).enterprise_id == kept.id
    assert s.assignments.require(moved_assignment).enterprise_id == kept.id
    assert s.assignments.require(lead).role == "cso"  # lead wins over assisting
    assert live(s, "assignment", kept.id) == 2 and live(s, "assignment", dup.id) == 0
    assert s.meeting_enterprises.right_ids(meeting.id) == [kept.id]
    assert s.activity_enterprises.right_ids(activity.id) == [kept.id]
    for table in ("visit", "problem", "project", "meeting_enterprise", "activity_enterprise"):
        assert live(s, table, dup.id) == 0, table


def test_a_merge_is_refused_unless_they_are_live_duplicates(tmp_store: Store) -> None:
    s = tmp_store
    a = s.enterprises.create(Enterprise(name="甲", uscc=USCC_OK))
    b = s.enterprises.create(Enterprise(name="乙", uscc=USCC_OK))
    c = s.enterprises.create(Enterprise(name="丙", uscc=OTHER_USCC))
    ops = int(s.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])
    with pytest.raises(MergeError, match="another unified social credit code"):
        merge_enterprises(s, a.id, [c.id])
    with pytest.raises(MergeError):
        merge_enterprises(s, a.id, [a.id])
    s.enterprises.delete(b.id)
    ops += 1
    with pytest.raises(MergeError, match="no longer"):
        merge_enterprises(s, a.id, [b.id])
    assert int(s.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0]) == ops


def test_the_same_uscc_from_two_laptops_is_merged_at_the_hub_and_every_laptop_follows(
    tmp_path: Path,
) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    officer = hub.officers.create(Officer(name="张三"))
    zhang = replica(tmp_path / "zhang.db", sync.LAPTOP, "zhang")
    li = replica(tmp_path / "li.db", sync.LAPTOP, "li")
    for laptop in (zhang, li):
        ship(hub, laptop, tmp_path / "first")
    a = zhang.enterprises.create(Enterprise(name="浩海环保", uscc=USCC_OK))
    zhang.visits.create(Visit(enterprise_id=a.id, summary="张三走访"))
    b = li.enterprises.create(Enterprise(name="浩海环保设备", uscc=USCC_OK, phone="13800138000"))
    li.visits.create(Visit(enterprise_id=b.id, summary="李四走访"))
    li.problems.create(Problem(enterprise_id=b.id, description="用地"))
    assign(li, YEAR, officer.id, enterprise_id=b.id)
    for laptop in (zhang, li):
        ship(laptop, hub, tmp_path / "up")

    (group,) = duplicate_enterprises(hub)
    assert {e.created_by for e in group.enterprises} == {zhang.replica_id, li.replica_id}
    merge_enterprises(hub, a.id, [b.id])
    assert_rows_equal_ops(hub)
    for laptop in (zhang, li):
        ship(hub, laptop, tmp_path / "down")
    for store in (hub, zhang, li):
        assert duplicate_enterprises(store) == []
        assert live(store, "visit", a.id) == 2 and live(store, "problem", a.id) == 1
        assert live(store, "assignment", a.id) == 1
        assert store.enterprises.require(a.id).phone == "13800138000"
        assert store.enterprises.require(b.id).deleted
    assert snapshot(zhang) == snapshot(hub) == snapshot(li)
    for store in (hub, zhang, li):
        store.close()
