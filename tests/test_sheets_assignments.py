"""Assignments sheets: names resolve to records, and each year's plan is replaced as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtui.domain.records import Assignment, Enterprise, Officer, Project
from fieldtui.sheets import import_sheet
from fieldtui.store import Store
from fieldtui.store.assignments import plan_for_year
from sheet_files import USCC_OK, op_total, write_csv, write_xlsx

HEADER = ["年度", "首席服务官", "企业名称", "项目名称", "角色"]


@pytest.fixture
def ids(tmp_store: Store) -> dict[str, str]:
    s = tmp_store
    return {
        "张三": s.officers.create(Officer(name="张三")).id,
        "李四": s.officers.create(Officer(name="李四")).id,
        "浩海": s.enterprises.create(Enterprise(name="浩海环保", uscc=USCC_OK)).id,
        "博俊": s.enterprises.create(Enterprise(name="博俊")).id,
        "二期": s.projects.create(Project(name="浩海二期")).id,
    }


def plan(store: Store, year: int) -> set[tuple[str, str, str]]:
    return {(r.officer_name, r.target_name, r.role) for r in plan_for_year(store, year)}


def test_import_resolves_names_and_uscc(
    tmp_store: Store, tmp_path: Path, ids: dict[str, str]
) -> None:
    f = write_xlsx(
        tmp_path / "a.xlsx",
        [
            HEADER,
            [2025, "张三", USCC_OK, None, "首席服务官"],
            ["2025年", "李四", "博俊", None, "协助"],
            [2025, "李四", None, "浩海二期", None],
        ],
    )
    s = import_sheet(tmp_store, "assignments", f)
    assert (s.created, s.refused) == (3, 0), s.errors
    assert plan(tmp_store, 2025) == {
        ("张三", "浩海环保", "cso"),
        ("李四", "博俊", "assist"),
        ("李四", "浩海二期", "cso"),
    }


def test_unknown_names_are_row_errors_not_new_records(
    tmp_store: Store, tmp_path: Path, ids: dict[str, str]
) -> None:
    f = write_csv(
        tmp_path / "a.csv",
        [
            HEADER,
            ["2025", "王五", "浩海环保", "", ""],
            ["2025", "张三", "不存在公司", "", ""],
            ["2025", "张三", "", "", ""],
            ["2025", "张三", "博俊", "浩海二期", ""],
            ["1800", "张三", "博俊", "", ""],
            ["2025", "张三", "博俊", "", "老板"],
            ["2025", "张三", "博俊", "", ""],
        ],
    )
    officers, enterprises = tmp_store.officers.count(), tmp_store.enterprises.count()
    s = import_sheet(tmp_store, "assignments", f)
    assert (s.created, s.refused) == (1, 6)
    assert [(e.row, e.column) for e in s.errors] == [
        (2, "首席服务官"),
        (3, "企业名称"),
        (4, None),
        (5, "项目名称"),
        (6, "年度"),
        (7, "角色"),
    ]
    assert "王五" in s.errors[0].message and "不存在公司" in s.errors[1].message
    assert tmp_store.officers.count() == officers
    assert tmp_store.enterprises.count() == enterprises


def test_year_plan_is_replaced_and_reimport_is_silent(
    tmp_store: Store, tmp_path: Path, ids: dict[str, str]
) -> None:
    old = tmp_store.assignments.create(
        Assignment(year=2025, officer_id=ids["李四"], enterprise_id=ids["浩海"])
    )
    keep_role = tmp_store.assignments.create(
        Assignment(year=2025, officer_id=ids["张三"], enterprise_id=ids["博俊"], role="assist")
    )
    history = tmp_store.assignments.create(
        Assignment(year=2024, officer_id=ids["李四"], enterprise_id=ids["浩海"])
    )
    f = write_csv(
        tmp_path / "a.csv",
        [HEADER, ["2025", "张三", "浩海环保", "", ""], ["2025", "张三", "博俊", "", ""]],
    )
    dry = import_sheet(tmp_store, "assignments", f, dry_run=True)
    assert (dry.created, dry.unchanged, dry.removed) == (1, 1, 1)
    s = import_sheet(tmp_store, "assignments", f)
    assert (s.created, s.updated, s.unchanged, s.removed) == (1, 0, 1, 1)
    assert tmp_store.assignments.require(old.id).deleted  # not in the sheet: removed
    assert tmp_store.assignments.require(keep_role.id).role == "assist"  # blank role kept
    assert not tmp_store.assignments.require(history.id).deleted  # other years untouched
    before = op_total(tmp_store)
    again = import_sheet(tmp_store, "assignments", f)
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 0, 0, 2)
    assert op_total(tmp_store) == before


def test_year_with_refused_row_is_merged_not_replaced(
    tmp_store: Store, tmp_path: Path, ids: dict[str, str]
) -> None:
    kept = tmp_store.assignments.create(
        Assignment(year=2025, officer_id=ids["李四"], enterprise_id=ids["浩海"])
    )
    f = write_csv(
        tmp_path / "a.csv",
        [HEADER, ["2025", "张三", "博俊", "", ""], ["2025", "李 四", "浩海环保", "", ""]],
    )
    s = import_sheet(tmp_store, "assignments", f)
    assert (s.created, s.refused, s.removed) == (1, 1, 0)
    assert not tmp_store.assignments.require(kept.id).deleted
    assert any("2025" in w.message and "merged" in w.message for w in s.warnings)


def test_role_change_is_an_update(tmp_store: Store, tmp_path: Path, ids: dict[str, str]) -> None:
    a = tmp_store.assignments.create(
        Assignment(year=2025, officer_id=ids["张三"], enterprise_id=ids["博俊"])
    )
    f = write_csv(tmp_path / "a.csv", [HEADER, ["2025", "张三", "博俊", "", "assist"]])
    s = import_sheet(tmp_store, "assignments", f)
    assert (s.updated, s.created, s.removed) == (1, 0, 0)
    assert tmp_store.assignments.require(a.id).role == "assist"


def test_duplicate_assignment_rows(tmp_store: Store, tmp_path: Path, ids: dict[str, str]) -> None:
    f = write_csv(
        tmp_path / "a.csv",
        [HEADER, ["2025", "张三", "博俊", "", ""], ["2025", "张三", "博俊", "", "协助"]],
    )
    s = import_sheet(tmp_store, "assignments", f)
    assert (s.created, s.refused) == (1, 1)
    assert s.errors[0].row == 3 and "row 2" in s.errors[0].message


def test_ambiguous_enterprise_name_asks_for_uscc(
    tmp_store: Store, tmp_path: Path, ids: dict[str, str]
) -> None:
    tmp_store.enterprises.create(Enterprise(name="博俊"))
    f = write_csv(tmp_path / "a.csv", [HEADER, ["2025", "张三", "博俊", "", ""]])
    s = import_sheet(tmp_store, "assignments", f)
    assert s.refused == 1 and "USCC" in s.errors[0].message
