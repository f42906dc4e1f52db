"""Cell conversions: what a spreadsheet cell holds ↔ what a record field holds.

A parser takes the raw cell (text from CSV; text, numbers, dates or booleans from xlsx) and
returns the field's domain value or raises :class:`ValueError` with a message for the user.
Parsers never see blank cells: the importer treats a blank cell as "not given" before any
parser runs, so each parser only has to understand real content. A formatter does the
reverse for export; it never sees ``None`` either.

Parsers and formatters receive a :class:`Context` so reference columns (an officer's name,
an enterprise's name or USCC) can be resolved, and so a parser can attach a warning that
does not refuse the row (the USCC organisation-code check).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from fieldtui.domain.enums import CodedEnum
from fieldtui.domain.validators import (
    check_uscc,
    clean_line,
    clean_text,
    parse_bool,
    parse_date,
    parse_money_wan,
    parse_phone,
    split_list,
)
from fieldtui.i18n import _

if TYPE_CHECKING:
    from fieldtui.sheets.refs import Refs

Cell = str | int | float | Decimal | date | datetime | bool | None
"""A cell as readers hand it over (openpyxl types for xlsx, ``str`` for CSV)."""

Labels = Literal["zh", "en", "code"]
"""How enum values are written on export: Chinese label, English label or stored code."""

LIST_JOINER = "、"
"""Lists are exported joined by the Chinese enumeration comma, the way office ledgers do."""


class Context:
    """What one row's conversions share: name lookups, export options and row warnings."""

    def __init__(self, refs: Refs, labels: Labels = "zh") -> None:
        self.refs = refs
        self.labels = labels
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)


Parser = Callable[[Cell, Context], Any]
Formatter = Callable[[Any, Context], Cell]


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(cell: Cell) -> str:
    """A cell as text; integral floats lose their ``.0`` (Excel stores every number as float)."""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


# --------------------------------------------------------------------------- parsers


def parse_line(cell: Cell, ctx: Context) -> str:
    """One-line text (names, units): control characters and line breaks go."""
    return clean_line(cell_text(cell))


def parse_multiline(cell: Cell, ctx: Context) -> str:
    """Free text (notes, summaries): line breaks are the user's and are kept."""
    return clean_text(cell_text(cell)).strip()


def parse_list(cell: Cell, ctx: Context) -> list[str]:
    return [clean_line(item) for item in split_list(cell_text(cell)) if clean_line(item)]


_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_RANGE = (25569, 73051)  # 1970-01-01 .. 2099-12-31 as Excel day numbers


def parse_day(cell: Cell, ctx: Context) -> date:
    """Dates as typed or as Excel date cells; a bare day number only when it is plausible.

    A date cell formatted as "General" reaches openpyxl as its serial number (45296); reading
    it as a date is right for the plausible range and an error elsewhere, not a guess.
    """
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if _SERIAL_RANGE[0] <= cell <= _SERIAL_RANGE[1] and float(cell).is_integer():
            return (_EXCEL_EPOCH + timedelta(days=int(cell))).date()
        raise ValueError(_("Not a date: {value}").format(value=cell_text(cell)))
    if isinstance(cell, (date, datetime)):
        return parse_date(cell)
    return parse_date(cell_text(cell))


_INT_TEXT = re.compile(r"[+]?\d+")


def parse_count(cell: Cell, ctx: Context) -> int:
    """A non-negative whole number such as a head count; ``1,200`` and ``1200.0`` are fine."""
    if isinstance(cell, bool):
        raise ValueError(_("Not a whole number: {value}").format(value=cell_text(cell)))
    if isinstance(cell, int):
        value = cell
    elif isinstance(cell, (float, Decimal)) and cell == int(cell):
        value = int(cell)
    else:
        text = unicodedata.normalize("NFKC", cell_text(cell)).replace(",", "").strip()
        text = text.removesuffix("人")
        if text.endswith(".0"):
            text = text[:-2]
        if not _INT_TEXT.fullmatch(text):
            raise ValueError(_("Not a whole number: {value}").format(value=cell_text(cell)))
        value = int(text)
    if value < 0:
        raise ValueError(_("Cannot be negative: {value}").format(value=value))
    return value


