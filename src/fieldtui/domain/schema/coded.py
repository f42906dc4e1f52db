"""Field types whose values name an entry elsewhere or hold several: a code of a code list,
a reference to another record, and lists (of codes, of texts, of references).

Lists are stored as JSON arrays of strings and typed separated by 、 , ; or new lines (what
office ledgers do); a code this version does not know, from a newer version, is kept and shown
as it is. See :mod:`fieldtui.domain.schema.fieldtypes` for what every type answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from fieldtui.domain.enums import CodedEnum
from fieldtui.domain.schema.fieldtypes import (
    LIST_JOINER,
    Column,
    FieldType,
    Labels,
    Raw,
    Resolver,
    cell_text,
)
from fieldtui.domain.validators import clean_line, clean_text, split_list
from fieldtui.i18n import _ as _gettext
from fieldtui.i18n import language

__all__ = ["Code", "Codes", "Ref", "RefList", "Texts", "code_choices", "code_label"]

_ID = re.compile(r"[0-9A-Za-z_.:-]{1,64}")
"""A row id as sync files carry them (UUIDs here; at most 64 characters, no spaces)."""
_CODE = re.compile(r"[A-Za-z0-9_]{1,40}")
"""What a code looks like, known to this version or not (a newer one may add codes)."""


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params) if params else _gettext(template)


# --------------------------------------------------------------------------- codes


def code_choices(enum: type[CodedEnum]) -> str:
    """Every accepted spelling of a short list, a range of a long one: what a message says is
    accepted. In Chinese the labels with their codes (已注销（closed）、…, zh-style.md); in
    English the code with both labels ("closed (已注销, Deregistered); …")."""
    members = list(enum)
    if len(members) <= 12:
        if language() == "zh":
            return "、".join(f"{m.zh}（{m.code}）" for m in members)
        return "; ".join(f"{m.code} ({m.zh}, {m.en})" for m in members)
    example = f"{members[2].code} {members[2].zh}"
    return _(
        "{first}–{last} or the Chinese name, e.g. {example}",
        first=members[0].code,
        last=members[-1].code,
        example=example,
    )


def code_label(enum: type[CodedEnum], code: str, labels: Labels | str) -> str:
    """A code's label (``labels`` is a UI language or an export choice); an unknown code —
    from a newer version — is written as the code itself."""
    if labels == "code":
        return code
    try:
        member = enum(code)
    except ValueError:
        return code
    return member.label(labels)


def _known(enum: type[CodedEnum], code: str) -> bool:
    try:
        enum(code)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Code(FieldType):
    """One code of a code list (:mod:`fieldtui.domain.enums`): typed as the code or its label.

    A stored code this version does not know (a newer version's) is kept and shown as it is:
    adding a code to a list is one line in its enum.
    """

    widget: ClassVar[str] = "select"
    enum: type[CodedEnum] = CodedEnum
    show_code: bool = False
    """Show the code before the label ("C 制造业"), for lists people know by their codes."""
    sheet_width: ClassVar[int] = 12

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        return self._one(clean_line(cell_text(raw))), None

    def _one(self, text: str) -> str:
        try:
            return self.enum.parse(text).code
        except ValueError:
            raise ValueError(
                _(
                    'unknown value "{value}"; use one of: {choices}',
                    value=text,
                    choices=self.choices,
                )
            ) from None

    @property
    def choices(self) -> str:
        return code_choices(self.enum)

    def check(self, value: Any) -> None:
        if not _CODE.fullmatch(value):
            raise ValueError(_("Not a code: {value}", value=value))

    def known(self, value: Any) -> bool:
        return isinstance(value, str) and _known(self.enum, value)

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        label = code_label(self.enum, value, lang)
        return f"{value} {label}" if self.show_code and label != value else label

    def cell(self, value: Any, labels: Labels, resolver: Resolver | None = None) -> Any:
        return code_label(self.enum, value, labels)

    def text(self, value: Any) -> str | None:
        return None if value is None else str(value)  # a select's value: the code


# --------------------------------------------------------------------------- lists


def _json_list(column: Column) -> list[str]:
    if not isinstance(column, str):
        raise ValueError(_("Should be a list, not {value}", value=column))
    try:
        items = json.loads(column)
    except ValueError:
        raise ValueError(_("Should be a list, not {value}", value=column)) from None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(_("Should be a list, not {value}", value=column))
    return items


def _items(raw: Raw) -> list[str]:
    items = (clean_line(item) for item in split_list(clean_text(cell_text(raw))))
    return list(dict.fromkeys(item for item in items if item))


class Texts(FieldType):
    """A list of short texts (tags, units), typed separated by 、 , ; or new lines."""

    python = list
    is_list = True
    max_len = 2_000
    sheet_width = 24

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        return _items(raw), None

    def decode(self, column: Column) -> Any:
        return _json_list(column)

    def check(self, value: Any) -> None:
        if any(clean_line(v) != v or not v for v in value):
            raise ValueError(_("Holds control characters"))

    def encode(self, value: Any) -> Column:
        return json.dumps(list(value or []), ensure_ascii=False)

    def text(self, value: Any) -> str | None:
        return LIST_JOINER.join(value or [])

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        return LIST_JOINER.join(value)

    def cell(self, value: Any, labels: Labels, resolver: Resolver | None = None) -> Any:
        return LIST_JOINER.join(value) if value else None


@dataclass(frozen=True)
class Codes(Texts):
    """Several codes of one code list (a visit's topics)."""

    widget: ClassVar[str] = "multiselect"
    enum: type[CodedEnum] = CodedEnum

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        one = Code(enum=self.enum)._one
        return list(dict.fromkeys(one(item) for item in _items(raw))), None

    def check(self, value: Any) -> None:
        for item in value:
            if not _CODE.fullmatch(item):
                raise ValueError(_("Not a code: {value}", value=item))

    def known(self, value: Any) -> bool:
        return all(_known(self.enum, v) for v in value)

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        return LIST_JOINER.join(code_label(self.enum, v, lang) for v in value)

    def cell(self, value: Any, labels: Labels, resolver: Resolver | None = None) -> Any:
        return LIST_JOINER.join(code_label(self.enum, v, labels) for v in value) or None


# --------------------------------------------------------------------------- references


def _id(text: str) -> str:
    value = clean_line(text)
    if not _ID.fullmatch(value):
        raise ValueError(_("Not a record id: {value}", value=value))
    return value


@dataclass(frozen=True)
class Ref(FieldType):
    """The id of another record (``table``); people name it, a resolver finds it."""

    widget: ClassVar[str] = "picker"
    table: str = ""
    max_len: ClassVar[int | None] = 200

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        if resolver is None:
            return _id(cell_text(raw)), None
        return resolver.ref_id(self.table, cell_text(raw)), None

    def check(self, value: Any) -> None:
        if not _ID.fullmatch(value):
            raise ValueError(_("Not a record id: {value}", value=value))

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        return value if resolver is None else resolver.ref_name(self.table, value)

    def cell(self, value: Any, labels: Labels, resolver: Resolver | None = None) -> Any:
        return self.show(value, labels, resolver)


@dataclass(frozen=True)
class RefList(Texts):
    """Ids of several other records, kept in a link table (a visit's officers)."""

    widget: ClassVar[str] = "multipicker"
    table: str = ""

    def parse(self, raw: Raw, resolver: Resolver | None = None) -> tuple[Any, str | None]:
        names = _items(raw)
        if resolver is None:
            return list(dict.fromkeys(_id(name) for name in names)), None
        ids: list[str] = []
        problems: list[str] = []
        for name in names:  # every unknown name is reported, not just the first
            try:
                ids.append(resolver.ref_id(self.table, name))
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValueError("; ".join(problems))
        return list(dict.fromkeys(ids)), None

    def check(self, value: Any) -> None:
        for item in value:
            if not _ID.fullmatch(item):
                raise ValueError(_("Not a record id: {value}", value=item))

    def show(self, value: Any, lang: str, resolver: Resolver | None = None) -> str:
        names: Sequence[str] = (
            value if resolver is None else [resolver.ref_name(self.table, v) for v in value]
        )
        return LIST_JOINER.join(names)

    def cell(self, value: Any, labels: Labels, resolver: Resolver | None = None) -> Any:
        return self.show(value, labels, resolver) or None
