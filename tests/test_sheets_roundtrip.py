"""Export → import changes nothing, for every kind, in xlsx and csv; export details."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from fieldtui.domain.records import (
    Activity,
    Assignment,
    Enterprise,
    Meeting,
    Officer,
    Problem,
    Project,
    Visit,
)
from fieldtui.sheets import KINDS, export_sheet, get_kind, import_sheet
from fieldtui.store import Store, checklists
from invariants import assert_rows_equal_ops
from sheet_files import USCC_OK, op_total, table_dump

TABLES = {
    "enterprises": ["enterprise"],
    "officers": ["officer"],
    "assignments": ["assignment"],
    "projects": ["project"],
    "visits": ["visit", "visit_officer"],
    "problems": ["problem"],
    "meetings": ["meeting", "meeting_enterprise"],
    "activities": ["activity", "activity_member", "activity_enterprise"],
    "checklists": ["checklist_template", "checklist_item"],
}
IMPORTABLE = [k for k in KINDS if KINDS[k].importable]


def fill(store: Store) -> None:
    """One or two records of every kind, with awkward text and every column used."""
    with store.batch():
        zhang = store.officers.create(Officer(name="张三", phone="13800138000", unit="投促中心"))
        li = store.officers.create(Officer(name="李四", role="leader"))
        gone = store.officers.create(Officer(name="离职"))
        hh = store.enterprises.create(
            Enterprise(
                name="广东浩海环保设备有限公司",
                uscc=USCC_OK,
                legal_rep="王某",
                industry="C",
                scale="medium",
                address="四会市大旺",
                contact="陈经理",
                phone="0758-2722284",
                employees=320,
                revenue_wan=Decimal("5480.25"),
                status="operating",
                tags=["环保", "高新"],
                notes="=SUM(A1) [red]x[/] \\ 😀\n第二行",
            )
        )
        bj = store.enterprises.create(Enterprise(name="博俊", status="building"))
        p = store.projects.create(
            Project(
                name="浩海二期",
                enterprise_id=hh.id,
                planned_investment_wan=Decimal("12000"),
                source="revitalized",
                revitalized=True,
                signed_on=date(2024, 1, 5),
                land_on=date(2024, 2, 1),
                started_on=date(2024, 2, 1),
            )
        )
        store.assignments.create(Assignment(year=2025, officer_id=zhang.id, enterprise_id=hh.id))
        store.assignments.create(
            Assignment(year=2025, officer_id=li.id, project_id=p.id, role="assist")
        )
        v = store.visits.create(
            Visit(date=date(2025, 3, 1), enterprise_id=hh.id, kind="onsite", summary="谈用电")
        )
        store.visit_officers.link(v.id, zhang.id)
        store.visit_officers.link(v.id, li.id)
        store.problems.create(
            Problem(
                enterprise_id=hh.id,
                project_id=p.id,
                raised_on=date(2025, 3, 1),
                category="factors",
                description="首期用电",
                lead_unit="供电局",
                assist_units=["自然资源局", "住建局"],
                deadline=date(2025, 4, 1),
                status="resolved",
                resolved_on=date(2025, 3, 20),
                resolution="已接入",
                satisfaction="satisfied",
                officer_id=zhang.id,
            )
        )
        m = store.meetings.create(
            Meeting(date=date(2025, 3, 10), topic="浩海二期用电协调", departments=["供电局"])
        )
        store.meeting_enterprises.link(m.id, hh.id)
        store.meeting_enterprises.link(m.id, bj.id)
        a = store.activities.create(
            Activity(date=date(2025, 4, 2), kind="trip_out", place="佛山", notes="带回线索")
        )
        store.activity_members.link(a.id, zhang.id)
        store.activity_enterprises.link(a.id, bj.id)
    # the negative list revised once, with answers to both versions
    v1 = checklists.current_checklist(store, "negative")
    checklists.save_self_check(
        store, v.id, v1.template_id, checklists.all_answered(v1), officer_id=zhang.id
    )
    texts = [*v1.texts[1:], "不得在企业兼职 [red]x[/]"]
    checklists.revise_checklist(
        store, "negative", texts, base_template_id=v1.template_id, today=date(2025, 6, 1)
    )
    store.officers.delete(gone.id)


@pytest.mark.parametrize("kind", IMPORTABLE)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("english", [False, True])
def test_export_then_import_changes_nothing(
    tmp_store: Store, tmp_path: Path, kind: str, suffix: str, english: bool
) -> None:
    fill(tmp_store)
    path = tmp_path / f"{kind}{suffix}"
    exported = export_sheet(tmp_store, kind, path, english_headers=english)
    assert exported.rows >= 1
    before = op_total(tmp_store)
    dumps = {t: table_dump(tmp_store, t) for t in TABLES[kind]}
    summary = import_sheet(tmp_store, kind, path)
    assert (summary.created, summary.updated, summary.refused) == (0, 0, 0), summary.errors
    assert summary.unchanged == exported.rows
    assert summary.removed == 0
    assert op_total(tmp_store) == before
    assert {t: table_dump(tmp_store, t) for t in TABLES[kind]} == dumps


@pytest.mark.parametrize("kind", IMPORTABLE)
def test_export_into_empty_store_imports_everything(
    tmp_store: Store, tmp_path: Path, kind: str
) -> None:
    """Officers and enterprises first, then the kind: a second database gets the same data."""
    fill(tmp_store)
    other = Store(tmp_path / "other.db")
    try:
        for prerequisite in ("officers", "enterprises", "projects"):
            f = tmp_path / f"pre-{prerequisite}.xlsx"
            export_sheet(tmp_store, prerequisite, f)
            import_sheet(other, prerequisite, f)
        f = tmp_path / f"{kind}.csv"
        n = export_sheet(tmp_store, kind, f).rows
        s = import_sheet(other, kind, f)
        assert s.refused == 0, s.errors
        assert s.created + s.unchanged == n
        again = tmp_path / f"{kind}-again.csv"
        export_sheet(other, kind, again)
        assert again.read_bytes() == f.read_bytes()
        assert_rows_equal_ops(other)
    finally:
        other.close()


def test_xlsx_layout(tmp_store: Store, tmp_path: Path) -> None:
    fill(tmp_store)
    path = tmp_path / "e.xlsx"
    export_sheet(tmp_store, "enterprises", path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    assert ws.title == "企业台账"
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "企业名称" and ws["A1"].font.bold
    assert ws.column_dimensions["A"].width >= 26  # 12 Chinese characters and some room
    row = {ws.cell(1, c).value: ws.cell(2, c) for c in range(1, ws.max_column + 1)}
    hh = row if row["企业名称"].value == "广东浩海环保设备有限公司" else None
    if hh is None:
        row = {ws.cell(1, c).value: ws.cell(3, c) for c in range(1, ws.max_column + 1)}
    assert row["行业门类"].value == "制造业" and row["企业状态"].value == "在产"
    assert row["备注"].data_type == "s"  # "=SUM(A1)…" stays text, never a formula
    assert row["统一社会信用代码"].number_format == "@"
    assert row["标签"].value == "环保、高新"


def test_csv_has_bom_labels_and_iso_dates(tmp_store: Store, tmp_path: Path) -> None:
    fill(tmp_store)
    path = tmp_path / "p.csv"
    export_sheet(tmp_store, "projects", path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[0] == "项目名称"
    assert first["签约日期"] == "2024-01-05" and first["项目来源"] == "盘活厂房"
    assert first["盘活厂房"] == "是" and first["计划投资（万元）"] == "12000"


def test_codes_and_english_headers(tmp_store: Store, tmp_path: Path) -> None:
    fill(tmp_store)
    path = tmp_path / "o.csv"
    export_sheet(tmp_store, "officers", path, english_headers=True, labels="code")
    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines()))
    assert rows[0] == ["name", "phone", "unit", "role"]
    assert ["李四", "", "", "leader"] in rows
    assert all(r[0] != "离职" for r in rows)  # live records only


def test_formula_like_text_survives_csv(tmp_store: Store, tmp_path: Path) -> None:
    fill(tmp_store)
    path = tmp_path / "e.csv"
    export_sheet(tmp_store, "enterprises", path)
    assert "'=SUM(A1)" in path.read_text("utf-8-sig")


def test_export_refuses_unknown_extension(tmp_store: Store, tmp_path: Path) -> None:
    from fieldtui.sheets import SheetFileError

    with pytest.raises(SheetFileError, match=r"\.xlsx or \.csv"):
        export_sheet(tmp_store, "officers", tmp_path / "o.ods")


def test_every_kind_lists_domain_columns() -> None:
    assert [c.key for c in get_kind("enterprises").columns] == [
        "name",
        "uscc",
        "legal_rep",
        "industry",
        "scale",
        "address",
        "contact",
        "phone",
        "employees",
        "revenue_wan",
        "status",
        "tags",
        "notes",
    ]
    assert [c.zh for c in get_kind("officers").columns] == ["姓名", "电话", "单位", "角色"]
    assert [c.zh for c in get_kind("assignments").columns] == [
        "年度",
        "首席服务官",
        "企业名称",
        "项目名称",
        "角色",
    ]
