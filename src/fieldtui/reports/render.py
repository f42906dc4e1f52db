"""A report (:class:`.tables.Report`) as a Markdown document, a CSV sheet or an xlsx
workbook; its JSON is the report's data itself.

CSV is UTF-8 with a BOM (``bom``; without it Excel reads UTF-8 as the local ANSI code page and
shows mojibake) and CRLF line ends. Neither CSV nor xlsx lets a cell that starts with ``=``
become a formula: names and notes come from people.
"""

from __future__ import annotations

import csv
import io
import unicodedata

from fieldtui.reports.tables import Cell, Report, Table

__all__ = ["FORMATS", "csv_text", "markdown", "xlsx_bytes"]

FORMATS = ("md", "csv", "xlsx", "json")
_MAX_WIDTH = 60


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:g}"
    return str(cell)


# --------------------------------------------------------------------------- md


def _md_cell(cell: Cell) -> str:
    text = _text(cell).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split()) or "—"


def _md_table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(c) for c in table.columns) + " |"]
    lines.append("|" + "|".join("---" for _c in table.columns) + "|")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    return lines


def markdown(report: Report) -> str:
    lines = [f"# {report.title}"]
    for table in report.tables:
        lines += ["", f"## {table.title}", ""]
        lines += _md_table(table) if table.rows else ["—"]
    if report.notes:
        lines.append("")
        lines += report.notes
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- csv


def _csv_cell(cell: Cell) -> str:
    """Numbers as written; text that Excel would run as a formula behind an apostrophe."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return _text(cell)


def csv_text(report: Report, line_end: str = "\r\n") -> str:
    """The flat table; a file gets ``encoding="utf-8-sig"`` for the BOM and CRLF line ends,
    a terminal ``line_end="\\n"``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow([_csv_cell(c) for c in report.flat.columns])
    writer.writerows([[_csv_cell(c) for c in row] for row in report.flat.rows])
    return buffer.getvalue()


# --------------------------------------------------------------------------- xlsx


def _width(text: str) -> int:
    """East Asian wide and full-width characters take two columns in Excel too."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
    name, n = clean, 2
    while name in taken:
        name = f"{clean[:28]}({n})"
        n += 1
    taken.add(name)
    return name


def xlsx_bytes(report: Report) -> bytes:
    """One worksheet per table (its title the sheet's), header bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in report.tables:
        ws = wb.create_sheet(_sheet_title(table.title, taken))
        ws.append(table.columns)
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        for row in table.rows:
            ws.append(row)
        for row_cells in ws.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a name starting with "=" is text, not a formula
        for index, column in enumerate(table.columns, start=1):
            widths = [_width(_text(row[index - 1])) for row in table.rows]
            needed = max([_width(column), *widths]) + 2
            ws.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, needed)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
