"""Enterprise names compared the way a person reading the ledger compares them.

Ledgers built by several officers hold the same company typed several ways: with or without
the legal-form suffix (有限公司, 股份有限公司 …), with full-width or half-width brackets, with a
stray space. :func:`name_key` folds those differences away so the form can warn "this looks
like an enterprise you already have" before a duplicate record is born; the USCC remains the
real identity, so a matching key is only ever a warning.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LEGAL_FORM_SUFFIXES", "like_pattern", "name_key", "names_match"]

LEGAL_FORM_SUFFIXES: tuple[str, ...] = ("股份有限公司", "有限责任公司", "有限公司")
"""Legal-form endings that do not tell two enterprises apart; longest first so the longest
one is removed (``股份有限公司`` rather than just its tail ``有限公司``)."""

# Brackets of either width, the ones Chinese registrations use around a place name
# (肇庆（四会）…) and the ones people type instead. Only the marks go; their content stays.
_BRACKETS = re.compile(r"[()\[\]{}（）【】〔〕［］｛｝〈〉《》「」『』]")
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """The comparison key of an enterprise name; empty when the name has nothing left.

    NFKC turns full-width letters, digits and brackets into their ASCII forms, casefold makes
    ``ABC`` and ``abc`` one name; spaces and bracket marks are dropped; then one legal-form
    suffix is removed from the end.
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _SPACES.sub("", _BRACKETS.sub("", text))
    for suffix in LEGAL_FORM_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def names_match(a: str, b: str) -> bool:
    """True when two names are the same enterprise name up to the differences above."""
    key = name_key(a)
    return bool(key) and key == name_key(b)


def like_pattern(key: str) -> str | None:
    """An SQL ``LIKE`` pattern that every name with this key matches.

    Stored names keep their original spelling, so the key's characters are looked for in
    order with anything between them (``%浩%海%…``). ASCII characters become ``_`` (any one
    character) because the stored name may hold their full-width form; ``%`` and ``_`` typed in
    a name are ASCII too, so nothing needs escaping. The pattern only narrows
    the rows; callers confirm each candidate with :func:`names_match`. Returns None for an
    empty key (nothing to look for).
    """
    if not key:
        return None
    parts = ["_" if ch.isascii() else ch for ch in key]
    return "%" + "%".join(parts) + "%"
