"""The sheet framework: a column spec per record kind, and header matching.

A kind's sheet is fully described by data: its columns (Chinese header, English alias, the
record field, a parser and a formatter, required or not), how a row finds the record it
updates (its keys), and optional row checks. Import and export are generic over that
description, so adding a record kind is adding one :class:`SheetKind`, not another importer.

The columns themselves come from the field schema (:func:`sheet_columns`): every field with a
sheet header is a column, parsed and exported by its type, so a new field with a header is in
the sheet without any code here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldtui.domain.records import Record
from fieldtui.domain.schema import KINDS, Kind
from fieldtui.i18n import pgettext
from fieldtui.sheets.cells import (
    Context,
    Formatter,
    Parser,
    field_formatter,
    field_parser,
    format_plain,
)
from fieldtui.sheets.refs import Refs
from fieldtui.sheets.summary import Action

if TYPE_CHECKING:
    from fieldtui.store import Store

Key = tuple[Any, ...]
"""A matching key; its first item names the kind of key (``"uscc"``, ``"name"``, …)."""

Values = dict[str, Any]
"""One row's parsed non-blank cells, by record field (or link field) name."""

Progress = Callable[[str, int, int], None]
"""``(phase, done, total)``; phase is ``"check"`` while validating, ``"write"`` while writing."""


@dataclass(slots=True)
class Planned:
    """One good row: what to write for it."""

    row: int
    action: Action
    values: Values
    changes: Values
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """One sheet column: how its cells become a record field and back."""

    key: str
    """English alias, also the name in JSON and in ``fieldtui sheet columns``."""
    zh: str
    """Chinese header, what exports write by default."""
    field: str
    """Record attribute the column fills, or for a link column the name of its id list."""
    parse: Parser
    format: Formatter = format_plain
    required: bool = False
    aliases: tuple[str, ...] = ()
    """Other headers offices use for the same column."""
    width: int = 14
    """xlsx column width (characters; a Chinese character counts two)."""
    link: str | None = None
    """For many-to-many columns: the ``Store`` attribute of the link repository."""
    as_text: bool = False
    """Write as a text cell, so Excel keeps leading zeros and long digit strings."""

    def header(self, english: bool = False) -> str:
        return self.key if english else self.zh


def sheet_columns(kind: Kind) -> tuple[Column, ...]:
    """A kind's sheet columns: its fields that have a sheet header, in field order."""
    return tuple(
        Column(
            key=f.sheet_key,
            zh=f.header,
            field=f.name,
            parse=field_parser(f),
            format=field_formatter(f),
            required=f.sheet_required,
            aliases=f.aliases,
            width=f.sheet_width or f.type.sheet_width,
            link=None if f.link is None else KINDS[f.link].repo,
            as_text=f.type.as_text,
        )
        for f in kind.sheet_fields
        if f.header is not None
    )


RowCheck = Callable[[Values, Context], list[tuple[str | None, str]]]
"""Checks across cells of a row: ``(field or None, message)`` errors; warnings via ctx."""


@dataclass(frozen=True, slots=True)
class SheetKind:
    """Everything import and export need to know about one record kind."""

    name: str
    """CLI name: ``enterprises``, ``officers``, …"""
    title: str
    """English msgid of the kind, read in the context "sheet" (:attr:`label`)."""
    sheet_title: str
    """Worksheet name written on export (Chinese, what the office calls the ledger)."""
    repo: str
    """Attribute of :class:`~fieldtui.store.Store` holding the kind's repository."""
    record: type[Record]
    columns: tuple[Column, ...]
    row_keys: Callable[[Values], list[Key]]
    """Keys a row may match, best first (an enterprise: its USCC, then its name)."""
    record_keys: Callable[[Any], list[Key]]
    """Keys under which an existing record can be found."""
    key_names: Mapping[str, str]
    """Key kind → English msgid naming it, for duplicate messages ("USCC", "name")."""
    check: RowCheck | None = None
    key_fields: Mapping[str, tuple[str, ...]] | None = None
    """Key kind → the record fields its first items are, in order, so an import can look up
    the records a sheet names by an indexed query instead of reading the whole table. A
    prefix is enough (the kind's ``record_keys`` decide among what it finds); ``None`` reads
    the whole table."""
    exportable: Callable[[Any, Refs], bool] | None = None
    """Extra filter on export beyond "not deleted" (e.g. assignments of live officers)."""
    rows: Callable[[Store, Context], Iterable[Mapping[str, Any]]] | None = None
    """What export writes when it is not the kind's live records one per row (the current
    version of each checklist, the checklist answers): values by column field, in order."""
    importable: bool = True
    """False for a kind that is exported only (the checklist answers)."""
    former_sheet_titles: tuple[str, ...] = ()
    """Worksheet names earlier versions wrote: still found in a workbook of several sheets."""

    @property
    def label(self) -> str:
        """The kind as the office names its sheet: 企业台账, 诉求台账, 人员名单 (English: the
        title). Not the record's name: "Enterprises" is 企业 elsewhere."""
        return pgettext("sheet", self.title)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def link_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.link)

    def match_header(self, text: str) -> Column | None:
        """The column a header cell names: Chinese header, English alias or a known alias.

        Case, spaces, underscores, full-width brackets and a trailing required-mark ``*``
        are ignored, since templates and hand-made sheets differ in exactly those.
        """
        wanted = header_key(text)
        if not wanted:
            return None
        for col in self.columns:
            if wanted in {header_key(h) for h in (col.zh, col.key, *col.aliases)}:
                return col
        return None


_HEADER_NOISE = re.compile(r"[\s_\-*＊:：]+")


def header_key(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text)).casefold()
