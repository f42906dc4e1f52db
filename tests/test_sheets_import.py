"""Sheet import: headers, cell rules, refused rows, matching, idempotence, refused files."""

from __future__ import annotations

import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from fieldtui.domain.records import Enterprise, Officer
from fieldtui.sheets import ImportCancelled, SheetFileError, import_sheet
from fieldtui.store import Store
from sheet_files import USCC_BAD, USCC_OK, op_total, table_dump, write_csv, write_xlsx

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "行业门类",
    "企业规模",
    "联系电话",
    "从业人员",
    "上年营收(万元)",
    "状态",
    "标签",
]


def by_name(store: Store) -> dict[str, Enterprise]:
    return {e.name: e for e in store.enterprises.list()}


def errors_of(summary: object) -> list[tuple[int | None, str | None]]:
    return [(e.row, e.column) for e in summary.errors]  # type: ignore[attr-defined]


def test_good_rows_import_with_typed_values(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "e.csv",
        [
            HEADER,
            [
                "广东浩海环保设备有限公司",
                USCC_OK.lower(),
                "C",
                "中型",
                "0758-2722284",
                "1,200",
                "1234.5",
                "在产",
                "环保、高新;重点",
            ],
            ["博俊", "", "制造业", "small", "13800138000", "", "", "operating", ""],
        ],
    )
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.created, s.updated, s.unchanged, s.refused) == (2, 0, 0, 0)
    assert s.written and s.encoding == "utf-8" and s.format == "csv"
    e = by_name(tmp_store)["广东浩海环保设备有限公司"]
    assert e.uscc == USCC_OK  # stored upper case
    assert (e.industry, e.scale, e.status) == ("C", "medium", "operating")
    assert e.phone == "0758-2722284" and e.employees == 1200
    assert e.revenue_wan == Decimal("1234.50")
    assert e.tags == ["环保", "高新", "重点"]
    assert by_name(tmp_store)["博俊"].scale == "small"


def test_bad_rows_are_reported_and_import_nothing(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "e.csv",
        [
            HEADER,
            ["好企业", "", "C", "", "", "", "", "", ""],
            ["坏码", USCC_BAD, "C", "", "", "", "", "", ""],
            ["坏枚举", "", "X", "巨型", "", "", "", "", ""],
            ["", "", "C", "", "", "", "", "", ""],
            ["坏电话", "", "", "", "12345", "-3", "abc", "", ""],
        ],
    )
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.created, s.refused) == (1, 4)
    assert set(by_name(tmp_store)) == {"好企业"}
    assert errors_of(s) == [
        (3, "统一社会信用代码"),
        (4, "行业门类"),
        (4, "企业规模"),
        (5, "企业名称"),
        (6, "联系电话"),
        (6, "从业人员"),
        (6, "上年营收(万元)"),
    ]
    assert "check character" in s.errors[0].message
    assert "required" in s.errors[3].message


def test_org_code_warning_imports(tmp_store: Store, tmp_path: Path) -> None:
    # Valid USCC check character, but the embedded organisation code's check digit is off.
    from fieldtui.domain.validators import uscc_check_char

    body = "91350100M000100Y" + "5"
    code = body + uscc_check_char(body)
    f = write_csv(tmp_path / "e.csv", [["企业名称", "统一社会信用代码"], ["甲", code]])
    s = import_sheet(tmp_store, "enterprises", f)
    assert s.created == 1 and s.refused == 0
    assert [(w.row, w.column) for w in s.warnings] == [(2, "统一社会信用代码")]


def test_reimport_writes_no_ops(tmp_store: Store, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["甲", USCC_OK, "C", "大型", "", "10", "5", "在建", "a、b"],
        ["乙", "", "", "", "", "", "", "", ""],
    ]
    f = write_xlsx(tmp_path / "e.xlsx", rows)
    import_sheet(tmp_store, "enterprises", f)
    before, dump = op_total(tmp_store), table_dump(tmp_store, "enterprise")
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.created, s.updated, s.unchanged) == (0, 0, 2)
    assert not s.written and s.backup is None
    assert op_total(tmp_store) == before
    assert table_dump(tmp_store, "enterprise") == dump


