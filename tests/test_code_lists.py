"""Code lists change by zh-style.md without losing anything already written.

Labels were reworded (注销 → 已注销, 生产要素 → 要素保障 …) and codes added (半停产, 迁出,
基础设施配套, 融资, 用工): a sheet exported before still imports, headers included; and a code
one side does not know travels through sync and comes back unchanged.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from fieldtui import sync
from fieldtui.domain.records import Enterprise, Officer
from fieldtui.sheets import import_sheet
from fieldtui.store import Store
from sheet_files import write_csv
from sync_support import replica, ship


def test_an_enterprise_sheet_of_the_older_labels_imports(tmp_store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "旧台账.csv",
        [
            ["企业名称", "状态", "上年营收(万元)"],
            ["肇庆甲公司", "注销", "100"],
            ["肇庆乙公司", "半停产", "200"],
            ["肇庆丙公司", "迁出", ""],
        ],
    )
    summary = import_sheet(tmp_store, "enterprises", path)
    assert summary.refused == 0, summary.errors
    statuses = {e.name: e.status for e in tmp_store.enterprises.list()}
    assert statuses == {"肇庆甲公司": "closed", "肇庆乙公司": "partial", "肇庆丙公司": "moved"}
    assert {e.name: e.revenue_wan for e in tmp_store.enterprises.list()}["肇庆乙公司"] == 200


def test_a_problem_sheet_of_the_older_headers_and_labels_imports(
    tmp_store: Store, tmp_path: Path
) -> None:
    tmp_store.enterprises.create(Enterprise(name="肇庆甲公司"))
    path = write_csv(
        tmp_path / "问题台账.csv",
        [
            ["企业名称", "问题类别", "问题描述", "办理状态", "办理结果"],
            ["肇庆甲公司", "生产要素", "首期用电未落实", "无法解决", "涉及上级规划调整"],
            ["肇庆甲公司", "基础设施配套", "填土标高不够", "待交办", ""],
            ["肇庆甲公司", "用工", "普工招聘难", "待交办", ""],
        ],
    )
    summary = import_sheet(tmp_store, "problems", path)
    assert summary.refused == 0, summary.errors
    found = {p.description: (p.category, p.status) for p in tmp_store.problems.list()}
    assert found == {
        "首期用电未落实": ("factors", "unresolvable"),
        "填土标高不够": ("infrastructure", "new"),
        "普工招聘难": ("labour", "new"),
    }


def test_an_officer_roster_of_the_older_worksheet_name_is_found(
    tmp_store: Store, tmp_path: Path
) -> None:
    """A workbook of several sheets is read at the sheet the export names, or its former name
    (人员, before 人员名单), not at whichever sheet comes first."""
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["本表由办公室整理"])
    roster = book.create_sheet("人员")
    roster.append(["姓名", "单位", "角色"])
    roster.append(["张伟", "经发局", "首席服务官"])
    path = tmp_path / "人员.xlsx"
    book.save(path)
    summary = import_sheet(tmp_store, "officers", path)
    assert summary.refused == 0 and summary.created == 1, summary.errors
    assert [(o.name, o.role) for o in tmp_store.officers.list()] == [("张伟", "cso")]


def test_an_assignment_sheet_with_the_job_title_as_role_imports(
    tmp_store: Store, tmp_path: Path
) -> None:
    """Before, a plan's lead role read 首席服务官 (the job title); now 牵头. Both import."""
    tmp_store.officers.create(Officer(name="张伟"))
    tmp_store.enterprises.create(Enterprise(name="肇庆甲公司"))
    tmp_store.enterprises.create(Enterprise(name="肇庆乙公司"))
    path = write_csv(
        tmp_path / "分工.csv",
        [
            ["年度", "首席服务官", "企业名称", "角色"],
            ["2026", "张伟", "肇庆甲公司", "首席服务官"],
            ["2026", "张伟", "肇庆乙公司", "牵头"],
        ],
    )
    summary = import_sheet(tmp_store, "assignments", path)
    assert summary.refused == 0, summary.errors
    assert {a.role for a in tmp_store.assignments.list()} == {"cso"}


def test_a_code_this_version_does_not_know_travels_unchanged(tmp_path: Path) -> None:
    """A newer laptop writes a status this version has no label for: the office keeps it,
    sends it on to other laptops and back, and an edit of another field leaves it alone."""
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    newer = replica(tmp_path / "newer.db", sync.LAPTOP, "张三")
    older = replica(tmp_path / "older.db", sync.LAPTOP, "李四")
    ent = hub.enterprises.create(Enterprise(name="肇庆博俊科技有限公司")).id
    for laptop in (newer, older):
        ship(hub, laptop, tmp_path / "init", full=True)
    newer.enterprises.update(ent, status="relocated_abroad")  # a code from a later version
    ship(newer, hub, tmp_path / "up")
    assert hub.enterprises.get(ent).status == "relocated_abroad"
    ship(hub, older, tmp_path / "down")
    assert older.enterprises.get(ent).status == "relocated_abroad"
    older.enterprises.update(ent, contact="陈经理")  # an older version edits another field
    ship(older, hub, tmp_path / "up2")
    ship(hub, newer, tmp_path / "down2")
    for store in (hub, newer, older):
        record = store.enterprises.get(ent)
        assert record.status == "relocated_abroad"
    assert newer.enterprises.get(ent).contact == "陈经理"
    assert sync.list_conflicts(hub.db) == []
    for store in (hub, newer, older):
        store.close()
