"""A field and a record kind: what the schema says about each, once.

A :class:`Field` is one column of one record kind (or, with ``link``, a list of references
kept in a link table): its type, its label, whether it must be given, its length limit, its
sheet header and the other headers offices use for it, whether search indexes it, and how it
is displayed. Forms, detail screens, sheets, sync checks and search read these; none of them
keeps its own list of fields.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from fieldtui.domain.enums import CodedEnum
from fieldtui.domain.records import Record
from fieldtui.domain.schema.coded import Code, Codes, Texts
from fieldtui.domain.schema.fieldtypes import (
    Column,
    FieldType,
    Labels,
    Multiline,
    Raw,
    Resolver,
    is_blank,
)
from fieldtui.i18n import _ as _gettext

__all__ = ["Field", "Kind", "Parsed", "Shown"]


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed value, or why there is none. ``blank``: nothing was given (not an error)."""

    value: Any = None
    error: str | None = None
    warning: str | None = None
    blank: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class Shown:
    """A value as text for reading; ``ok`` is False for a stored value that does not fit its
    field (shown as it is, for the screen to mark) and for a code this version does not know."""

    text: str
    ok: bool = True


@dataclass(frozen=True)
class Field:
    """One field of a record kind. ``label`` is an English msgid (translated where shown)."""

    name: str
    type: FieldType
    label: str
    required: bool = False
    """A record cannot be saved without it (a form refuses, a sheet row creating one too)."""
    default: Any = None
    """What a new record holds when the field is not given (None: nothing)."""
    null: bool | None = None
    """The column takes NULL; by default when the field is optional, has no default and is not
    a list (lists are stored as ``[]``)."""
    max_len: int | None = None
    """Length limit in characters (text: the text; lists: all items); default from the type."""
    # -- sheets
    header: str | None = None
    """Chinese sheet header; None: the field is not in the kind's sheet."""
    key: str | None = None
    """English sheet alias (also the JSON name of the column); default: the field name."""
    aliases: tuple[str, ...] = ()
    """Other headers offices write for this column."""
    sheet_width: int | None = None
    # -- search and display
    search: bool = False
    """Search finds a record by this field (enterprises: the ledger's search box)."""
    width: int | None = None
    """Column width (cells) where the kind is listed."""
    give_way: int | None = None
    """On a narrow terminal, list columns give way in this order (1 first); None: never."""
    placeholder: str | None = None
    """A form's hint: an example or an instruction (an English msgid when it has words)."""
    wide: bool | None = None
    """Takes a whole line in a detail view; by default multiline text and lists do."""
    form: bool = True
    """Shown in the kind's form."""
    link: str | None = None
    """For a list of references: the link table that holds them (not a column of the kind)."""

    def __post_init__(self) -> None:
        if self.null is None:
            nullable = not self.required and self.default is None and not self.type.is_list
            object.__setattr__(self, "null", nullable)
        if self.max_len is None:
            object.__setattr__(self, "max_len", self.type.max_len)
        if self.wide is None:
            object.__setattr__(self, "wide", isinstance(self.type, (Multiline, Texts)))

    # -- properties read by front ends ----------------------------------------------------

    @property
    def sheet_key(self) -> str:
        return self.key or self.name

    @property
    def sheet_required(self) -> bool:
        """A sheet must have the column: required and with no default to fall back on."""
        return self.required and self.default is None

    @property
    def widget(self) -> str:
        return self.type.widget

    @property
    def enum(self) -> builtins.type[CodedEnum] | None:
        """The code list of a coded field (one code or several)."""
        if isinstance(self.type, (Code, Codes)):
            return self.type.enum
        return None

    def choices(self, lang: str) -> list[tuple[str, str]]:
        """``(label, code)`` pairs of a coded field, for a select."""
        enum = self.enum
        return [] if enum is None else enum.choices(lang)

    # -- values in ------------------------------------------------------------------------

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> Parsed:
        """Input as typed or imported → the value, a message, or "not given" (``blank``).

        Whether a blank is acceptable is for the caller (a form says "required", a sheet
        treats a blank cell as "keep what is stored").
        """
        if is_blank(raw):
            return Parsed(self.type.empty(), blank=True)
        try:
            value, warning = self.type.parse(raw, resolver)
        except ValueError as exc:
            return Parsed(error=str(exc))
        if isinstance(value, (str, list)) and not value:
            return Parsed(self.type.empty(), blank=True)
        too_long = self._too_long(value)
        if too_long:
            return Parsed(error=too_long)
        return Parsed(value, warning=warning)

    def check_column(self, column: Column) -> Parsed:
        """A stored or synced column value (JSON-decoded: ``str``, ``int`` or ``None``) → the
        value, or why this field cannot hold it."""
        if column is None:
            if self.null:
                return Parsed(self.type.empty(), blank=True)
            return Parsed(error=_("Cannot be empty"))
        try:
            value = self.type.decode(column)
            self.type.check(value)
        except ValueError as exc:
            return Parsed(error=str(exc))
        if self.required and value in ("", []):
            return Parsed(error=_("Required"))
        too_long = self._too_long(value)
        return Parsed(error=too_long) if too_long else Parsed(value)

    def _too_long(self, value: Any) -> str | None:
        if self.max_len is None:
            return None
        if isinstance(value, str):
            size = len(value)
        elif isinstance(value, list):
            size = sum(map(len, value)) + max(0, len(value) - 1)
        else:
            return None
        if size <= self.max_len:
            return None
        return _("At most {limit} characters (now {size})", limit=self.max_len, size=size)

    # -- values out -----------------------------------------------------------------------

    def encode(self, value: Any) -> Column:
        """The column form of a value (what the database and an op hold)."""
        if self.type.is_list and value is None:
            return self.type.encode([])
        return self.type.encode(value)

    def decode(self, column: Column) -> Any:
        """A column value as the record holds it, never failing: a value that does not fit
        the type stays as it is (a list field's text becomes a one-item list), so screens and
        exports can show it marked instead of failing."""
        if column is None:
            return self.type.empty()
        try:
            return self.type.decode(column)
        except ValueError:
            if self.type.is_list:
                return [str(column)]
            return column

    def fits(self, value: Any) -> bool:
        """The value is of the field's type and one its parser could produce."""
        if value is None or not self.type.fits(value):
            return value is None
        try:
            self.type.check(value)
        except (ValueError, TypeError):
            return False
        return True

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> Shown:
        """Text for reading; never raises. Empty gives ``""`` (the screen shows its dash)."""
        if value is None or value == "" or value == []:
            return Shown("")
        if not self.fits(value):
            return Shown(value if isinstance(value, str) else repr(value), ok=False)
        try:
            text = self.type.show(value, lang, resolver)
        except Exception:  # a display must never take a screen down
            return Shown(str(value), ok=False)
        return Shown(text, ok=self.type.known(value))

    def text(self, value: Any) -> str | None:
        """The value as a form shows it for editing (a stored value that does not fit is shown
        as it is, so the user can correct it)."""
        if value is not None and not self.fits(value):
            return str(value)
        try:
            return self.type.text(value)
        except Exception:  # an editor must open whatever is stored
            return str(value)

    def cell(self, value: Any, labels: Labels, resolver: Resolver | None = None) -> Any:
        """The value as an exported sheet cell (a value that does not fit goes out as text)."""
        if not self.fits(value):
            return str(value)
        try:
            return self.type.cell(value, labels, resolver)
        except Exception:  # an export must not stop at one odd value
            return str(value)