def test_update_changes_only_differing_fields_and_blank_keeps(
    tmp_store: Store, tmp_path: Path
) -> None:
    e = tmp_store.enterprises.create(
        Enterprise(name="甲", uscc=USCC_OK, address="大旺", phone="13800138000")
    )
    before = op_total(tmp_store)
    f = write_csv(
        tmp_path / "e.csv",
        [["企业名称", "统一社会信用代码", "地址", "联系电话"], ["甲", USCC_OK, "四会市", ""]],
    )
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.updated, s.created) == (1, 0)
    assert s.changes[0].fields == ["address"]
    assert op_total(tmp_store) == before + 1
    got = tmp_store.enterprises.require(e.id)
    assert got.address == "四会市" and got.phone == "13800138000"  # blank cell erased nothing


def test_uscc_row_fills_in_code_of_same_named_record(tmp_store: Store, tmp_path: Path) -> None:
    e = tmp_store.enterprises.create(Enterprise(name="甲"))
    f = write_csv(tmp_path / "e.csv", [["企业名称", "统一社会信用代码"], ["甲", USCC_OK]])
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.created, s.updated) == (0, 1)
    assert tmp_store.enterprises.require(e.id).uscc == USCC_OK


def test_name_key_without_uscc_and_rename_by_uscc(tmp_store: Store, tmp_path: Path) -> None:
    e = tmp_store.enterprises.create(Enterprise(name="旧名", uscc=USCC_OK))
    f = write_csv(tmp_path / "e.csv", [["企业名称", "统一社会信用代码"], ["新名", USCC_OK]])
    s = import_sheet(tmp_store, "enterprises", f)
    assert s.updated == 1 and tmp_store.enterprises.require(e.id).name == "新名"


def test_duplicate_key_in_file_names_first_row(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "e.csv",
        [
            ["企业名称", "统一社会信用代码"],
            ["甲", USCC_OK],
            ["乙", ""],
            ["甲二", USCC_OK],
            ["乙", ""],
        ],
    )
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.created, s.refused) == (2, 2)
    assert [(e.row, "row 2" in e.message or "row 3" in e.message) for e in s.errors] == [
        (4, True),
        (5, True),
    ]
    assert "row 2" in s.errors[0].message and "row 3" in s.errors[1].message


@pytest.mark.parametrize(
    "rows",
    [
        [["甲", ""], ["甲", ""]],
        [["甲", USCC_OK], ["甲", ""]],
        [["甲", ""], ["甲", USCC_OK]],
    ],
    ids=["both-without-uscc", "uscc-first", "uscc-second"],
)
def test_row_repeating_an_earlier_rows_enterprise_name_is_refused(
    tmp_store: Store, tmp_path: Path, rows: list[list[str]]
) -> None:
    """README: a row repeating an earlier row's key is refused naming that row. Two rows
    named 甲, one or both without a USCC, would make two 甲 (and the export would not
    import again: "2 records already share this enterprise name")."""
    f = write_csv(tmp_path / "e.csv", [["企业名称", "统一社会信用代码"], *rows])
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.created, s.refused) == (1, 1)
    assert s.errors[0].row == 3 and "row 2" in s.errors[0].message
    assert [e.name for e in tmp_store.enterprises.list()] == ["甲"]
    out = tmp_path / "export.csv"
    from fieldtui.sheets import export_sheet

    export_sheet(tmp_store, "enterprises", out)
    again = import_sheet(tmp_store, "enterprises", out)
    assert (again.refused, again.unchanged) == (0, 1)


def test_same_name_with_two_different_usccs_are_two_enterprises(
    tmp_store: Store, tmp_path: Path
) -> None:
    other = "91440101MA59A1B2XT"
    f = write_csv(
        tmp_path / "e.csv", [["企业名称", "统一社会信用代码"], ["甲", USCC_OK], ["甲", other]]
    )
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.created, s.refused) == (2, 0), s.errors


