"""``fieldtui sheet``: exit codes, --json summary, text output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldtui.cli import main
from fieldtui.store import Store
from invariants import assert_rows_equal_ops
from sheet_files import USCC_BAD, op_total, write_csv


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_json_summary_and_exit_0_with_refused_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "x.db"
    Store(db).close()
    f = write_csv(
        tmp_path / "e.csv",
        [["企业名称", "统一社会信用代码", "其他"], ["甲", ""], ["乙", USCC_BAD]],
    )
    code, out, _err = run(
        capsys, "--db", str(db), "sheet", "import", "enterprises", str(f), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("file", "kind", "created", "updated", "unchanged", "refused")} == {
        "file": str(f),
        "kind": "enterprises",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "refused": 1,
    }
    assert data["errors"] == [
        {"row": 3, "column": "统一社会信用代码", "message": data["errors"][0]["message"]}
    ]
    assert data["warnings"][0]["column"] == "其他"
    code, out, _err = run(
        capsys, "--db", str(db), "--json", "sheet", "import", "enterprises", str(f)
    )
    assert json.loads(out)["unchanged"] == 1
    with Store(db) as store:
        assert_rows_equal_ops(store)


def test_import_text_says_rows_were_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write_csv(tmp_path / "o.csv", [["姓名", "角色"], ["甲", "cso"], ["乙", "boss"]])
    Store(tmp_path / "x.db").close()
    code, out, _err = run(
        capsys, "--db", str(tmp_path / "x.db"), "sheet", "import", "officers", str(f)
    )
    assert code == 0
    assert "new 1" in out and "refused 1" in out
    assert "Row 3, 角色:" in out and "nothing of it was imported" in out


def test_refused_file_exits_1_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "x.db"
    Store(db).close()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    code, out, err = run(capsys, "--db", str(db), "sheet", "import", "officers", str(bad), "--json")
    assert code == 1
    assert json.loads(out)["error"] and "bad.xlsx" in err and "Traceback" not in err
    with Store(db) as store:
        assert op_total(store) == 0


def test_strict_and_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    Store(db).close()
    f = write_csv(tmp_path / "o.csv", [["姓名", "角色"], ["甲", ""], ["乙", "boss"]])
    code, out, _ = run(capsys, "--db", str(db), "sheet", "import", "officers", str(f), "--strict")
    assert code == 1 and "nothing was written" in out
    code, out, _ = run(capsys, "--db", str(db), "sheet", "import", "officers", str(f), "--dry-run")
    assert code == 0 and "Dry run" in out
    with Store(db) as store:
        assert store.officers.count() == 0


def test_export_and_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    Store(db).close()
    f = write_csv(tmp_path / "o.csv", [["姓名"], ["甲"]])
    run(capsys, "--db", str(db), "sheet", "import", "officers", str(f))
    target = tmp_path / "out.xlsx"
    code, out, _ = run(
        capsys, "--db", str(db), "--json", "sheet", "export", "officers", str(target)
    )
    assert code == 0 and json.loads(out) == {
        "file": str(target),
        "kind": "officers",
        "format": "xlsx",
        "rows": 1,
    }
    code, out, _ = run(
        capsys, "--db", str(db), "sheet", "export", "officers", str(tmp_path / "x.ods")
    )
    assert code == 1
    code, out, _ = run(capsys, "sheet", "columns", "officers", "--json")
    assert code == 0 and json.loads(out)["officers"][0]["header"] == "姓名"


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["sheet", "import", "widgets", "x.csv"])
    assert info.value.code == 2


def test_export_without_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(
        capsys, "--db", str(tmp_path / "none.db"), "sheet", "export", "officers", "o.csv"
    )
    assert code == 1 and "no such database" in err