def parse_year(cell: Cell, ctx: Context) -> int:
    """A calendar year; ``2025年`` as offices write it is accepted."""
    text = unicodedata.normalize("NFKC", cell_text(cell)).strip().removesuffix("年")
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        raise ValueError(_("Not a year: {value}").format(value=cell_text(cell)))
    return int(text)


def parse_money(cell: Cell, ctx: Context) -> Decimal:
    if isinstance(cell, (bool, date, datetime)):
        raise ValueError(_("Not an amount: {value}").format(value=cell_text(cell)))
    if isinstance(cell, (str, int, float, Decimal)):
        return parse_money_wan(cell)
    raise ValueError(_("Not an amount: {value}").format(value=cell_text(cell)))


def parse_flag(cell: Cell, ctx: Context) -> bool:
    if isinstance(cell, (bool, int)):
        return parse_bool(cell)
    return parse_bool(cell_text(cell))


def parse_phone_cell(cell: Cell, ctx: Context) -> str:
    value = parse_phone(cell_text(cell))
    if value is None:  # pragma: no cover - blank cells never reach a parser
        raise ValueError(_("Required"))
    return value


def parse_uscc_cell(cell: Cell, ctx: Context) -> str:
    """USCC checksum errors refuse the row; the organisation-code warning does not."""
    result = check_uscc(cell_text(cell))
    if result.error is not None:
        raise ValueError(result.error)
    if result.warning is not None:
        ctx.warn(result.warning)
    if result.value is None:  # pragma: no cover - blank cells never reach a parser
        raise ValueError(_("Required"))
    return result.value


def enum_parser(enum: type[CodedEnum]) -> Parser:
    """Code, Chinese label or English label, as :meth:`CodedEnum.parse` accepts them."""

    def parse(cell: Cell, ctx: Context) -> str:
        text = clean_line(cell_text(cell))
        try:
            return enum.parse(text).code
        except ValueError:
            raise ValueError(
                _("unknown value {value!r}; use one of: {choices}").format(
                    value=text, choices=enum_choices(enum)
                )
            ) from None

    return parse


def enum_choices(enum: type[CodedEnum]) -> str:
    """Accepted values for a message: every "code 标签" of short lists, a range for long ones."""
    members = list(enum)
    if len(members) <= 8:
        return "、".join(f"{m.zh} ({m.code})" for m in members)
    return _("{first}–{last} or the Chinese name, e.g. {example}").format(
        first=members[0].code, last=members[-1].code, example=f"{members[2].code} {members[2].zh}"
    )


def enum_list_parser(enum: type[CodedEnum]) -> Parser:
    single = enum_parser(enum)

    def parse(cell: Cell, ctx: Context) -> list[str]:
        return [single(item, ctx) for item in parse_list(cell, ctx)]

    return parse


# --------------------------------------------------------------------------- formatters


def format_plain(value: Any, ctx: Context) -> Cell:
    """Strings, numbers, dates and Decimals go out as they are (writers pick cell types)."""
    if isinstance(value, (str, int, float, Decimal, date)):
        return value
    return str(value)


def format_list(value: Sequence[str], ctx: Context) -> Cell:
    return LIST_JOINER.join(value) if value else None


def format_flag(value: bool, ctx: Context) -> Cell:
    if ctx.labels == "code":
        return "true" if value else "false"
    if ctx.labels == "en":
        return "yes" if value else "no"
    return "是" if value else "否"


def enum_label(enum: type[CodedEnum], code: str, labels: Labels) -> str:
    """A code's label; a code this version does not know is written as the code itself."""
    if labels == "code":
        return code
    try:
        member = enum(code)
    except ValueError:
        return code
    return member.zh if labels == "zh" else member.en


def enum_formatter(enum: type[CodedEnum]) -> Formatter:
    def fmt(value: str, ctx: Context) -> Cell:
        return enum_label(enum, value, ctx.labels)

    return fmt


def enum_list_formatter(enum: type[CodedEnum]) -> Formatter:
    def fmt(value: Sequence[str], ctx: Context) -> Cell:
        return format_list([enum_label(enum, v, ctx.labels) for v in value], ctx)

    return fmt