def test_import_reads_only_the_records_its_rows_name(
    tmp_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-row sheet on a big ledger must not load every enterprise (issue 8: 77% of a
    one-row import on 100,000 enterprises was that read)."""
    officer = tmp_store.officers.create(Officer(name="张三"))
    with tmp_store.batch():
        for i in range(200):
            tmp_store.enterprises.create(Enterprise(name=f"企业{i:03d}"))
    whole_table: list[str] = []
    real_list = type(tmp_store.enterprises).list

    def counting_list(self: object, *args: object, **kwargs: object) -> object:
        if getattr(self, "table", "") == "enterprise":
            whole_table.append("enterprise")
        return real_list(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(type(tmp_store.enterprises), "list", counting_list)
    f = write_csv(tmp_path / "e.csv", [["企业名称", "地址"], ["企业007", "大旺七号"]])
    s = import_sheet(tmp_store, "enterprises", f)
    assert (s.updated, s.created) == (1, 0)
    visits = write_csv(
        tmp_path / "v.csv", [["走访日期", "企业名称", "走访人"], ["2025-03-01", "企业008", "张三"]]
    )
    assert import_sheet(tmp_store, "visits", visits).created == 1
    assert whole_table == []
    (visit,) = tmp_store.visits.list()
    assert tmp_store.visit_officers.right_ids(visit.id) == [officer.id]


def test_english_headers_case_and_spaces(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "o.csv",
        [[" Name ", "PHONE", "unit", "Role"], ["张三", "13800138000", "投促中心", "leader"]],
    )
    s = import_sheet(tmp_store, "officers", f)
    assert s.created == 1
    o = tmp_store.officers.list()[0]
    assert (o.name, o.phone, o.unit, o.role) == ("张三", "13800138000", "投促中心", "leader")


def test_gbk_csv_is_detected(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "o.csv", [["姓名", "单位", "角色"], ["李四", "高新区", "业务骨干"]], "gbk"
    )
    s = import_sheet(tmp_store, "officers", f)
    assert s.encoding == "gb18030" and s.created == 1
    assert any("GBK" in w.message for w in s.warnings)
    assert tmp_store.officers.list()[0].role == "staff"


def test_utf8_bom_csv(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [["姓名"], ["王五"]], "utf-8-sig")
    s = import_sheet(tmp_store, "officers", f)
    assert s.encoding == "utf-8-sig" and s.created == 1


def test_title_rows_unknown_columns_and_excel_dates(tmp_store: Store, tmp_path: Path) -> None:
    tmp_store.enterprises.create(Enterprise(name="甲"))
    rows: list[list[object]] = [
        ["肇庆高新区项目台账"],
        [],
        ["项目名称", "企业名称", "签约日期", "开工日期", "计划投资（万元）", "盘活厂房", "负责人"],
        ["一期", "甲", datetime(2024, 3, 5), "2024/4/1", 5480, "是", "某人"],
    ]
    f = write_xlsx(tmp_path / "p.xlsx", rows)
    s = import_sheet(tmp_store, "projects", f)
    assert s.created == 1 and s.refused == 0
    assert [(w.row, w.column) for w in s.warnings] == [(3, "负责人")]
    p = tmp_store.projects.list()[0]
    assert str(p.signed_on) == "2024-03-05" and str(p.started_on) == "2024-04-01"
    assert p.planned_investment_wan == Decimal(5480) and p.revitalized


def test_bad_date_reported_with_excel_row_number(tmp_store: Store, tmp_path: Path) -> None:
    rows = [["标题"], ["项目名称", "签约日期"], ["一期", "2024-02-30"], ["二期", "明年"]]
    s = import_sheet(tmp_store, "projects", write_xlsx(tmp_path / "p.xlsx", rows))
    assert errors_of(s) == [(3, "签约日期"), (4, "签约日期")]
    assert s.created == 0


def test_missing_required_column_refuses_file(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "e.csv", [["统一社会信用代码", "地址"], [USCC_OK, "x"]])
    with pytest.raises(SheetFileError, match="企业名称"):
        import_sheet(tmp_store, "enterprises", f)
    assert op_total(tmp_store) == 0


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "empty"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "xlsx"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        ("picture.png", b"\x89PNG\r\n\x1a\n", "not a spreadsheet"),
        ("binary.csv", b"\x00\x01\x02abc", "binary"),
        ("noheader.csv", "甲,乙\n丙,丁\n".encode(), "no header row"),
        ("fake.xlsx", b"just text", "not a valid .xlsx"),
    ],
)
def test_unreadable_files_are_refused_naming_the_file(
    tmp_store: Store, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    tmp_store.officers.create(Officer(name="张三"))
    before = op_total(tmp_store)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SheetFileError) as info:
        import_sheet(tmp_store, "enterprises", path)
    assert name in str(info.value) and reason in str(info.value)
    assert op_total(tmp_store) == before


def test_zip_that_is_not_a_workbook(tmp_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(SheetFileError, match=r"x\.xlsx"):
        import_sheet(tmp_store, "officers", path)


def test_missing_file(tmp_store: Store, tmp_path: Path) -> None:
    with pytest.raises(SheetFileError, match="no such file"):
        import_sheet(tmp_store, "officers", tmp_path / "nope.xlsx")


def test_header_only_sheet_imports_nothing(tmp_store: Store, tmp_path: Path) -> None:
    s = import_sheet(tmp_store, "officers", write_csv(tmp_path / "o.csv", [["姓名", "电话"]]))
    assert s.rows == 0 and any("no rows" in w.message for w in s.warnings)


def test_dry_run_writes_nothing(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [["姓名"], ["甲"], ["乙"]])
    s = import_sheet(tmp_store, "officers", f, dry_run=True)
    assert s.created == 2 and not s.written and s.dry_run
    assert op_total(tmp_store) == 0


def test_strict_writes_nothing_when_a_row_is_refused(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [["姓名", "角色"], ["甲", ""], ["乙", "老板"]])
    s = import_sheet(tmp_store, "officers", f, strict=True)
    assert (s.created, s.refused, s.written) == (1, 1, False)
    assert op_total(tmp_store) == 0


def test_cancel_rolls_back(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "o.csv", [["姓名"], *[[f"人员{i}"] for i in range(50)]])
    calls: list[tuple[str, int, int]] = []

    def progress(phase: str, done: int, total: int) -> None:
        calls.append((phase, done, total))

    def cancel() -> bool:
        # Cancel half-way through writing: the transaction is open and holds rows.
        return any(p == "write" and d >= 25 for p, d, _t in calls)

    with pytest.raises(ImportCancelled):
        import_sheet(tmp_store, "officers", f, progress=progress, cancel=cancel)
    assert ("check", 50, 50) in calls and any(p == "write" for p, _d, _t in calls)
    assert op_total(tmp_store) == 0 and tmp_store.officers.count() == 0
    # The store is still usable and a later import goes through.
    assert import_sheet(tmp_store, "officers", f).created == 50


def test_crash_mid_write_rolls_back(
    tmp_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = write_csv(tmp_path / "o.csv", [["姓名"], ["甲"], ["乙"], ["丙"]])
    real = tmp_store.officers.create
    seen: list[str] = []

    def flaky(record: Officer) -> Officer:
        seen.append(record.name)
        if len(seen) == 3:
            raise RuntimeError("disk on fire")
        return real(record)

    monkeypatch.setattr(tmp_store.officers, "create", flaky)
    with pytest.raises(RuntimeError):
        import_sheet(tmp_store, "officers", f)
    assert op_total(tmp_store) == 0
    assert tmp_store.db.execute_sql("SELECT COUNT(*) FROM officer").fetchone()[0] == 0


def test_backup_taken_before_writing(tmp_store: Store, tmp_path: Path) -> None:
    tmp_store.officers.create(Officer(name="甲"))
    s = import_sheet(tmp_store, "officers", write_csv(tmp_path / "o.csv", [["姓名"], ["乙"]]))
    assert s.backup is not None and Path(s.backup).exists()


def test_user_text_kept_and_controls_removed(tmp_store: Store, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "e.csv",
        [["企业名称", "备注"], ["ab[/]c\x1b[31m", "[red]x\\y 😀\nsecond line"]],
    )
    import_sheet(tmp_store, "enterprises", f)
    e = tmp_store.enterprises.list()[0]
    assert e.name == "ab[/]c" and e.notes == "[red]x\\y 😀\nsecond line"


def test_several_worksheets_pick_the_named_one(tmp_store: Store, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "说明"
    first.append(["本表说明"])
    ws = wb.create_sheet("人员")
    ws.append(["姓名"])
    ws.append(["甲"])
    wb.save(tmp_path / "o.xlsx")
    s = import_sheet(tmp_store, "officers", tmp_path / "o.xlsx")
    assert s.sheet == "人员" and s.created == 1
