"""Reading a spreadsheet file into rows of cells, with the row numbers the user sees.

The format is decided by the file's content where it can be (an xlsx is a zip, an old .xls an
OLE file) and by its extension otherwise, so a workbook saved as ``ledger.csv`` by mistake is
still refused with the right reason instead of being read as garbage. CSV text is UTF-8 (with
or without the BOM Excel writes) or, failing that, GB18030, a superset of the GBK that Chinese
Excel uses for "CSV (逗号分隔)"; which one was used is reported.

Every failure is a :class:`SheetFileError` naming the file: the importer changes nothing then.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldtui.i18n import _, located
from fieldtui.sheets.cells import Cell, is_blank

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_BYTES = 200 * 1024 * 1024


class SheetFileError(Exception):
    """A file that cannot be read as a sheet; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(located(path, reason))
        self.path = str(path)
        self.reason = reason


@dataclass
class RawSheet:
    """A file's first usable worksheet as rows of cells; ``rows`` keep their sheet numbers."""

    path: Path
    format: str
    """``"xlsx"`` or ``"csv"``."""
    rows: list[tuple[int, list[Cell]]]
    """Non-blank rows as ``(row number as the spreadsheet shows it, cells)``."""
    encoding: str | None = None
    """CSV only: ``utf-8``, ``utf-8-sig``, ``utf-16`` or ``gb18030``."""
    sheet: str | None = None
    """xlsx only: the worksheet read."""
    notes: list[str] = field(default_factory=list)
    """Facts worth telling the user (GBK decoding, the sheet chosen among several)."""


