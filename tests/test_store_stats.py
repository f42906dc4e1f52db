"""Overview figures and doctor's health checks on small hand-made databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fieldtui.domain.records import Enterprise, Officer, Problem, Visit
from fieldtui.store import Store
from fieldtui.store.health import check, references
from fieldtui.store.stats import find_officer, month_bounds, overview

TODAY = date(2024, 12, 15)


def test_month_bounds() -> None:
    assert month_bounds(date(2024, 12, 15)) == ("2024-12-01", "2025-01-01")
    assert month_bounds(date(2024, 2, 29)) == ("2024-02-01", "2024-03-01")


def test_overview_counts(tmp_store: Store) -> None:
    store = tmp_store
    a = store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
    b = store.enterprises.create(Enterprise(name="博俊"))
    store.enterprises.delete(b.id)  # tombstones are not counted
    store.officers.create(Officer(name="张伟"))
    for status, deadline in [
        ("new", date(2024, 12, 1)),  # open, overdue
        ("in_progress", date(2024, 12, 15)),  # open, due today: not overdue
        ("assigned", None),  # open, no deadline
        ("resolved", date(2024, 1, 1)),  # closed
        ("unresolvable", date(2024, 1, 1)),  # closed
    ]:
        store.problems.create(
            Problem(enterprise_id=a.id, description="蒸汽管道", status=status, deadline=deadline)
        )
    for day in (date(2024, 12, 1), date(2024, 12, 31), date(2024, 11, 30), date(2025, 1, 1)):
        store.visits.create(Visit(enterprise_id=a.id, date=day))
    figures = overview(store, today=TODAY)
    assert figures.enterprises == 1
    assert figures.officers == 1
    assert figures.projects == 0
    assert figures.problems_open == 3
    assert figures.problems_overdue == 1
    assert figures.visits_this_month == 2
    assert figures.month == "2024-12"


def test_find_officer(tmp_store: Store) -> None:
    zhang = tmp_store.officers.create(Officer(name="张伟"))
    assert find_officer(tmp_store, "张伟") == zhang.id
    assert find_officer(tmp_store, zhang.id) == zhang.id
    assert find_officer(tmp_store, "李明") is None
    tmp_store.officers.delete(zhang.id)
    assert find_officer(tmp_store, "张伟") is None


def test_references_cover_the_link_tables() -> None:
    found = {(r.table, r.column, r.target) for r in references()}
    assert ("visit", "enterprise_id", "enterprise") in found
    assert ("visit_officer", "officer_id", "officer") in found
    assert ("problem", "project_id", "project") in found


def test_health_of_a_sound_and_a_dangling_database(tmp_path: Path) -> None:
    with Store(tmp_path / "h.db") as store:
        enterprise = store.enterprises.create(Enterprise(name="华音"))
        store.visits.create(Visit(enterprise_id=enterprise.id, date=TODAY))
        health = check(store)
        assert health.problems == []
        assert health.integrity == ["ok"]
        assert health.op_count > 0
        store.enterprises.delete(enterprise.id)  # a tombstoned target still exists
        assert check(store).problems == []
        store.problems.create(Problem(enterprise_id="gone", description="x"))
        health = check(store)
        assert [(d.table, d.column, d.count) for d in health.dangling] == [
            ("problem", "enterprise_id", 1)
        ]
        assert health.as_dict()["ok"] is False
