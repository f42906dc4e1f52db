"""What an import reports: counts, refused rows with their reasons, warnings, changes.

Kept apart from the importer so callers (CLI, import screen) can name these types without
pulling in the import machinery, and so the JSON shape lives in one short file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from fieldtui.i18n import _

Action = Literal["create", "update", "unchanged"]


class ImportCancelled(Exception):
    """Raised when the cancel callback said so; the database is unchanged."""


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A problem found in the file. ``row`` is the spreadsheet's row number (header = 1 in a
    sheet without title rows); ``column`` is the header text as the file spells it."""

    row: int | None
    column: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        if self.row is not None and self.column:
            text = _("Row {row}, {column}: {message}")
        elif self.row is not None:
            text = _("Row {row}: {message}")
        elif self.column:
            text = _("{column}: {message}")
        else:
            return self.message
        return text.format(row=self.row, column=self.column, message=self.message)


@dataclass(slots=True)
class RowChange:
    """A row that creates or updates a record (shown in previews)."""

    row: int
    action: Action
    label: str
    """The row's first key value, e.g. the enterprise name."""
    fields: list[str] = field(default_factory=list)
    """Column keys that change (all given columns for a new record)."""

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "action": self.action, "label": self.label, "fields": self.fields}


@dataclass(slots=True)
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    file: str
    kind: str
    format: str = ""
    encoding: str | None = None
    sheet: str | None = None
    dry_run: bool = False
    written: bool = False
    """True when changes were committed (false for dry runs and strict refusals)."""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    removed: int = 0
    """Assignments only: the year's assignments the sheet no longer lists (plan replaced)."""
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    backup: str | None = None

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.refused

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "format": self.format,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "dry_run": self.dry_run,
            "written": self.written,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "removed": self.removed,
            "errors": [e.to_json() for e in self.errors],
            "warnings": [w.to_json() for w in self.warnings],
            "changes": [c.to_json() for c in self.changes],
            "backup": self.backup,
        }