@dataclass(frozen=True)
class Kind:
    """One record kind (one synced table): its fields in column order, and how it is shown.

    ``form_order`` and ``detail_order`` pin the fields a form and a detail view show first;
    the kind's other fields follow in column order, so a new field appears in both without
    being listed anywhere else.
    """

    table: str
    label: str
    record: type[Record]
    repo: str
    """The :class:`~fieldtui.store.Store` attribute holding the kind's repository."""
    fields: tuple[Field, ...]
    form_order: tuple[str, ...] = ()
    detail_order: tuple[str, ...] = ()
    title: str | None = None
    """The field that names a record (its name), shown as a detail view's title."""
    links: tuple[str, str] | None = None
    """For a link table: its two reference fields (left, right)."""
    _index: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {f.name: f for f in self.fields}
        if len(index) != len(self.fields):
            raise ValueError(f"{self.table}: a field is declared twice")
        named = (*self.form_order, *self.detail_order, *(self.links or ()))
        for name in (*named, *([self.title] if self.title else [])):
            if name not in index:
                raise ValueError(f"{self.table}: no field {name!r}")
        object.__setattr__(self, "_index", index)

    def field(self, name: str) -> Field:
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"{self.table} has no field {name!r}") from None

    def get(self, name: str) -> Field | None:
        return self._index.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._index

    @cached_property
    def columns(self) -> tuple[Field, ...]:
        """Fields stored as columns of the kind's table, in column order."""
        return tuple(f for f in self.fields if f.link is None)

    @cached_property
    def link_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.link is not None)

    @cached_property
    def form_fields(self) -> tuple[Field, ...]:
        return _ordered(self.fields, self.form_order, lambda f: f.form)

    @cached_property
    def detail_fields(self) -> tuple[Field, ...]:
        """What a detail view lists, title field aside."""
        return _ordered(self.fields, self.detail_order, lambda f: f.name != self.title)

    @cached_property
    def searched(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.search)

    @cached_property
    def sheet_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.header is not None)

    @cached_property
    def coded(self) -> Mapping[str, type[CodedEnum]]:
        """Field name → its code list, for the fields that hold codes."""
        coded: dict[str, type[CodedEnum]] = {}
        for f in self.fields:
            enum = f.enum
            if enum is not None:
                coded[f.name] = enum
        return coded


def _ordered(fields: tuple[Field, ...], pinned: tuple[str, ...], keep: Any) -> tuple[Field, ...]:
    by_name = {f.name: f for f in fields}
    first = [by_name[n] for n in pinned if keep(by_name[n])]
    rest = [f for f in fields if f.name not in pinned and keep(f)]
    return (*first, *rest)
