"""Writing rows to .xlsx or .csv, chosen by the file's extension.

Both are written to a temporary file beside the target and renamed into place, so a failed
or interrupted export never leaves half a ledger where the old one was.

xlsx: bold, frozen header row, column widths that fit Chinese text, dates as real date cells
shown ``yyyy-mm-dd``, amounts as numbers, codes and phones as text (so Excel keeps
``0758-…`` and 18-digit codes intact), and every string as a string: a note starting with
``=`` must never turn into a formula.
CSV: UTF-8 with a BOM (without it Excel reads UTF-8 as the local ANSI code page and shows
mojibake), CRLF line ends. A cell Excel would run as a formula (``=``, ``+``, ``@``, or ``-``
not followed by a number) gets a leading apostrophe, which the CSV reader removes again.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from fieldtui.domain.validators import format_money_wan
from fieldtui.i18n import _
from fieldtui.sheets.cells import Cell, cell_text
from fieldtui.sheets.readers import CSV_SUFFIXES, XLSX_SUFFIXES, SheetFileError

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_WIDTH_SAMPLE = 1000


@dataclass(frozen=True, slots=True)
class OutColumn:
    header: str
    width: int = 12
    as_text: bool = False


def output_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix in CSV_SUFFIXES:
        return "csv"
    raise SheetFileError(
        path,
        _("choose a file name ending in .xlsx or .csv (this one is {suffix})").format(
            suffix=f"“{suffix or path.name}”"
        ),
    )


def write_rows(
    path: Path | str, title: str, columns: Sequence[OutColumn], rows: Iterable[Sequence[Cell]]
) -> int:
    """Write a header and ``rows`` to ``path``; returns the number of data rows."""
    path = Path(path)
    fmt = output_format(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise SheetFileError(path, _("the folder does not exist"))
    fd, tmp_name = tempfile.mkstemp(prefix=".fieldtui-", suffix=path.suffix, dir=directory)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "xlsx":
            count = _write_xlsx(tmp, title, columns, rows)
        else:
            count = _write_csv(tmp, columns, rows)
        os.replace(tmp, path)
    except OSError as exc:
        raise SheetFileError(path, exc.strerror or str(exc)) from None
    finally:
        tmp.unlink(missing_ok=True)
    return count


# --------------------------------------------------------------------------- csv


def csv_safe(text: str) -> str:
    """Text that Excel will show rather than evaluate."""
    if text[:1] in ("=", "+", "@", "\t", "\r") or (
        text.startswith("-") and not _NUMBER.fullmatch(text)
    ):
        return "'" + text
    return text


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return csv_safe(cell)
    if isinstance(cell, Decimal):
        return format_money_wan(cell, grouping=False)
    return cell_text(cell)


def _write_csv(path: Path, columns: Sequence[OutColumn], rows: Iterable[Sequence[Cell]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([csv_safe(c.header) for c in columns])
        for row in rows:
            writer.writerow([_csv_cell(c) for c in row])
            count += 1
    return count


# --------------------------------------------------------------------------- xlsx


def display_width(text: str) -> int:
    """Terminal/Excel-ish width: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_xlsx(
    path: Path, title: str, columns: Sequence[OutColumn], rows: Iterable[Sequence[Cell]]
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    materialised = list(rows)  # widths need a look at the content before the first row
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.freeze_panes = "A2"
    for index, col in enumerate(columns, start=1):
        sample = [
            display_width(cell_text(r[index - 1]).split("\n", 1)[0])
            for r in materialised[:_WIDTH_SAMPLE]
            if index - 1 < len(r) and r[index - 1] is not None
        ]
        needed = max([display_width(col.header), *sample]) + 2
        ws.column_dimensions[get_column_letter(index)].width = min(60, max(col.width, needed))
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for row in materialised:
        out = []
        for col, value in zip(columns, row, strict=False):
            cell = WriteOnlyCell(ws, value=_xlsx_value(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if col.as_text:
                cell.number_format = "@"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            out.append(cell)
        ws.append(out)
        count += 1
    wb.save(path)
    return count


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value
