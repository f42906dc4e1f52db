"""Checklist sheets: the templates exported, revised in a spreadsheet and imported as a new
version (headers, aliases, row errors, dry run as for every kind); the answers exported."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from fieldtui.cli import main
from fieldtui.domain.enums import SEED_DUTY_ITEMS, SEED_NEGATIVE_ITEMS
from fieldtui.domain.records import Enterprise, Officer, Visit
from fieldtui.sheets import SheetFileError, export_sheet, import_sheet
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store.visits import is_draft

D = date(2026, 3, 2)


def ops(store: Store) -> int:
    return int(store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)


def test_templates_export_the_current_versions(tmp_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    summary = export_sheet(tmp_store, "checklists", path)
    assert summary.rows == len(SEED_DUTY_ITEMS) + len(SEED_NEGATIVE_ITEMS)
    rows = read_csv(path)
    assert list(rows[0]) == ["清单", "序号", "事项", "版本", "清单名称", "生效日期"]
    assert (rows[0]["清单"], rows[0]["序号"], rows[0]["事项"], rows[0]["版本"]) == (
        "职责清单",
        "1",
        SEED_DUTY_ITEMS[0],
        "1",
    )
    assert rows[-1]["清单"] == "负面清单" and rows[-1]["事项"] == SEED_NEGATIVE_ITEMS[-1]
    assert tmp_store.is_empty()  # exporting the seed stored nothing


def test_a_revised_sheet_makes_a_new_version_and_old_answers_keep_theirs(
    tmp_store: Store, tmp_path: Path
) -> None:
    with tmp_store.batch():
        o = tmp_store.officers.create(Officer(name="张三"))
        e = tmp_store.enterprises.create(Enterprise(name="浩海"))
        v = tmp_store.visits.create(Visit(date=D, enterprise_id=e.id))
    v1 = cl.current_checklist(tmp_store, "negative")
    cl.save_self_check(tmp_store, v.id, v1.template_id, cl.all_answered(v1), officer_id=o.id)
    path = tmp_path / "negative.csv"
    # the office's own sheet: English aliases, its own order, one item reworded, one retired,
    # one added, and no 序号 for the new one (it goes last)
    rows: list[list[object]] = [
        ["负面清单", n, text] for n, text in enumerate(SEED_NEGATIVE_ITEMS, 1)
    ]
    rows[5][2] = "不得干预企业正常生产经营活动"
    del rows[0]
    rows.append(["negative list", None, "不得在企业兼职或领取任何报酬"])
    rows.reverse()
    write_csv(path, ["Checklist", "Position", "Item"], rows)
    before = ops(tmp_store)
    dry = import_sheet(tmp_store, "checklists", path, dry_run=True)
    assert (dry.created, dry.refused, dry.written) == (9, 0, False)
    assert any("version 2 with 9 items" in str(w) for w in dry.warnings)
    assert ops(tmp_store) == before
    done = import_sheet(tmp_store, "checklists", path, backup=False)
    assert done.written and done.created == 9
    v2 = cl.current_checklist(tmp_store, "negative")
    assert v2.version == 2
    assert v2.texts == (*SEED_NEGATIVE_ITEMS[1:5], "不得干预企业正常生产经营活动",
                        *SEED_NEGATIVE_ITEMS[6:], "不得在企业兼职或领取任何报酬")  # fmt: skip
    state = cl.visit_self_check(tmp_store, v.id)
    assert state.complete and state.checklist.version == 1
    assert state.checklist.texts == SEED_NEGATIVE_ITEMS
    assert not is_draft(tmp_store, v.id)
    # the same sheet again changes nothing
    again = import_sheet(tmp_store, "checklists", path, backup=False)
    assert (again.created, again.unchanged, again.written) == (0, 9, False)


def test_row_errors_leave_their_list_alone(tmp_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    write_csv(
        path,
        ["清单", "序号", "事项", "版本"],
        [
            ["负面清单", 1, "不得接受宴请", 1],
            ["负面清单", 2, "不得接受宴请", 1],  # the same item twice
            ["负面清单", 3, "", 1],  # no text
            ["职责清单", "x", "每周走访", 1],  # a position that is no number
            ["其他清单", 1, "某事", 1],  # no such list
            ["职责清单", 1, "每周到挂点企业现场走访", 3],  # an old version number
        ],
    )
    before = ops(tmp_store)
    summary = import_sheet(tmp_store, "checklists", path, backup=False)
    errors = {(i.row, i.column) for i in summary.errors}
    assert errors == {(3, None), (4, "事项"), (5, "序号"), (6, "清单")}
    assert summary.refused == 4 and not summary.written
    warnings = " ".join(str(w) for w in summary.warnings)
    assert "left as it is" in warnings and "version 3" in warnings
    assert ops(tmp_store) == before
    assert cl.current_checklist(tmp_store, "negative").version == 1
    with pytest.raises(SheetFileError, match="missing required column"):
        write_csv(path, ["清单", "序号"], [["负面清单", 1]])
        import_sheet(tmp_store, "checklists", path)


def test_answers_export(tmp_store: Store, tmp_path: Path) -> None:
    with tmp_store.batch():
        o = tmp_store.officers.create(Officer(name="张三"))
        e = tmp_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
        v = tmp_store.visits.create(Visit(date=D, enterprise_id=e.id))
        gone = tmp_store.visits.create(Visit(date=D, enterprise_id=e.id))
    neg = cl.current_checklist(tmp_store, "negative")
    answers = cl.all_answered(neg)
    answers[neg.items[1].id] = cl.Answer("breached", "收受礼品，已退回")
    cl.save_self_check(tmp_store, v.id, neg.template_id, answers, officer_id=o.id)
    cl.save_self_check(tmp_store, gone.id, neg.template_id, answers, officer_id=o.id)
    tmp_store.visits.delete(gone.id)
    duty = cl.current_checklist(tmp_store, "duty")
    cl.save_duty_check(tmp_store, o.id, "2026-02", duty.template_id, cl.all_answered(duty))
    path = tmp_path / "answers.xlsx"
    summary = export_sheet(tmp_store, "checklist_answers", path)
    assert summary.rows == len(neg.items) + len(duty.items)
    ws = openpyxl.load_workbook(path).active
    assert ws is not None and ws.title == "清单自查"
    header = [c.value for c in ws[1]]
    assert header == ["清单", "版本", "序号", "事项", "人员", "走访日期", "企业名称", "月份",
                      "自查结果", "说明"]  # fmt: skip
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    breach = next(r for r in rows if r["说明"])
    assert (breach["清单"], breach["序号"], breach["事项"], breach["人员"]) == (
        "负面清单",
        2,
        SEED_NEGATIVE_ITEMS[1],
        "张三",
    )
    assert breach["企业名称"] == "广东浩海环保设备有限公司" and breach["走访日期"].date() == D
    assert {r["月份"] for r in rows if r["清单"] == "职责清单"} == {"2026-02"}
    with pytest.raises(SheetFileError, match="exported only"):
        import_sheet(tmp_store, "checklist_answers", path)


def test_cli_exports_answers_and_refuses_to_import_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.db"
    Store(db).close()
    out = tmp_path / "a.csv"
    assert main(["--db", str(db), "sheet", "export", "checklist_answers", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 0
    assert main(["--db", str(db), "sheet", "import", "checklist_answers", str(out)]) == 1
    assert "exported only" in capsys.readouterr().err
    assert main(["--db", str(db), "sheet", "columns", "checklists"]) == 0
    assert "清单 checklist *" in capsys.readouterr().out
