"""Spreadsheet import and export of each record kind (xlsx and CSV); no UI imports.

Public API::

    import_sheet(store, "enterprises", path, dry_run=False, progress=..., cancel=...)
        -> ImportSummary   (raises SheetFileError, ImportCancelled)
    export_sheet(store, "enterprises", path, english_headers=False, labels="zh")
        -> ExportSummary
    KINDS, get_kind(name) -> SheetKind (its columns, for help texts and templates)

The columns of every kind are those of domain.md, "Sheets".
"""

from fieldtui.sheets.exporter import ExportSummary, export_rows, export_sheet
from fieldtui.sheets.importer import import_sheet
from fieldtui.sheets.readers import SheetFileError
from fieldtui.sheets.registry import KINDS, get_kind
from fieldtui.sheets.spec import Column, Progress, SheetKind
from fieldtui.sheets.summary import ImportCancelled, ImportSummary, RowChange, RowIssue

__all__ = [
    "KINDS",
    "Column",
    "ExportSummary",
    "ImportCancelled",
    "ImportSummary",
    "Progress",
    "RowChange",
    "RowIssue",
    "SheetFileError",
    "SheetKind",
    "export_rows",
    "export_sheet",
    "get_kind",
    "import_sheet",
]
