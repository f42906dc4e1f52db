"""Odd and hostile xlsx files: every row read, or the file refused in one line (issue 8, item 4).

The files are made by rewriting one part of a good workbook, the way other exporters or an
attacker would write it: a ``<dimension>`` tag that understates the sheet, XML cut short,
entity declarations (a "billion laughs" bomb).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldtui.cli import main
from fieldtui.sheets import SheetFileError, import_sheet
from fieldtui.store import Store
from sheet_files import op_total, write_xlsx

SHEET_XML = "xl/worksheets/sheet1.xml"


def rewrite_part(src: Path, dst: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == part else data)
    return dst


def ten_enterprises(tmp_path: Path) -> Path:
    rows: list[list[object]] = [["企业名称", "地址"]]
    rows += [[f"测试企业{i}有限公司", f"大道{i}号"] for i in range(10)]
    return write_xlsx(tmp_path / "good.xlsx", rows)


def with_dimension(ref: str) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        new, n = re.subn(
            rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data
        )
        assert n == 1, "the workbook should carry a dimension tag to rewrite"
        return new

    return change


@pytest.mark.parametrize("ref", ["A1:B2", "A1", "A1:A11"])
def test_understated_dimension_imports_every_row_and_cell(
    tmp_store: Store, tmp_path: Path, ref: str
) -> None:
    # openpyxl's read-only mode stops where <dimension> says the sheet ends: "A1:B2" read
    # one of the ten rows, "A1:A11" dropped the address column, with no warning at all.
    bad = rewrite_part(
        ten_enterprises(tmp_path), tmp_path / "dim.xlsx", SHEET_XML, with_dimension(ref)
    )
    summary = import_sheet(tmp_store, "enterprises", bad)
    assert (summary.created, summary.refused) == (10, 0)
    addresses = sorted(e.address or "" for e in tmp_store.enterprises.list())
    assert addresses == sorted(f"大道{i}号" for i in range(10))


BOMB_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE w ['
    + b'<!ENTITY a0 "lollollollollol">'
    + b"".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">'.encode() for i in range(1, 10))
    + b"]>"
)


def _bomb(data: bytes) -> bytes:
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return BOMB_DTD + body.replace(b"<t>", b"<t>&a9;", 1)


def _cut(data: bytes) -> bytes:
    return data[:200]


@pytest.mark.parametrize(
    ("part", "change", "reason"),
    [
        (SHEET_XML, _cut, "XML is damaged"),
        ("xl/workbook.xml", _cut, "XML is damaged"),
        (SHEET_XML, _bomb, "declares entities"),
        ("xl/workbook.xml", _bomb, "declares entities"),
        ("[Content_Types].xml", _bomb, "declares entities"),
    ],
)
def test_junk_and_entity_bombs_are_refused_in_one_line(
    tmp_store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    part: str,
    change: Callable[[bytes], bytes],
    reason: str,
) -> None:
    bad = rewrite_part(ten_enterprises(tmp_path), tmp_path / "bad.xlsx", part, change)
    with pytest.raises(SheetFileError) as info:
        import_sheet(tmp_store, "enterprises", bad)
    assert reason in info.value.reason
    assert "\n" not in str(info.value)
    assert op_total(tmp_store) == 0
    # Through the command line: one line on stderr, exit 1, no traceback.
    code = main(["--db", str(tmp_store.path), "sheet", "import", "enterprises", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and reason in err and "Traceback" not in err
    assert op_total(tmp_store) == 0


def test_entity_bomb_refused_without_defusedxml_too(
    tmp_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without defusedxml, expat's own amplification limit stops the bomb; same message."""
    from xml.etree.ElementTree import ParseError, fromstring, iterparse

    import openpyxl
    import openpyxl.reader.excel
    import openpyxl.worksheet._reader
    import openpyxl.xml.functions

    for module in (openpyxl.xml.functions, openpyxl.worksheet._reader, openpyxl.reader.excel):
        if hasattr(module, "iterparse"):
            monkeypatch.setattr(module, "iterparse", iterparse)
        if hasattr(module, "fromstring"):
            monkeypatch.setattr(module, "fromstring", fromstring)
    bad = rewrite_part(ten_enterprises(tmp_path), tmp_path / "bomb.xlsx", SHEET_XML, _bomb)
    wb = openpyxl.load_workbook(bad, read_only=True)
    with pytest.raises(ParseError, match="amplification"):  # expat, not defusedxml, refused it
        list(wb.worksheets[0].iter_rows())
    wb.close()
    with pytest.raises(SheetFileError) as info:
        import_sheet(tmp_store, "enterprises", bad)
    assert "declares entities" in info.value.reason


def test_defusedxml_is_a_dependency_and_used_by_openpyxl() -> None:
    """openpyxl parses workbooks through defusedxml when it is installed, so the project
    declares it (a machine set up from pyproject.toml alone gets it)."""
    import tomllib

    from openpyxl.xml import DEFUSEDXML

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.replace(" ", "").startswith("defusedxml") for d in deps)
    assert DEFUSEDXML
