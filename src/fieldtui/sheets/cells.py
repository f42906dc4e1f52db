"""Cells ↔ field values: the sheet side of the field schema.

A sheet column is a schema field (:mod:`fieldtui.domain.schema`) with a header: its cells are
parsed by the field's type, exactly as a form's text or a sync value of that field is, and
exported by the same type. This module adapts the two to the sheet framework: a parser takes
the raw cell (text from CSV; text, numbers, dates or booleans from xlsx) and returns the
field's value or raises :class:`ValueError` with a message for the user; a formatter does the
reverse for export. Neither sees blank cells: the importer treats a blank cell as "not given"
and the exporter writes nothing for an empty value.

Both receive a :class:`Context`, which resolves the names that reference columns hold (an
officer's name, an enterprise's name or USCC) and collects warnings that do not refuse the row
(the USCC organisation-code check).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fieldtui.domain.schema import LIST_JOINER, Field, Labels, cell_text, is_blank
from fieldtui.i18n import _

if TYPE_CHECKING:
    from fieldtui.sheets.refs import Refs

__all__ = [
    "LIST_JOINER",
    "Cell",
    "Context",
    "Formatter",
    "Labels",
    "Parser",
    "cell_text",
    "field_formatter",
    "field_parser",
    "format_plain",
    "is_blank",
]

Cell = str | int | float | Decimal | date | datetime | bool | None
"""A cell as readers hand it over (openpyxl types for xlsx, ``str`` for CSV)."""


class Context:
    """What one row's conversions share: name lookups, export options and row warnings.

    It is the :class:`~fieldtui.domain.schema.Resolver` of reference fields: officers,
    enterprises (by name or USCC) and projects are named in sheets; other records are not.
    """

    def __init__(self, refs: Refs, labels: Labels = "zh") -> None:
        self.refs = refs
        self.labels: Labels = labels
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def ref_id(self, table: str, text: str) -> str:
        lookup = {
            "officer": self.refs.officer_id,
            "enterprise": self.refs.enterprise_id,
            "project": self.refs.project_id,
        }.get(table)
        if lookup is None:
            raise ValueError(_("records of this kind cannot be named in a sheet"))
        return lookup(text)

    def ref_name(self, table: str, row_id: str) -> str:
        name = {
            "officer": self.refs.officer_name,
            "enterprise": self.refs.enterprise_name,
            "project": self.refs.project_name,
        }.get(table)
        return row_id if name is None else name(row_id)


Parser = Callable[[Cell, Context], Any]
Formatter = Callable[[Any, Context], Cell]


def field_parser(field: Field) -> Parser:
    """The column's parser: the field's own; a warning goes to the row, an error refuses it."""

    def parse(cell: Cell, ctx: Context) -> Any:
        parsed = field.parse(cell, ctx)
        if parsed.error is not None:
            raise ValueError(parsed.error)
        if parsed.warning is not None:
            ctx.warn(parsed.warning)
        return parsed.value

    return parse


def field_formatter(field: Field) -> Formatter:
    """The column's formatter: the field's own export form (codes as labels, names for ids)."""

    def fmt(value: Any, ctx: Context) -> Cell:
        cell: Cell = field.cell(value, ctx.labels, ctx)
        return cell

    return fmt


def format_plain(value: Any, ctx: Context) -> Cell:
    """Strings, numbers, dates and Decimals go out as they are (writers pick cell types)."""
    if isinstance(value, (str, int, float, Decimal, date)):
        return value
    return str(value)
