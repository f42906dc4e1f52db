"""Field types: how one kind of value is read, checked, stored and shown, wherever it comes from.

Every value that enters the store passes the parser of its field's type, whoever typed it: a
form (text as typed), a spreadsheet cell (text, numbers, dates or booleans from openpyxl), a
``sync resolve --value`` or a CLI argument (text). So a phone number is checked the same way
everywhere, and a new field of an existing type needs no new checking code.

A type answers five questions about a value:

- :meth:`FieldType.parse`: what was typed or imported → the value, or a message (``ValueError``)
  and possibly a warning. Blank input never reaches it (:class:`~fieldtui.domain.schema.Field`
  handles "not given").
- :meth:`FieldType.decode` / :meth:`FieldType.check`: a stored or synced column value (``str``,
  ``int`` or ``None``, lists as JSON text) → the value, strictly, and whether it is one this
  type could have produced. A value that fails is refused at the door (sync) or shown marked.
- :meth:`FieldType.encode`: the value → its column form (what ops and the database hold).
- :meth:`FieldType.show` / :meth:`FieldType.text` / :meth:`FieldType.cell`: the value for
  reading (the UI language), for editing (parses back to the same value) and for a sheet.

Messages are English msgids translated when made, in the current language. Nothing here
imports the store or a UI toolkit: references to other records are resolved through a
:class:`Resolver` the caller passes (sheets resolve names; a form's picker gives ids).

This module holds the base and the types of single values typed as text or numbers; codes,
references and lists are in :mod:`fieldtui.domain.schema.coded`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal, Protocol

from fieldtui.domain.validators import (
    check_phone,
    check_uscc,
    clean_line,
    clean_text,
    format_money_wan,
    parse_bool,
    parse_date,
    parse_money_wan,
)
from fieldtui.i18n import N_
from fieldtui.i18n import _ as _gettext

__all__ = [
    "LIST_JOINER",
    "Column",
    "Day",
    "FieldType",
    "Flag",
    "Integer",
    "Labels",
    "Line",
    "Money",
    "Multiline",
    "Phone",
    "Raw",
    "Resolver",
    "Uscc",
    "cell_text",
    "is_blank",
]

Raw = str | int | float | Decimal | date | datetime | bool | None
"""What arrives to be parsed: form text, a sheet cell (openpyxl types), a CLI argument."""

Column = str | int | None
"""What a database column and a sync op hold for a field (lists as JSON text)."""

Labels = Literal["zh", "en", "code"]
"""How coded values are written on export: Chinese label, English label or stored code."""

LIST_JOINER = "、"
"""Lists are shown and exported joined by the Chinese enumeration comma, as ledgers do."""


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params) if params else _gettext(template)


class Resolver(Protocol):
    """Names ↔ ids of other records, for reference fields (sheets implement it)."""

    def ref_id(self, table: str, text: str) -> str:
        """The id of the live ``table`` record a person named; ``ValueError`` if none or several."""
        ...

    def ref_name(self, table: str, row_id: str) -> str:
        """What people call that record (its name), or the id when unknown."""
        ...


def is_blank(raw: Raw) -> bool:
    """Nothing given: ``None`` or text of only spaces (a form's empty box, an empty cell)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def cell_text(raw: Raw) -> str:
    """Any raw input as text; integral floats lose their ``.0`` (Excel stores numbers as float)."""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return "" if raw is None else str(raw)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class FieldType:
    """Base of every field type; see the module docstring for what each method answers."""

    widget: ClassVar[str] = "input"
    """What a form builds for it: input, textarea, select, multiselect, checkbox, picker,
    multipicker."""
    python: ClassVar[Any] = str
    """The record attribute's type (without ``None``)."""
    is_list: ClassVar[bool] = False
    as_text: ClassVar[bool] = False
    """Written to xlsx as a text cell (leading zeros and long digit strings kept)."""
    max_len: ClassVar[int | None] = None
    """Default length limit (characters) of a field of this type, if it needs one."""
    sheet_width: ClassVar[int] = 14
    form_error: ClassVar[str | None] = None
    """A short message (msgid) a form shows instead of the full one, where the form already
    shows what was typed beside it and examples in the placeholder (one line at 80 columns)."""

    def empty(self) -> Any:
        """The value of a field nobody filled in."""
        return [] if self.is_list else None

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        """``(value, warning)`` for non-blank input; ``ValueError`` with the user's message."""
        raise NotImplementedError

    def decode(self, column: Column) -> Any:
        """A non-null column value as the record holds it; ``ValueError`` if it cannot be."""
        if not isinstance(column, str):
            raise ValueError(_("Should be text, not {value}", value=column))
        return column

    def check(self, value: Any) -> None:
        """``ValueError`` when a decoded value is not one :meth:`parse` could have produced."""

    def encode(self, value: Any) -> Column:
        return None if value is None else str(value)

    def text(self, value: Any) -> str | None:
        """The value as a form shows it for editing; parsing it gives the value back."""
        return "" if value is None else str(value)

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        """The value for reading in ``lang`` (only called with a value of the right type)."""
        return str(value)

    def cell(self, value: Any, labels: Labels, resolver: Resolver | None = None) -> Any:
        """The value as a sheet cell (only called with a non-empty value of the right type)."""
        return value

    def known(self, value: Any) -> bool:
        """Whether this version knows the value (False: a newer version's code, kept as is)."""
        return True

    def fits(self, value: Any) -> bool:
        """Whether a record value is of this type (a stored value that did not parse is not)."""
        if self.is_list:
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        return isinstance(value, self.python) and not (
            self.python is int and isinstance(value, bool)
        )


# --------------------------------------------------------------------------- text


class Line(FieldType):
    """One line of text: names, units, addresses. Control characters and line breaks go."""

    max_len = 200

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        return clean_line(cell_text(raw)), None

    def check(self, value: Any) -> None:
        if clean_text(value) != value:
            raise ValueError(_("Holds control characters"))


class Multiline(Line):
    """Free text (notes, summaries): the user's line breaks are kept."""

    widget = "textarea"
    max_len = 10_000
    sheet_width = 30

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        return clean_text(cell_text(raw)).strip(), None


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Integer(FieldType):
    """A whole number in a range: head counts, years, positions.

    ``1,200``, ``1200.0``, full-width digits and a unit suffix (``120人``, ``2025年``) are what
    people type and spreadsheets hold; they all read as the number.
    """

    python: ClassVar[Any] = int
    low: int = 0
    high: int = 10**12
    suffixes: tuple[str, ...] = ()
    grouping: bool = True
    """Shown with thousands separators (a head count) or not (a year)."""
    invalid: str = N_("Not a whole number: {value}")
    """Message for text that is not a number (and, with ``strict_range``, for one out of range)."""
    strict_range: bool = False

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        if isinstance(raw, (bool, date, datetime)):
            raise ValueError(_(self.invalid, value=cell_text(raw)))
        if isinstance(raw, int):
            number = raw
        elif isinstance(raw, (float, Decimal)):
            if not (math.isfinite(raw) and raw == int(raw)):
                raise ValueError(_(self.invalid, value=cell_text(raw)))
            number = int(raw)
        else:
            text = _nfkc(cell_text(raw)).replace(",", "").replace(" ", "")
            for suffix in self.suffixes:
                text = text.removesuffix(suffix)
            text = text.removesuffix(".0")
            if not re.fullmatch(r"[+-]?\d{1,19}", text):
                raise ValueError(_(self.invalid, value=cell_text(raw)))
            number = int(text)
        self._range(number)
        return number, None

    def _range(self, number: int) -> None:
        if self.low <= number <= self.high:
            return
        if self.strict_range:
            raise ValueError(_(self.invalid, value=number))
        if number < 0 <= self.low:
            raise ValueError(_("Cannot be negative: {value}", value=number))
        if number < self.low:
            raise ValueError(_("Should be at least {low}: {value}", low=self.low, value=number))
        raise ValueError(_("Should be at most {high}: {value}", high=self.high, value=number))

    def decode(self, column: Column) -> Any:
        if not isinstance(column, int) or isinstance(column, bool):
            raise ValueError(_(self.invalid, value=column))
        return column

    def check(self, value: Any) -> None:
        self._range(value)

    def encode(self, value: Any) -> Column:
        return None if value is None else int(value)

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        return f"{value:,}" if self.grouping else str(value)


class Money(FieldType):
    """An amount in 万元: ``Decimal`` with at most two decimals, never a float."""

    python = Decimal
    sheet_width = 16

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        if isinstance(raw, (bool, date, datetime)) or raw is None:
            raise ValueError(_("Not an amount: {value}", value=cell_text(raw)))
        return parse_money_wan(raw), None

    def decode(self, column: Column) -> Any:
        text = str(column) if isinstance(column, int) and not isinstance(column, bool) else column
        if not isinstance(text, str) or not re.fullmatch(r"\d{1,20}(\.\d+)?", text):
            raise ValueError(_("Not an amount: {value}", value=column))
        return Decimal(text)

    def check(self, value: Any) -> None:
        parse_money_wan(value)

    def encode(self, value: Any) -> Column:
        if value is None:
            return None
        if value == value.to_integral():
            return format(value.normalize(), "f")
        return format(value, "f")

    def text(self, value: Any) -> str | None:
        return "" if value is None else format_money_wan(value, grouping=False)

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        return format_money_wan(value)


# --------------------------------------------------------------------------- dates, flags

_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_RANGE = (25569, 73051)  # 1970-01-01 .. 2099-12-31 as Excel day numbers
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Day(FieldType):
    """A calendar date: as typed (``2024-3-5``, ``2024/3/5``, ``2024年3月5日``) or an Excel date."""

    python = date
    sheet_width = 12

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        # A date cell formatted as "General" reaches openpyxl as its serial number (45296):
        # a date in the plausible range, an error elsewhere, never a guess.
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            if _SERIAL_RANGE[0] <= raw <= _SERIAL_RANGE[1] and float(raw).is_integer():
                return (_EXCEL_EPOCH + timedelta(days=int(raw))).date(), None
            raise ValueError(_("Not a date: {value}", value=cell_text(raw)))
        if isinstance(raw, (date, datetime)):
            return parse_date(raw), None
        return parse_date(cell_text(raw)), None

    def decode(self, column: Column) -> Any:
        if isinstance(column, str) and _ISO_DAY.fullmatch(column):
            try:
                return date.fromisoformat(column)
            except ValueError:
                raise ValueError(_("No such date: {text}", text=column)) from None
        raise ValueError(_("Not a date: {value}", value=column))

    def encode(self, value: Any) -> Column:
        return None if value is None else value.isoformat()

    def text(self, value: Any) -> str | None:
        return "" if value is None else value.isoformat()

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        return str(value.isoformat())


class Flag(FieldType):
    """Yes or no: 是/否, yes/no, true/false, 1/0 in sheets."""

    widget = "checkbox"
    python = bool
    sheet_width = 10

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        if isinstance(raw, (bool, int)):
            return parse_bool(raw), None
        return parse_bool(cell_text(raw)), None

    def decode(self, column: Column) -> Any:
        if column in (0, 1) and not isinstance(column, str):
            return bool(column)
        raise ValueError(_("Not a yes/no value: {value}", value=column))

    def encode(self, value: Any) -> Column:
        return None if value is None else int(value)

    def text(self, value: Any) -> str | None:
        return "" if value is None else ("yes" if value else "no")

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        return _gettext("Yes") if value else _gettext("No")

    def cell(self, value: Any, labels: Labels, resolver: Resolver | None = None) -> Any:
        if labels == "code":
            return "true" if value else "false"
        if labels == "en":
            return "yes" if value else "no"
        return "是" if value else "否"


# --------------------------------------------------------------------------- identifiers


class Uscc(FieldType):
    """A unified social credit code (GB 32100-2015); the organisation-code digit only warns."""

    as_text = True
    max_len = 40
    sheet_width = 22

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        result = check_uscc(cell_text(raw))
        if result.error is not None:
            raise ValueError(result.error)
        return result.value, result.warning

    def check(self, value: Any) -> None:
        result = check_uscc(value)
        if result.error is not None:
            raise ValueError(result.error)
        if result.value != value:
            raise ValueError(_("Not in its stored form: {value}", value=value))


class Phone(FieldType):
    """A mobile number or a landline with its area code; stored without spaces or +86."""

    as_text = True
    max_len = 40
    sheet_width = 16
    form_error = N_("Enter an 11-digit mobile or area code + number")

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        result = check_phone(cell_text(raw))
        if result.error is not None:
            raise ValueError(result.error)
        return result.value, None

    def check(self, value: Any) -> None:
        result = check_phone(value)
        if result.error is not None:
            raise ValueError(result.error)
        if result.value != value:
            raise ValueError(_("Not in its stored form: {value}", value=value))
