"""Assignment plan services: copy a year, replace a year as a whole, joined views (no Textual)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldtui.domain.records import Enterprise, Officer, Project
from fieldtui.store import Store
from fieldtui.store.assignments import (
    PlanEntry,
    assign,
    copy_year,
    enterprise_officers,
    lead_officer,
    officer_loads,
    pick_officers,
    pick_projects,
    plan_for_year,
    plan_years,
    reassign,
    remove,
    replace_year_plan,
    set_role,
)


@pytest.fixture
def plan_store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "plan.db") as store:
        yield store


def ops(store: Store) -> int:
    return int(store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])


def seed(store: Store) -> tuple[list[str], list[str], str]:
    officers = [store.officers.create(Officer(name=n)).id for n in ("王敏", "李强")]
    enterprises = [
        store.enterprises.create(Enterprise(name=n)).id for n in ("博俊", "华音", "日德")
    ]
    project = store.projects.create(Project(name="新厂房", enterprise_id=enterprises[0])).id
    return officers, enterprises, project


def test_assign_joins_names_and_is_idempotent(plan_store: Store) -> None:
    (wang, li), (bj, hy, _rd), proj = seed(plan_store)
    first = assign(plan_store, 2024, wang, enterprise_id=bj)
    before = ops(plan_store)
    assert assign(plan_store, 2024, wang, enterprise_id=bj) == first
    assert ops(plan_store) == before
    assign(plan_store, 2024, li, enterprise_id=bj, role="assist")
    assign(plan_store, 2024, li, project_id=proj)
    assign(plan_store, 2024, wang, enterprise_id=hy, role="协助")
    rows = plan_for_year(plan_store, 2024)
    assert [(r.officer_name, r.target_name, r.role) for r in rows] == [
        ("李强", "新厂房", "cso"),
        ("李强", "博俊", "assist"),
        ("王敏", "博俊", "cso"),
        ("王敏", "华音", "assist"),
    ]
    assert lead_officer(plan_store, bj, 2024) == (wang, "王敏")
    assert lead_officer(plan_store, bj, 2023) is None
    with pytest.raises(ValueError):
        assign(plan_store, 2024, wang)


def test_copy_year_copies_live_rows_once_in_one_batch(plan_store: Store) -> None:
    (wang, li), (bj, hy, rd), _proj = seed(plan_store)
    assign(plan_store, 2023, wang, enterprise_id=bj)
    assign(plan_store, 2023, li, enterprise_id=hy, role="assist")
    gone = assign(plan_store, 2023, li, enterprise_id=rd)
    remove(plan_store, gone)
    assign(plan_store, 2024, wang, enterprise_id=bj)  # already planned by hand
    result = copy_year(plan_store, 2023, 2024)
    assert (result.created, result.unchanged) == (1, 1)
    rows = plan_for_year(plan_store, 2024)
    assert {(r.officer_id, r.enterprise_id, r.role) for r in rows} == {
        (wang, bj, "cso"),
        (li, hy, "assist"),
    }
    again = ops(plan_store)
    assert copy_year(plan_store, 2023, 2024).created == 0
    assert ops(plan_store) == again
    assert len(plan_for_year(plan_store, 2023)) == 2  # the past is untouched
    assert plan_years(plan_store) == [2024, 2023]


def test_replace_year_plan_replaces_as_a_whole(plan_store: Store) -> None:
    (wang, li), (bj, hy, rd), proj = seed(plan_store)
    kept = assign(plan_store, 2024, wang, enterprise_id=bj)
    assign(plan_store, 2024, wang, enterprise_id=hy)
    assign(plan_store, 2023, wang, enterprise_id=hy)
    plan = [
        PlanEntry(wang, enterprise_id=bj, role="assist"),
        PlanEntry(li, enterprise_id=rd),
        PlanEntry(li, project_id=proj),
    ]
    result = replace_year_plan(plan_store, 2024, plan)
    assert (result.created, result.updated, result.removed, result.unchanged) == (2, 1, 1, 0)
    rows = plan_for_year(plan_store, 2024)
    assert {r.key for r in rows} == {p.key for p in plan}
    assert next(r for r in rows if r.enterprise_id == bj).id == kept
    assert len(plan_for_year(plan_store, 2023)) == 1
    before = ops(plan_store)
    again = replace_year_plan(plan_store, 2024, plan)
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 0, 0, 3)
    assert ops(plan_store) == before
    with pytest.raises(ValueError):
        replace_year_plan(plan_store, 2024, [PlanEntry(wang)])


def test_replace_inside_an_outer_batch_sees_buffered_rows(plan_store: Store) -> None:
    (wang, _li), (bj, _hy, _rd), _proj = seed(plan_store)
    with plan_store.batch():
        assign(plan_store, 2024, wang, enterprise_id=bj)
        result = replace_year_plan(plan_store, 2024, [PlanEntry(wang, enterprise_id=bj)])
    assert result.unchanged == 1
    assert len(plan_for_year(plan_store, 2024)) == 1


def test_reassign_set_role_and_views(plan_store: Store) -> None:
    (wang, li), (bj, hy, _rd), proj = seed(plan_store)
    a = assign(plan_store, 2024, wang, enterprise_id=bj)
    b = assign(plan_store, 2024, li, enterprise_id=hy)
    assign(plan_store, 2024, wang, enterprise_id=hy)
    assert reassign(plan_store, a, li)
    assert plan_store.assignments.require(a).officer_id == li
    assert not reassign(plan_store, b, wang)  # wang already holds 华音 in 2024
    assert set_role(plan_store, a, "assist")
    assert not set_role(plan_store, a, "assist")
    assign(plan_store, 2023, wang, enterprise_id=bj)
    assert [(r.year, r.officer_name) for r in enterprise_officers(plan_store, bj)] == [
        (2024, "李强"),
        (2023, "王敏"),
    ]
    loads = {o.name: (o.enterprises, o.projects) for o in officer_loads(plan_store, 2024)}
    assert loads == {"王敏": (1, 0), "李强": (2, 0)}
    assert [o[1] for o in pick_officers(plan_store, "王")] == ["王敏"]
    assert [p[0] for p in pick_projects(plan_store, "博俊")] == [proj]


def test_deleted_officer_with_assignments_still_listed_for_that_year(plan_store: Store) -> None:
    (wang, _li), (bj, _hy, _rd), _proj = seed(plan_store)
    assign(plan_store, 2023, wang, enterprise_id=bj)
    plan_store.officers.delete(wang)
    loads = officer_loads(plan_store, 2023)
    assert sorted((o.name, o.deleted, o.enterprises) for o in loads) == [
        ("李强", False, 0),
        ("王敏", True, 1),
    ]
    assert [o.name for o in officer_loads(plan_store, 2024)] == ["李强"]