def read_sheet(path: Path | str, sheet_names: tuple[str, ...] = ()) -> RawSheet:
    """Read ``path``; with several worksheets, the first whose name is in ``sheet_names``."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
        size = path.stat().st_size
    except FileNotFoundError:
        raise SheetFileError(path, _("no such file")) from None
    except IsADirectoryError:
        raise SheetFileError(path, _("is a directory, not a file")) from None
    except OSError as exc:
        raise SheetFileError(path, exc.strerror or str(exc)) from None
    if size == 0:
        raise SheetFileError(path, _("the file is empty"))
    if size > _MAX_BYTES:
        raise SheetFileError(path, _("the file is too large for a sheet (over 200 MB)"))
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC) or suffix in (".xls", ".et"):
        raise SheetFileError(
            path,
            _("old Excel (.xls) or WPS files cannot be read; save it as .xlsx or CSV first"),
        )
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, sheet_names)
    if suffix in XLSX_SUFFIXES:
        raise SheetFileError(path, _("not a valid .xlsx file (damaged or another format)"))
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    raise SheetFileError(
        path,
        _("not a spreadsheet: use an .xlsx workbook or a .csv file (this one is {suffix})").format(
            suffix=f"“{suffix or path.name}”"
        ),
    )


# --------------------------------------------------------------------------- xlsx


_XLSX_FAILURES: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,
    OSError,
)
"""What openpyxl raises on a damaged or hostile workbook: zip and XML errors (``ParseError`` is
a ``SyntaxError``; defusedxml's refusals are ``ValueError``), or a part that is missing or of
the wrong shape. A file is untrusted input, so each is the file's fault, never a crash."""


def _xlsx_reason(exc: BaseException) -> str:
    """One line saying why a workbook cannot be read; openpyxl's own text spans lines."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    names = {type(e).__name__ for e in chain}
    if names & {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"} or any(
        "amplification" in str(e) for e in chain
    ):
        return _(
            "not a valid .xlsx file: its XML declares entities (an entity bomb or an external "
            "reference); refused for safety"
        )
    parse = next((e for e in chain if isinstance(e, SyntaxError)), None)
    if parse is not None:
        return _("not a valid .xlsx file: its XML is damaged ({reason})").format(
            reason=str(parse).splitlines()[0] if str(parse) else type(parse).__name__
        )
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return _("not a valid .xlsx file: the zip archive is damaged")
    if isinstance(exc, KeyError):
        return _("not a valid .xlsx file: a part of the workbook is missing ({part})").format(
            part=str(exc.args[0]) if exc.args else "?"
        )
    first = next((line for line in str(chain[-1]).splitlines() if line.strip()), "")
    return _("not a valid .xlsx file ({reason})").format(reason=first or type(exc).__name__)


def _read_xlsx(path: Path, sheet_names: tuple[str, ...]) -> RawSheet:
    import openpyxl  # deferred: a noticeable import, and CSV imports do not need it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _XLSX_FAILURES as exc:
        raise SheetFileError(path, _xlsx_reason(exc)) from None
    try:
        sheets = wb.worksheets
        if not sheets:
            raise SheetFileError(path, _("the workbook has no worksheets"))
        chosen = next((ws for ws in sheets if ws.title in sheet_names), None)
        notes: list[str] = []
        if chosen is None:
            chosen = sheets[0]
        if len(sheets) > 1:
            notes.append(
                _("The workbook has {n} worksheets; read {sheet}").format(
                    n=len(sheets), sheet=chosen.title
                )
            )
        # Read-only mode stops at the rows the sheet's <dimension> tag announces, and some
        # exporters write a tag that understates them: forget it and read to the last row.
        if hasattr(chosen, "reset_dimensions"):
            chosen.reset_dimensions()
        try:
            rows = list(_xlsx_rows(chosen))
        except _XLSX_FAILURES as exc:
            raise SheetFileError(path, _xlsx_reason(exc)) from None
        return RawSheet(path, "xlsx", rows, sheet=str(chosen.title), notes=notes)
    finally:
        wb.close()


def _xlsx_rows(ws: Any) -> Iterator[tuple[int, list[Cell]]]:
    # Read-only worksheets pad missing rows and cells with EmptyCell objects that carry no
    # coordinates, so the row number comes from a real cell when there is one.
    for index, cells in enumerate(ws.iter_rows(), start=1):
        values: list[Cell] = [c.value for c in cells]
        if all(is_blank(v) for v in values):
            continue
        number = next((c.row for c in cells if getattr(c, "row", None)), index)
        while values and is_blank(values[-1]):
            values.pop()
        yield number, values


# --------------------------------------------------------------------------- csv


def _decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """Text, encoding name and notes; refuses binary data that is no text at all."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        return data.decode("utf-16"), "utf-16", []
    if b"\x00" in data:
        raise SheetFileError(path, _("not a text file (binary data)"))
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise SheetFileError(
            path, _("cannot decode the text: it is neither UTF-8 nor GBK/GB18030")
        ) from None
    return text, "gb18030", [_("Read as GBK/GB18030 (the encoding Chinese Excel uses for CSV)")]


def _delimiter(text: str) -> str:
    """The separator of the first line: comma unless tabs or semicolons clearly dominate."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _unprotect(text: str) -> str:
    """Undo the apostrophe exports put before formula-like text (see ``writers.csv_safe``)."""
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return text[1:]
    return text


def _read_csv(path: Path) -> RawSheet:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SheetFileError(path, exc.strerror or str(exc)) from None
    try:
        text, encoding, notes = _decode(path, data)
    except UnicodeDecodeError:
        raise SheetFileError(path, _("cannot decode the text (damaged UTF-8 or UTF-16)")) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[int, list[Cell]]] = []
    try:
        # Excel shows one row per CSV record, even when a quoted cell spans several lines.
        for number, record in enumerate(reader, start=1):
            cells: list[Cell] = [_unprotect(c) for c in record]
            if all(is_blank(c) for c in cells):
                continue
            while cells and is_blank(cells[-1]):
                cells.pop()
            rows.append((number, cells))
    except csv.Error as exc:
        raise SheetFileError(
            path, _("not a valid CSV file ({reason})").format(reason=exc)
        ) from None
    return RawSheet(path, "csv", rows, encoding=encoding, notes=notes)
